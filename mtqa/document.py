"""Bytes in, `Document` out: decode, refuse what is not text, extract the story, keep offsets.

Plain text and Markdown are kept exactly as decoded, so every offset points into the user's
file. Other formats are reduced to their article text by a reader (`mtqa.readers`): HTML pages
to the article trafilatura finds (the page's visible text when it finds none), Word .docx to its
body paragraphs, NITF and NewsML-G2 wire stories to headline and body paragraphs. For those,
`offset_map` maps each character of the text back into `source`, the original the editor opened
(the decoded page or feed; for .docx its paragraph stream), and `source_position` turns that
into a line and column (for .docx: paragraph and character). The format comes from the file
name, then from the content. This module never guesses silently: every fallback adds a note.
"""

from __future__ import annotations

import bisect
import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.core import Span, line_col, map_offset, map_span
from mtqa.readers import ReaderError
from mtqa.readers.markup import html_extract, html_to_text, news_xml_to_text

__all__ = ["DEFAULT_MAX_BYTES", "Document", "InputError", "decode", "guess_format", "html_to_text", "read_bytes"]

DEFAULT_MAX_BYTES = 2_000_000  # ~300k words, dozens of long articles; --max-bytes lifts it


class InputError(ValueError):
    """The input cannot be checked; the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Document:
    """Decoded text of one input, with how it was obtained."""

    text: str
    name: str = "<text>"
    format: str = "text"  # text | markdown | html | docx | nitf | newsml
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()
    offset_map: tuple[int, ...] | None = field(default=None, repr=False)  # text index -> index into source
    source: str | None = field(default=None, repr=False, compare=False)  # what offset_map points into
    comments: tuple[tuple[int, str], ...] = ()  # html: (text offset, body) of comments extraction removed

    def source_span(self, span: Span) -> Span:
        """Return the span of the original that `span` of the text was read from."""
        return map_span(span, self.offset_map, self.source)

    def source_position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column in the original of text offset `offset` (.docx: paragraph, character)."""
        original = self.source if self.source is not None else self.text
        starts = [0, *(m.end() for m in re.finditer("\n", original))]
        return line_col(starts, map_offset(offset, self.offset_map))


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


def _as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("mtqa-cp1252", _as_cp1252)


def _decode_mixed(data: bytes) -> tuple[str, int | None]:
    """Decode UTF-8 with stray Windows-1252 bytes; the count of those is None when no UTF-8 is present.

    A file pasted together from a UTF-8 and a Latin-1 source is common in newsrooms; decoding all of
    it as Windows-1252 would garble the UTF-8 part ('Ã©' for 'é').
    """
    if not any(ord(ch) > 127 for ch in data.decode("utf-8", errors="ignore")):
        return "", None  # no valid multi-byte UTF-8 at all: a legacy 8-bit file
    invalid = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
    return data.decode("utf-8", errors="mtqa-cp1252"), invalid


def decode(data: bytes, name: str = "<text>", fmt: str | None = None) -> Document:
    """Decode bytes into a Document, refusing binary input and noting any fallback."""
    from mtqa.readers import word

    if fmt == "docx" or (fmt is None and (word.is_docx(data) or Path(name).suffix.lower() == ".docx")):
        return _decode_docx(data, name)
    notes: list[str] = []
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            kind = "; a ZIP archive, but not a Word .docx" if data.startswith(b"PK\x03\x04") else ""
            raise InputError(
                f"{name} is not text (NUL byte at offset {nul}{kind}). Pass a UTF-8 or Latin-1 text, Markdown, "
                "HTML, Word .docx, NITF or NewsML-G2 file."
            )
        try:
            text = data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError as exc:
            text, invalid = _decode_mixed(data)
            if invalid is not None:
                encoding = "utf-8"
                notes.append(
                    f"{name} mixes encodings: UTF-8 with {invalid} bytes that are not (first at byte {exc.start}); "
                    "decoded those as Windows-1252/Latin-1. Save it as UTF-8 to be sure of the characters."
                )
            else:
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
    if fmt in {"html", "html-visible"}:
        return _decode_html(text, name, encoding, notes, article=fmt == "html")
    if fmt == "xml":
        raise InputError(
            f"{name} is XML but neither NITF nor NewsML-G2. Pass the story as text, or --input-format text "
            "to check the file as it is."
        )
    if fmt in {"nitf", "newsml"}:
        extracted, mapping = news_xml_to_text(text)
        label = "NITF" if fmt == "nitf" else "NewsML-G2"
        if not extracted.strip():
            raise InputError(
                f"{name} is {label} XML with no headline or body paragraphs (hl1/headline, body.content or "
                "inlineXML <p>). Pass the story itself, or its text."
            )
        notes.append(
            f"{name} is {label}: checked its headline and body paragraphs ({len(extracted)} of {len(text)} "
            "characters); offsets refer to that text, and map back to the feed file."
        )
        return Document(extracted, name, fmt, encoding, tuple(notes), tuple(mapping), text)
    return Document(text, name, fmt, encoding, tuple(notes))


def _decode_html(text: str, name: str, encoding: str, notes: list[str], *, article: bool = True) -> Document:
    """Check the article trafilatura finds in the page; fall back to the page's visible text."""
    from mtqa.readers.webpage import extract_article

    visible, mapping, comments = html_extract(text)
    if not visible.strip():
        raise InputError(f"{name} is HTML with no visible text. Pass the article page or its text.")
    found = extract_article(text, visible, mapping) if article else None
    if found is None:
        why = "; the article extractor found no article in it" if article else ""
        notes.append(
            f"{name} is HTML: checked its visible text ({len(visible)} of {len(text)} characters{why}); "
            "offsets refer to that text."
        )
        return Document(visible, name, "html", encoding, tuple(notes), tuple(mapping), text, tuple(comments))
    skipped = f"; {found.unmatched} extracted paragraphs not found in the page were skipped" * bool(found.unmatched)
    notes.append(
        f"{name} is HTML: checked the article trafilatura found ({found.paragraphs} paragraphs, "
        f"{len(found.text)} of {len(visible)} visible characters; navigation and page chrome left out{skipped}); "
        "offsets refer to that text. Pass --input-format html-visible to check all visible text."
    )
    # suppression comments keep their place: the first article character at or after the comment in the page
    raw_at = [mapping[v] if v < len(mapping) else len(text) for v, _ in comments]
    moved = tuple((bisect.bisect_left(found.offsets, at), body) for at, (_, body) in zip(raw_at, comments, strict=True))
    return Document(found.text, name, "html", encoding, tuple(notes), found.offsets, text, moved)


def _decode_docx(data: bytes, name: str) -> Document:
    from mtqa.readers.word import docx_to_text

    try:
        text, mapping, source = docx_to_text(data, name)
    except ReaderError as exc:
        raise InputError(str(exc)) from None
    if not text.strip():
        raise InputError(f"{name} is a Word file with no text in its body paragraphs. Pass the article text.")
    note = (
        f"{name} is a Word .docx: checked its body paragraphs ({len(text)} characters; tables, headers and "
        "footnotes not read); offsets refer to that text and map to paragraph and character."
    )
    return Document(text, name, "docx", "utf-8", (note,), tuple(mapping), source)


_NEWS_SNIFF = re.compile(r"<(?:\w+:)?(nitf|newsItem|newsMessage)\b")


def guess_format(name: str, text: str) -> str:
    """Pick text, markdown, html, nitf or newsml from the file name, then from the content."""
    suffix = Path(name).suffix.lower()
    markup = suffix in {".xml", ".nitf", ".nml", ""} or text.lstrip()[:1] == "<"
    news = _NEWS_SNIFF.search(text[:4000]) if markup else None
    if news:
        return "nitf" if news.group(1) == "nitf" else "newsml"
    if suffix == ".xml":
        return "xml"
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    if _HTML_SNIFF.match(text) or len(re.findall(r"</(p|div|span|a|li|h[1-6])>", text[:20000], re.I)) >= 3:
        return "html"
    return "text"
