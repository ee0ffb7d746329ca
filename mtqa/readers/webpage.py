"""Narrow an HTML page to its article with trafilatura, mapped back to the page.

trafilatura (a maintained extractor) finds the article and leaves out navigation, cookie banners,
bylines, related links and footers, but returns plain text without offsets. Each of its paragraphs
is therefore located in the page's visible text (`markup.html_to_text`), comparing with whitespace
collapsed and searching forward only, so the map stays in page order; a paragraph that cannot be
located is skipped and counted. When trafilatura is missing or finds nothing, the caller keeps the
visible text. This module never reads files and never fetches anything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

LOG = logging.getLogger(__name__)
LIST_BULLET = "- "


@dataclass(frozen=True, slots=True)
class Article:
    """The article text, the page offset of each character, and what was left out."""

    text: str
    offsets: tuple[int, ...]
    paragraphs: int
    unmatched: int


def _collapse(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; return the result and the index in `text` of each character."""
    chars: list[str] = []
    index: list[int] = []
    space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                chars.append(" ")
                index.append(i)
            space = True
        else:
            chars.append(ch)
            index.append(i)
            space = False
    return "".join(chars), index


def extract_article(raw: str, visible: str, offsets: list[int] | tuple[int, ...]) -> Article | None:
    """Return trafilatura's article text located in `visible` (mapped to `raw` by `offsets`), or None."""
    try:
        import trafilatura
    except ImportError:  # optional at run time: the visible text is the fallback
        LOG.debug("trafilatura is not installed")
        return None
    try:
        found = trafilatura.extract(raw, include_comments=False, include_tables=False, deduplicate=False)
    except Exception as exc:  # a third-party parser on hostile pages: never let it end the run
        LOG.debug("trafilatura failed: %s", exc)
        return None
    paragraphs = [" ".join(line.split()) for line in (found or "").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        return None
    collapsed, index = _collapse(visible)
    spans: list[tuple[int, int]] = []
    cursor = unmatched = 0
    for paragraph in paragraphs:
        at = collapsed.find(paragraph, cursor)
        if at < 0 and paragraph.startswith(LIST_BULLET):  # trafilatura's text output bullets list items
            paragraph = paragraph.removeprefix(LIST_BULLET)
            at = collapsed.find(paragraph, cursor)
        if at < 0:
            unmatched += 1
            continue
        spans.append((index[at], index[at + len(paragraph) - 1] + 1))
        cursor = at + len(paragraph)
    if not spans:
        return None
    chars: list[str] = []
    mapped: list[int] = []
    previous = None
    for start, end in spans:
        if previous is not None:
            breaks = [i for i in range(previous, start) if visible[i] == "\n"]
            if (len(breaks) < 2 and not visible[previous:start].strip()) or not breaks:  # same paragraph: keep as is
                chars.extend(visible[previous:start])
                mapped.extend(offsets[previous:start])
            else:  # a paragraph break (text may be left out between): one blank line where the page broke
                chars.extend("\n\n")
                mapped.extend([offsets[breaks[0]]] * 2)
        chars.extend(visible[start:end])
        mapped.extend(offsets[start:end])
        previous = end
    return Article("".join(chars), tuple(mapped), len(spans), unmatched)
