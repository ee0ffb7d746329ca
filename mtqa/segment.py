"""Document -> sentences with exact character offsets.

Paragraphs are split at blank lines; inside a paragraph, headings, list items and short
unpunctuated lines (headlines, web chrome) stand alone while wrapped prose lines (and any line
starting in lower case) are joined;
then sentences are split at final punctuation, respecting closing quotes, abbreviations,
initials and decimals. Markdown markup (heading hashes, list bullets, quote marks, code
fences, HTML comments) and mtqa suppression markers in any format are left out of sentence spans. For every sentence
`document.text[span.start:span.end] == sentence.text`. This module never alters text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.core import Sentence, Span
from mtqa.document import Document

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "no",
        "nos",
        "fig",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "est",
        "approx",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "al",
        "ca",
        "cf",
    ]
)
_TERMINAL = ".!?…"
_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
_LIST = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MARKER = re.compile(r"<!--\s*mtqa\s*:.*?-->", re.S | re.I)  # the same pattern as gate.MARKER
_SHORT_LINE = 45  # characters: wrapped prose lines are longer; headlines and chrome are shorter


def segment(document: Document) -> list[Sentence]:
    """Split a document into sentences with offsets into `document.text`."""
    text = document.text
    markdown = document.format == "markdown"
    masked = _masked(text, markdown)  # same length as text; markup blanked out
    sentences: list[Sentence] = []
    for paragraph, units in enumerate(_paragraph_units(masked, markdown)):
        for start, end, kind in units:
            for s, e in _split_sentences(masked, start, end):
                sentences.append(Sentence(len(sentences), Span(s, e), text[s:e], paragraph, kind))
    return sentences


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for match in re.finditer(r"\r\n|\r|\n", text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)


def _masked(text: str, markdown: bool) -> str:
    """Blank out markup that must never enter a sentence, keeping offsets.

    `<!-- mtqa: ... -->` suppression markers are blanked in every format (plain text too);
    Markdown also loses every other comment and its code fences.
    """
    if "<!--" in text:
        text = _MARKER.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    if not markdown:
        return text
    out = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    chars = list(out)
    fenced = False
    for start, end in _lines(out):
        is_fence = bool(_FENCE.match(out[start:end]))
        if fenced or is_fence:
            chars[start:end] = " " * (end - start)
        if is_fence:
            fenced = not fenced
    return "".join(chars)


def _paragraph_units(masked: str, markdown: bool) -> Iterator[list[tuple[int, int, str]]]:
    """Yield each paragraph of the masked text as a list of (start, end, kind) units to split."""
    units: list[tuple[int, int, str]] = []
    # [start, end, short] of prose being joined across lines; short: a single line under _SHORT_LINE
    open_unit: list[int] | None = None
    for start, end in _lines(masked):
        line = masked[start:end]
        if not line.strip():
            if open_unit:
                units.append((open_unit[0], open_unit[1], "prose"))
                open_unit = None
            if units:
                yield units
                units = []
            continue
        kind = "prose"
        body = start
        for pattern, name in ((_HEADING, "heading"), (_LIST, "list-item"), (_QUOTE, "prose")):
            if markdown or name == "list-item":
                match = pattern.match(line)
                if match:
                    body, kind = start + match.end(), name
                    break
        body += len(masked[body:end]) - len(masked[body:end].lstrip())
        stripped_end = body + len(masked[body:end].rstrip())
        if kind == "heading":  # an optional closing sequence: "## Title ##"
            closing = _CLOSING_HASHES.search(masked, body, stripped_end)
            if closing and closing.start() > body:
                stripped_end = closing.start()
        if stripped_end <= body:
            continue
        # A line continues the prose above if it starts in lower case, or if the text above is
        # wrapped prose (not a short headline-like line) that has not reached final punctuation.
        continues = (
            open_unit is not None
            and kind == "prose"
            and (masked[body].islower() or (not open_unit[2] and masked[open_unit[1] - 1] not in _TERMINAL + _CLOSERS))
        )
        if continues:
            open_unit[1:] = [stripped_end, 0]  # type: ignore[index]
            continue
        if open_unit:
            units.append((open_unit[0], open_unit[1], "prose"))
            open_unit = None
        if kind != "prose":
            units.append((body, stripped_end, kind))
        else:
            open_unit = [body, stripped_end, int(stripped_end - body < _SHORT_LINE)]
    if open_unit:
        units.append((open_unit[0], open_unit[1], "prose"))
    if units:
        yield units


_BOUNDARY = re.compile(rf"[{_TERMINAL}]+[{re.escape(_CLOSERS)}]*(?=\s+[{re.escape(_OPENERS)}]*[^\s{_OPENERS}])")


def _split_sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split text[start:end] (the masked text) at sentence boundaries; yields trimmed (start, end) pairs."""
    chunk = text[start:end]
    cut = 0
    for match in _BOUNDARY.finditer(chunk):
        if not _is_boundary(chunk, match):
            continue
        yield from _trim(text, start + cut, start + match.end())
        cut = match.end()
    yield from _trim(text, start + cut, end)


_SKIP_OPENERS = re.compile(rf"\s*[{re.escape(_OPENERS)}]*")


def _is_boundary(chunk: str, match: re.Match[str]) -> bool:
    # Look only at the next character and the word before the match, never at the whole
    # chunk: a paragraph can be megabytes long, and slicing it per candidate is quadratic.
    nxt = _SKIP_OPENERS.match(chunk, match.end()).end()  # type: ignore[union-attr]
    if nxt >= len(chunk) or not (chunk[nxt].isupper() or chunk[nxt].isdigit()):
        return False
    if match.group().startswith(".") and len(match.group().rstrip(_CLOSERS)) == 1:
        begin = match.start()
        while begin > 0 and (chunk[begin - 1].isalnum() or chunk[begin - 1] in "._"):  # [\w.]+ before it
            begin -= 1
        token = chunk[begin : match.start()].lower()
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            return False
        if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):  # U.S, e.g, i.e
            return False
    return True


def _trim(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end
