"""The tagger wrapper: spaCy tags with the corrections news English needs."""

from __future__ import annotations

import pytest

from mtqa import tag

pytestmark = pytest.mark.skipif(not tag.available(), reason="part-of-speech tagger not installed")


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("At its height, IS controlled territory in Syria.", "IS", "NNP"),
        ("On 29 June 2014, IS proclaimed a caliphate.", "IS", "NNP"),
        ("The army is ready.", "is", "VBZ"),
        ("THE ARMY IS READY.", "IS", "VBZ"),  # an all-caps headline keeps its verbs
    ],
)
def test_tag_acronym_is_a_name_not_a_verb(text: str, word: str, expected: str) -> None:
    tokens = tag.tag([text])[0]
    assert [t.tag for t in tokens if t.text == word] == [expected]


def test_spacy_loads_without_its_cli_and_the_cli_still_imports() -> None:
    """The tagger skips spaCy's CLI at import (cold-start cost); spaCy stays whole for anyone else."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mtqa import tag\n"
        "assert tag.tag(['The army is ready.'])[0][2].tag == 'VBZ'\n"
        "assert 'spacy.cli' not in sys.modules and 'weasel' not in sys.modules\n"
        "import spacy\n"
        "assert callable(spacy.info)\n"
        "import spacy.cli\n"
        "from spacy.cli.info import info\n"
        "assert callable(spacy.cli.download) and callable(info)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


_PREFETCH = """
import os, sys
from mtqa import tag
texts = ['The army is ready.', 'At the height checked IS the area.']
{setup}
assert tag.prefetch([texts, ['Yes.']])
got = tag.tag_if_available(texts)
assert [[(t.text, t.tag) for t in row] for row in got] == {want!r}
print('spacy' in sys.modules)
"""


def _run_prefetch(setup: str) -> str:
    import subprocess
    import sys

    want = [
        [(t.text, t.tag) for t in row] for row in tag.tag(["The army is ready.", "At the height checked IS the area."])
    ]
    code = _PREFETCH.format(setup=setup, want=want)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_prefetch_tags_in_a_helper_process() -> None:
    # spaCy never loads in the caller: the helper process did the tagging, with the same tags.
    assert _run_prefetch("") == "False"


def test_prefetch_helper_failure_falls_back_to_tagging_here() -> None:
    setup = (
        "parent = os.getpid()\n"
        "real = tag._tag_here\n"
        "def flaky(texts):\n"
        "    if os.getpid() != parent:\n"
        "        raise RuntimeError('helper broke')\n"
        "    return real(texts)\n"
        "tag._tag_here = flaky\n"
    )
    assert _run_prefetch(setup) == "True"  # tagged in-process after the helper reported its failure


def test_prefetch_declines_once_torch_is_loaded() -> None:
    import torch  # noqa: F401 - the test process has PyTorch; forking it could deadlock

    assert tag.prefetch([["Yes."]]) is False
