"""Bytes in, `Document` out: decode, refuse what is not text, extract HTML text, keep offsets.

Plain text and Markdown are kept exactly as decoded, so every offset points into the user's
file. HTML is reduced to its visible text; `offset_map` maps each character of that text back
to the decoded page. This module never guesses silently: every fallback adds a note.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

DEFAULT_MAX_BYTES = 2_000_000  # ~300k words, dozens of long articles; --max-bytes lifts it


class InputError(ValueError):
    """The input cannot be checked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Document:
    """Decoded text of one input, with how it was obtained."""

    text: str
    name: str = "<text>"
    format: str = "text"  # text | markdown | html
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()
    offset_map: tuple[int, ...] | None = field(default=None, repr=False)  # html: text index -> raw index
    comments: tuple[tuple[int, str], ...] = ()  # html: (text offset, body) of comments extraction removed


def read_bytes(path: str, *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: object = None) -> bytes:
    """Read a file (or '-' for stdin) with errors that say what to do."""
    if path == "-":
        import sys

        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)  # type: ignore[attr-defined]
        if len(data) > max_bytes:
            raise InputError(_too_big("standard input", None, max_bytes))
        return data
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{path} is a directory. Pass the article files inside it, e.g. {path}/*.txt.")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(_too_big(path, size, max_bytes))
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist. Check the path, or pass - to read standard input.") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied). Check its permissions.") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror}).") from None


def _too_big(name: str, size: int | None, limit: int) -> str:
    got = f" is {size:,} bytes" if size is not None else " is larger than the limit"
    default = " by default (several dozen articles)" if limit == DEFAULT_MAX_BYTES else ""
    return (
        f"{name}{got}; mtqa checks at most {limit:,} bytes ({_human(limit)}) per input{default}. "
        f"Split it, or pass --max-bytes {max(limit * 10, size or 0)} to lift the limit."
    )


def _human(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html\b|<head\b|<body\b|<article\b|<p\b|<div\b)", re.I)


def decode(data: bytes, name: str = "<text>", fmt: str | None = None) -> Document:
    """Decode bytes into a Document, refusing binary input and noting any fallback."""
    notes: list[str] = []
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise InputError(
                f"{name} is not text (NUL byte at offset {nul}). Pass a UTF-8 or Latin-1 text, Markdown or HTML file."
            )
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            encoding = "cp1252"
            text = data.decode("cp1252", errors="replace")
            notes.append(
                f"{name} is not valid UTF-8 (byte {exc.start}); decoded it as Windows-1252/Latin-1. "
                "Save it as UTF-8 to be sure of the characters."
            )
    else:
        text = data.decode(encoding, errors="replace")
    control = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if text and control / min(len(text), 65536) > 0.01:
        raise InputError(f"{name} looks binary ({control} control characters). Pass a text, Markdown or HTML file.")
    if not text.strip():
        raise InputError(f"{name} is empty (no text to check). Pass a file with the article text.")
    fmt = fmt or guess_format(name, text)
    if fmt == "html":
        extracted, mapping, comments = _extract(text)
        if not extracted.strip():
            raise InputError(f"{name} is HTML with no visible text. Pass the article page or its text.")
        notes.append(
            f"{name} is HTML: checked its visible text ({len(extracted)} of {len(text)} characters); "
            "offsets refer to that text."
        )
        return Document(extracted, name, "html", encoding, tuple(notes), tuple(mapping), tuple(comments))
    return Document(text, name, fmt, encoding, tuple(notes))


def guess_format(name: str, text: str) -> str:
    """Pick text, markdown or html from the file name, then from the content."""
    suffix = Path(name).suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    if _HTML_SNIFF.match(text) or len(re.findall(r"</(p|div|span|a|li|h[1-6])>", text[:20000], re.I)) >= 3:
        return "html"
    return "text"


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
# html.unescape's own pattern, so a walk over the raw text reproduces its output piece by piece
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")


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
            match = _CHARREF.match(self.raw, p)
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
    text, offsets, _ = _extract(raw)
    return text, offsets


def _extract(raw: str) -> tuple[str, list[int], list[tuple[int, str]]]:
    parser = _Extractor(raw)
    parser.feed(raw)
    parser.close()
    return "".join(parser.chars), parser.offsets, parser.comments
