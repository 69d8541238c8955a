"""Configuration: `amplint.toml`, `[tool.amplint]` in `pyproject.toml` or `"amplint"` in `package.json`,
found by walking up from an Amplify root, and merged with the command line into that root's Settings."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .checks.registry import selected
from .diagnostics import Severity

# In the order they win when one folder holds several.
CONFIG_FILES = ("amplint.toml", "pyproject.toml", "package.json")
KEYS = ("select", "extend-select", "ignore", "severity", "exclude", "fail-on", "require-reason")
LEVELS = tuple(s.value for s in Severity)


class ConfigError(Exception):
    """Invalid configuration: one line naming the file, the key and the problem."""


@dataclass(frozen=True, slots=True)
class Config:
    """What one source of settings says: a configuration file, or the command line (`source` None).
    A key the source does not set is None or empty."""

    source: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # code or prefix -> severity
    exclude: tuple[str, ...] = ()  # globs, relative to the folder holding `source`
    fail_on: Severity | None = None
    require_reason: bool | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """What applies to one Amplify root once its configuration file and the command line are merged."""

    config_file: Path | None
    codes: frozenset[str]  # the rules checked
    severity: Mapping[str, Severity]  # code -> severity, for the codes the settings re-grade
    exclude: tuple[str, ...]
    fail_on: Severity
    require_reason: bool

    def excludes(self, path: Path) -> bool:
        """Whether an `exclude` glob of the configuration file matches `path` or a folder above it.
        A glob with a `/` is matched from the configuration file's folder, one without against names."""
        if not self.exclude or self.config_file is None:
            return False
        try:
            parts = path.relative_to(self.config_file.parent).parts
        except ValueError:
            return False
        prefixes = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        for pattern in self.exclude:
            candidates = prefixes if "/" in pattern.strip().rstrip("/") else parts
            if any(_glob(pattern).fullmatch(candidate) for candidate in candidates):
                return True
        return False


def find(root: Path) -> Path | None:
    """The closest configuration file in `root` or a folder above it."""
    for folder in (root, *root.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name == "amplint.toml" or _configures_amplint(candidate)):
                return candidate
    return None


def _configures_amplint(path: Path) -> bool:
    """Whether pyproject.toml has `[tool.amplint]` or package.json a top-level `"amplint"`. A cheap
    look comes first: most of the files walked past on the way up never name amplint. A file that
    cannot be parsed but names amplint counts, so that loading it reports the problem."""
    try:
        raw = path.read_bytes()
    except OSError:
        return False
    if b"amplint" not in raw:
        return False
    try:
        if path.name == "package.json":
            import json

            document = json.loads(raw)
            return isinstance(document, dict) and "amplint" in document
        document = _toml(raw, "")
        tool = document.get("tool")
        return isinstance(tool, dict) and "amplint" in tool
    except (ValueError, ConfigError):
        return True


def load(path: Path, codes: Iterable[str]) -> Config:
    """Read and check a configuration file against the registered rule codes. Raises ConfigError."""
    shown = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read configuration file: {error.strerror or error}") from None
    if path.name == "package.json":
        import json

        try:
            document = json.loads(raw)
        except ValueError as error:
            raise ConfigError(f"{shown}: not valid JSON: {error}") from None
        table, prefix = (document.get("amplint", {}) if isinstance(document, dict) else {}), "amplint."
    else:
        document = _toml(raw, shown)
        if path.name == "pyproject.toml":
            tool = document.get("tool", {})
            table, prefix = (tool.get("amplint", {}) if isinstance(tool, dict) else {}), "tool.amplint."
        else:
            table, prefix = document, ""
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: `{prefix.rstrip('.')}`: expected a table of settings")
    return _parse(table, path, shown, prefix, frozenset(codes))


def _toml(raw: bytes, shown: str) -> dict[str, Any]:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{shown}: not valid TOML: {error}") from None


def _parse(table: dict[str, Any], path: Path, shown: str, prefix: str, codes: frozenset[str]) -> Config:
    def problem(key: str, message: str) -> ConfigError:
        return ConfigError(f"{shown}: `{prefix}{key}`: {message}")

    def selectors(key: str) -> tuple[str, ...]:
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise problem(key, f"expected a list of rule codes or prefixes, got {_describe(value)}")
        result = tuple(item.strip().upper() for item in value)
        for selector in result:
            if unknown_selector(selector, codes):
                raise problem(key, f"unknown rule code or prefix `{selector}`")
        return result

    def level(key: str, value: Any) -> Severity:
        if value not in LEVELS:
            raise problem(key, f"expected one of {', '.join(LEVELS)}, got {_describe(value)}")
        return Severity(value)

    for key in table:
        if key not in KEYS:
            import difflib

            close = difflib.get_close_matches(key.replace("_", "-"), KEYS, n=1)
            hint = f"did you mean `{prefix}{close[0]}`?" if close else f"expected one of {', '.join(KEYS)}"
            raise problem(key, f"unknown key; {hint}")
    severity: dict[str, Severity] = {}
    if "severity" in table:
        if not isinstance(table["severity"], dict):
            raise problem("severity", f"expected a table of rule code = level, got {_describe(table['severity'])}")
        for selector, value in table["severity"].items():
            key = f"severity.{selector}"
            if unknown_selector(selector.upper(), codes):
                raise problem(key, f"unknown rule code or prefix `{selector}`")
            severity[selector.upper()] = level(key, value)
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(item, str) and item.strip() for item in exclude):
        raise problem("exclude", f"expected a list of glob patterns, got {_describe(exclude)}")
    require_reason = table.get("require-reason")
    if require_reason is not None and not isinstance(require_reason, bool):
        raise problem("require-reason", f"expected true or false, got {_describe(require_reason)}")
    return Config(
        source=path,
        select=selectors("select") if "select" in table else None,
        extend_select=selectors("extend-select") if "extend-select" in table else (),
        ignore=selectors("ignore") if "ignore" in table else (),
        severity=severity,
        exclude=tuple(exclude),
        fail_on=level("fail-on", table["fail-on"]) if "fail-on" in table else None,
        require_reason=require_reason,
    )


def unknown_selector(selector: str, codes: Iterable[str]) -> bool:
    return not selector or not any(code.startswith(selector) for code in codes)


def merge(codes: Iterable[str], file: Config | None, cli: Config) -> Settings:
    """Settings from a configuration file overridden by the command line, Ruff style: a layer's
    `select` replaces the rules chosen so far, its `extend-select` adds and its `ignore` removes,
    the most specific selector winning within the layer."""
    codes = sorted(codes)
    chosen = frozenset(codes)
    for layer in (file, cli):
        if layer is not None:
            chosen = _choose(codes, chosen, layer)
    severity: dict[str, Severity] = {}
    for code in codes:
        for layer in (file, cli):
            if layer is not None:
                best = max((s for s in layer.severity if code.startswith(s)), key=len, default=None)
                if best is not None:
                    severity[code] = layer.severity[best]

    def last(name: str, default):
        value = getattr(cli, name)
        if value is None and file is not None:
            value = getattr(file, name)
        return default if value is None else value

    return Settings(
        config_file=file.source if file is not None else None,
        codes=chosen,
        severity=severity,
        exclude=file.exclude if file is not None else (),
        fail_on=last("fail_on", Severity.ERROR),
        require_reason=last("require_reason", False),
    )


def _choose(codes: list[str], chosen: frozenset[str], layer: Config) -> frozenset[str]:
    if layer.select is not None:
        return frozenset(selected(codes, layer.select + layer.extend_select, layer.ignore))
    kept = set()
    for code in codes:
        # What was chosen before counts as the least specific selector of this layer.
        added = max((len(s) for s in layer.extend_select if code.startswith(s)), default=-1)
        dropped = max((len(s) for s in layer.ignore if code.startswith(s)), default=-1)
        if max(added, 0 if code in chosen else -1) > dropped:
            kept.add(code)
    return frozenset(kept)


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", str: "a string", int: "a number", float: "a number", list: "a list",
             dict: "a table"}
    kind = kinds.get(type(value), type(value).__name__)
    shown = repr(value) if isinstance(value, (str, int, float, bool)) else ""
    return f"{kind} {shown}".rstrip()


def _display(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()


@functools.cache
def _glob(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression: `**` crosses folders, `*` and `?` do not."""
    text = pattern.strip().removeprefix("./").rstrip("/")
    out, i = [], 0
    while i < len(text):
        if text.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif text.startswith("**", i):
            out.append(".*")
            i += 2
        elif text[i] == "*":
            out.append("[^/]*")
            i += 1
        elif text[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(text[i]))
            i += 1
    return re.compile("".join(out))
