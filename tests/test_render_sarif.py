"""SARIF output: schema-valid, regions and fixes that point at the right text, hostile input in every CI format."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET

import pytest

from mtqa.core import Edit, Issue, Severity, Span, Suggestion, apply_edits
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS
from mtqa.render.sarif import LEVELS
from mtqa.report import Report, SentenceReport, find_line_starts
from tests.conftest import ROOT, SEED
from tests.golden_util import check_json

SCHEMAS = ROOT.parent / "shared" / "schemas"


def _schema_file(name: str):
    path = SCHEMAS / name
    if not path.exists():
        pytest.skip(f"{path} is absent: the published schemas live in ../shared/schemas beside the repository")
    return path


def validate_sarif(log: dict) -> None:
    """Validate a SARIF log against the published 2.1.0 schema (draft-04)."""
    jsonschema = pytest.importorskip("jsonschema", reason="pip install -e .[dev] for the schema validators")
    schema = json.loads(_schema_file("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def validate_junit(xml: str) -> None:
    """Validate JUnit XML against junit-10.xsd."""
    etree = pytest.importorskip("lxml.etree", reason="pip install -e .[dev] for the schema validators")
    schema = etree.XMLSchema(etree.parse(str(_schema_file("junit-10.xsd"))))
    tree = etree.fromstring(xml.encode("utf-8"))
    assert schema.validate(tree), schema.error_log


def offset_of(text: str, line: int, column: int) -> int:
    """Turn a 1-based line and code-point column back into an offset (independently of mtqa)."""
    lines = re.split(r"(?<=\n)|(?<=\r)(?!\n)", text)  # SARIF newline sequences: CRLF, CR, LF
    return sum(len(x) for x in lines[: line - 1]) + column - 1


@pytest.fixture(scope="module")
def report(scorer):
    return check_document(decode(SEED.read_bytes(), "seeds/000_a13e9620616db678.txt"), Settings(), scorer=scorer)


@pytest.fixture(scope="module")
def log(report):
    return json.loads(FORMATS["sarif"]([report]))


def _issue_results(report, log):
    results = log["runs"][0]["results"]
    assert len(results) == len(report.issues)
    return list(zip(report.issues, results))


def test_render_sarif_seed_validates_against_schema(log):
    validate_sarif(log)


def test_render_sarif_seed_run_metadata(report, log):
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["tool"]["driver"]["name"] == "mtqa"
    assert run["tool"]["driver"]["version"] == report.version
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["properties"]["signature"] == report.signature
    assert run["invocations"] == [{"executionSuccessful": True}]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted({i.code for i in report.issues})
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


@pytest.mark.parametrize(("severity", "level"), [("critical", "error"), ("major", "error"), ("minor", "warning")])
def test_render_sarif_seed_levels(report, log, severity, level):
    assert LEVELS[Severity.parse(severity)] == level
    for issue, result in _issue_results(report, log):
        if issue.severity.label == severity:
            assert result["level"] == level
            assert result["properties"]["severity"] == severity


def test_render_sarif_seed_regions_round_trip_to_the_flagged_text(report, log):
    text = SEED.read_text(encoding="utf-8")
    for issue, result in _issue_results(report, log):
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "seeds/000_a13e9620616db678.txt"
        region = location["region"]
        start = offset_of(text, region["startLine"], region["startColumn"])
        end = offset_of(text, region["endLine"], region["endColumn"])
        assert (start, end) == (issue.span.start, issue.span.end)
        assert (region["charOffset"], region["charLength"]) == (start, end - start)
        assert text[start:end] == text[issue.span.start : issue.span.end]
        assert result["message"]["text"] == issue.message
        assert result["ruleId"] == issue.code


def _apply(text: str, replacements: list[dict], *, by_line: bool) -> str:
    edits = []
    for r in replacements:
        region = r["deletedRegion"]
        if by_line:
            start = offset_of(text, region["startLine"], region["startColumn"])
            end = offset_of(text, region["endLine"], region["endColumn"])
        else:
            start, end = region["charOffset"], region["charOffset"] + region["charLength"]
        edits.append((start, end, r["insertedContent"]["text"]))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


@pytest.mark.parametrize("by_line", [False, True], ids=["offsets", "lines"])
def test_render_sarif_seed_fixes_apply(report, log, by_line):
    text = SEED.read_text(encoding="utf-8")
    sentences = {s.index: s for s in report.sentences}
    checked = 0
    for issue, result in _issue_results(report, log):
        suggestions = [s for s in issue.suggestions if s.edits]
        assert len(result.get("fixes", [])) == len(suggestions)
        for suggestion, fix in zip(suggestions, result.get("fixes", [])):
            assert fix["description"]["text"] == suggestion.title
            (change,) = fix["artifactChanges"]
            fixed = _apply(text, change["replacements"], by_line=by_line)
            assert fixed == apply_edits(text, suggestion.edits)
            s = sentences[issue.sentence_index]
            assert fixed == text[: s.span.start] + suggestion.text + text[s.span.end :]
            checked += 1
    assert checked >= 5  # the seed has W101, M101, G101 and B101 fixes


def test_render_sarif_seed_fingerprints_are_unique_and_position_free(report, log):
    prints = [r["partialFingerprints"]["mtqa/v1"] for r in log["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
    shifted = dataclasses.replace(report, line_starts=())
    again = [r["partialFingerprints"]["mtqa/v1"] for r in json.loads(FORMATS["sarif"]([shifted]))["runs"][0]["results"]]
    assert again == prints


def test_render_sarif_seed_golden(log):
    assert check_json("seed.sarif.json", log) == []


# ---- hostile input, every CI format ---------------------------------------------------------------

HOSTILE = (
    'He said "no" \\ 100% sure,\n'
    "then: a\\b %0A %25 ::error x::y 🎉 עברית مرحبا\r\n"
    "</testcase><script>alert('x')</script> & <![CDATA[ ]]> \x0c end."
)
HOSTILE_NAME = "news/a,b: 100%.txt"


def hostile_report() -> Report:
    """A hand-built report whose text, message, title and file name all carry hostile characters."""
    text = HOSTILE
    sentence_span = Span(0, len(text))
    emoji = text.index("🎉")
    script = text.index("</testcase>")
    issues = (
        Issue(
            code="U101",
            name="untranslated-word",
            category="accuracy/untranslated",
            severity=Severity.MAJOR,
            confidence=0.9,
            span=Span(emoji, script + len("</testcase><script>")),
            sentence_index=0,
            message=f"'{text[emoji:script]}' is odd: 50% \"quoted\"\nnext line \\ </failure>]]>",
            suggestions=(
                Suggestion(
                    edits=(Edit(Span(emoji, emoji + 1), "🙂 %0A"),),
                    title="Replace '🎉' with '🙂 %0A'",
                    origin="U101",
                    text=text[:emoji] + "🙂 %0A" + text[emoji + 1 :],
                ),
            ),
        ),
        Issue(
            code="L102",
            name="surprisal-peak",
            category="fluency/unusual-wording",
            severity=Severity.MINOR,
            confidence=0.5,
            span=Span(text.index("עברית"), text.index("עברית") + 5),
            sentence_index=0,
            message="Unusual wording at 'עברית', says \x0c <script>",
        ),
    )
    sentence = SentenceReport(0, sentence_span, text, 0, "prose", None, issues)
    return Report(
        name=HOSTILE_NAME,
        format="text",
        encoding="utf-8",
        characters=len(text),
        notes=('a note with <xml> & "quotes", 100%',),
        sentences=(sentence,),
        signature="mtqa:0.1.0|lang:nl|fail-on:major",
        version="0.1.0",
        fail_on=Severity.MAJOR,
        line_starts=find_line_starts(text),
    )


def unescape_github(value: str) -> str:
    """Undo the runner's escapes, '%25' last."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def test_render_sarif_hostile_input_parses_and_points_at_the_text():
    report = hostile_report()
    log = json.loads(FORMATS["sarif"]([report]))
    validate_sarif(log)
    results = log["runs"][0]["results"]
    for issue, result in zip(report.issues, results):
        assert result["message"]["text"] == issue.message
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "news/a%2Cb%3A%20100%25.txt"
        region = location["region"]
        start = offset_of(HOSTILE, region["startLine"], region["startColumn"])
        end = offset_of(HOSTILE, region["endLine"], region["endColumn"])
        assert (start, end) == (issue.span.start, issue.span.end)
    (replacement,) = results[0]["fixes"][0]["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"]["text"] == "🙂 %0A"
    assert _apply(HOSTILE, [replacement], by_line=True) == report.issues[0].suggestions[0].text


def test_render_sarif_hostile_input_junit_validates_and_keeps_the_text():
    report = hostile_report()
    xml = FORMATS["junit"]([report])
    validate_junit(xml)
    root = ET.fromstring(xml)
    case = root.find("testsuite/testcase")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert root.find("testsuite").get("name") == HOSTILE_NAME
    assert failure.get("message") == report.issues[0].message
    assert failure.get("type") == "U101"
    assert "</failure>]]>" in failure.text
    assert len(failure.text.strip("\n").split("\n")) == len(report.issues)  # one listing line per issue
    assert "<script>" in failure.text and "\ufffd" in failure.text  # form feed is not XML; it becomes U+FFFD
    assert case.get("name").startswith('sentence 1: He said "no" \\ 100% sure, then: a\\b')


def test_render_sarif_hostile_input_github_is_one_line_per_issue_and_unescapes():
    report = hostile_report()
    out = FORMATS["github"]([report])
    lines = out.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(report.issues)
    for issue, line in zip(report.issues, lines):
        assert "\r" not in line
        head, message = line[2:].split("::", 1)
        level, props = head.split(" ", 1)
        assert level == ("error" if issue.severity >= Severity.MAJOR else "warning")
        assert unescape_github(message) == issue.message
        fields = dict(p.split("=", 1) for p in props.split(","))
        assert unescape_github(fields["file"]) == HOSTILE_NAME
        assert unescape_github(fields["title"]) == f"{issue.code} {issue.name}"
