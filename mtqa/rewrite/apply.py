"""Choose verified suggestions from a report and apply them to the document text.

Only suggestions that passed verification exist in a report, so this module picks among them: the
most severe, most confident issue wins where edits overlap. It never touches text outside the
chosen edits, except that a deleted chrome line leaves no empty paragraph behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtqa.core import Edit, Issue, Span, Suggestion, apply_edits
from mtqa.report import Report


@dataclass(frozen=True, slots=True)
class Applied:
    """What a fix did: the new text and the suggestions used and skipped."""

    text: str
    used: tuple[tuple[Issue, Suggestion], ...]
    skipped: tuple[tuple[Issue, Suggestion], ...]


def choose(report: Report, *, min_confidence: float = 0.0) -> tuple[list[tuple[Issue, Suggestion]], list]:
    """Return (chosen, skipped) best suggestions, non-overlapping, most severe and confident first."""
    # display-only suggestions are shown to a reader but never written: their fix needs a check first
    offered = [(i, s[0]) for i in report.issues if (s := i.suggestions) and s[0].applicability != "display-only"]
    offered.sort(key=lambda pair: (-pair[0].severity, -pair[0].confidence, pair[1].edits[0].span.start))
    chosen: list[tuple[Issue, Suggestion]] = []
    skipped: list[tuple[Issue, Suggestion]] = []
    taken: list[Edit] = []
    for issue, suggestion in offered:
        clash = any(e.span.overlaps(t.span) or e.span == t.span for e in suggestion.edits for t in taken)
        if issue.confidence < min_confidence or clash:
            skipped.append((issue, suggestion))
            continue
        chosen.append((issue, suggestion))
        taken.extend(suggestion.edits)
    return chosen, skipped


def fix_text(text: str, report: Report, *, min_confidence: float = 0.0) -> Applied:
    """Apply the chosen suggestions of `report` to `text` (the document the report was made from)."""
    chosen, skipped = choose(report, min_confidence=min_confidence)
    edits = sorted((e for _, s in chosen for e in s.edits), key=lambda e: e.span)
    return Applied(apply_edits(text, _tidy_deletions(text, edits)), tuple(chosen), tuple(skipped))


def _tidy_deletions(text: str, edits: list[Edit]) -> list[Edit]:
    """Merge deletions separated only by whitespace; a deletion that empties whole lines takes its line break."""
    merged: list[Edit] = []
    for edit in edits:
        last = merged[-1] if merged else None
        if last and not last.replacement and not edit.replacement and not text[last.span.end : edit.span.start].strip():
            merged[-1] = Edit(Span(last.span.start, edit.span.end), "")
        else:
            merged.append(edit)
    out = []
    for edit in merged:
        start, end = edit.span.start, edit.span.end
        line_start = start == 0 or text[start - 1] == "\n"
        line_end = end == len(text) or text[end] in "\r\n"
        if not edit.replacement and line_start and line_end:
            before = len(text[:start]) - len(text[:start].rstrip())
            after = len(text[end:]) - len(text[end:].lstrip())
            start, end = (start - before, end) if before and (end == len(text) or not after) else (start, end + after)
            previous_end = out[-1].span.end if out else 0
            start = max(start, previous_end)
        out.append(Edit(Span(start, end), edit.replacement))
    return out
