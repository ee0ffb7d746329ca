"""U101's cognate options: how often the English word a DEMETR codemix perturbation replaced is offered.

Data: DEMETR dev (`shared/data/demetr`, MIT; languages french, italian, spanish, polish, czech), codemix
(pert_id 4) items that differ from their unperturbed MT in exactly one word. Of those words, the ones U101
flags and no installed FreeDict dictionary translates are matched by `mtqa/languages/cognates.py` at each
similarity cut: how many get cognates, in how many the replaced English word is among them, and first.
No LM: the rewrite that ranks these options is measured by `rewrite_demetr.py`. The figures depend on the
FreeDict dictionaries installed (the signature names them): a word a dictionary knows never reaches
cognates.

    python -m benchmarks.cognates [--data DIR] [--cuts 0.8 0.85 0.9] [--json PATH]
"""

from __future__ import annotations

import argparse
import re
import time
from difflib import SequenceMatcher

from benchmarks._common import DATA, RESULTS, machine, write_json
from benchmarks.demetr import DEV_LANGS, load
from mtqa.detect.untranslated import hits_in
from mtqa.languages import cognates, dictionaries, load_profile

_TOKEN = re.compile(r"\S+")
_EDGE = re.compile(r"^\W+|\W+$")


def one_word_swaps(folder: str) -> list[tuple[str, str, str]]:
    """(perturbed sentence, foreign word, replaced English word) of codemix items that differ in one word."""
    _, _, items = load(folder, DEV_LANGS)
    out = []
    for it in items[4]:
        a, c = _TOKEN.findall(it.mt), _TOKEN.findall(it.pert)
        ops = [o for o in SequenceMatcher(None, a, c, autojunk=False).get_opcodes() if o[0] != "equal"]
        if len(ops) == 1 and ops[0][2] - ops[0][1] == 1 and ops[0][4] - ops[0][3] == 1:
            out.append((it.pert, _EDGE.sub("", c[ops[0][3]]), _EDGE.sub("", a[ops[0][1]]).lower()))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DATA / "demetr"))
    ap.add_argument("--cuts", type=float, nargs="+", default=[0.75, 0.8, 0.82, 0.85, 0.9])
    ap.add_argument("--lang-profile", default="nl")
    ap.add_argument("--json", default=str(RESULTS / "cognates.json"))
    args = ap.parse_args(argv)
    started = time.perf_counter()
    profile = load_profile(args.lang_profile)
    words = []
    for sentence, foreign, english in one_word_swaps(args.data):
        hit = next((h for h in hits_in(sentence, profile) if h.word.text == foreign), None)
        if hit is not None and not dictionaries.english_options(foreign, hit.language):
            words.append((foreign, english, dictionaries.language_code(hit.language)))
    shipped, sweep = cognates.SIMILAR, {}
    for cut in args.cuts:
        got = [cognates.english_cognates(f, code, similar=cut) for f, _, code in words]
        sweep[str(cut)] = {
            "offered": sum(bool(g) for g in got),
            "right_among": sum(e in g for g, (_, e, _) in zip(got, words, strict=True)),
            "right_first": sum(bool(g) and g[0] == e for g, (_, e, _) in zip(got, words, strict=True)),
        }
        print(f"cut {cut:.2f}: {sweep[str(cut)]}")
    write_json(
        args.json,
        {
            "benchmark": "cognates",
            "machine": machine(),
            "data": "DEMETR dev codemix, one-word perturbations U101 flags that no installed dictionary translates",
            "dictionaries": list(dictionaries.installed()),
            "words": len(words),
            "shipped_cut": shipped,
            "sweep": sweep,
            "at_shipped_cut": sweep.get(str(shipped)),
            "seconds": round(time.perf_counter() - started, 1),
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
