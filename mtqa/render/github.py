"""GitHub Actions renderer: one workflow command per issue, which the runner shows as an annotation.

`::error file=PATH,line=L,col=C,endLine=L,endColumn=C,title=CODE name::message`, with level "error" for
critical and major issues and "warning" for minor ones. Lines and columns are 1-based and count Unicode
code points; `endColumn` is the column of the last flagged character (GitHub defaults it to `col`, so it is
inclusive). GitHub accepts columns only on one line, so a span across lines gives `line`/`endLine` alone.
The message escapes `%`, CR and LF; property values escape `:` and `,` too, as in actions/toolkit. An input
without a path (`<stdin>`) gives annotations without a file. This module only renders.
"""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.core import Issue, Severity
from mtqa.report import Report

LEVELS = {Severity.CRITICAL: "error", Severity.MAJOR: "error", Severity.MINOR: "warning"}


def escape_data(text: str) -> str:
    """Escape a command's message the way the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: the message escapes plus ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(report: Report, issue: Issue) -> str:
    """Return the workflow command line for one issue."""
    props: list[tuple[str, object]] = []
    if not (report.name.startswith("<") and report.name.endswith(">")):
        line, col = report.line_col(issue.span.start)
        end_line, end_col = report.line_col(max(issue.span.end - 1, issue.span.start))
        props.append(("file", report.name))
        props.append(("line", line))
        if line == end_line:
            props += [("col", col), ("endLine", end_line), ("endColumn", end_col)]
        else:
            props.append(("endLine", end_line))
    props.append(("title", f"{issue.code} {issue.name}" + (f" ({issue.waiver})" if issue.waiver else "")))
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    level = "notice" if issue.waiver else LEVELS[issue.severity]  # known (baseline) or untouched (--diff)
    return f"::{level} {joined}::{escape_data(issue.message)}"


def render(reports: Sequence[Report], **_: object) -> str:
    """Render every issue of every report as one workflow command line."""
    return "".join(f"{command(r, issue)}\n" for r in reports for issue in r.issues)
