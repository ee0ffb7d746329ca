"""G110 word forms on DEMETR: recall on POS-shift perturbations against false flags on clean text.

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), checked POS-shift perturbations (type 13: a
word replaced by another form of its family, 'the announce of') of the dev languages, with the
unperturbed MT and the human reference of the same items as the clean controls
(`benchmarks/local_edits.py` says how they are scored). The relatives tried are those of
`mtqa.detect.wordform`: the `top` most surprising lower-case words of at least `min_surprisal` nats, each
replaced by the relatives `rules/wordforms.toml` gives it. The margin (`WordFormDetector.margin`) is the
lowest half nat that flags at most 0.5 % of the clean news (`--clean`), the level L103's major flags keep.

    python -m benchmarks.word_forms [--limit 200] [--clean] [--held-out] [--json PATH]
"""

from __future__ import annotations

from benchmarks.local_edits import main, substitution_rule
from mtqa.detect.wordform import WordFormDetector

RULE = substitution_rule(WordFormDetector(), 13, "POS shifts", "word_forms")

if __name__ == "__main__":
    raise SystemExit(main(RULE, __doc__ or ""))
