"""Rule catalogue: every rule's code, name, category, severity and message as data (TOML)."""

from mtqa.rules.catalogue import CATALOGUE, Rule, make_issue

__all__ = ["CATALOGUE", "Rule", "make_issue"]
