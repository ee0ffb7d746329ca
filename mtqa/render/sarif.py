"""SARIF 2.1.0 renderer for code-scanning UIs (GitHub code scanning, Azure DevOps, VS Code's SARIF viewer).

All reports go into one run. Severity maps to the SARIF level as critical -> "error", major -> "error",
minor -> "warning" ("note" is not used); the mtqa severity itself is kept in each result's properties.
Regions give 1-based lines and columns counted in Unicode code points (`run.columnKind`), with CRLF, CR and
LF as line breaks (`run.newlineSequences`), plus `charOffset`/`charLength` into the decoded text (for HTML
input: into its visible text, like every mtqa offset). Each suggestion becomes a `fix`.
`partialFingerprints["mtqa/v1"]` hashes the rule code, the sentence text and the flagged text (whitespace
collapsed) plus an occurrence number, so an alert keeps its identity when other lines of the article change.
A rule's `defaultConfiguration.level` is the level of its most severe result in the run, because renderers
see issues, not the rule catalogue. This module only renders: it never computes what a report does not hold.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import PurePath
from urllib.parse import quote

from mtqa.core import Issue, Severity, Span, Suggestion
from mtqa.report import TOOL, Report, SentenceReport

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {Severity.CRITICAL: "error", Severity.MAJOR: "error", Severity.MINOR: "warning"}
FINGERPRINT = "mtqa/v1"
MIME_TYPES = {"text": "text/plain", "markdown": "text/markdown", "html": "text/html"}


def artifact_uri(name: str) -> str:
    """Return the input name as a URI reference: relative paths stay relative, absolute ones become file URIs."""
    path = PurePath(name)
    if path.is_absolute():
        return "file://" + quote(path.as_posix(), safe="/")
    return quote(path.as_posix(), safe="/")


def region(report: Report, span: Span) -> dict[str, int]:
    """Return a SARIF region for `span`: line/column (end column exclusive) and character offsets."""
    start_line, start_col = report.line_col(span.start)
    end_line, end_col = report.line_col(span.end)
    return {
        "startLine": start_line,
        "startColumn": start_col,
        "endLine": end_line,
        "endColumn": end_col,
        "charOffset": span.start,
        "charLength": len(span),
    }


def fingerprint(issue: Issue, sentence: SentenceReport) -> str:
    """Hash what identifies an issue regardless of where the sentence sits in the file."""
    start = issue.span.start - sentence.span.start
    flagged = sentence.text[start : start + len(issue.span)]
    key = "\0".join((issue.code, " ".join(sentence.text.split()), " ".join(flagged.split())))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rules(reports: Sequence[Report]) -> list[dict[str, object]]:
    worst: dict[str, Issue] = {}
    for issue in (i for r in reports for i in r.issues):
        if issue.code not in worst or issue.severity > worst[issue.code].severity:
            worst[issue.code] = issue
    return [
        {
            "id": code,
            "name": issue.name,
            "shortDescription": {"text": f"{issue.category}: {issue.name}"},
            "defaultConfiguration": {"level": LEVELS[issue.severity]},
            "properties": {"category": issue.category, "tags": [issue.category]},
        }
        for code, issue in sorted(worst.items())
    ]


def _fix(report: Report, uri: str, index: int, suggestion: Suggestion) -> dict[str, object]:
    replacements = [
        {"deletedRegion": region(report, edit.span), "insertedContent": {"text": edit.replacement}}
        for edit in suggestion.edits
    ]
    return {
        "description": {"text": suggestion.title},
        "artifactChanges": [{"artifactLocation": {"uri": uri, "index": index}, "replacements": replacements}],
        "properties": {"applicability": suggestion.applicability, "origin": suggestion.origin},
    }


def _results(report: Report, index: int, rule_index: dict[str, int]) -> list[dict[str, object]]:
    uri = artifact_uri(report.name)
    seen: Counter[str] = Counter()
    results = []
    for sentence in report.sentences:
        for issue in sentence.issues:
            digest = fingerprint(issue, sentence)
            seen[digest] += 1
            result: dict[str, object] = {
                "ruleId": issue.code,
                "ruleIndex": rule_index[issue.code],
                "level": LEVELS[issue.severity],
                "message": {"text": issue.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": uri, "index": index},
                            "region": region(report, issue.span),
                        }
                    }
                ],
                "partialFingerprints": {FINGERPRINT: f"{digest}:{seen[digest]}"},
                "properties": {
                    "severity": issue.severity.label,
                    "category": issue.category,
                    "confidence": issue.confidence,
                    "sentence": sentence.index,
                },
            }
            if report.waived:  # --baseline or --diff ran: say which results are new (SARIF 3.27.24)
                result["baselineState"] = "unchanged" if issue.waiver else "new"
                if issue.waiver:
                    result["level"] = "note"
                    result["properties"]["waiver"] = issue.waiver  # type: ignore[index]
            fixes = [_fix(report, uri, index, s) for s in issue.suggestions if s.edits]
            if fixes:
                result["fixes"] = fixes
            results.append(result)
    return results


def _notifications(reports: Sequence[Report]) -> list[dict[str, object]]:
    return [
        {
            "level": "note",
            "message": {"text": note},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": artifact_uri(r.name), "index": n}}}],
        }
        for n, r in enumerate(reports)
        for note in r.notes
    ]


def document(reports: Sequence[Report]) -> dict[str, object]:
    """Return the SARIF log for `reports` as a JSON-ready dict."""
    rules = _rules(reports)
    rule_index = {rule["id"]: n for n, rule in enumerate(rules)}
    first = reports[0] if reports else None
    invocation: dict[str, object] = {"executionSuccessful": True}
    notifications = _notifications(reports)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {"name": TOOL, "version": first.version if first else "", "rules": rules}},
        "invocations": [invocation],
        "artifacts": [
            {"location": {"uri": artifact_uri(r.name)}, "mimeType": MIME_TYPES.get(r.format, "text/plain")}
            for r in reports
        ],
        "columnKind": "unicodeCodePoints",
        "newlineSequences": ["\r\n", "\r", "\n"],
        "results": [result for n, r in enumerate(reports) for result in _results(r, n, rule_index)],
        "properties": {"signature": first.signature if first else ""},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(reports: Sequence[Report], **_: object) -> str:
    """Render the reports as one SARIF 2.1.0 log."""
    return json.dumps(document(reports), indent=2, ensure_ascii=False) + "\n"
