"""Judge a one-place edit on a stretch of its sentence, then confirm the best one on the whole sentence.

A swapped word pair (W103), a word in the wrong form (G110) or a wrong preposition (G111) changes the
sentence in one place, and what the change does to the LM shows at that place and the word or two after
it. Scoring every candidate only up to a cut (the end of the stretch) saves most of the LM work; the best
candidate of a sentence is then scored whole, so that the rest of the sentence must not object to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from mtqa.core import Edit, Sentence, apply_edits
from mtqa.detect.base import Context
from mtqa.rewrite.verify import lm_text


class Local(Protocol):
    """A candidate judged locally: its edits, and where the LM stops reading (`cut`, an offset in the
    original sentence at or after the last edit)."""

    @property
    def edits(self) -> tuple[Edit, ...]: ...

    @property
    def cut(self) -> int: ...


T = TypeVar("T", bound=Local)


def window(sentence: Sentence, local: Local) -> str:
    """What the LM reads to judge `local`: the edited sentence up to the cut (moved by what the edits
    add or take away before it)."""
    base = sentence.span.start
    shift = sum(len(e.replacement) - (e.span.end - e.span.start) for e in local.edits if e.span.end - base <= local.cut)
    return lm_text(apply_edits(sentence.text, local.edits, base)[: local.cut + shift])


def gains(ctx: Context, sentence: Sentence, tried: Sequence[Local], texts: Sequence[str]) -> list[float]:
    """Each candidate's log-prob gain (nats) over the same stretch of the original sentence (`texts`: their
    windows)."""
    own = ctx.token_scores[sentence.index]
    return [
        new.total - sum(lp for (_, end), lp in zip(own.offsets, own.logprobs, strict=True) if end <= t.cut)
        for new, t in zip(ctx.score(texts), tried, strict=True)
    ]


def best_in_window(ctx: Context, tried: Sequence[Sequence[T]], code: str) -> list[tuple[float, T | None]]:
    """Per sentence, the candidate with the highest gain in its window (recorded as rule `code`'s attempts);
    (-inf, None) where there is none."""
    windows = [[window(s, t) for t in options] for s, options in zip(ctx.sentences, tried, strict=True)]
    ctx.score([text for texts in windows for text in texts])  # the whole document in one LM batch
    out: list[tuple[float, T | None]] = []
    for sentence, options, texts in zip(ctx.sentences, tried, windows, strict=True):
        if not options:
            out.append((float("-inf"), None))
            continue
        ctx.attempts.append((sentence.index, code, tuple(t.edits for t in options)))
        out.append(max(zip(gains(ctx, sentence, options, texts), options, strict=True), key=lambda item: item[0]))
    return out


def whole_gains(ctx: Context, picks: Sequence[tuple[Sentence, Local]]) -> list[float]:
    """The gain of each picked candidate over the whole sentence, in one LM batch."""
    texts = [lm_text(apply_edits(s.text, t.edits, s.span.start)) for s, t in picks]
    return [new.total - ctx.token_scores[s.index].total for new, (s, _) in zip(ctx.score(texts), picks, strict=True)]


def best_gains(
    ctx: Context, tried: Sequence[Sequence[T]], code: str, floor: float = float("-inf")
) -> list[tuple[float, T | None]]:
    """Per sentence, its best candidate and the gain a margin is held against: the lower of its window gain
    and its whole-sentence gain. A pick whose window gain is under `floor` is not scored whole (its window
    gain, already under the floor, stands); (-inf, None) where there is no candidate."""
    picks = best_in_window(ctx, tried, code)
    chosen = [(s, pick) for s, (gain, pick) in zip(ctx.sentences, picks, strict=True) if pick and gain >= floor]
    whole = dict(zip((s.index for s, _ in chosen), whole_gains(ctx, chosen), strict=True))
    return [(min(gain, whole.get(s.index, gain)), pick) for s, (gain, pick) in zip(ctx.sentences, picks, strict=True)]
