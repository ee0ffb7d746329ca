"""Core value types shared by every stage: spans, severities, issues, edits, suggestions.

Everything here is a small frozen dataclass with character offsets into the decoded input
(end exclusive). This module imports nothing from mtqa, so any stage may depend on it.
"""

from __future__ import annotations

import bisect
import enum
import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """MQM-style severity; the integer order is what `--fail-on` compares."""

    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        """Return the severity called `name` (case-insensitive)."""
        try:
            return cls[name.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {name!r}; choose one of: {choices}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open character range [start, end) into the document text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def shift(self, offset: int) -> Span:
        """Return the span moved by `offset` characters."""
        return Span(self.start + offset, self.end + offset)

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its index in the document, its span and its exact text."""

    index: int
    span: Span
    text: str
    paragraph: int = 0
    kind: str = "prose"  # prose | heading | list-item


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text at `span` (document offsets) with `replacement`; "" deletes."""

    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A verified rewrite: sorted, non-overlapping edits plus the evidence for them."""

    edits: tuple[Edit, ...]
    title: str
    origin: str  # rule code that proposed it
    applicability: str = "unsafe"  # safe | unsafe | display-only
    lm_gain: float | None = None  # nats per word the LM prefers the rewrite by
    similarity: float | None = None
    text: str = ""  # the sentence after the edits

    def __post_init__(self) -> None:
        spans = [e.span for e in self.edits]
        if spans != sorted(spans) or any(a.end > b.start for a, b in itertools.pairwise(spans)):
            raise ValueError("suggestion edits must be sorted and non-overlapping")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One rewrite the verifier tried for an issue, with the measurements that accepted or refused it."""

    text: str  # the sentence after the edits
    edits: tuple[Edit, ...]
    lm_gain: float  # nats of lift the LM prefers it by (negative: the original reads better)
    similarity: float | None  # cosine of sentence embeddings with the original; None if not measured
    accepted: bool
    reason: str = ""  # why it was refused: "lm-margin", "lost words: ...", "meaning"
    origin: str = ""  # rule code(s) whose edits it combines, e.g. "W101+M101"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: a rule code, where it is, how bad it is, and the numbers behind it."""

    code: str
    name: str
    category: str
    severity: Severity
    confidence: float
    span: Span
    sentence_index: int
    message: str
    evidence: Mapping[str, float] = field(default_factory=dict)
    suggestions: tuple[Suggestion, ...] = ()
    waiver: str = ""  # why it cannot fail the check: "" (it can), "baseline", "unchanged" (outside --diff)
    candidates: tuple[Candidate, ...] = ()  # every rewrite tried, best first; empty if none was proposed

    @property
    def rewrite_status(self) -> str:
        """'offered', 'no safe rewrite found' (candidates all refused) or 'none proposed'."""
        if self.suggestions:
            return "offered"
        return "no safe rewrite found" if self.candidates else "none proposed"


def apply_edits(text: str, edits: tuple[Edit, ...] | list[Edit], offset: int = 0) -> str:
    """Apply sorted, non-overlapping edits to `text`, whose first character is at `offset`."""
    out: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: e.span):
        start, end = edit.span.start - offset, edit.span.end - offset
        if start < pos or end > len(text):
            raise ValueError("edits overlap or fall outside the text")
        out.append(text[pos:start])
        out.append(edit.replacement)
        pos = end
    out.append(text[pos:])
    return "".join(out)


# html.unescape's own pattern, so a walk over raw markup reproduces its output piece by piece
CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


def map_offset(offset: int, offset_map: tuple[int, ...] | None) -> int:
    """Map an offset of extracted text into the original it was read from (identity without a map)."""
    if not offset_map:
        return offset
    return offset_map[offset] if offset < len(offset_map) else offset_map[-1] + 1


def map_span(span: Span, offset_map: tuple[int, ...] | None, source: str | None) -> Span:
    """Map a span of extracted text into the original; a span ending in "&amp;" keeps the whole reference."""
    if not offset_map:
        return span
    start = map_offset(span.start, offset_map)
    if not len(span):
        return Span(start, start)
    end = offset_map[span.end - 1] + 1
    reference = CHARREF.match(source, end - 1) if source is not None else None
    if reference and html.unescape(reference.group()) != reference.group():
        end = reference.end()
    return Span(start, end)


def line_col(line_starts: tuple[int, ...] | list[int], offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of an offset, given where each line starts; columns count code points."""
    line = max(bisect.bisect_right(line_starts, offset), 1)
    start = line_starts[line - 1] if line_starts else 0
    return line, offset - start + 1
