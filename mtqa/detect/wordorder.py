"""W101: the finite verb comes before its subject after a fronted phrase (Dutch/German verb-second).

"Also warned the SDF-commander of ..." / "At the height checked IS in ..." / "With the fall of
this stronghold comes to an end the so-called caliphate." In these languages the finite verb
takes the second place whatever comes first; English keeps subject-verb order. The detector
finds a fronted adverb or prepositional phrase (no comma, no verb inside), a finite verb right
after it, and a noun phrase after the verb; it builds the subject-first reorderings and flags
only when the language model prefers one of them by a clear margin (grammatical English
inversions such as "Among them were ..." or "Only then did ..." are spared by rule, and the LM
margin catches the rest). Needs part-of-speech tags (mtqa.tag).
"""

from __future__ import annotations

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.detect.chunk import join
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.rules import make_issue
from mtqa.tag import Token

FINITE = frozenset({"VBD", "VBZ", "VBP"})
# Auxiliary and copula inversion is grammatical English ("Only then did he", "Among them were").
AUXILIARIES = frozenset(
    "is are was were be am has have had do does did can could will would shall should may might must".split()
)
NP_START = frozenset({"DT", "PRP$", "NNP", "NNPS", "NN", "NNS", "CD", "PRP", "EX", "JJ", "PDT"})
NP_INNER = frozenset({"NNP", "NNPS", "NN", "NNS", "JJ", "JJS", "JJR", "CD", "HYPH", "VBN", "POS", "RB"})
NP_HEAD = frozenset({"NNP", "NNPS", "NN", "NNS", "CD", "PRP", "EX"})
FRONT_START = frozenset({"IN", "RB", "RBR", "RBS"})
FRONT_INNER = frozenset({"IN", "DT", "PRP$", "NN", "NNS", "NNP", "NNPS", "JJ", "JJS", "JJR", "CD", "HYPH", "POS", "TO"})
MAX_FRONT = 8
TIME_WORDS = frozenset({"yesterday", "today", "tomorrow", "tonight"})  # tagged NN, but fronted like adverbs
# Subordinating conjunctions open a clause with its own subject ("As China becomes ..."), not a fronted phrase.
SUBORDINATORS = frozenset(
    "as if while since when whenever although though because once until unless whether that even whereas so "
    "where than like".split()
)
# 1.0 nat of total log-prob (a reordering keeps the words, so totals compare directly). On 2,005 clean
# human sentences (NTREX en dev, WMT21 ref-B dev, DEMETR ref) 37 matched the pattern and the best
# reordering's gain was negative for all of them (max -1.96); the seed's inversions gain 1.3-10.5.
MIN_GAIN = 1.0


def _is_np_start(tok: Token) -> bool:
    return tok.tag in NP_START or (tok.text[:1].isupper() and tok.text.isalpha())


def _np_end(tokens: list[Token], start: int) -> int:
    """Return the index after a maximal noun-phrase chunk starting at `start`."""
    end = start + 1
    if tokens[start].tag in {"PRP", "EX"}:
        return end
    while end < len(tokens) and (tokens[end].tag in NP_INNER or tokens[end].text[:1].isupper()):
        if tokens[end].tag in {"RB"} and end + 1 < len(tokens) and tokens[end + 1].tag != "HYPH":
            break
        end += 1
    while end > start + 1 and tokens[end - 1].tag not in NP_HEAD and not tokens[end - 1].text[:1].isupper():
        end -= 1
    return end


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def candidates(tokens: list[Token]) -> list[tuple[int, int, str]]:
    """Return (start_char, end_char, replacement) reorderings of the sentence's opening."""
    first = tokens[0].text.lower() if tokens else ""
    if len(tokens) < 4 or first in SUBORDINATORS or (tokens[0].tag not in FRONT_START and first not in TIME_WORDS):
        return []
    verb = next((i for i in range(1, min(len(tokens), MAX_FRONT + 1)) if tokens[i].tag in FINITE), None)
    if verb is None or tokens[verb].text.lower() in AUXILIARIES:
        return []
    if any(t.tag not in FRONT_INNER and t.tag not in FRONT_START for t in tokens[1:verb]):
        return []  # a comma, verb or clause inside: not a simple fronted phrase
    front = tokens[:verb]
    out: list[tuple[int, int, str]] = []
    starts: list[int] = []
    j = verb + 1
    while j < min(len(tokens), verb + 6) and len(starts) < 2:
        if _is_np_start(tokens[j]):
            starts.append(j)
            j = _np_end(tokens, j)
        else:
            j += 1
    for subj_start in starts:
        subj_end = _np_end(tokens, subj_start)
        if subj_end <= subj_start or tokens[subj_end - 1].tag in {"DT", "JJ"}:
            continue
        verb_group = join(tokens[verb:subj_start])
        subject = join(tokens[subj_start:subj_end])
        span_end = tokens[subj_end - 1].end
        if len(front) == 1 and (tokens[0].tag.startswith("RB") or first in TIME_WORDS):
            adverb = _lower_first(tokens[0].text)
            out.append((0, span_end, f"{_capitalise(subject)} {adverb} {verb_group}"))
            out.append((0, span_end, f"{join(front)} {_lower_first(subject)} {verb_group}"))
        else:
            out.append((0, span_end, f"{join(front)}, {subject} {verb_group}"))
            out.append((0, span_end, f"{join(front)} {subject} {verb_group}"))
    return out


class WordOrderDetector:
    """Flag verb-before-subject order after a fronted phrase with W101, verified by the LM."""

    name = "wordorder"
    needs_lm = True
    needs_tags = True

    def _proposals(self, ctx: Context) -> list[tuple[Sentence, list[Token], list[tuple[Edit, ...]]]]:
        out = []
        for sentence, tokens in zip(ctx.sentences, ctx.tags):
            base = sentence.span.start
            found = candidates(tokens)
            if found:
                out.append((sentence, tokens, [(Edit(Span(base + s, base + e), text),) for s, e, text in found]))
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for sentence, _, edits in self._proposals(ctx) for t in candidate_texts(sentence, edits)]

    def detect(self, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        for sentence, tokens, edits in self._proposals(ctx):
            base = sentence.span.start
            suggestion = best_rewrite(
                ctx, sentence, edits, origin="W101", min_gain=MIN_GAIN, measure="total", title="Put the subject first"
            )
            if suggestion is None:
                continue
            verb = next(t for t in tokens[1:] if t.tag in FINITE)
            edit = suggestion.edits[0]
            issues.append(
                make_issue(
                    "W101",
                    span=edit.span,
                    sentence_index=sentence.index,
                    fields={"verb": verb.text, "front": ctx.document.text[edit.span.start : base + verb.start].strip()},
                    confidence=min(1.0, 0.6 + (suggestion.lm_gain or 0) / 20),
                    evidence={"lm_gain": suggestion.lm_gain or 0.0},
                    suggestions=(suggestion,),
                )
            )
        return issues
