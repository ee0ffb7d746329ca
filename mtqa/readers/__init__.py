"""Readers for the formats newsrooms hold, each returning text plus a map back into the original.

`markup` reduces HTML pages (visible text) and NITF / NewsML-G2 wire stories to text, `webpage`
narrows a page to its article with trafilatura, `word` reads .docx paragraphs with python-docx.
Every reader returns the text and, for each of its characters, an offset into the original it
was read from, so `mtqa.document` can keep one `offset_map` for every format. Readers never
decide formats and never read files; `mtqa.document` does both.
"""

from __future__ import annotations


class ReaderError(ValueError):
    """The input is in a format mtqa reads but cannot be read; the message says why and what to do."""
