"""M101: a false friend: the English look-alike of a source word where another word is meant.

"IS checked the area" (Dutch controleren = to control), "the actual situation" (actueel = current).
Pairs are data (`languages/<code>/false_friends.tsv`), each with a context pattern that must match
the sentence; the detector then swaps in the intended word and flags only when the language model
prefers the swap by a margin. Adding a pair adds no code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.rules import make_issue
from mtqa.text import words

LANGUAGES = Path(__file__).resolve().parent.parent / "languages"
# 1.0 nat of lift: the same margin as the other LM-verified rules (mtqa.rewrite.verify); re-tuned in issue 3.
MIN_GAIN = 1.0


@dataclass(frozen=True, slots=True)
class FalseFriend:
    """One source word, the English forms MT writes for it, and the forms meant."""

    source: str
    forms: dict[str, str]  # literal form -> intended form
    context: re.Pattern[str] | None


@functools.cache
def load_false_friends(code: str) -> tuple[FalseFriend, ...]:
    """Read the false-friend table of a language profile (empty if it has none)."""
    path = LANGUAGES / code / "false_friends.tsv"
    if not path.is_file():
        return ()
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        source, literal, intended = cols[0], cols[1].split(","), cols[2].split(",")
        if len(literal) != len(intended):
            raise ValueError(f"{path}: {source}: literal and intended forms do not align")
        context = re.compile(cols[3], re.I) if len(cols) > 3 and cols[3].strip() else None
        out.append(FalseFriend(source, dict(zip(literal, intended, strict=True)), context))
    return tuple(out)


def _match_case(template: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if template[:1].isupper() else replacement


class FalseFriendDetector:
    """Flag LM-confirmed false friends with M101."""

    name = "falsefriend"
    needs_lm = True

    def _proposals(self, ctx: Context) -> list[tuple[Sentence, Span, str, FalseFriend, str]]:
        table = load_false_friends(ctx.profile.code)
        out = []
        for sentence in ctx.sentences:
            for word in words(sentence.text):
                lower = word.text.lower()
                for friend in table:
                    if lower not in friend.forms or (friend.context and not friend.context.search(sentence.text)):
                        continue
                    span = Span(sentence.span.start + word.start, sentence.span.start + word.end)
                    out.append((sentence, span, word.text, friend, _match_case(word.text, friend.forms[lower])))
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [
            t
            for sentence, span, _, _, intended in self._proposals(ctx)
            for t in candidate_texts(sentence, [(Edit(span, intended),)])
        ]

    def detect(self, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        for sentence, span, word, friend, intended in self._proposals(ctx):
            suggestion = best_rewrite(ctx, sentence, [(Edit(span, intended),)], origin="M101", min_gain=MIN_GAIN)
            if suggestion is None:
                continue
            issues.append(
                make_issue(
                    "M101",
                    span=span,
                    sentence_index=sentence.index,
                    fields={
                        "word": word,
                        "intended": intended,
                        "source": friend.source,
                        "language": ctx.profile.name,
                    },
                    confidence=min(1.0, 0.5 + (suggestion.lm_gain or 0) / 10),
                    evidence={"lm_gain": suggestion.lm_gain or 0.0},
                    suggestions=(suggestion,),
                )
            )
        return issues
