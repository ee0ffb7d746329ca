"""Source-language profiles: each folder beside this module is data only (profile.toml, lexicon.tsv)."""

from mtqa.languages.profile import LanguageProfile, available_languages, load_profile

__all__ = ["LanguageProfile", "available_languages", "load_profile"]
