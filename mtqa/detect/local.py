"""Rules that change one place of a sentence (W103 swaps, G110 word forms, G111 prepositions), flagged alike.

Each rule proposes candidates per sentence; the LM picks each sentence's best on a window
(`mtqa/rewrite/window.py`), which is flagged when it also wins over the whole sentence by the rule's
margin, and offered as a fix from the rule's fix gain (below it the flag stands alone and the verifier
records "no safe rewrite found").
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from mtqa.core import Edit, Issue, Sentence, Span, apply_edits
from mtqa.detect.base import Context, verified_edit_issue
from mtqa.rewrite.verify import as_suggestion
from mtqa.rewrite.window import Local, best_gains
from mtqa.score.base import TokenScores
from mtqa.score.metrics import word_surprisals
from mtqa.text import Word, words

L = TypeVar("L", bound=Local)


@dataclass(frozen=True)
class Substitute:
    """One word put in another's place, judged up to `cut` (an offset in the original sentence)."""

    edits: tuple[Edit, ...]
    word: str
    cut: int


def substitutes(sentence: Sentence, picks: Sequence[tuple[Word, Sequence[str]]], window: int) -> list[Substitute]:
    """Each replacement of each picked word (offsets in the sentence), read up to `window` words past it."""
    ws = words(sentence.text)
    index = {w.start: i for i, w in enumerate(ws)}
    base = sentence.span.start
    out = []
    for word, replacements in picks:
        cut = ws[min(len(ws) - 1, index[word.start] + window)].end
        span = Span(base + word.start, base + word.end)
        out.extend(Substitute((Edit(span, r),), word.text, cut) for r in replacements)
    return out


def flag_best(
    ctx: Context,
    options: Sequence[Sequence[L]],
    code: str,
    *,
    margin: float,
    fix_gain: float,
    fields: Callable[[L], dict[str, object]],
) -> list[Issue]:
    """One issue per sentence whose best candidate beats the original by `margin` nats, in its window and
    over the whole sentence; a suggestion only from `fix_gain`."""
    issues = []
    for sentence, (gain, pick) in zip(ctx.sentences, best_gains(ctx, options, code, floor=margin), strict=True):
        if pick is None or gain < margin:
            continue
        text = apply_edits(sentence.text, pick.edits, sentence.span.start)
        suggestion = as_suggestion(ctx, pick.edits, origin=code, gain=gain, text=text)
        issue = verified_edit_issue(code, sentence, suggestion, fields(pick), base=0.5, per_nat=1 / 40)
        issues.append(issue if gain >= fix_gain else dataclasses.replace(issue, suggestions=()))
    return issues


def most_surprising(scores: TokenScores, top: int, floor: float, keep: Callable[[int, Word], bool]) -> list[Word]:
    """The `top` most surprising words of a scored sentence, of at least `floor` nats, that `keep`
    (the word's index in the sentence, the word) accepts."""
    ranked = [(s, w) for i, (w, s) in enumerate(word_surprisals(scores)) if s >= floor and keep(i, w)]
    return [w for _, w in sorted(ranked, key=lambda item: -item[0])[:top]]


class SubstitutionDetector:
    """A rule that puts other words in the place of the most surprising words of a kind (G110, G111).

    A subclass names its rule, says which words may be suspects (`keep`) and what to try in their place
    (`replacements`); the LM reads each candidate `window` words past the word, and flagging is `flag_best`'s."""

    name = ""
    code = ""
    needs_lm = True
    top = 1  # suspects per sentence
    min_surprisal = 0.0  # nats
    window = 1  # words
    margin = 0.0
    # Never offered as a fix; the message names the LM's pick as a hint. On DEMETR the picks restore the
    # unperturbed sentence in most flagged items (G110: 83 of 86 POS shifts, G111: 40 of 54 function-word
    # changes), but on real MT (MLQE-PE dev, benchmarks/rewrite_mlqe.py) the picks of G110 and G111 as
    # fixes moved 20 of 43 changed sentences further from the human post-edit and 4 closer ('the press
    # mentioned' -> 'the presents mentioned', 'universe city' -> 'universal city'), at every gain up to
    # 16 nats, so no margin made them safe.
    fix_gain = math.inf

    def keep(self, index: int, word: Word) -> bool:
        raise NotImplementedError

    def replacements(self, word: str) -> Sequence[str]:
        raise NotImplementedError

    def suspects(self, scores: TokenScores) -> list[Word]:
        """The words of a scored sentence to try others in place of."""
        return most_surprising(scores, self.top, self.min_surprisal, self.keep)

    def tries(self, sentence: Sentence, scores: TokenScores) -> list[Substitute]:
        """Every replacement of every suspect of `sentence`."""
        return substitutes(sentence, [(w, self.replacements(w.text)) for w in self.suspects(scores)], self.window)

    def options(self, ctx: Context) -> list[list[Substitute]]:
        """Each sentence's substitutes to try."""
        return [self.tries(s, scores) for s, scores in zip(ctx.sentences, ctx.token_scores, strict=True)]

    def detect(self, ctx: Context) -> list[Issue]:
        return flag_best(
            ctx, self.options(ctx), self.code, margin=self.margin, fix_gain=self.fix_gain, fields=_replaced_word
        )


def _replaced_word(pick: Substitute) -> dict[str, object]:
    return {"word": pick.word}
