"""Analysis results as data: `SentenceReport`, `Report`, the signature, and the JSON contract.

`Report.to_dict()` is the stable, documented JSON shape (README "JSON schema"); renderers read
reports and never compute anything a report does not already hold.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from mtqa.core import Candidate, Edit, Issue, Severity, Span, Suggestion, line_col, map_offset, map_span

SCHEMA_VERSION = "1.0"
TOOL = "mtqa"


@dataclass(frozen=True, slots=True)
class SentenceReport:
    """One sentence with its fluency score and issues (sorted by position)."""

    index: int
    span: Span
    text: str
    paragraph: int
    kind: str
    score: float | None
    issues: tuple[Issue, ...]
    quality: float | None = None  # predicted DA z (higher = better); None with --no-quality
    p_needs_edit: float | None = None  # calibrated P(HTER > 0.3)

    @property
    def worst(self) -> Severity | None:
        return max((i.severity for i in self.issues), default=None)


@dataclass(frozen=True, slots=True)
class Report:
    """Everything mtqa found in one input."""

    name: str
    format: str
    encoding: str
    characters: int
    notes: tuple[str, ...]
    sentences: tuple[SentenceReport, ...]
    signature: str
    version: str
    fail_on: Severity
    line_starts: tuple[int, ...] = ()  # where each line of the file the user opened starts; not in to_dict()
    # extracted inputs (HTML, docx, NITF): text offset -> offset in `source`, the original file; None for text
    offset_map: tuple[int, ...] | None = None
    source: str | None = None

    def source_span(self, span: Span) -> Span:
        """Map a text span to the characters of the original file it was read from."""
        return map_span(span, self.offset_map, self.source)

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) in the original file of a text offset; columns count code points."""
        return line_col(self.line_starts, map_offset(offset, self.offset_map))

    @property
    def issues(self) -> list[Issue]:
        return [issue for s in self.sentences for issue in s.issues]

    def counts(self) -> dict[str, int]:
        """Issue counts by severity label (all labels present)."""
        counter = Counter(i.severity.label for i in self.issues)
        return {s.label: counter.get(s.label, 0) for s in Severity}

    @property
    def failed(self) -> bool:
        """An issue at or above fail-on that no baseline or diff waives."""
        return any(i.severity >= self.fail_on and not i.waiver for i in self.issues)

    @property
    def waived(self) -> int:
        return sum(1 for i in self.issues if i.waiver)

    def quality_summary(self) -> dict[str, float | int] | None:
        """Document level: mean quality, expected share needing an editor, sentences with P >= 0.5."""
        scored = [s for s in self.sentences if s.quality is not None and s.p_needs_edit is not None]
        if not scored:
            return None
        return {
            "mean_quality": round(sum(s.quality for s in scored) / len(scored), 4),  # type: ignore[misc]
            "needs_edit_share": round(sum(s.p_needs_edit for s in scored) / len(scored), 4),  # type: ignore[misc]
            "sentences_needing_edit": sum(1 for s in scored if s.p_needs_edit >= 0.5),  # type: ignore[operator]
        }

    def to_dict(self) -> dict[str, object]:
        """Return the JSON-ready dict (the stable contract; see README)."""
        out: dict[str, object] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": TOOL, "version": self.version},
            "signature": self.signature,
            "input": {
                "name": self.name,
                "format": self.format,
                "encoding": self.encoding,
                "characters": self.characters,
                "notes": list(self.notes),
            },
            "summary": {
                "sentences": len(self.sentences),
                "flagged_sentences": sum(1 for s in self.sentences if s.issues),
                "issues": self.counts(),
                "fail_on": self.fail_on.label,
                "verdict": "fail" if self.failed else "pass",
                "quality": self.quality_summary(),
            },
            "sentences": [_sentence_dict(s, self) for s in self.sentences],
        }
        if self.waived:  # only with --baseline or --diff, so plain runs keep the 1.0 shape exactly
            out["summary"]["waived"] = self.waived  # type: ignore[index]
        return out


def _sentence_dict(s: SentenceReport, report: Report) -> dict[str, object]:
    return {
        "index": s.index,
        "text": s.text,
        "start": s.span.start,
        "end": s.span.end,
        "paragraph": s.paragraph,
        "kind": s.kind,
        "score": None if s.score is None else round(s.score, 4),
        "quality": None if s.quality is None else round(s.quality, 4),
        "p_needs_edit": None if s.p_needs_edit is None else round(s.p_needs_edit, 4),
        "issues": [_issue_dict(i, report) for i in s.issues],
    }


def _issue_dict(issue: Issue, report: Report) -> dict[str, object]:
    suggestions = [_suggestion_dict(s) for s in issue.suggestions]
    out: dict[str, object] = {
        "code": issue.code,
        "name": issue.name,
        "category": issue.category,
        "severity": issue.severity.label,
        "confidence": issue.confidence,
        "start": issue.span.start,
        "end": issue.span.end,
        "message": issue.message,
        "suggestion": suggestions[0] if suggestions else None,
        "suggestions": suggestions,
        "rewrite": issue.rewrite_status,
        "candidates": [_candidate_dict(c) for c in issue.candidates],
        "evidence": dict(sorted(issue.evidence.items())),
    }
    if issue.waiver:
        out["waiver"] = issue.waiver
    if report.offset_map:
        source = report.source_span(issue.span)
        line, column = report.line_col(issue.span.start)
        out["source"] = {"start": source.start, "end": source.end, "line": line, "column": column}
    return out


def _edits_list(edits: tuple[Edit, ...]) -> list[dict[str, object]]:
    return [{"start": e.span.start, "end": e.span.end, "replacement": e.replacement} for e in edits]


def _candidate_dict(c: Candidate) -> dict[str, object]:
    return {
        "text": c.text,
        "origin": c.origin,
        "lm_gain": c.lm_gain,
        "similarity": c.similarity,
        "accepted": c.accepted,
        "reason": c.reason,
        "edits": _edits_list(c.edits),
    }


def _suggestion_dict(s: Suggestion) -> dict[str, object]:
    return {
        "title": s.title,
        "text": s.text,
        "origin": s.origin,
        "applicability": s.applicability,
        "lm_gain": s.lm_gain,
        "similarity": s.similarity,
        "edits": _edits_list(s.edits),
    }


_DIFF_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*\s*|[^\w\s]\s*|\s+")  # a word or mark with its trailing space


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Return the word-level diff from `old` to `new` as (op, text) pieces: op is "=", "-" or "+".

    Whitespace stays attached to the pieces, so joining the "=" and "-" pieces gives `old` and the
    "=" and "+" pieces give `new`.
    """
    a, b = _DIFF_TOKEN.findall(old), _DIFF_TOKEN.findall(new)
    keys_a, keys_b = [t.strip() or t for t in a], [t.strip() or t for t in b]  # match words, not their spacing
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
        if op == "equal":
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                core = x.rstrip() or x
                out.append(("=", core))
                if x[len(core) :] == y[len(core) :]:
                    out.append(("=", x[len(core) :]))
                else:
                    out.extend((o, w) for o, w in (("-", x[len(core) :]), ("+", y[len(core) :])) if w)
            continue
        if i2 > i1:
            out.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", "".join(b[j1:j2])))
    return out


_LINE_END = re.compile(r"\r\n|\r|\n")


def find_line_starts(text: str) -> tuple[int, ...]:
    """Return the offset where each line of `text` starts; CRLF, CR and LF end a line (as in SARIF)."""
    return (0, *(m.end() for m in _LINE_END.finditer(text)))


def signature(
    *,
    version: str,
    lang: str,
    profile_digest: str,
    model: str,
    rules: int,
    rules_digest: str,
    fail_on: Severity,
    config: str = "",
    quality: str | None = None,
    damage: str | None = None,
    dictionaries: tuple[str, ...] = (),
) -> str:
    """Pin everything that changes a result, sacrebleu-style; `config` digests non-default gate settings."""
    return (
        f"{TOOL}:{version}|lang:{lang}|model:{model}|ctx:bos|rules:{rules}#{rules_digest}"
        f"|profile:{lang}#{profile_digest}|fail-on:{fail_on.label}"
        + (f"|quality:{quality}" if quality else "")
        + (f"|damage:{damage}" if damage else "")
        + (f"|dict:{'+'.join(dictionaries)}" if dictionaries else "")
        + (f"|config#{config}" if config else "")
    )
