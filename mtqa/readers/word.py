"""Read a Word .docx with python-docx: body paragraphs as text, mapped to paragraph and character.

The original a .docx offset points into is its paragraph stream: `python-docx`'s
`Document.paragraphs` texts, one per line, so line N column C of that stream is paragraph N
(1-based, as Word counts them) character C. The checked text keeps the non-blank paragraphs,
separated by blank lines that map to the end of the paragraph before. Tables, headers, footers and
footnotes are not read. This module never writes the file.
"""

from __future__ import annotations

import io
import zipfile

from mtqa.readers import ReaderError


def is_docx(data: bytes) -> bool:
    """True when the bytes are a ZIP archive holding word/document.xml."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def docx_to_text(data: bytes, name: str) -> tuple[str, list[int], str]:
    """Return the body text, the offset of each character in the paragraph stream, and that stream."""
    try:
        import docx
    except ImportError:
        raise ReaderError(
            f"{name} is a Word file, and reading it needs python-docx. Run pip install python-docx, "
            "or save the article as text."
        ) from None
    try:
        paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    except Exception as exc:  # python-docx raises many types on damaged archives
        raise ReaderError(
            f"{name} is not a readable Word .docx file ({type(exc).__name__}: {exc}). "
            "Open and save it again in Word, or save the article as text."
        ) from None
    source = "\n".join(paragraphs)
    chars: list[str] = []
    offsets: list[int] = []
    start = 0
    last_end = 0
    for paragraph in paragraphs:
        lead = len(paragraph) - len(paragraph.lstrip())
        body = paragraph.strip()
        if body:
            if chars:
                chars.extend("\n\n")
                offsets.extend([last_end, last_end])
            chars.extend(body)
            offsets.extend(range(start + lead, start + lead + len(body)))
            last_end = start + len(paragraph)  # the line break after this paragraph (or the end)
        start += len(paragraph) + 1
    return "".join(chars), offsets, source
