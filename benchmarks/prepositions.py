"""G111 prepositions on DEMETR: recall on function-word perturbations against false flags on clean text.

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), checked function-word perturbations (type 16:
a function word replaced by another; about 40 % of them are 'a'/'an' swaps, which G109 reads and G111
cannot) of the dev languages, with the unperturbed MT and the human reference of the same items as the
clean controls (`benchmarks/local_edits.py` says how they are scored). The alternatives tried are those
of `mtqa.detect.preposition`: the most surprising preposition of at least `min_surprisal` nats, replaced
by each common preposition of `rules/prepositions.toml`. The margin (`PrepositionDetector.margin`) flags well
under 0.5 % of the clean news (`--clean`), the level L103's major flags keep (8 nats, at 0.47 %, was too near).

    python -m benchmarks.prepositions [--limit 200] [--clean] [--held-out] [--json PATH]
"""

from __future__ import annotations

from benchmarks.local_edits import main, substitution_rule
from mtqa.detect.preposition import PrepositionDetector

RULE = substitution_rule(PrepositionDetector(), 16, "function-word changes", "prepositions")

if __name__ == "__main__":
    raise SystemExit(main(RULE, __doc__ or ""))
