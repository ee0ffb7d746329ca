"""mtqa makes no network connection at run time."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys

import pytest

from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from tests.conftest import ROOT, SEED


def test_offline_check_opens_no_socket(scorer, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = check_document(decode(SEED.read_bytes(), "seed.txt"), Settings(), scorer=scorer)
    assert report.failed


def _can_unshare() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="unshare -n is not permitted here")
def test_offline_cli_runs_with_the_network_unplugged(scorer):
    env = {**os.environ, "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "mtqa", "check", "--format", "json", "-q", str(SEED)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert '"verdict": "fail"' in result.stdout
