"""Detectors, one module per kind, and the registry the pipeline runs in order."""

from mtqa.detect.base import Context, Detector
from mtqa.detect.boilerplate import BoilerplateDetector
from mtqa.detect.fluency import FluencyDetector
from mtqa.detect.repetition import RepetitionDetector
from mtqa.detect.untranslated import UntranslatedDetector

DETECTORS: dict[str, Detector] = {
    d.name: d for d in (BoilerplateDetector(), UntranslatedDetector(), RepetitionDetector(), FluencyDetector())
}

__all__ = ["DETECTORS", "Context", "Detector"]
