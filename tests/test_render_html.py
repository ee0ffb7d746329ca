"""HTML report: golden seed page, overlapping spans, and hostile article text that must never run as script.

The strict parser tests always run. The browser tests load the page in a real headless Chromium
(Debian's `chromium` package; `$MTQA_CHROMIUM` names another binary) and skip, saying why, when none
is installed. A positive control proves the browser check can see a script that does run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from mtqa.core import Edit, Issue, Severity, Span, Suggestion
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS
from mtqa.render.html import CSP, CSS
from mtqa.report import Report, SentenceReport, find_line_starts
from tests.conftest import SEED
from tests.golden_util import check_text

PWNED = "PWNED"
# Each payload, if it ever ran, would change the page title or mark the DOM; all are article text here.
PAYLOADS = (
    f"<script>document.title='{PWNED}'</script>",
    f"<img src=x onerror=\"document.title='{PWNED}'\">",
    "\"><svg onload=\"document.body.setAttribute('data-pwned','1')\">",
    f"'><body onload=document.title='{PWNED}'>",
    f"<a href=\"javascript:document.title='{PWNED}'\">click</a>",
    "</style><script>document.body.setAttribute('data-pwned','1')</script>",
    f"</title><script>document.title='{PWNED}'</script>",
    f"<iframe srcdoc=\"<script>parent.document.title='{PWNED}'</script>\"></iframe>",
    f"<meta http-equiv=refresh content=\"0;url=javascript:document.title='{PWNED}'\">",
    f"<!-- --><script>document.title='{PWNED}'</script><!--",
    f"<![CDATA[<script>document.title='{PWNED}'</script>]]>",
    f"&lt;script&gt;document.title='{PWNED}'&lt;/script&gt; &amp; &#60;b&#62;",
    f"<style>body{{background:url(javascript:document.title='{PWNED}')}}</style>",
)
HOSTILE_ARTICLE = "\n\n".join(
    f"The fighters of the by the coalition met the jihadist slaapcellen {payload} again on Saturday."
    for payload in PAYLOADS
)
HOSTILE_NAME = "news/<script>alert(1)</script>\"'&.txt"
ALLOWED_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span", "mark"),
    *("table", "tr", "th", "td", "a", "ul", "ol", "li", "section", "div", "strong", "em", "br", "tbody"),
}
ALLOWED_ATTRIBUTES = {"class", "id", "title", "data-issues", "href", "lang", "charset", "http-equiv", "content", "name"}
VOID = {"meta", "br", "img", "input", "link", "hr", "base", "source", "wbr", "col", "area", "embed"}


class Dom(HTMLParser):
    """Every element and attribute of a page, and the text each issue id's elements hold."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.issue_text: dict[str, list[str]] = defaultdict(list)
        self.text_in: dict[str, list[str]] = defaultdict(list)  # by tag and class of the innermost element
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, dict(attrs))
        self.elements.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for n in range(len(self.stack) - 1, -1, -1):
            if self.stack[n][0] == tag:
                del self.stack[n:]
                return

    def handle_data(self, data: str) -> None:
        ids = {i for _, attrs in self.stack for i in (attrs.get("data-issues") or "").split()}
        for issue_id in ids:
            self.issue_text[issue_id].append(data)
        for tag, attrs in self.stack:
            self.text_in[tag].append(data)
            for cls in (attrs.get("class") or "").split():
                self.text_in[f".{cls}"].append(data)

    def flagged(self, issue_id: str) -> str:
        return "".join(self.issue_text[issue_id])


def as_dom_text(text: str) -> str:
    """What a browser keeps of text: CR and CRLF become LF; the renderer shows C0 controls as U+FFFD."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "\ufffd", text)


def flagged_texts(reports: list[Report]) -> dict[str, str]:
    """The text of every issue's span, keyed by the id the page gives it (f<file>-<n>, n from 1)."""
    out = {}
    for f, report in enumerate(reports):
        issues = [(s, i) for s in report.sentences for i in s.issues]
        for n, (sentence, issue) in enumerate(issues, start=1):
            start = issue.span.start - sentence.span.start
            out[f"f{f}-{n}"] = as_dom_text(sentence.text[start : start + len(issue.span)])
    return out


def _report(name: str, sentences: list[tuple[str, list[tuple[int, int, Severity, str]]]]) -> Report:
    """A hand-built report: each sentence its own paragraph, issues given as (start, end, severity, message)."""
    text = "\n\n".join(s for s, _ in sentences)
    reports, pos = [], 0
    for index, (sentence, issues) in enumerate(sentences):
        built = tuple(
            Issue(
                code=f"U10{k}",
                name="untranslated-word",
                category="accuracy/untranslated",
                severity=severity,
                confidence=0.9,
                span=Span(pos + start, pos + end),
                sentence_index=index,
                message=message,
                suggestions=(
                    Suggestion(
                        edits=(Edit(Span(pos + start, pos + end), message),),
                        title=f"Replace with '{message}'",
                        origin="U101",
                        text=sentence[:start] + message + sentence[end:],
                    ),
                ),
            )
            for k, (start, end, severity, message) in enumerate(issues)
        )
        reports.append(SentenceReport(index, Span(pos, pos + len(sentence)), sentence, index, "prose", 1.0, built))
        pos += len(sentence) + 2
    return Report(
        name=name,
        format="text",
        encoding="utf-8",
        characters=len(text),
        notes=(f"note {PAYLOADS[0]}",),
        sentences=tuple(reports),
        signature="mtqa:0.1.0|lang:nl|fail-on:major",
        version="0.1.0",
        fail_on=Severity.MAJOR,
        line_starts=find_line_starts(text),
    )


def hostile_reports() -> list[Report]:
    """The hostile article through the real pipeline (rules only), plus a hand-built report flagging each payload."""
    pipeline = check_document(decode(HOSTILE_ARTICLE.encode(), HOSTILE_NAME), Settings(use_lm=False))
    sentences = [
        (f"Before {payload} after.", [(7, 7 + len(payload), Severity.CRITICAL, payload)]) for payload in PAYLOADS
    ]
    sentences.append(("Ctrl\x0cchar\r\nand CR\rhere.", [(0, 9, Severity.MINOR, "form\x0cfeed")]))
    return [pipeline, _report(PAYLOADS[2], sentences)]


# ---- seed article: golden page, spans --------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_report(scorer):
    return check_document(decode(SEED.read_bytes(), "seeds/000_a13e9620616db678.txt"), Settings(), scorer=scorer)


def test_render_html_seed_golden(seed_report):
    assert check_text("seed.html", FORMATS["html"]([seed_report]))


def test_render_html_seed_every_span_and_sentence_is_on_the_page(seed_report):
    dom = Dom(FORMATS["html"]([seed_report]))
    expected = flagged_texts([seed_report])
    assert len(expected) == len(seed_report.issues) > 0
    for issue_id, text in expected.items():
        assert dom.flagged(issue_id) == text, issue_id
    article = "".join(dom.text_in[".article"])
    for sentence in seed_report.sentences:
        assert sentence.text in article
    issue_list = "".join(dom.text_in[".issues"])
    for issue in seed_report.issues:
        assert issue.message in issue_list
        if issue.suggestions:
            assert issue.suggestions[0].title in issue_list


# ---- overlapping spans ----------------------------------------------------------------------------------

OVERLAP = "Also warned the SDF-commander of the jihadist slaapcellen today."


@pytest.mark.parametrize(
    ("issues", "marks"),
    [
        pytest.param(
            [(0, 29, Severity.MAJOR, "a"), (12, 45, Severity.MINOR, "b")],
            [("Also warned ", "major"), ("the SDF-commander", "major"), (" of the jihadist", "minor")],
            id="crossing",
        ),
        pytest.param(
            [(0, 57, Severity.MINOR, "a"), (46, 57, Severity.CRITICAL, "b"), (37, 57, Severity.MAJOR, "c")],
            [("Also warned the SDF-commander of the ", "minor"), ("jihadist ", "major"), ("slaapcellen", "critical")],
            id="nested",
        ),
        pytest.param(
            [(5, 11, Severity.MAJOR, "a"), (5, 11, Severity.MINOR, "b"), (11, 11, Severity.MINOR, "empty")],
            [("warned", "major")],
            id="identical-and-empty",
        ),
    ],
)
def test_render_html_overlapping_spans_split_into_segments(issues, marks) -> None:
    report = _report("overlap.txt", [(OVERLAP, issues)])
    page = FORMATS["html"]([report])
    found = re.findall(r'<mark class="(\w+)" title="[^"]*" data-issues="[^"]*">([^<]*)</mark>', page)
    assert [(text, sev) for sev, text in found] == marks
    dom = Dom(page)
    for issue_id, text in flagged_texts([report]).items():
        assert dom.flagged(issue_id) == text
    assert "".join(dom.text_in[".article"]).strip() == OVERLAP


def test_render_html_whole_sentence_issue_marks_the_sentence() -> None:
    report = _report("whole.txt", [(OVERLAP, [(0, len(OVERLAP), Severity.MAJOR, "a"), (16, 29, Severity.MINOR, "b")])])
    page = FORMATS["html"]([report])
    assert '<span class="sentence major" id="f0-s0" title="U100 untranslated-word (major' in page
    assert page.count("<mark ") == 1
    dom = Dom(page)
    assert dom.flagged("f0-1") == OVERLAP and dom.flagged("f0-2") == "SDF-commander"


# ---- hostile input: strict parser check (always runs) -----------------------------------------------------


@pytest.fixture(scope="module")
def hostile_page() -> tuple[list[Report], str]:
    reports = hostile_reports()
    return reports, FORMATS["html"](reports)


def test_render_html_hostile_pipeline_flags_inside_the_payload_article(hostile_page) -> None:
    reports, _ = hostile_page
    assert {"G101", "U101"} <= {i.code for i in reports[0].issues}
    assert sum(1 for i in reports[1].issues if i.severity is Severity.CRITICAL) == len(PAYLOADS)


def test_render_html_hostile_input_has_no_active_content(hostile_page) -> None:
    _reports, page = hostile_page
    dom = Dom(page)
    tags = {tag for tag, _ in dom.elements}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in dom.elements:
        assert set(attrs) <= ALLOWED_ATTRIBUTES, (tag, attrs)
        assert not any(name.startswith("on") for name in attrs)
        if "href" in attrs:
            assert (attrs["href"] or "").startswith("#"), attrs
    assert "".join(dom.text_in["style"]) == CSS  # article text never ends the style element
    assert [a["content"] for t, a in dom.elements if a.get("http-equiv") == "Content-Security-Policy"] == [CSP]
    assert "script-src" not in CSP and "default-src 'none'" in CSP  # so no script may run at all
    assert "".join(dom.text_in["title"]) == "mtqa report: 2 inputs"
    assert PAYLOADS[2] in "".join(dom.text_in["h2"])  # the hostile file name shows as text


def test_render_html_hostile_input_keeps_every_span_and_sentence(hostile_page) -> None:
    reports, page = hostile_page
    dom = Dom(page)
    for issue_id, text in flagged_texts(reports).items():
        assert dom.flagged(issue_id) == text, issue_id
    article = "".join(dom.text_in[".article"])
    for report in reports:
        for sentence in report.sentences:
            assert as_dom_text(sentence.text) in article
    titles = [a["title"] for _, a in dom.elements if a.get("title")]
    assert any(PAYLOADS[1] in t for t in titles)  # explanations keep the raw text, as an attribute value


# ---- hostile input in a real headless browser -------------------------------------------------------------


def chromium() -> str:
    """The headless browser binary, or skip saying how to get one."""
    for name in (os.environ.get("MTQA_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "chrome"):
        if name and (path := shutil.which(name)):
            return path
    pytest.skip("no Chromium found: apt-get install chromium (Debian), or set MTQA_CHROMIUM to a Chrome binary")


def dump_dom(tmp_path, page: str) -> str:
    """Load the page from a file in headless Chromium, let timers and load events run, return the DOM."""
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    argv = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"]
    argv += [f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom", path.as_uri()]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(home)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<body" in done.stdout, done.stderr[-2000:]
    return done.stdout


def _assert_nothing_ran(dom_text: str) -> Dom:
    dom = Dom(dom_text)
    assert "".join(dom.text_in["title"]) != PWNED
    assert PWNED not in "".join(dom.text_in["title"])
    body = [attrs for tag, attrs in dom.elements if tag == "body"]
    assert body and all("data-pwned" not in attrs for attrs in body)
    assert not {"script", "iframe", "img", "svg", "object", "embed"} & {tag for tag, _ in dom.elements}
    return dom


def test_render_html_browser_control_sees_a_script_that_runs(tmp_path) -> None:
    """Without escaping, the same payloads do run: the check below would catch a leak."""
    page = f"<!DOCTYPE html><html><head><title>t</title></head><body><p>{PAYLOADS[0]}{PAYLOADS[5]}</p></body></html>"
    dom = Dom(dump_dom(tmp_path, page))
    assert "".join(dom.text_in["title"]) == PWNED
    assert any("data-pwned" in attrs for tag, attrs in dom.elements if tag == "body")


@pytest.mark.parametrize("with_csp", [pytest.param(True, id="as-rendered"), pytest.param(False, id="escaping-only")])
def test_render_html_browser_runs_no_script_and_shows_every_span(tmp_path, hostile_page, with_csp: bool) -> None:
    reports, page = hostile_page
    if not with_csp:  # the escaping alone must hold, whatever the policy does
        page = page.replace(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">', "")
        assert "Content-Security-Policy" not in page
    dom = _assert_nothing_ran(dump_dom(tmp_path, page))
    assert "".join(dom.text_in["title"]) == "mtqa report: 2 inputs"
    for issue_id, text in flagged_texts(reports).items():
        assert dom.flagged(issue_id) == text, issue_id
    article = "".join(dom.text_in[".article"])
    for payload in PAYLOADS:
        assert payload in article
