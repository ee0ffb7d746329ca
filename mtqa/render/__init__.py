"""Renderers: Report(s) -> text. They only render; every number comes from the report."""

from mtqa.render import json_format, table

FORMATS = {"table": table.render, "json": json_format.render}

__all__ = ["FORMATS"]
