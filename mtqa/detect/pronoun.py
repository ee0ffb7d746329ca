"""G106: a personal pronoun in the wrong case ("him predicts", "they way", "its has", "herself cell phone").

Dutch and German pronouns are ambiguous where English ones are not (nl `hun` = their/them, de
`ihr` = her/their/you, `sein` = his/its), and MT picks the wrong English form. A pronoun is a suspect
only when its form clashes with the next word's part of speech: a subject or object form before a
noun or adjective ("he obsession"), an object, possessive or reflexive form before a finite verb
("them are", "his added"), a possessive before punctuation ("thanks to my,"). For each suspect the
other forms of the same person are tried, and the issue stands only when the LM prefers one by a
clear margin (`MIN_GAIN` nats of lift), so "we Europeans", "what they told him was" and "the
president himself has said" survive. The paradigm is data (`mtqa/rules/pronouns.toml`).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context, verified_edit_issue
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.tag import Token

PARADIGM_FILE = Path(__file__).resolve().parent.parent / "rules" / "pronouns.toml"
# Lift margin, in nats. Chosen on DEMETR dev (207 pronoun-case perturbations, type 15) and 2,505 clean
# sentences (NTREX English, WMT21 reference B, DEMETR dev references and MT), before the he/she + -s
# exception in `suspect`: 56 % of the perturbed sentences had a suspect; margins 0.5-2.0 confirmed the
# same 54 %, 3.0 51 %, 5.0 47 %. One clean sentence cleared 2.0 ("everybody she names"), which that
# exception now spares (benchmarks/clean_false_flags.py: no G106 in its 2,005 sentences); 2.0 leaves
# room above the scorer's bf16 noise (~0.1 nat) at no cost in recall.
MIN_GAIN = 2.0
FINITE = frozenset({"VBZ", "VBD", "VBP", "MD"})
NOMINAL = frozenset({"NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS"})
CLOSING = frozenset({",", ".", ";", ":", "!", "?"})
NOUNS = frozenset({"NN", "NNS", "NNP", "NNPS", "CD"})
# what may stand between a determiner and its noun ("his very old car", "their own, larger house")
MODIFIERS = frozenset({"JJ", "JJR", "JJS", "RB", "RBR", "RBS", "VBN", "VBG", "CC", ",", "HYPH"})
# Modals that are also nouns: after a possessive they are the noun ("let your will be done", "with all his might").
NOUN_MODALS = frozenset({"will", "might", "must", "can"})
THIRD_SINGULAR = frozenset({"he", "she", "it"})


@dataclass(frozen=True, slots=True)
class Form:
    person: str  # "he", "she", ...: the paradigm row
    role: str  # subject | object | possessive | independent | reflexive


@functools.cache
def _rows() -> dict[str, dict[str, str]]:
    """person -> role -> word, as `mtqa/rules/pronouns.toml` lists them (read once)."""
    return tomllib.loads(PARADIGM_FILE.read_text(encoding="utf-8"))["person"]


@functools.cache
def paradigm() -> dict[str, tuple[Form, ...]]:
    """word (lowercase) -> every (person, role) it can be; 'her' is object and possessive."""
    out: dict[str, list[Form]] = {}
    for person, roles in _rows().items():
        for role, word in roles.items():
            out.setdefault(word, []).append(Form(person, role))
    return {w: tuple(f) for w, f in out.items()}


def noun_ahead(tokens: list[Token], i: int) -> bool:
    """True if a noun follows tokens[i], directly or after modifiers ("his very old car")."""
    following = next((t for t in tokens[i + 1 :] if t.tag not in MODIFIERS), None)
    return following is not None and following.tag in NOUNS


def suspect(word: str, following: Token | None, preceding: Token | None = None, *, noun_next: bool = True) -> bool:
    """True when no reading of `word` fits between `preceding` and `following` (their tags, or punctuation).

    Before an adjective a subject or reflexive form is a suspect only when a noun comes after it
    (`noun_next`: "they new car"); an adjective that ends the phrase is the pronoun's complement
    ("found himself unable", "on himself stupid" is no place for "his").

    Object forms before a noun are left alone ("gave him money"), and so are forms that can be objects
    before an adjective ("make it clear"); independent possessives may start a clause ("theirs is"). An
    object form right after a preposition is that preposition's object, whatever verb follows ("the
    text written in them is ...": the verb belongs to "the text"); a possessive before "will" or
    "might" owns the noun the tagger read as a modal ("let your will be done").
    """
    forms = paradigm().get(word.lower())
    if not forms or following is None:
        return False
    roles = {f.role for f in forms}
    tag = following.tag
    if tag in NOMINAL and following.text[:1].islower():
        # "he obsession", "themselves businesses"; but after he/she a word in -s is likelier a verb
        # the tagger misread ("everybody she names") than a noun.
        third = {f.person for f in forms} <= THIRD_SINGULAR and following.text.endswith("s")
        complement = tag not in NOUNS and not noun_next
        return roles <= {"subject", "reflexive"} and not third and not complement
    if tag in FINITE:
        if tag == "MD" and "possessive" in roles and following.text.lower() in NOUN_MODALS:
            return False
        if "object" in roles and preceding is not None and preceding.tag in {"IN", "TO"}:
            return False
        return "subject" not in roles and roles != {"independent"}  # "him predicts", "its has", "his added"
    if following.text in CLOSING:
        return roles == {"possessive"}  # "thanks to my,"
    return False


def alternatives(word: str) -> list[str]:
    """The other forms of the same person(s), in the word's capitalisation."""
    out: list[str] = []
    for form in paradigm().get(word.lower(), ()):
        for other in _rows()[form.person].values():
            if other != word.lower() and other not in out:
                out.append(other)
    capital = word[:1].isupper() and word != "I"
    return ["I" if w == "i" else (w[:1].upper() + w[1:] if capital else w) for w in out]


def suspect_at(word: str, tokens: list[Token], i: int) -> bool:
    """`suspect` for `word` standing in the place of tokens[i] (what comes before and after it there)."""
    following = tokens[i + 1] if i + 1 < len(tokens) else None
    preceding = tokens[i - 1] if i else None
    return suspect(word, following, preceding, noun_next=noun_ahead(tokens, i))


def fitting(tokens: list[Token], i: int) -> list[str]:
    """The other forms of tokens[i] that are no suspects in its place ("him predicts" -> "he", not "his")."""
    return [w for w in alternatives(tokens[i].text) if not suspect_at(w, tokens, i)]


class PronounCaseDetector:
    """Flag pronouns in the wrong case with G106, confirmed by the LM."""

    name = "pronoun"
    needs_lm = True
    needs_tags = True

    def _proposals(self, ctx: Context) -> list[tuple[Sentence, Token, list[tuple[Edit, ...]]]]:
        out = []
        for sentence, tokens in zip(ctx.sentences, ctx.tags):
            base = sentence.span.start
            for i, tok in enumerate(tokens):
                if not suspect_at(tok.text, tokens, i):
                    continue
                span = Span(base + tok.start, base + tok.end)
                out.append((sentence, tok, [(Edit(span, w),) for w in fitting(tokens, i)]))
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for sentence, _, cands in self._proposals(ctx) for t in candidate_texts(sentence, cands)]

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for sentence, tok, cands in self._proposals(ctx):
            suggestion = best_rewrite(ctx, sentence, cands, origin="G106", min_gain=MIN_GAIN)
            if suggestion is None:
                continue
            fields = {"word": tok.text}
            issues.append(verified_edit_issue("G106", sentence, suggestion, fields, base=0.6, per_nat=1 / 20))
        return issues
