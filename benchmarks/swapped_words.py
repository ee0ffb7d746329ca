"""W103 swapped words on DEMETR: recall on word-swap perturbations against false flags on clean text.

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), checked word-swap perturbations (type 14) of
the dev languages, with the unperturbed MT and the human reference of the same items as the clean
controls (`benchmarks/local_edits.py` says how they are scored). The swaps tried are those of
`mtqa.detect.swap` (by default the pairs touching the damage model's most suspect word; `--thorough`:
every pair). The default margin (`swap.MIN_GAIN`) is the lowest whole number of nats that flags at most
0.5 % of the clean news (`--clean`), the level L103's major flags keep; `--thorough`'s margin
(`swap.MIN_GAIN_THOROUGH`) was chosen on the DEMETR references alone (the lowest with <= 1 % flagged).

    python -m benchmarks.swapped_words [--limit 200] [--thorough] [--clean] [--held-out] [--json PATH]
"""

from __future__ import annotations

from benchmarks.local_edits import Rule, main
from mtqa.detect import swap

RULE = Rule(
    code="W103",
    pert_id=14,
    perturbation="word swaps",
    name="swapped_words",
    options=swap.options,
    margin=lambda thorough: swap.MIN_GAIN_THOROUGH if thorough else swap.MIN_GAIN,
    also_score=swap.SwappedWordsDetector().candidate_texts,
    search=lambda thorough: "every pair" if thorough else "guided by the damage model",
    settings=lambda: {"words": swap.GUIDE_WORDS, "min_p_damaged": swap.GUIDE_MIN, "window_words": swap.WINDOW},
)

if __name__ == "__main__":
    raise SystemExit(main(RULE, __doc__ or ""))
