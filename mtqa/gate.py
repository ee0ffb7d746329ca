"""The gate between findings and a verdict: allowlists, select/ignore, inline suppressions, baseline, diff.

Detectors report everything they find; this module decides which findings a user asked not to see
(allowlisted words, deselected rules, `<!-- mtqa: ignore -->` markers) and which ones may fail the
build (not in the baseline, inside the lines changed since a git revision). Waived issues stay in
the report, marked, so nobody wonders where they went. Unused suppressions become X101 issues.
This module never reads the article files itself and never prints.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from mtqa.core import Issue, Sentence, Span
from mtqa.report import Report, SentenceReport
from mtqa.rules.catalogue import CATALOGUE, Rule, make_issue

EXACT = 10  # a full code or rule name beats any prefix or category


# --- rule selection ------------------------------------------------------------------------


def specificity(selector: str, rule: Rule) -> int | None:
    """How precisely `selector` names `rule` (higher is more specific), or None if it does not.

    Full code or name: 10; code prefix: its length (U=1, W1=2, W10=3); category: its depth
    (accuracy=1, accuracy/untranslated=2); ALL: 0. The most specific selector wins, so
    `--select U --ignore U101` keeps every U rule but U101, and `--ignore W --select W103` keeps W103.
    """
    text = selector.strip()
    if text.upper() == "ALL":
        return 0
    if text.upper() == rule.code or text.lower() == rule.name:
        return EXACT
    best: int | None = None
    if re.fullmatch(r"[A-Za-z]\d{0,2}", text) and rule.code.startswith(text.upper()):
        best = len(text)
    parts, cat = text.lower().strip("/").split("/"), rule.category.split("/")
    if text and cat[: len(parts)] == parts:
        best = max(best or 0, len(parts))
    return best


def matches_any(selector: str) -> bool:
    """Return True if `selector` names at least one catalogue rule."""
    return selector.strip().upper() == "ALL" or any(specificity(selector, r) is not None for r in CATALOGUE.values())


def _best(selectors: Iterable[str], rule: Rule) -> int | None:
    found = [s for s in (specificity(sel, rule) for sel in selectors) if s is not None]
    return max(found) if found else None


@functools.lru_cache(maxsize=256)
def enabled_codes(select: tuple[str, ...], ignore: tuple[str, ...]) -> frozenset[str]:
    """Return the codes enabled by `select` (empty = all) minus `ignore`; the longest match wins, ties ignore."""
    out = set()
    for code, rule in CATALOGUE.items():
        chosen = _best(select or ("ALL",), rule)
        dropped = _best(ignore, rule)
        if chosen is not None and (dropped is None or chosen > dropped):
            out.add(code)
    return frozenset(out)


def named_exactly(selectors: Sequence[str]) -> frozenset[str]:
    """Return the codes that `selectors` name by full code or rule name (not by prefix or category)."""
    return frozenset(code for code, rule in CATALOGUE.items() if any(specificity(s, rule) == EXACT for s in selectors))


def codes_matching(selectors: Sequence[str]) -> frozenset[str]:
    """Return the codes any of `selectors` names (all codes for an empty list)."""
    if not selectors:
        return frozenset(CATALOGUE)
    return frozenset(code for code, rule in CATALOGUE.items() if _best(selectors, rule) is not None)


# --- allowlist ------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split()).strip(".,;:!?\"'“”‘’()[]")


def allowed_spans(sentence: Sentence, words: frozenset[str]) -> list[Span]:
    """Return the spans (document offsets) of allowlisted words or phrases in a sentence."""
    if not words:
        return []
    folded = sentence.text.casefold()
    spans = []
    for phrase in words:
        pattern = r"(?<!\w)" + r"\s+".join(re.escape(p) for p in phrase.split()) + r"(?!\w)"
        for match in re.finditer(pattern, folded):
            spans.append(Span(sentence.span.start + match.start(), sentence.span.start + match.end()))
    return spans


def drop_allowed(issues: list[Issue], sentences: Sequence[Sentence], text: str, words: frozenset[str]) -> list[Issue]:
    """Drop issues whose span is an allowlisted word or phrase, or lies inside one.

    Applied centrally after every detector, so a publication's names and house terms are respected
    by every rule, not only by the ones that know about allowlists. Whole-sentence issues stay.
    """
    if not words:
        return issues
    by_index = {s.index: s for s in sentences}
    cache: dict[int, list[Span]] = {}
    kept = []
    for issue in issues:
        sentence = by_index.get(issue.sentence_index)
        if sentence is not None and issue.span != sentence.span and len(issue.span):
            if _normalise(text[issue.span.start : issue.span.end]) in words:
                continue
            spans = cache.setdefault(sentence.index, allowed_spans(sentence, words))
            if any(s.contains(issue.span) for s in spans):
                continue
        kept.append(issue)
    return kept


# --- inline suppressions ------------------------------------------------------------------------

MARKER = re.compile(r"<!--\s*mtqa\s*:(.*?)-->", re.S | re.I)
ACTIONS = ("ignore", "ignore-paragraph", "off", "on")


@dataclass(frozen=True, slots=True)
class Directive:
    """One `<!-- mtqa: ACTION [CODES] -->` marker: where it is and what it asks."""

    span: Span  # the comment in the document text (empty for HTML comments removed by extraction)
    action: str  # ignore | ignore-paragraph | off | on, or "" when the marker is not understood
    selectors: tuple[str, ...]
    problem: str = ""  # why the marker is invalid

    @property
    def label(self) -> str:
        return " ".join((self.action, *self.selectors)).strip()


def parse_directive(body: str, span: Span) -> Directive:
    """Parse the inside of one marker comment (the text after `mtqa:`); never raises."""
    words = [w for w in re.split(r"[\s,]+", body.strip()) if w]
    if not words:
        return Directive(span, "", (), "an empty mtqa marker; write `mtqa: ignore U101` or `mtqa: off`")
    action, selectors = words[0].lower(), tuple(words[1:])
    if action not in ACTIONS:
        return Directive(span, "", tuple(words), f"unknown mtqa marker {words[0]!r}; use one of {', '.join(ACTIONS)}")
    if action == "on" and selectors:
        return Directive(span, action, selectors, "`mtqa: on` takes no rule codes; it ends every `off` region")
    bad = [s for s in selectors if not matches_any(s)]
    if bad:
        return Directive(span, action, selectors, f"{', '.join(map(repr, bad))} matches no rule (see `mtqa rules`)")
    return Directive(span, action, selectors)


def find_directives(text: str, comments: Sequence[tuple[int, str]] = ()) -> list[Directive]:
    """Find mtqa markers in document text, plus HTML comments the reader removed: (text offset, body)."""
    found = [parse_directive(m.group(1), Span(m.start(), m.end())) for m in MARKER.finditer(text)]
    for offset, body in comments:
        inner = re.match(r"\s*mtqa\s*:(.*)$", body, re.S | re.I)
        if inner:
            found.append(parse_directive(inner.group(1), Span(offset, offset)))
    return sorted(found, key=lambda d: d.span)


def mask_markers(text: str) -> str:
    """Blank out mtqa markers (keeping newlines and offsets) so they never enter a sentence."""
    return MARKER.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def suppress(
    issues: list[Issue], sentences: Sequence[Sentence], directives: Sequence[Directive], active: frozenset[str]
) -> tuple[list[Issue], list[Issue]]:
    """Apply inline markers; return (kept issues, X101 issues for unused or invalid markers).

    `ignore` covers the next sentence, `ignore-paragraph` that sentence's paragraph, `off`..`on` a
    region (to the end if never closed). No codes means every rule. A marker counts as unused only if
    a rule it names actually ran (`active`), so `--no-lm` does not make L-rule markers look stale.
    """
    if not directives:
        return issues, []
    scopes: list[tuple[Directive, set[int]]] = []  # directive -> sentence indices it covers
    stray: list[Directive] = []
    open_regions: list[Directive] = []
    starts = [s.span.start for s in sentences]

    def next_sentence(at: int) -> Sentence | None:
        return next((s for s, start in zip(sentences, starts) if start >= at), None)

    def region(begin: int, end: int) -> set[int]:
        return {s.index for s in sentences if begin <= s.span.start < end}

    for d in directives:
        if d.problem:
            stray.append(d)
        elif d.action == "ignore":
            target = next_sentence(d.span.end)
            scopes.append((d, {target.index} if target else set()))
        elif d.action == "ignore-paragraph":
            target = next_sentence(d.span.end)
            scopes.append((d, {s.index for s in sentences if target and s.paragraph == target.paragraph}))
        elif d.action == "off":
            open_regions.append(d)
        elif d.action == "on":
            if not open_regions:
                stray.append(dataclasses.replace(d, problem="`mtqa: on` without an `mtqa: off` before it"))
            for opened in open_regions:
                scopes.append((opened, region(opened.span.end, d.span.start)))
            open_regions = []
    end = max([s.span.end for s in sentences], default=0) + 1
    scopes.extend((opened, region(opened.span.end, end)) for opened in open_regions)

    used: set[int] = set()
    kept = []
    for issue in issues:
        hit = False
        for n, (d, covered) in enumerate(scopes):
            if issue.sentence_index in covered and (not d.selectors or issue.code in codes_matching(d.selectors)):
                used.add(n)
                hit = True
        if not hit:
            kept.append(issue)
    unused = [
        (d, "matched no issue")
        for n, (d, _) in enumerate(scopes)
        if n not in used and codes_matching(d.selectors) & active
    ]
    unused += [(d, d.problem) for d in stray]
    x101 = []
    for d, why in sorted(unused, key=lambda p: p[0].span):
        target = next_sentence(d.span.start) or (sentences[-1] if sentences else None)
        if target is None:
            continue
        x101.append(
            make_issue(
                "X101",
                span=d.span,
                sentence_index=target.index,
                fields={"marker": d.label or "(empty)", "why": why},
            )
        )
    return kept, x101


# --- baseline --------------------------------------------------------------------------------

BASELINE_VERSION = 1


def fingerprint(issue: Issue, sentence_text: str) -> str:
    """Return a fingerprint of an issue that survives moved lines: its code and its sentence's words."""
    words = " ".join(sentence_text.casefold().split())
    return hashlib.sha256(f"{issue.code}\x00{words}".encode()).hexdigest()[:16]


def baseline_entries(reports: Sequence[Report]) -> list[dict[str, str]]:
    """Return one baseline entry per issue: fingerprint, code, file, sentence."""
    entries = []
    for report in reports:
        for s in report.sentences:
            for issue in s.issues:
                if issue.code != "X101":
                    entries.append(
                        {
                            "fingerprint": fingerprint(issue, s.text),
                            "code": issue.code,
                            "file": report.name,
                            "sentence": s.text,
                        }
                    )
    return sorted(entries, key=lambda e: (e["file"], e["code"], e["fingerprint"]))


def baseline_text(reports: Sequence[Report]) -> str:
    """Render the baseline file (JSON, sorted, one entry per issue)."""
    doc = {"mtqa_baseline": BASELINE_VERSION, "issues": baseline_entries(reports)}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class GateError(ValueError):
    """A baseline or diff problem; the message says what to do."""


def read_baseline(path: Path) -> Counter[str]:
    """Read a baseline file into a multiset of fingerprints."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GateError(
            f"baseline {path} does not exist. Create it with `mtqa check --write-baseline {path}`."
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GateError(f"baseline {path} cannot be read ({exc}). Write it again with --write-baseline.") from None
    if (
        not isinstance(doc, dict)
        or doc.get("mtqa_baseline") != BASELINE_VERSION
        or not isinstance(doc.get("issues"), list)
    ):
        raise GateError(f"{path} is not an mtqa baseline (version {BASELINE_VERSION}). Write it with --write-baseline.")
    prints = [e.get("fingerprint") for e in doc["issues"] if isinstance(e, dict)]
    return Counter(p for p in prints if isinstance(p, str))


def _waive(report: Report, decide: Callable[[SentenceReport, Issue], str]) -> Report:
    sentences = []
    for s in report.sentences:
        issues = tuple(i if i.waiver else dataclasses.replace(i, waiver=decide(s, i)) for i in s.issues)
        sentences.append(dataclasses.replace(s, issues=issues))
    return dataclasses.replace(report, sentences=tuple(sentences))


def apply_baseline(report: Report, known: Counter[str]) -> Report:
    """Mark issues already in the baseline (each baseline entry covers one issue); they no longer fail."""

    def decide(s: SentenceReport, issue: Issue) -> str:
        key = fingerprint(issue, s.text)
        if known[key] > 0:
            known[key] -= 1
            return "baseline"
        return ""

    return _waive(report, decide)


# --- diff mode -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Changes:
    """Lines of a file changed since a revision: added/modified lines, and deletion points (after line n)."""

    lines: frozenset[int]
    deletions: frozenset[int]
    whole: bool = False  # the file is new (untracked or absent at the revision)

    def touches(self, first: int, last: int) -> bool:
        """Return True if a sentence on lines first..last changed."""
        if self.whole or any(first <= n <= last for n in self.lines):
            return True
        return any(first <= n and n + 1 <= last for n in self.deletions)


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


def parse_diff(diff: str) -> Changes:
    """Parse `git diff -U0` output into changed line numbers of the new file."""
    lines: set[int] = set()
    deletions: set[int] = set()
    for match in _HUNK.finditer(diff):
        start, count = int(match.group(1)), int(match.group(2) or 1)
        if count == 0:
            deletions.add(start)
        lines.update(range(start, start + count))
    return Changes(frozenset(lines), frozenset(deletions))


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GateError("--diff needs git, which is not installed. Install git or drop --diff.") from None


def changes_since(path: str, rev: str) -> Changes:
    """Return the lines of `path` changed since git revision `rev` (working tree against rev)."""
    if path == "-":
        raise GateError("--diff cannot be used with standard input. Pass the files from a git checkout.")
    file = Path(path).resolve()
    folder = file.parent
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise GateError(
            f"--diff needs a git repository, and {path} is not inside one. Drop --diff or run in a checkout."
        )
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], folder).returncode != 0:
        raise GateError(
            f"--diff: {rev!r} is not a git revision here. Pass a commit, branch or tag such as origin/main."
        )
    if _git(["ls-files", "--error-unmatch", "--", file.name], folder).returncode != 0:
        return Changes(frozenset(), frozenset(), whole=True)
    diff = _git(["diff", "--no-color", "--no-ext-diff", "-U0", rev, "--", file.name], folder)
    if diff.returncode != 0:
        raise GateError(f"git diff failed for {path}: {diff.stderr.strip()}. Check the revision and the path.")
    return parse_diff(diff.stdout)


def apply_diff(report: Report, changes: Changes, line_of: Callable[[int], int] | None = None) -> Report:
    """Mark issues in sentences untouched since the revision as 'unchanged'; they no longer fail."""
    line = line_of or (lambda offset: report.line_col(offset)[0])

    def decide(s: SentenceReport, issue: Issue) -> str:
        return "" if changes.touches(line(s.span.start), line(max(s.span.start, s.span.end - 1))) else "unchanged"

    return _waive(report, decide)


def raw_line_of(offset_map: Sequence[int], raw_line_starts: Sequence[int]) -> Callable[[int], int]:
    """Map a text offset to a 1-based line of the raw file, through a reader's offset map."""
    import bisect

    def line(offset: int) -> int:
        raw = offset_map[min(offset, len(offset_map) - 1)] if offset_map else offset
        return max(bisect.bisect_right(raw_line_starts, raw), 1)

    return line


def config_digest(parts: Mapping[str, object]) -> str:
    """Return a short digest of non-default gate settings, for the report signature."""
    blob = json.dumps({k: v for k, v in parts.items() if v}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:6]
