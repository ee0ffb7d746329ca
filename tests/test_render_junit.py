"""JUnit XML output: valid against junit-10.xsd, one testcase per sentence, failures at or above fail-on."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET

import pytest

from mtqa.core import Severity
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS
from mtqa.render.junit import case_name, xml_text
from tests.conftest import SEED
from tests.test_render_sarif import validate_junit

NAME = "seeds/000_a13e9620616db678.txt"


@pytest.fixture(scope="module")
def report(scorer):
    return check_document(decode(SEED.read_bytes(), NAME), Settings(), scorer=scorer)


@pytest.mark.parametrize("fail_on", [Severity.MINOR, Severity.MAJOR, Severity.CRITICAL])
def test_render_junit_seed_validates_against_xsd(report, fail_on):
    validate_junit(FORMATS["junit"]([dataclasses.replace(report, fail_on=fail_on)]))


@pytest.mark.parametrize("fail_on", [Severity.MINOR, Severity.MAJOR, Severity.CRITICAL])
def test_render_junit_seed_counts(report, fail_on):
    report = dataclasses.replace(report, fail_on=fail_on)
    root = ET.fromstring(FORMATS["junit"]([report, report]))
    failing = [s for s in report.sentences if any(i.severity >= fail_on for i in s.issues)]
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == (
        str(2 * len(report.sentences)),
        str(2 * len(failing)),
        "0",
    )
    for suite in root.findall("testsuite"):
        assert suite.get("name") == NAME
        counts = [suite.get(k) for k in ("tests", "failures", "errors", "skipped")]
        assert counts == [str(len(report.sentences)), str(len(failing)), "0", "0"]
        cases = suite.findall("testcase")
        assert len(cases) == len(report.sentences)
        assert sum(1 for c in cases if c.find("failure") is not None) == len(failing)


def test_render_junit_seed_failures_list_every_issue_with_line_and_column(report):
    root = ET.fromstring(FORMATS["junit"]([report]))
    cases = root.findall("testsuite/testcase")
    for sentence, case in zip(report.sentences, cases):
        assert case.get("classname") == NAME
        assert case.get("name") == case_name(sentence)
        failure = case.find("failure")
        listing = failure if failure is not None else case.find("system-out")
        if not sentence.issues:
            assert listing is None
            continue
        lines = listing.text.strip("\n").split("\n")
        assert len(lines) == len(sentence.issues)
        for issue, line in zip(sentence.issues, lines):
            row, col = report.line_col(issue.span.start)
            assert line == f"{row}:{col} {issue.code} {issue.severity.label} {issue.name}: {issue.message}"
        if failure is not None:
            worst = max(i.severity for i in sentence.issues)
            first = next(i for i in sentence.issues if i.severity == worst)
            assert (failure.get("type"), failure.get("message")) == (first.code, first.message)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain & <tags>", "plain & <tags>"),
        ("tab\tnewline\ncr\r", "tab\tnewline\ncr\r"),
        ("form\x0cfeed\x00nul\x1besc", "form\ufffdfeed\ufffdnul\ufffdesc"),
        ("emoji 🎉 עברית \ufffe", "emoji 🎉 עברית \ufffd"),
    ],
)
def test_render_junit_xml_text_replaces_what_xml_cannot_carry(text, expected):
    assert xml_text(text) == expected


def test_render_junit_empty_run_validates():
    xml = FORMATS["junit"]([])
    validate_junit(xml)
    assert ET.fromstring(xml).get("tests") == "0"
