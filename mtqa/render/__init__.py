"""Renderers: Report(s) -> text. They only render; every number comes from the report."""

from mtqa.render import github, html, json_format, junit, sarif, table

FORMATS = {
    "table": table.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "html": html.render,
}

__all__ = ["FORMATS"]
