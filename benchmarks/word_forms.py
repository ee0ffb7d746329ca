"""G110 word forms on DEMETR: recall on POS-shift perturbations against false flags on clean text.

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), checked POS-shift perturbations (type 13: a
word replaced by another form of its family, 'the announce of') of the dev languages, with the
unperturbed MT and the human reference of the same items as the clean controls
(`benchmarks/local_edits.py` says how they are scored). The relatives tried are those of
`mtqa.detect.wordform`: the `TOP` most surprising lower-case words of at least `MIN_SURPRISAL` nats, each
replaced by the relatives `rules/wordforms.toml` gives it. The margin (`wordform.MIN_GAIN`) is the
lowest half nat that flags at most 0.5 % of the clean news (`--clean`), the level L103's major flags keep.

    python -m benchmarks.word_forms [--limit 200] [--clean] [--held-out] [--json PATH]
"""

from __future__ import annotations

from benchmarks.local_edits import Rule, main
from mtqa.detect import wordform

RULE = Rule(
    code="G110",
    pert_id=13,
    perturbation="POS shifts",
    name="word_forms",
    options=wordform.WordFormDetector().options,
    margin=lambda thorough: wordform.MIN_GAIN,
    search=lambda thorough: "the most surprising words",
    settings=lambda: {
        "top_words": wordform.TOP,
        "min_surprisal": wordform.MIN_SURPRISAL,
        "window_words": wordform.WINDOW,
        "fix_gain": wordform.FIX_GAIN,
    },
)

if __name__ == "__main__":
    raise SystemExit(main(RULE, __doc__ or ""))
