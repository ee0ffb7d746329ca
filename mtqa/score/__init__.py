"""Language-model scoring: one primitive, token log-probabilities, behind the `Scorer` protocol.

Sentence fluency, surprisal peaks and rewrite ranking are all derived from `TokenScores` in
`mtqa.score.metrics`; nothing else in mtqa talks to a model directly.
"""

from mtqa.score.base import Scorer, TokenScores
from mtqa.score.loader import ModelError, load_scorer

__all__ = ["ModelError", "Scorer", "TokenScores", "load_scorer"]
