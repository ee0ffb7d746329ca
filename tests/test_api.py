"""The Python API returns the same data as the JSON output."""

from __future__ import annotations

import json

import mtqa
from mtqa.cli import main


def test_api_check_returns_report_matching_cli_json(scorer, tmp_path, capsys):
    text = "Also warned the commander of the next phase in the fight.\n\nFollow us\n"
    report = mtqa.check(text, source_lang="nl")
    data = report.to_dict()
    assert data["schema_version"] == "1.0"
    assert data["summary"]["verdict"] == "fail"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    code = main(["check", "--format", "json", "-q", str(path)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [i["code"] for s in out["files"][0]["sentences"] for i in s["issues"]] == [
        i["code"] for s in data["sentences"] for i in s["issues"]
    ]


def test_api_fail_on_critical_passes_major_issues(scorer):
    report = mtqa.check("Follow us", fail_on="critical")
    assert report.counts()["major"] >= 1 and not report.failed
