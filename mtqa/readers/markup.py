"""Markup to text with an offset map: HTML pages by their visible text, NITF and NewsML-G2 by their story.

Both walk the decoded markup with `html.parser` and record, for every character they emit, its offset
in the markup: plain characters map one to one, a character reference maps to its '&', and an
inserted paragraph break maps to the '<' of the tag that caused it. Nothing here decodes bytes or
decides formats; `mtqa.document` does.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from mtqa.core import CHARREF

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
        "title",
    ]
)
_SKIP_TAGS = frozenset(["script", "style", "noscript", "template", "svg"])


class _Extractor(HTMLParser):
    """Collect visible text with the raw offset of every character."""

    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = raw
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.skip = 0
        self.comments: list[tuple[int, str]] = []  # (offset in the extracted text, comment body)
        self.in_head = False  # <head> is often left open; <body> or any block tag closes it

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, start: int, per_char: bool = True) -> None:
        for i, ch in enumerate(text):
            self.chars.append(ch)
            self.offsets.append(start + (i if per_char else 0))

    def _break(self) -> None:
        """End the paragraph: make sure the text so far ends in a blank line."""
        if self.chars and self.chars[-2:] != ["\n", "\n"]:
            self._emit("\n\n", self._pos(), per_char=False)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "head":
            self.in_head = True
        elif tag == "body" or (tag in _BLOCK_TAGS and tag != "title"):
            self.in_head = False
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self._break()

    def handle_comment(self, data: str) -> None:
        if not self.skip:
            self.comments.append((len(self.chars), data))

    def handle_data(self, data: str) -> None:
        """Emit text whose character references the parser already resolved, mapped to the raw page.

        `data` is `html.unescape` of the raw text from the current position; walk that raw text
        again so plain characters map one to one and each reference maps to its '&'.
        """
        if self.skip or self.in_head:
            return
        pos = p = self._pos()
        pieces: list[tuple[str, int, bool]] = []
        produced = 0
        while produced < len(data) and p < len(self.raw):
            match = CHARREF.match(self.raw, p)
            if match:
                piece = html.unescape(match.group())
                pieces.append((piece, p, piece == match.group()))
                p = match.end()
            else:
                piece = self.raw[p]
                pieces.append((piece, p, True))
                p += 1
            produced += len(piece)
        if "".join(piece for piece, _, _ in pieces) != data:  # should not happen; keep the text, lose precision
            self._emit(data, pos, per_char=False)
            return
        for piece, start, per_char in pieces:
            self._emit(piece, start, per_char)


def html_to_text(raw: str) -> tuple[str, list[int]]:
    """Return the visible text of an HTML page and the raw offset of each of its characters."""
    text, offsets, _ = html_extract(raw)
    return text, offsets


def html_extract(raw: str) -> tuple[str, list[int], list[tuple[int, str]]]:
    """Like `html_to_text`, plus the comments extraction removed: (offset in the text, body)."""
    parser = _Extractor(raw)
    parser.feed(raw)
    parser.close()
    return "".join(parser.chars), parser.offsets, parser.comments


# NITF 3.x (body.head/hedline/hl1, body.content/p) and NewsML-G2 (contentMeta/headline,
# contentSet/inlineXML holding NITF or XHTML); element names without their namespace prefix
_NEWS_HEADLINES = frozenset(["hl1", "hl2", "headline", "subheadline"])
_NEWS_BODY_BLOCKS = frozenset(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li"])
_NEWS_BODIES = frozenset(["body.content", "inlinexml"])


class _NewsExtractor(_Extractor):
    """Collect headlines and body paragraphs of a wire story, each block with the raw offset of every character."""

    def __init__(self, raw: str) -> None:
        super().__init__(raw)
        self.stack: list[str] = []
        self.blocks: list[tuple[str, list[str], list[int], int]] = []  # kind, chars, offsets, raw end
        self.current: tuple[str, list[str], list[int]] | None = None
        self.depth = 0  # stack depth where the current block started

    def handle_starttag(self, tag: str, attrs: list) -> None:
        name = tag.rsplit(":", 1)[-1]
        self.stack.append(name)
        if self.current is not None:
            return
        if name in _NEWS_HEADLINES:
            self.current, self.depth = ("heading", [], []), len(self.stack)
        elif name in _NEWS_BODY_BLOCKS and any(b in self.stack for b in _NEWS_BODIES):
            kind = "heading" if name.startswith("h") and name != "hl" else "body"
            self.current, self.depth = (kind, [], []), len(self.stack)

    def handle_endtag(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        if name not in self.stack:
            return
        while self.stack:
            if self.current is not None and len(self.stack) == self.depth:
                kind, chars, offsets = self.current
                self.blocks.append((kind, chars, offsets, self._pos()))
                self.current = None
            if self.stack.pop() == name:
                break

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def _emit(self, text: str, start: int, per_char: bool = True) -> None:
        if self.current is None:
            return
        for i, ch in enumerate(text):
            self.current[1].append(ch)
            self.current[2].append(start + (i if per_char else 0))


def news_xml_to_text(raw: str) -> tuple[str, list[int]]:
    """Return the headline and body paragraphs of a NITF or NewsML-G2 story and the raw offset of each character.

    Blocks are trimmed and joined by blank lines (which map to the '<' closing the block before);
    a headline repeated inside the embedded story is kept once.
    """
    parser = _NewsExtractor(raw)
    parser.feed(raw)
    parser.close()
    chars: list[str] = []
    offsets: list[int] = []
    headlines: set[str] = set()
    last_end = 0
    for kind, block, where, end in parser.blocks:
        text = "".join(block)
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            continue
        key = " ".join(text.split())
        if key in headlines:  # the headline again, e.g. as the embedded story's <h1>
            continue
        if kind == "heading":
            headlines.add(key)
        if chars:
            chars.extend("\n\n")
            offsets.extend([last_end, last_end])
        chars.extend(text)
        offsets.extend(where[lead : lead + len(text)])
        last_end = end
    return "".join(chars), offsets
