"""Issues of extracted inputs point into the file the editor opened, not only into the extracted text."""

from __future__ import annotations

import json

import pytest

from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS

PAGE = """<html><head><title>x</title></head><body>
<nav>Home | News</nav>
<article><h1>Fight against IS</h1>
<p>The battle for the last stronghold was fierce. The commander warned for the jihadist &quot;slaapcellen&quot;.</p>
</article></body></html>
"""


@pytest.mark.parametrize(("fmt", "word"), [("html-visible", "slaapcellen"), ("text", "slaapcellen")])
def test_report_source_span_points_into_the_original(fmt: str, word: str) -> None:
    data = PAGE if fmt != "text" else "The commander warned for the jihadist slaapcellen.\n"
    report = check_document(decode(data.encode(), "page.html", fmt), Settings(use_lm=False))
    issue = next(i for i in report.issues if i.code == "U101")
    issue_json = json.loads(FORMATS["json"]([report]))["files"][0]["sentences"]
    found = [i for s in issue_json for i in s["issues"] if i["code"] == "U101"][0]
    if fmt == "text":
        assert "source" not in found  # text input: offsets already point into the file
        return
    src = report.source_span(issue.span)
    assert data[src.start : src.end] == word
    assert found["source"]["start"] == src.start and found["source"]["end"] == src.end
    line = data.count("\n", 0, src.start) + 1
    column = src.start - (data.rfind("\n", 0, src.start) + 1) + 1
    assert (found["source"]["line"], found["source"]["column"]) == (line, column) == report.line_col(issue.span.start)
