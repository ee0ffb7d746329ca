"""G109: 'a' or 'an' before the wrong sound ("an year", "a annual", "an one-off").

English picks the article by the sound of the next word, not its letter: 'an hour', 'a university',
'an F-16', 'a U-turn'. Machine translation and post-editing break it when a word is replaced and the
article is not (DEMETR's function-word perturbation is 40 % a/an swaps). Spelling decides, corrected
by the prefixes in `rules/article_sounds.toml`; acronyms ('an FBI agent' but 'a NATO summit') and
words written both ways ('an historic') are left alone, and so is a capital 'A' inside a sentence
('Plan A in'). Every flag is confirmed by the LM: the other article must read better by MIN_GAIN,
so a foreign phrase ('Frankfurt an der Oder') is not "corrected".
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.rules import make_issue

SOUNDS_FILE = Path(__file__).resolve().parent.parent / "rules" / "article_sounds.toml"
# 'a'/'an' as a word, then spaces and the next word (letters first: "an 8-year-old" is skipped).
ARTICLE = re.compile(r"(?<![\w'’-])(an|a|An|A)\s+([^\W\d_][\w'’-]*)")
LETTER_AND_NUMBER = re.compile(r"[A-Z]\d\w*")  # 'M1', 'F16', 'A4': the letter is read by its name
OPENERS = " \t\n\"“‘'(«-–—"  # what may stand before a sentence's first word
# 1.0 nat of total log-prob: only the article changes, so totals compare directly (as W101).
MIN_GAIN = 1.0


@dataclass(frozen=True)
class Sounds:
    """How words start to the ear, beyond their spelling (rules/article_sounds.toml)."""

    consonant: tuple[str, ...]  # vowel letters with a consonant sound: 'university', 'one'
    vowel: tuple[str, ...]  # consonant letters with a vowel sound: 'hour', 'honest'
    either: tuple[str, ...]  # written with both articles: 'historic'
    vowel_letters: str  # letters whose name starts with a vowel sound: 'F', 'M', 'X'


@functools.cache
def sounds() -> Sounds:
    """The sound exceptions of rules/article_sounds.toml."""
    data = tomllib.loads(SOUNDS_FILE.read_text(encoding="utf-8"))["sounds"]
    return Sounds(tuple(data["consonant"]), tuple(data["vowel"]), tuple(data["either"]), data["vowel_letters"])


def expected_article(word: str) -> str | None:
    """'a' or 'an' for the sound `word` starts with, or None where English allows both or we cannot tell."""
    known = sounds()
    first = word.split("-")[0]
    if len(first) == 1 or LETTER_AND_NUMBER.fullmatch(first):
        return "an" if first[0].lower() in known.vowel_letters else "a"  # a letter's name: 'an M1', 'a B52'
    if sum(c.isupper() for c in word) >= 2:
        return None  # an acronym or a name like 'McCain': letters or a word, we cannot tell
    low = word.lower()
    if low.startswith(known.either):
        return None
    if low[0] in "aeiou":
        return "a" if low.startswith(known.consonant) else "an"
    return "an" if low.startswith(known.vowel) else "a"


def misused(text: str) -> list[tuple[int, int, str]]:
    """(start, end, right article) of each article that does not fit the next word's sound."""
    out = []
    for match in ARTICLE.finditer(text):
        article, word = match.group(1), match.group(2)
        if article[0].isupper() and text[: match.start()].strip(OPENERS):
            continue  # a capital 'A' inside the sentence is a letter ('Plan A in', 'Vitamin A')
        right = expected_article(word)
        if right is None or right == article.lower():
            continue
        cased = right.capitalize() if article[0].isupper() else right
        out.append((match.start(1), match.end(1), cased))
    return out


class ArticleDetector:
    """Flag 'a'/'an' before the wrong sound with G109, confirmed by the LM."""

    name = "article"
    needs_lm = True

    def _proposals(self, ctx: Context) -> list[tuple[Sentence, Edit]]:
        return [
            (sentence, Edit(Span(sentence.span.start + start, sentence.span.start + end), right))
            for sentence in ctx.sentences
            for start, end, right in misused(sentence.text)
        ]

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for sentence, edit in self._proposals(ctx) for t in candidate_texts(sentence, [(edit,)])]

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for sentence, edit in self._proposals(ctx):
            suggestion = best_rewrite(ctx, sentence, [(edit,)], origin="G109", min_gain=MIN_GAIN, measure="total")
            if suggestion is None:
                continue
            old = ctx.document.text[edit.span.start : edit.span.end]
            issues.append(
                make_issue(
                    "G109",
                    span=edit.span,
                    sentence_index=sentence.index,
                    fields={"article": old, "fix": edit.replacement},
                    confidence=min(1.0, 0.6 + (suggestion.lm_gain or 0) / 20),
                    evidence={"lm_gain": suggestion.lm_gain or 0.0},
                    suggestions=(suggestion,),
                )
            )
        return issues
