"""Source-free quality estimation: a fine-tuned MiniLM predicts DA-z quality, P(needs post-editing) and per-word P(BAD).

See `model.py` for the network and artifact checks, `calibrate.py` for the stored calibration maps.
"""

from mtqa.quality.model import QualityModel, QualityModelError, QualityScore, WordScore, load_quality_model

__all__ = ["QualityModel", "QualityModelError", "QualityScore", "WordScore", "load_quality_model"]
