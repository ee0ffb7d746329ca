"""HTML renderer: one self-contained page for editors, the article with its problem spans highlighted.

The page has a summary, then per input the article (paragraph by paragraph, sentence by sentence)
with every flagged span in a `<mark>` coloured by severity whose `title` explains it on hover, and a
numbered list of the issues with code, category, message and the best suggestion. Overlapping spans
are split into segments at every span boundary; a segment carries the worst severity of the issues
covering it and lists them all in `data-issues`, so the spans of one issue can always be gathered
back from the DOM. An issue covering its whole sentence marks the sentence instead, as the table
does. Nothing is fetched (inline CSS only) and no script is needed or allowed: every piece of
report text goes through `html.escape` into double-quoted attributes or element text, and a
Content-Security-Policy meta tag forbids scripts even if escaping ever failed. This module only
renders: it never computes what a report does not hold.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Sequence

from mtqa.core import Issue, Severity
from mtqa.report import TOOL, Report, SentenceReport

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
CSS = """
body { font: 16px/1.6 Georgia, serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1, h2, .meta, .summary, ol.issues, .notes { font-family: system-ui, sans-serif; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2.5rem; }
.meta { color: #666; font-size: .8rem; word-break: break-all; }
.summary td, .summary th { padding: .1rem .8rem .1rem 0; text-align: left; }
.verdict-fail { color: #b00020; font-weight: bold; } .verdict-pass { color: #1b5e20; font-weight: bold; }
.article p { white-space: pre-wrap; margin: 0 0 1rem; } .article p.heading { font-weight: bold; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.critical { background: #f8b4b4; border-bottom: 3px solid #b00020; }
mark.major { background: #ffd8a8; border-bottom: 2px solid #d9480f; }
mark.minor { background: #fff3bf; border-bottom: 2px dotted #b08800; }
.sentence.critical { box-shadow: inset 0 -3px 0 #b00020; } .sentence.major { box-shadow: inset 0 -2px 0 #d9480f; }
.sentence.minor { box-shadow: inset 0 -2px 0 #e0b000; }
mark:hover, .sentence[title]:hover { outline: 1px solid #555; }
.sev { display: inline-block; font-size: .75rem; padding: 0 .4rem; border-radius: 3px; color: #fff; }
.sev.critical { background: #b00020; } .sev.major { background: #d9480f; } .sev.minor { background: #8a6d00; }
ol.issues li { margin-bottom: .8rem; } .flagged { background: #eee; padding: 0 2px; }
.fix { color: #1b5e20; } .fixed { color: #555; font-style: italic; }
.notes { color: #555; font-size: .85rem; }
"""
HEADING = ' class="heading"'
# C0 controls other than tab, LF and CR are not allowed in HTML text; show them as U+FFFD
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: str) -> str:
    """Escape text for element content or a double-quoted attribute value (CRLF and CR become LF, as browsers do)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(_CONTROL.sub("\ufffd", text), quote=True)


def _explain(issue: Issue) -> str:
    """The hover text of one issue: code, name, severity, category, message and the best suggestion."""
    text = f"{issue.code} {issue.name} ({issue.severity.label}, {issue.category}): {issue.message}"
    if issue.suggestions:
        text += f"\nSuggestion: {issue.suggestions[0].title}"
    return text


def _segments(sentence: SentenceReport, issues: Sequence[tuple[int, Issue]]) -> list[tuple[str, list[int]]]:
    """Split the sentence at every span boundary: (text, ids of the issues covering it)."""
    base = sentence.span.start
    clamp = [
        (n, max(0, i.span.start - base), min(len(sentence.text), i.span.end - base))
        for n, i in issues
        if i.span != sentence.span
    ]
    cuts = sorted({0, len(sentence.text), *(s for _, s, _ in clamp), *(e for _, _, e in clamp)})
    out = []
    for start, end in itertools.pairwise(cuts):
        covering = [n for n, s, e in clamp if s <= start and end <= e and s < e]
        out.append((sentence.text[start:end], covering))
    return out


def _sentence_html(prefix: str, sentence: SentenceReport, numbered: Sequence[tuple[int, Issue]]) -> str:
    by_id = dict(numbered)
    parts = []
    for text, ids in _segments(sentence, numbered):
        if not ids:
            parts.append(esc(text))
            continue
        worst = max(by_id[n].severity for n in ids).label
        title = "\n\n".join(_explain(by_id[n]) for n in ids)
        data = " ".join(f"{prefix}-{n}" for n in ids)
        parts.append(f'<mark class="{worst}" title="{esc(title)}" data-issues="{data}">{esc(text)}</mark>')
    whole = [(n, i) for n, i in numbered if i.span == sentence.span]
    attrs = f'class="sentence" id="{prefix}-s{sentence.index}"'
    if whole:
        worst = max(i.severity for _, i in whole).label
        title = "\n\n".join(_explain(i) for _, i in whole)
        data = " ".join(f"{prefix}-{n}" for n, _ in whole)
        attrs = f'class="sentence {worst}" id="{prefix}-s{sentence.index}" title="{esc(title)}" data-issues="{data}"'
    return f"<span {attrs}>{''.join(parts)}</span>"


def _issue_item(prefix: str, report: Report, sentence: SentenceReport, n: int, issue: Issue) -> str:
    line, col = report.line_col(issue.span.start)
    offset = issue.span.start - sentence.span.start
    flagged = sentence.text[max(0, offset) : offset + len(issue.span)]
    parts = [
        f'<li id="{prefix}-{n}"><span class="sev {issue.severity.label}">{esc(issue.severity.label)}</span> ',
        f"<strong>{esc(issue.code)}</strong> {esc(issue.name)} · <em>{esc(issue.category)}</em> · ",
        f'<a href="#{prefix}-s{sentence.index}">line {line}, column {col}</a><br>',
        f'<span class="flagged">{esc(flagged)}</span> — {esc(issue.message)}',
    ]
    if issue.suggestions:
        best = issue.suggestions[0]
        parts.append(f'<br><span class="fix">Suggestion ({esc(best.applicability)}): {esc(best.title)}</span>')
        if best.text and best.text != sentence.text:
            parts.append(f'<br><span class="fixed">→ {esc(best.text)}</span>')
    parts.append("</li>")
    return "".join(parts)


def _report_html(number: int, report: Report) -> str:
    prefix = f"f{number}"
    numbered: dict[int, list[tuple[int, Issue]]] = {}
    items = []
    n = 0
    for sentence in report.sentences:
        for issue in sentence.issues:
            n += 1
            numbered.setdefault(sentence.index, []).append((n, issue))
            items.append(_issue_item(prefix, report, sentence, n, issue))
    paragraphs: list[tuple[SentenceReport, list[str]]] = []
    for sentence in report.sentences:
        rendered = _sentence_html(prefix, sentence, numbered.get(sentence.index, []))
        if paragraphs and paragraphs[-1][0].paragraph == sentence.paragraph:
            paragraphs[-1][1].append(rendered)
        else:
            paragraphs.append((sentence, [rendered]))
    article = "\n".join(
        f"<p{HEADING if first.kind == 'heading' else ''}>{' '.join(parts)}</p>" for first, parts in paragraphs
    )
    counts = report.counts()
    verdict = "fail" if report.failed else "pass"
    notes = "".join(f"<li>{esc(note)}</li>" for note in report.notes)
    return "\n".join(
        [
            f'<section class="report" id="{prefix}">',
            f"<h2>{esc(report.name)}</h2>",
            f'<p class="summary">{len(report.sentences)} sentences · '
            + " · ".join(f"{counts[s.label]} {s.label}" for s in sorted(Severity, reverse=True))
            + f' · <span class="verdict-{verdict}">{verdict.upper()}</span></p>',
            f'<ul class="notes">{notes}</ul>' if notes else "",
            f'<div class="article" lang="en">\n{article}\n</div>',
            f'<h3>Issues ({n})</h3>\n<ol class="issues">\n' + "\n".join(items) + "\n</ol>" if items else "",
            "</section>",
        ]
    )


def _summary(reports: Sequence[Report]) -> str:
    rows = []
    for number, report in enumerate(reports):
        counts = report.counts()
        verdict = "fail" if report.failed else "pass"
        cells = "".join(f"<td>{counts[s.label]}</td>" for s in sorted(Severity, reverse=True))
        rows.append(
            f'<tr><td><a href="#f{number}">{esc(report.name)}</a></td><td>{len(report.sentences)}</td>{cells}'
            f'<td class="verdict-{verdict}">{verdict.upper()}</td></tr>'
        )
    head = "".join(f"<th>{s.label}</th>" for s in sorted(Severity, reverse=True))
    fail_on = reports[0].fail_on.label if reports else "major"
    failed = any(r.failed for r in reports)
    verdict = (
        f'<span class="verdict-fail">FAIL</span>: an issue at or above {esc(fail_on)}'
        if failed
        else f'<span class="verdict-pass">PASS</span>: nothing at or above {esc(fail_on)}'
    )
    return (
        f'<p class="summary">{verdict}</p>\n<table class="summary"><tr><th>input</th><th>sentences</th>{head}'
        f"<th>verdict</th></tr>\n" + "\n".join(rows) + "\n</table>"
    )


def render(reports: Sequence[Report], **_: object) -> str:
    """Render the reports as one self-contained HTML page."""
    first = reports[0] if reports else None
    title = f"{TOOL} report: {reports[0].name}" if len(reports) == 1 else f"{TOOL} report: {len(reports)} inputs"
    signature = f"{TOOL} {first.version} · {first.signature}" if first else TOOL
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)}</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            f"<h1>{esc(title)}</h1>",
            f'<p class="meta">{esc(signature)}</p>',
            _summary(reports),
            *(_report_html(n, r) for n, r in enumerate(reports)),
            "</body>",
            "</html>",
            "",
        ]
    )
