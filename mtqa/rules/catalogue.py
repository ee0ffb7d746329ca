"""Load the rule catalogue from the TOML files beside this module and format issues from it.

Detectors return a code and message fields; only this module turns them into `Issue`s, so a
rule's wording, category and default severity live in one place and can be listed
(`mtqa rules`), explained (`mtqa rule U101`) and tested from its own examples.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mtqa.core import Issue, Severity, Span, Suggestion

_HERE = Path(__file__).parent


FIX_CHECKS = ("lm", "rule")  # who decides that a suggestion is offered: the LM margin, or the rule's own guards


@dataclass(frozen=True, slots=True)
class Rule:
    """One catalogue entry."""

    code: str
    name: str
    category: str
    severity: Severity
    detector: str
    message: str
    summary: str
    fix: str
    fix_check: str  # one of FIX_CHECKS; "lm" puts suggestions to mtqa.rewrite.review's LM margin
    # False where the original holds words the meaning model cannot read (an untranslated word), so
    # its similarity says nothing about the rewrite; the LM margin and the kept-words guard still apply
    meaning_check: bool
    status: str
    explanation: str
    bad: tuple[str, ...]
    good: tuple[str, ...]


def _load() -> tuple[dict[str, Rule], str]:
    rules: dict[str, Rule] = {}
    digest = hashlib.sha256()
    for path in sorted(_HERE.glob("*.toml")):
        raw = path.read_bytes()
        digest.update(raw)
        for entry in tomllib.loads(raw.decode("utf-8")).get("rule", []):
            code = entry["code"]
            if code in rules:
                raise ValueError(f"rule code {code} defined twice ({path.name})")
            if entry.get("fix_check", "lm") not in FIX_CHECKS:
                raise ValueError(f"rule {code}: fix_check must be one of {', '.join(FIX_CHECKS)} ({path.name})")
            examples = entry.get("examples", {})
            rules[code] = Rule(
                code=code,
                name=entry["name"],
                category=entry["category"],
                severity=Severity.parse(entry["severity"]),
                detector=entry["detector"],
                message=entry["message"],
                summary=entry["summary"],
                fix=entry.get("fix", "never"),
                fix_check=entry.get("fix_check", "lm"),
                meaning_check=bool(entry.get("meaning_check", True)),
                status=entry.get("status", "preview"),
                explanation=entry.get("explanation", "").strip(),
                bad=tuple(examples.get("bad", ())),
                good=tuple(examples.get("good", ())),
            )
    return dict(sorted(rules.items())), digest.hexdigest()[:6]


CATALOGUE, CATALOGUE_DIGEST = _load()


def make_issue(
    code: str,
    *,
    span: Span,
    sentence_index: int,
    fields: Mapping[str, object],
    confidence: float = 1.0,
    severity: Severity | None = None,
    evidence: Mapping[str, float] | None = None,
    suggestions: tuple[Suggestion, ...] = (),
) -> Issue:
    """Build an Issue for catalogue rule `code`, formatting its message from `fields`."""
    rule = CATALOGUE[code]
    return Issue(
        code=code,
        name=rule.name,
        category=rule.category,
        severity=severity or rule.severity,
        confidence=round(float(confidence), 3),
        span=span,
        sentence_index=sentence_index,
        message=rule.message.format(**fields),
        evidence={k: round(float(v), 4) for k, v in (evidence or {}).items()},
        suggestions=suggestions,
    )
