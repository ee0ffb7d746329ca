"""mtqa: a source-free quality checker for machine-translated English news.

    >>> import mtqa
    >>> report = mtqa.check("Also warned the commander of the next phase.", source_lang="nl")
    >>> report.to_dict()["summary"]["verdict"]

Importing mtqa is cheap; the language model loads on the first check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from mtqa.pipeline import Settings, check, check_document
    from mtqa.report import Report

__all__ = ["Report", "Settings", "__version__", "check", "check_document"]


def __getattr__(name: str) -> object:
    if name in {"check", "check_document", "Settings"}:
        from mtqa import pipeline

        return getattr(pipeline, name)
    if name == "Report":
        from mtqa.report import Report

        return Report
    raise AttributeError(name)
