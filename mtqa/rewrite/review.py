"""Guard every rewrite the detectors proposed, then try combining the edits of one sentence.

A candidate is offered only if (1) the LM prefers it over the original by `MIN_GAIN` nats of lift,
(2) it keeps every name, number and content word except those the edit means to change
(`guard.lost_words`), and (3) its meaning stays close (`meaning.MIN_SIMILARITY`; not for rules whose
catalogue entry says `meaning_check = false`, U101: the original's foreign word is unreadable). Every candidate
tried is kept on the issue with its scores, so a reader sees why none was offered ("no safe
rewrite found"). Several issues on one sentence are also tried as one combined candidate under
the same guards. This stage never changes what is flagged, only what is suggested.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from mtqa.core import Candidate, Edit, Issue, Sentence, Span, Suggestion, apply_edits
from mtqa.detect.base import Context
from mtqa.rewrite import freeform, guard, meaning
from mtqa.rewrite.verify import MEASURES, MIN_GAIN, describe, lm_text
from mtqa.rules.catalogue import CATALOGUE
from mtqa.score.generator import Generator

# Rules whose catalogue entry says `fix_check = "rule"` are not put to the LM margin: deleting a web-chrome
# line or fixing a space or a capital changes no word, and deleting the extra copies of a repeated word (G105)
# or looped phrase (G108) keeps every word once while the LM cannot judge it: it predicts a copy from the copy
# before it, so the repetition scores higher than the fixed sentence (lift -5.1 for "Lockheed Martin Martin",
# -7 to -18 nats for "degree of degree of degree of", "be able to be able to be able to").
LIFT = MEASURES["lift"]


@dataclasses.dataclass
class _Tried:
    edits: tuple[Edit, ...]
    text: str
    gain: float
    lost: list[str]
    similarity: float | None = None


def _touches(edit: Edit, span: Span) -> bool:
    return edit.span.start <= span.end and span.start <= edit.span.end


def candidates_for(ctx: Context, issue: Issue) -> list[tuple[Edit, ...]]:
    """Return every candidate edit set the detector tried for `issue` (its suggestions first)."""
    out = [s.edits for s in issue.suggestions]
    offered = set(out)
    for index, origin, cands in ctx.attempts:
        if index != issue.sentence_index or origin != issue.code:
            continue
        normal = [tuple(sorted(c, key=lambda e: e.span)) for c in cands]
        if (offered and offered & set(normal)) or (
            not offered and any(_touches(e, issue.span) for c in normal for e in c)
        ):
            out.extend(normal)
    return list(dict.fromkeys(out))


def compose(edits: Sequence[Edit], text: str) -> tuple[Edit, ...] | None:
    """Merge edits of several rules into one non-overlapping set, or None if they conflict.

    Disjoint edits combine as they are; a one-word replacement inside a larger edit (a false friend
    inside a reordered phrase) is made inside that edit's replacement, if the word occurs there once.
    """
    out: list[Edit] = []
    for edit in sorted(set(edits), key=lambda e: (e.span.start, -e.span.end)):
        outer = next((o for o in out if o.span.overlaps(edit.span) or o.span == edit.span), None)
        if outer is None:
            out.append(edit)
            continue
        old = text[edit.span.start : edit.span.end]
        if not outer.span.contains(edit.span) or not old.strip() or not edit.replacement.strip():
            return None
        pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
        if len(pattern.findall(outer.replacement)) != 1:
            return None
        out[out.index(outer)] = Edit(outer.span, pattern.sub(edit.replacement, outer.replacement))
    out.sort(key=lambda e: e.span)
    if any(a.span.end > b.span.start for a, b in itertools.pairwise(out)):
        return None
    return tuple(out)


def _measure(
    ctx: Context,
    items: Sequence[tuple[Sentence, tuple[Edit, ...], list[Span]]],
    min_gain: float,
    *,
    similarity: bool = True,
) -> list[_Tried]:
    """Score (sentence, edit set, intended spans) items with the LM in one batch, and the keep-check;
    similarity (one encoder batch) for those still standing."""
    texts = [apply_edits(sentence.text, edits, sentence.span.start) for sentence, edits, _ in items]
    originals = {
        sentence.index: LIFT(
            ctx.token_scores[sentence.index]
            if len(ctx.token_scores) > sentence.index
            else ctx.score([lm_text(sentence.text)])[0]
        )
        for sentence, _, _ in items
    }
    scored = ctx.score([lm_text(t) for t in texts])
    tried = [
        _Tried(
            edits,
            text,
            round(LIFT(s) - originals[sentence.index], 4),
            guard.lost_words(sentence.text, sentence.span.start, edits, spans),
        )
        for (sentence, edits, spans), text, s in zip(items, texts, scored, strict=True)
    ]
    if similarity:
        _add_similarity([(sentence, t) for (sentence, _, _), t in zip(items, tried, strict=True)], min_gain)
    return tried


def _add_similarity(tried: Sequence[tuple[Sentence, _Tried]], min_gain: float) -> None:
    """Fill in the meaning check of every candidate still standing, in one encoder batch."""
    standing = [(sentence, t) for sentence, t in tried if t.gain >= min_gain and not t.lost]
    pairs = [(sentence.text, t.text) for sentence, t in standing]
    for (_, t), sim in zip(standing, meaning.similarities(pairs), strict=True):
        t.similarity = sim


def _meaning_checked(issue: Issue) -> bool:
    """Does the issue's rule put its rewrites to the meaning check? (Not U101: see Rule.meaning_check.)"""
    rule = CATALOGUE.get(issue.code)
    return rule is None or rule.meaning_check


def _verdict(t: _Tried, min_gain: float, min_similarity: float) -> str:
    if t.gain < min_gain:
        return "lm-margin"
    if t.lost:
        return "lost words: " + ", ".join(t.lost)
    if t.similarity is not None and t.similarity < min_similarity:
        return "meaning"
    return ""


def review(
    ctx: Context,
    issues: Sequence[Issue],
    *,
    min_gain: float = MIN_GAIN,
    min_similarity: float | None = None,
    generator: Generator | None = None,
    generate: int = 0,
) -> list[Issue]:
    """Return the issues with guarded suggestions, every tried candidate, and combined rewrites.

    With a `generator` and `generate` > 0, the model also writes that many rewrites of every flagged
    sentence (`_written`); they pass the same guards."""
    if ctx.scorer is None:
        return list(issues)
    min_similarity = meaning.MIN_SIMILARITY if min_similarity is None else min_similarity
    sentences = {s.index: s for s in ctx.sentences}
    out: list[Issue] = []
    best_for_combining: dict[int, list[tuple[int, _Tried, str]]] = {}
    measured: list[list[_Tried] | None] = []
    for issue in issues:
        rule = CATALOGUE.get(issue.code)
        sets = [] if rule is not None and rule.fix_check == "rule" else candidates_for(ctx, issue)
        sentence = sentences[issue.sentence_index]
        items = [(sentence, e, guard.intended_spans(issue.code, issue.span, e)) for e in sets]
        measured.append(_measure(ctx, items, min_gain, similarity=False) if sets else None)
    # The meaning check only decides what is offered: candidates the rule did not offer keep similarity None.
    _add_similarity(
        [
            (sentences[i.sentence_index], t)
            for i, m in zip(issues, measured, strict=True)
            for t in m or ()
            if t.edits in {s.edits for s in i.suggestions} and _meaning_checked(i)
        ],
        min_gain,
    )
    for issue, tried in zip(issues, measured, strict=True):
        if tried is None:
            out.append(issue)
            continue
        offered = {s.edits: s for s in issue.suggestions}
        candidates, suggestions = [], []
        for t in sorted(tried, key=lambda t: -t.gain):
            reason = _verdict(t, min_gain, min_similarity) or ("" if t.edits in offered else "not offered by the rule")
            candidates.append(Candidate(t.text, t.edits, t.gain, t.similarity, not reason, reason, issue.code))
            if not reason:
                s = offered[t.edits]
                suggestions.append(dataclasses.replace(s, lm_gain=t.gain, similarity=t.similarity))
        out.append(dataclasses.replace(issue, suggestions=tuple(suggestions), candidates=tuple(candidates)))
        keepers = [t for t in tried if not t.lost]
        if keepers and (issue.suggestions or all(t.gain < min_gain for t in tried)):
            best = max(keepers, key=lambda t: t.gain)
            title = offered[best.edits].title if best.edits in offered else describe(best.edits, ctx.document.text)
            best_for_combining.setdefault(issue.sentence_index, []).append((len(out) - 1, best, title))
    combos = [
        (sentences[index], parts)
        for index, parts in best_for_combining.items()
        if len({p[1].edits for p in parts}) >= 2
    ]
    _combine(ctx, out, combos, min_gain, min_similarity)
    if generator is not None and generate > 0:
        _written(ctx, out, generator, generate, min_gain, min_similarity)
    return out


def _combine(
    ctx: Context,
    out: list[Issue],
    combos: Sequence[tuple[Sentence, list[tuple[int, _Tried, str]]]],
    min_gain: float,
    min_similarity: float,
) -> None:
    """Try the edits of several issues of one sentence as one candidate; offer it where it wins.

    All sentences' combinations go through one LM batch and one encoder batch."""
    planned = []
    for sentence, parts in combos:
        edits = compose([e for _, t, _ in parts for e in t.edits], ctx.document.text)
        if edits is None:
            continue
        spans = [s for k, t, _ in parts for s in guard.intended_spans(out[k].code, out[k].span, t.edits)]
        planned.append((parts, (sentence, edits, spans)))
    measured = _measure(ctx, [item for _, item in planned], min_gain)
    for (parts, (_, edits, _)), tried in zip(planned, measured, strict=True):
        issues = [out[k] for k, _, _ in parts]
        # Offered first when it passes the guards: it resolves every issue it combines, which no single
        # rule's rewrite does, so the LM margin against the original is the fair test, not a race with them.
        reason = _verdict(tried, min_gain, min_similarity)
        origin = "+".join(dict.fromkeys(issue.code for issue in issues))
        candidate = Candidate(tried.text, edits, tried.gain, tried.similarity, not reason, reason, origin)
        titles = [title for _, _, title in parts]
        title = "; ".join([titles[0], *(t[:1].lower() + t[1:] for t in titles[1:])])
        suggestion = Suggestion(edits, title, origin, "unsafe", tried.gain, tried.similarity, tried.text)
        for k, _, _ in parts:
            issue = out[k]
            ranked = tuple(sorted((*issue.candidates, candidate), key=lambda c: -c.lm_gain))
            offered = (suggestion, *issue.suggestions) if not reason else issue.suggestions
            out[k] = dataclasses.replace(issue, suggestions=offered, candidates=ranked)


def _written(
    ctx: Context, out: list[Issue], generator: Generator, n: int, min_gain: float, min_similarity: float
) -> None:
    """Let the model write `n` rewrites of each flagged sentence and guard them like the rules' edits.

    The words inside the sentence's flagged spans may change; every other name, number and content word
    must stay. Written text has guards of its own on top (`freeform.refusal`). A written rewrite that
    passes is offered after the rules' suggestions (theirs change only what was flagged), or alone where
    no rule had a safe one."""
    owners: dict[int, list[int]] = {}
    for k, issue in enumerate(out):
        rule = CATALOGUE.get(issue.code)
        if rule is None or rule.fix_check != "rule":  # web chrome, spacing, repeats: nothing to write
            owners.setdefault(issue.sentence_index, []).append(k)
    if not owners:
        return
    sentences = {s.index: s for s in ctx.sentences}
    order = sorted(owners)
    written = generator.rewrite([lm_text(sentences[i].text) for i in order], n)
    items = []
    for index, outputs in zip(order, written, strict=True):
        sentence = sentences[index]
        spans = [out[k].span for k in owners[index]]
        texts = dict.fromkeys(t for o in outputs if (t := freeform.extract(o, sentence.text)) is not None)
        items += [(sentence, freeform.to_edits(sentence.text, sentence.span.start, t), spans) for t in texts]
    by_sentence: dict[int, list[_Tried]] = {}
    for (sentence, _, _), t in zip(items, _measure(ctx, items, min_gain), strict=True):
        by_sentence.setdefault(sentence.index, []).append(t)
    for index in order:
        mine = sorted(by_sentence.get(index, []), key=lambda t: -t.gain)
        original = sentences[index].text
        verdicts = [freeform.refusal(original, t.text) or _verdict(t, min_gain, min_similarity) for t in mine]
        candidates = [
            Candidate(t.text, t.edits, t.gain, t.similarity, not v, v, "generate")
            for t, v in zip(mine, verdicts, strict=True)
        ]
        offer: tuple[Suggestion, ...] = ()
        best = next((t for t, v in zip(mine, verdicts, strict=True) if not v), None)
        if best is not None:
            change = describe(best.edits, ctx.document.text)
            title = f"Rewrite by {generator.name}: {change[:1].lower()}{change[1:]}"
            offer = (Suggestion(best.edits, title, "generate", "unsafe", best.gain, best.similarity, best.text),)
        for k in owners[index]:
            issue = out[k]
            ranked = tuple(sorted((*issue.candidates, *candidates), key=lambda c: -c.lm_gain))
            out[k] = dataclasses.replace(issue, suggestions=(*issue.suggestions, *offer), candidates=ranked)
