"""Detectors, one module per kind, and the registry the pipeline runs in order."""

from mtqa.detect.agreement import AgreementDetector
from mtqa.detect.article import ArticleDetector
from mtqa.detect.base import Context, Detector
from mtqa.detect.boilerplate import BoilerplateDetector
from mtqa.detect.damage import DamageDetector
from mtqa.detect.falsefriend import FalseFriendDetector
from mtqa.detect.fluency import FluencyDetector
from mtqa.detect.garbled import GarbledClauseDetector
from mtqa.detect.loop import RepeatedPhraseDetector
from mtqa.detect.orphan import OrphanArticleDetector
from mtqa.detect.preposition import PrepositionDetector
from mtqa.detect.pronoun import PronounCaseDetector
from mtqa.detect.repetition import RepetitionDetector
from mtqa.detect.surface import SurfaceDetector
from mtqa.detect.swap import SwappedWordsDetector
from mtqa.detect.untranslated import UntranslatedDetector
from mtqa.detect.verbfinal import VerbFinalDetector
from mtqa.detect.wordform import WordFormDetector
from mtqa.detect.wordorder import WordOrderDetector

DETECTORS: dict[str, Detector] = {
    d.name: d
    for d in (
        BoilerplateDetector(),
        UntranslatedDetector(),
        RepetitionDetector(),
        RepeatedPhraseDetector(),
        OrphanArticleDetector(),
        ArticleDetector(),
        SurfaceDetector(),
        AgreementDetector(),
        PronounCaseDetector(),
        WordOrderDetector(),
        SwappedWordsDetector(),
        WordFormDetector(),
        PrepositionDetector(),
        VerbFinalDetector(),
        GarbledClauseDetector(),
        FalseFriendDetector(),
        FluencyDetector(),
        DamageDetector(),
    )
}

__all__ = ["DETECTORS", "Context", "Detector"]
