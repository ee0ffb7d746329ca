"""Configuration: `[tool.mtqa]` in pyproject.toml or `mtqa.toml`, with where each value came from.

The nearest config file is found by walking up from the checked file (stopping at a git root or
the home folder); command-line options override it; defaults fill the rest. Every value carries its
origin so `mtqa config` can show it. Unknown keys, wrong types and selectors that match no rule are
`ConfigError`s naming the file, line and what is valid: a setting is never silently ignored.
This module reads files but never writes them, and never prints.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtqa.core import Severity

CONFIG_NAMES = ("mtqa.toml", "pyproject.toml")  # mtqa.toml wins when both sit in one folder
DEFAULT = "default"
COMMAND_LINE = "command line"

# score thresholds a publication may tighten or relax; defaults live in mtqa/rules/thresholds.toml
# Renamed keys, so an old config gets told what replaced them instead of "unknown threshold".
RENAMED_THRESHOLDS = {
    "slor-major": "slor-z-major (L101 now compares SLOR with clean sentences of the same length, in spreads "
    "from their mean; the default is the 1st percentile, see mtqa/rules/thresholds.toml)",
    "slor-minor": "slor-z-minor (L101 now compares SLOR with clean sentences of the same length, in spreads "
    "from their mean; the default is the 10th percentile)",
}
THRESHOLD_KEYS = {
    "slor-z-major": "slor_z_major",
    "slor-z-minor": "slor_z_minor",
    "word-surprisal-peak": "word_surprisal_peak",
    "quality-word-flag": "quality_word_flag",
}

KEYS = {
    "source-lang": 'language the articles were translated from, e.g. "nl"',
    "model": "language model: a local folder, a .gguf file or a hub id",
    "fail-on": "lowest severity that fails the check: minor, major or critical",
    "select": 'rules to run: codes, prefixes, names or categories, e.g. ["U", "W1"]',
    "ignore": "rules to skip, same forms as select",
    "allow": 'words or phrases never to flag, e.g. ["Baghuz"]',
    "allow-words": "word-list files (one word or phrase per line), relative to the config file",
    "per-file-ignores": "table of file glob -> rules to skip in matching files",
    "thresholds": "table of score thresholds: " + ", ".join(THRESHOLD_KEYS),
}


class ConfigError(ValueError):
    """A configuration problem; the message names the file, line and key, and what is valid."""


@dataclass(frozen=True)
class Config:
    """The effective configuration and the origin of every value (key -> "default" | path | "command line")."""

    source_lang: str = "nl"
    model: str | None = None
    fail_on: Severity = Severity.MAJOR
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    allow_words: tuple[str, ...] = ()  # word-list file paths, absolute
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    thresholds: tuple[tuple[str, float], ...] = ()
    path: Path | None = None  # the config file, if one was found
    origins: Mapping[str, str] = field(default_factory=dict)

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT)

    def ignores_for(self, file: str) -> tuple[str, ...]:
        """Return `ignore` plus the per-file ignores whose glob matches `file`."""
        extra: list[str] = []
        if self.per_file_ignores:
            target = Path(file).resolve()
            base = self.path.parent if self.path else Path.cwd()
            try:
                rel = target.relative_to(base.resolve())
            except ValueError:
                rel = target
            for pattern, codes in self.per_file_ignores:
                if rel.match(pattern) or Path(file).match(pattern) or _glob_match(rel.as_posix(), pattern):
                    extra.extend(codes)
        return (*self.ignore, *extra)

    def words(self) -> frozenset[str]:
        """Return the allowlist: `allow` plus every word-list file, lower-cased."""
        out = {w.strip().lower() for w in self.allow if w.strip()}
        for name in self.allow_words:
            out.update(read_word_list(Path(name)))
        return frozenset(out)


def _glob_match(rel: str, pattern: str) -> bool:
    import fnmatch

    return fnmatch.fnmatch(rel, pattern)


def read_word_list(path: Path) -> set[str]:
    """Read a word list: one word or phrase per line; blank lines and `#` comments skipped."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"word list {path} does not exist. Fix the allow-words path or create the file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"word list {path} cannot be read ({exc}). Save it as UTF-8 text.") from None
    out = set()
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.add(" ".join(line.lower().split()))
    return out


def find_config(start: Path) -> Path | None:
    """Return the nearest mtqa.toml or pyproject.toml with [tool.mtqa], walking up from `start`.

    The walk stops after a folder holding `.git` (the project root) and never goes above the
    home folder, so a stray file in $HOME or / cannot configure every project.
    """
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    home = Path.home().resolve()
    for candidate in (folder, *folder.parents):
        mtqa_toml = candidate / "mtqa.toml"
        if mtqa_toml.is_file():
            return mtqa_toml
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and _has_tool_mtqa(pyproject):
            return pyproject
        if (candidate / ".git").exists() or candidate == home:
            return None
    return None


def _has_tool_mtqa(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError:  # broken, but ours if it mentions tool.mtqa: load_config will say where
        return bool(re.search(r"^\s*\[\s*tool\s*\.\s*mtqa\b", text, re.M))
    return isinstance(tool, dict) and "mtqa" in tool


def load_config(path: Path) -> Config:
    """Read and validate one config file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}). Check the file or pass --no-config.") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """Parse and validate config text from `path` (mtqa.toml: top level; pyproject.toml: [tool.mtqa])."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = f" line {match.group(1)}" if match else f" line {text.count(chr(10)) + 1} (end of file)"
        raise ConfigError(f"{path}{line}: not valid TOML ({exc}). Fix the syntax.") from None
    table_name = "[tool.mtqa]" if path.name == "pyproject.toml" else f"the top level of {path.name}"
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("mtqa", {}) if isinstance(tool, dict) else {}
        if not isinstance(section, dict):
            raise ConfigError(f"{path} line {_line_of(text, 'mtqa')}: tool.mtqa must be a table. Write [tool.mtqa].")
    else:
        section = data
    return _validate(section, text, path, table_name)


def _line_of(text: str, key: str, after: int = 0) -> int:
    """Return the 1-based line where `key = ...` (or a [..key] header) appears; a best effort for messages."""
    pattern = re.compile(rf"^[ \t]*(?:\[+[^\]\n]*)?[\"']?{re.escape(key)}[\"']?\s*(?:=|\]|\.)", re.M)
    match = pattern.search(text, after) or pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _validate(section: Mapping[str, object], text: str, path: Path, table_name: str) -> Config:
    values: dict[str, object] = {}
    where = str(path)

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path} line {_line_of(text, key)}: {problem}")

    for key, value in section.items():
        if key not in KEYS:
            valid = ", ".join(sorted(KEYS))
            raise fail(key, f"unknown key {key!r} in {table_name}. Valid keys: {valid}.")
        if key == "source-lang":
            values["source_lang"] = _language(_string(value, key, fail), key, fail)
        elif key == "model":
            model = _string(value, key, fail)
            local = path.parent / model
            values["model"] = str(local.resolve()) if not Path(model).is_absolute() and local.exists() else model
        elif key == "fail-on":
            name = _string(value, key, fail)
            try:
                values["fail_on"] = Severity.parse(name)
            except ValueError as exc:
                raise fail(key, f"fail-on: {exc}.") from None
        elif key in ("select", "ignore"):
            values[key] = tuple(_selectors(value, key, fail))
        elif key == "allow":
            values["allow"] = tuple(_strings(value, key, fail))
        elif key == "allow-words":
            names = []
            for name in _strings(value, key, fail):
                file = (path.parent / name).resolve()
                if not file.is_file():
                    raise fail(key, f"allow-words file {name!r} does not exist (looked for {file}). Fix the path.")
                read_word_list(file)
                names.append(str(file))
            values["allow_words"] = tuple(names)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise fail(key, 'per-file-ignores must be a table of glob = [codes], e.g. {"archive/*.md" = ["B"]}.')
            values["per_file_ignores"] = tuple(
                (str(glob), tuple(_selectors(codes, f"per-file-ignores.{glob}", fail, line_key=str(glob))))
                for glob, codes in value.items()
            )
        elif key == "thresholds":
            values["thresholds"] = tuple(_thresholds(value, fail))
    origins = {key: where for key in section}
    return Config(path=path, origins=origins, **values)  # type: ignore[arg-type]


def _string(value: object, key: str, fail) -> str:  # type: ignore[no-untyped-def]
    if not isinstance(value, str):
        raise fail(key, f"{key} must be a string, not {_type(value)}. {KEYS[key].capitalize()}.")
    return value


def _strings(value: object, key: str, fail, line_key: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(line_key or key, f"{key} must be a list of strings, not {_type(value)}.")
    return list(value)


def _type(value: object) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def _language(value: str, key: str, fail) -> str:  # type: ignore[no-untyped-def]
    from mtqa.languages import available_languages

    langs = available_languages()
    if value not in langs:
        raise fail(key, f"source-lang {value!r} is not available. Choose one of: {', '.join(langs)}.")
    return value


def _selectors(value: object, key: str, fail, line_key: str | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    for selector in _strings(value, key, fail, line_key):
        problem = selector_problem(selector)
        if problem:
            raise fail(line_key or key, f"{key}: {problem}")
        out.append(selector.strip())
    return out


def _thresholds(value: object, fail) -> Iterable[tuple[str, float]]:  # type: ignore[no-untyped-def]
    if not isinstance(value, dict):
        raise fail("thresholds", "thresholds must be a table, e.g. [tool.mtqa.thresholds] slor-z-major = -2.5.")
    for name, number in value.items():
        if name in RENAMED_THRESHOLDS:
            raise fail(name, f"threshold {name!r} was replaced by {RENAMED_THRESHOLDS[name]}.")
        if name not in THRESHOLD_KEYS:
            raise fail(name, f"unknown threshold {name!r}. Valid thresholds: {', '.join(THRESHOLD_KEYS)}.")
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise fail(name, f"threshold {name} must be a number, not {_type(number)}.")
        yield THRESHOLD_KEYS[name], float(number)


def selector_problem(selector: str) -> str | None:
    """Return why `selector` matches no rule (with what is valid), or None if it matches one."""
    from mtqa.gate import matches_any

    text = selector.strip()
    if not text:
        return "an empty rule selector. Use a code (U101), prefix (U, W1), name or category."
    if matches_any(text):
        return None
    return (
        f"{text!r} matches no rule. Use a code (U101), a prefix (U, W1), a rule name (untranslated-word) "
        "or a category (accuracy/untranslated); `mtqa rules` lists them."
    )


def resolve(
    config: Config | None,
    *,
    source_lang: str | None = None,
    model: str | None = None,
    fail_on: str | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    allow: Sequence[str] = (),
    allow_words: Sequence[str] = (),
) -> Config:
    """Return `config` (or the defaults) with command-line values on top, origins updated.

    Command-line `--select` replaces the file's selection; `--ignore`, `--allow` and `--allow-words`
    add to the file's lists, as in ruff.
    """
    base = config or Config()
    values: dict[str, object] = {}
    origins = dict(base.origins)

    def put(attr: str, key: str, value: object) -> None:
        values[attr] = value
        origins[key] = COMMAND_LINE

    if source_lang is not None:
        put("source_lang", "source-lang", source_lang)
    if model is not None:
        put("model", "model", model)
    if fail_on is not None:
        try:
            put("fail_on", "fail-on", Severity.parse(fail_on))
        except ValueError as exc:
            raise ConfigError(f"--fail-on: {exc}.") from None
    for flag, items in (("--select", select), ("--ignore", ignore)):
        for selector in items:
            problem = selector_problem(selector)
            if problem:
                raise ConfigError(f"{flag}: {problem}")
    if select:
        put("select", "select", tuple(s.strip() for s in select))
    if ignore:
        put("ignore", "ignore", (*base.ignore, *(s.strip() for s in ignore)))
    if allow:
        put("allow", "allow", (*base.allow, *allow))
    if allow_words:
        files = []
        for name in allow_words:
            file = Path(name).resolve()
            read_word_list(file)
            files.append(str(file))
        put("allow_words", "allow-words", (*base.allow_words, *files))
    return Config(**{**_fields(base), **values, "origins": origins})  # type: ignore[arg-type]


def _fields(config: Config) -> dict[str, object]:
    return {name: getattr(config, name) for name in Config.__dataclass_fields__}


def split_selectors(values: Iterable[str]) -> list[str]:
    """Split repeated or comma-separated command-line selectors: ["U,W1", "B102"] -> ["U", "W1", "B102"]."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def describe(config: Config) -> list[tuple[str, str, str]]:
    """Return (key, value as TOML, origin) for every key, for `mtqa config`."""
    from mtqa.detect.fluency import thresholds as measured

    def toml(value: object) -> str:
        if isinstance(value, tuple | list):
            return "[" + ", ".join(toml(v) for v in value) + "]"
        if isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(value, float):
            return repr(value)
        return str(value)

    given = dict(config.thresholds)
    base = measured()
    rows = [
        ("source-lang", toml(config.source_lang), config.origin("source-lang")),
        ("model", toml(config.model) if config.model else "(offline SmolLM2-135M)", config.origin("model")),
        ("fail-on", toml(config.fail_on.label), config.origin("fail-on")),
        ("select", toml(config.select) if config.select else '["ALL"]', config.origin("select")),
        ("ignore", toml(config.ignore), config.origin("ignore")),
        ("allow", toml(config.allow), config.origin("allow")),
        ("allow-words", toml(config.allow_words), config.origin("allow-words")),
        (
            "per-file-ignores",
            "{" + ", ".join(f"{toml(g)} = {toml(c)}" for g, c in config.per_file_ignores) + "}",
            config.origin("per-file-ignores"),
        ),
    ]
    for key, attr in THRESHOLD_KEYS.items():
        origin = config.origin("thresholds") if attr in given else "default (mtqa/rules/thresholds.toml)"
        rows.append((f"thresholds.{key}", toml(given.get(attr, float(base[attr]))), origin))
    return rows
