"""Rich table renderer for newsroom staff: flagged sentences with spans highlighted, then a summary."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtqa.core import Severity
from mtqa.report import Report, SentenceReport, word_diff

STYLES = {
    Severity.CRITICAL: "bold white on red",
    Severity.MAJOR: "bold red underline",
    Severity.MINOR: "yellow underline",
}
BADGES = {Severity.CRITICAL: "bold red", Severity.MAJOR: "red", Severity.MINOR: "yellow"}


def _highlight(s: SentenceReport) -> Text:
    text = Text(s.text.replace("\n", " "))
    for issue in sorted(s.issues, key=lambda i: i.severity):
        if issue.span == s.span:
            continue  # whole-sentence issues would hide the precise spans
        start, end = issue.span.start - s.span.start, issue.span.end - s.span.start
        text.stylize(STYLES[issue.severity], max(0, start), min(len(s.text), end))
    if s.p_needs_edit is not None:
        text.append(f"\nneeds an editor: {100 * s.p_needs_edit:.0f} %", style="dim")
    return text


def _issues(s: SentenceReport) -> Text:
    out = Text()
    for n, issue in enumerate(s.issues):
        if n:
            out.append("\n")
        out.append(f"{issue.code} {issue.severity.label}", style="dim" if issue.waiver else BADGES[issue.severity])
        if issue.waiver:
            out.append(f" ({issue.waiver}: does not fail)", style="dim")
        out.append(f" {issue.category}\n", style="dim")
        out.append(issue.message)
    return out


DIFF_STYLES = {"=": "", "-": "red strike", "+": "bold green"}


def _diff(old: str, new: str) -> Text:
    """The rewrite as a word diff: deleted words struck through (~~old~~ without colour), inserted in green."""
    out = Text("→ ")
    pieces = word_diff(old.replace("\n", " "), new.replace("\n", " "))
    for n, (op, piece) in enumerate(pieces):
        core = piece.strip()
        if op == "=" or not core:
            struck_next = n + 1 < len(pieces) and pieces[n + 1][0] == "-" and pieces[n + 1][1].strip()
            out.append(piece if op != "-" else " " if struck_next else "")
            continue
        lead, trail = piece[: len(piece) - len(piece.lstrip())], piece[len(piece.rstrip()) :]
        out.append(lead)
        out.append(f"~~{core}~~" if op == "-" else core, style=DIFF_STYLES[op])
        if op == "-" and not trail and n + 1 < len(pieces) and pieces[n + 1][0] == "+":
            trail = " "  # keep "~~checked~~ controlled" apart
        out.append(trail)
    return out


def _suggestion(s: SentenceReport) -> Text:
    issues = sorted(s.issues, key=lambda i: -i.severity)
    for issue in issues:
        if issue.suggestions:
            best = issue.suggestions[0]
            out = Text(best.title, style="green")
            if best.text and best.text != s.text:
                out.append("\n")
                out.append(_diff(s.text, best.text))
            return out
    if any(i.rewrite_status == "no safe rewrite found" for i in issues):
        return Text("no safe rewrite found", style="dim")
    return Text("")


def summary_line(reports: Sequence[Report]) -> str:
    """One line: sentences, issues by severity, verdict."""
    sentences = sum(len(r.sentences) for r in reports)
    counts = {sev: sum(r.counts()[sev.label] for r in reports) for sev in Severity}
    total = sum(counts.values())
    parts = ", ".join(f"{counts[s]} {s.label}" for s in sorted(Severity, reverse=True))
    failed = any(r.failed for r in reports)
    fail_on = reports[0].fail_on.label if reports else "major"
    verdict = f"FAIL (an issue at or above {fail_on})" if failed else f"PASS (nothing at or above {fail_on})"
    files = f"{len(reports)} files · " if len(reports) > 1 else ""
    waived = sum(r.waived for r in reports)
    waived_text = f" · {waived} waived by baseline or diff" if waived else ""
    return f"{files}{sentences} sentences · {total} issues ({parts}){waived_text} · {verdict}"


def file_line(report: Report) -> str:
    """One line per file for multi-file runs: name, sentences, issues, verdict."""
    counts = report.counts()
    parts = ", ".join(f"{counts[s.label]} {s.label}" for s in sorted(Severity, reverse=True))
    waived = f", {report.waived} waived" if report.waived else ""
    verdict = "FAIL" if report.failed else "pass"
    total = sum(counts.values())
    return f"{verdict:4}  {report.name}: {len(report.sentences)} sentences, {total} issues ({parts}{waived})"


def render(
    reports: Sequence[Report], *, width: int | None = None, color: bool = False, show_all: bool = False, **_: object
) -> str:
    """Render the reports as rich tables plus a summary line."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width or 120, force_terminal=color, no_color=not color, highlight=False, emoji=False
    )
    for report in reports:
        for note in report.notes:
            console.print(Text(f"note: {note}", style="dim"))
        rows = [s for s in report.sentences if s.issues or show_all]
        if not rows:
            console.print(Text(f"{report.name}: no issues found in {len(report.sentences)} sentences.", style="green"))
            continue
        table = Table(title=report.name, show_lines=True, expand=True, title_justify="left")
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Sentence", ratio=4)
        table.add_column("Fluency", justify="right", no_wrap=True)
        table.add_column("Issues", ratio=4)
        table.add_column("Suggestion", ratio=3)
        for s in rows:
            score = "–" if s.score is None else f"{s.score:.2f}"
            table.add_row(str(s.index + 1), _highlight(s), score, _issues(s), _suggestion(s))
        console.print(table)
    for report in reports:
        if q := report.quality_summary():
            console.print(
                f"{report.name}: mean quality {q['mean_quality']:+.2f} (DA z) · needs an editor: "
                f"{100 * q['needs_edit_share']:.0f} % of sentences expected, {q['sentences_needing_edit']} above 50 %"
            )
    if len(reports) > 1:
        for report in reports:
            console.print(Text(file_line(report), style="red" if report.failed else "green"))
    console.print(summary_line(reports))
    return buffer.getvalue()
