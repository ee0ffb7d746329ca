"""The detector interface and the context every detector reads.

A detector looks at the document (and, if it needs them, LM scores or the scorer for
verification) and returns `Issue`s built through the rule catalogue. Detectors never print
and never change the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from mtqa.core import Edit, Issue, Sentence, Suggestion
from mtqa.document import Document
from mtqa.languages import LanguageProfile
from mtqa.score.base import Scorer, TokenScores
from mtqa.score.metrics import Fluency
from mtqa.tag import Token


@dataclass
class Context:
    """What detectors may read: the document, its sentences, the profile, and LM evidence."""

    document: Document
    sentences: Sequence[Sentence]
    profile: LanguageProfile
    scorer: Scorer | None = None
    token_scores: Sequence[TokenScores] = ()
    fluency: Sequence[Fluency] = ()
    tags: Sequence[list[Token]] = ()
    allow_words: frozenset[str] = field(default_factory=frozenset)
    thresholds: dict[str, float] = field(default_factory=dict)  # config overrides of rules/thresholds.toml
    thorough: bool = False  # --thorough: detectors may try every candidate instead of the likely ones
    # results one detector computes and another reuses (the damage model's scores), computed once per document
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    # every candidate set a detector asked the verifier about: (sentence index, rule code, candidates)
    attempts: list[tuple[int, str, tuple[tuple[Edit, ...], ...]]] = field(default_factory=list)
    _cache: dict[str, TokenScores] = field(default_factory=dict, repr=False)

    def score(self, texts: Sequence[str]) -> list[TokenScores]:
        """Score texts with the LM, memoised, so rewrite candidates of a document share one batch."""
        if self.scorer is None:
            raise RuntimeError("no language model in this context")
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            self._cache.update(zip(missing, self.scorer.token_logprobs(missing), strict=True))
        return [self._cache[t] for t in texts]


class Detector(Protocol):
    """One detector: a name and a `detect` method.

    Detectors that verify rewrites with the LM may also define `candidate_texts(ctx) -> list[str]`;
    the pipeline scores all of them in one batch before `detect` runs. Optional flags the pipeline reads:
    `needs_tags`, `needs_model` (runs a neural model of its own, so `--no-lm` skips it) and `reads_damage`
    (reads the damage model's scores, so the report's signature names that model).
    """

    name: str
    needs_lm: bool

    def detect(self, ctx: Context) -> list[Issue]: ...


def verified_edit_issue(
    code: str, sentence: Sentence, suggestion: Suggestion, fields: dict[str, object], *, base: float, per_nat: float
) -> Issue:
    """The issue for a one-edit rewrite the LM verified: flagged at the edit, confidence rising with its gain."""
    from mtqa.rules import make_issue

    (edit,) = suggestion.edits
    gain = suggestion.lm_gain or 0.0
    return make_issue(
        code,
        span=edit.span,
        sentence_index=sentence.index,
        fields={**fields, "fix": edit.replacement},
        confidence=min(1.0, base + gain * per_nat),
        evidence={"lm_gain": gain},
        suggestions=(suggestion,),
    )
