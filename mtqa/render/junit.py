"""JUnit XML renderer for CI test dashboards (Jenkins xUnit dialect, junit-10.xsd).

`testsuites` holds one `testsuite` per input (name = the input name) and one `testcase` per sentence
(classname = the input name, name = "sentence N: first words…"). A sentence with an issue at or above the
report's fail-on severity gets one `failure` (type = the code of its worst such issue, message = that issue's
message) whose text lists every issue of the sentence, one per line, as `line:col CODE severity name: message`
(line breaks in a message become spaces there; the `message` attribute keeps them); a sentence
whose issues are all below fail-on passes and lists them in `system-out`. There are no errors or skipped
tests. Everything goes through xml.etree, and characters XML 1.0 cannot carry (most control characters)
become U+FFFD. This module only renders.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from mtqa.core import Issue
from mtqa.report import TOOL, Report, SentenceReport

PREVIEW_WORDS = 8
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Replace the characters XML 1.0 cannot represent with U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def case_name(sentence: SentenceReport) -> str:
    """Return "sentence N: first words…" (N counts from 1, like the table)."""
    words = sentence.text.split()
    preview = " ".join(words[:PREVIEW_WORDS]) + ("…" if len(words) > PREVIEW_WORDS else "")
    return f"sentence {sentence.index + 1}: {preview}"


def _line(report: Report, issue: Issue) -> str:
    line, col = report.line_col(issue.span.start)
    message = _LINE_BREAK.sub(" ", issue.message)
    return f"{line}:{col} {issue.code} {issue.severity.label} {issue.name}: {message}"


def _failing(report: Report, sentence: SentenceReport) -> Issue | None:
    """Return the sentence's worst issue at or above fail-on (the first one on ties)."""
    gating = [i for i in sentence.issues if i.severity >= report.fail_on and not i.waiver]  # baseline/diff waive
    return max(gating, key=lambda i: i.severity) if gating else None


def _element(tag: str, attrib: dict[str, str], text: str | None = None) -> ET.Element:
    element = ET.Element(tag, {key: xml_text(value) for key, value in attrib.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _suite(report: Report) -> ET.Element:
    failures = 0
    suite = _element("testsuite", {"name": report.name})
    props = ET.SubElement(suite, "properties")
    for name, value in (("signature", report.signature), ("fail-on", report.fail_on.label)):
        props.append(_element("property", {"name": name, "value": value}))
    for sentence in report.sentences:
        case = _element("testcase", {"classname": report.name, "name": case_name(sentence)})
        listing = "\n".join(_line(report, issue) for issue in sentence.issues)
        worst = _failing(report, sentence)
        if worst is not None:
            failures += 1
            case.append(_element("failure", {"type": worst.code, "message": worst.message}, listing + "\n"))
        elif sentence.issues:
            case.append(_element("system-out", {}, listing + "\n"))
        suite.append(case)
    suite.attrib.update(tests=str(len(report.sentences)), failures=str(failures), errors="0", skipped="0")
    return suite


def render(reports: Sequence[Report], **_: object) -> str:
    """Render the reports as a JUnit XML document."""
    root = ET.Element("testsuites", {"name": TOOL})
    suites = [_suite(r) for r in reports]
    root.extend(suites)
    root.attrib.update(
        tests=str(sum(int(s.get("tests", "0")) for s in suites)),
        failures=str(sum(int(s.get("failures", "0")) for s in suites)),
        errors="0",
    )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
