"""Source-language profiles: each folder beside this module is data only (profile.toml, lexicon.tsv);
other.toml names the languages recognised whatever the source."""

from mtqa.languages.profile import LanguageProfile, available_languages, load_profile, other_languages

__all__ = ["LanguageProfile", "available_languages", "load_profile", "other_languages"]
