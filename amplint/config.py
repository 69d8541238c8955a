"""Configuration: `amplint.toml`, `[tool.amplint]` in `pyproject.toml` or `"amplint"` in `package.json`,
found by walking up from an Amplify root, and merged with the command line into that root's Settings."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from .checks import selected
from .diagnostics import Severity
from .globs import glob_regex
from .records import NamedTuple

T = TypeVar("T")

# In the order they win when one folder holds several.
CONFIG_FILES = ("amplint.toml", "pyproject.toml", "package.json")
KEYS = (
    "extend",
    "select",
    "extend-select",
    "ignore",
    "severity",
    "exclude",
    "extend-exclude",
    "per-file-ignores",
    "extend-per-file-ignores",
    "respect-gitignore",
    "fail-on",
    "require-reason",
    "fixable",
    "unfixable",
)
LEVELS = tuple(s.value for s in Severity)


class ConfigError(Exception):
    """Invalid configuration: one line naming the file, the key and the problem."""


class PathGlob(NamedTuple):
    """A glob of `exclude` or `per-file-ignores`, matched from the folder it was written for: the
    configuration file's folder, or the working directory for the command line. A glob with a `/`
    is matched against the path from `base` (and each folder above it), one without against names.
    `**` crosses folders (`legacy/**`, `**.gen.ts`), `*` and `?` do not."""

    pattern: str
    base: Path

    def matches(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.base).parts
        except ValueError:
            return False
        candidates: Sequence[str]
        if "/" in self.pattern.strip().rstrip("/"):
            candidates = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
        else:
            candidates = parts
        regex = glob_regex(self.pattern.strip().removeprefix("./").rstrip("/"), crossing=True)
        return any(regex.fullmatch(candidate) for candidate in candidates)


class Config(NamedTuple):
    """What one source of settings says: a configuration file, or the command line (`source` None).
    A key the source does not set is None or empty. Globs are relative to the folder holding
    `source` (the working directory for the command line)."""

    source: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = MappingProxyType({})  # code or prefix -> severity
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    # glob -> codes or prefixes not reported in the files it matches
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    extend_per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    respect_gitignore: bool | None = None
    fail_on: Severity | None = None
    require_reason: bool | None = None
    extend: Path | None = None  # the configuration file this one extends, resolved
    # Codes or prefixes whose fixes are applied and offered (`fixable` replaces, `unfixable` removes).
    fixable: tuple[str, ...] | None = None
    unfixable: tuple[str, ...] = ()

    @property
    def base(self) -> Path:
        return self.source.parent if self.source is not None else Path(os.path.abspath("."))


class Settings(NamedTuple):
    """What applies to one Amplify root once its configuration files and the command line are merged."""

    config_file: Path | None
    codes: frozenset[str]  # the rules checked
    severity: Mapping[str, Severity]  # code -> severity, for the codes the settings re-grade
    exclude: tuple[PathGlob, ...]  # `exclude` and `extend-exclude` together
    fail_on: Severity
    require_reason: bool
    per_file_ignores: tuple[tuple[PathGlob, tuple[str, ...]], ...] = ()
    respect_gitignore: bool = True
    # The configuration files read, nearest first: `config_file`, then the one it extends, and so on.
    chain: tuple[Path, ...] = ()
    # The codes whose fixes are applied and offered (`fixable` minus `unfixable`); None: every code.
    fixable: frozenset[str] | None = None

    def fixes(self, code: str) -> bool:
        """Whether findings of `code` keep their fix (`fixable` and `unfixable`)."""
        return self.fixable is None or code in self.fixable

    def excludes(self, path: Path) -> bool:
        """Whether an `exclude` glob matches `path` or a folder above it."""
        return any(glob.matches(path) for glob in self.exclude)

    def ignores(self, code: str, path: Path) -> bool:
        """Whether a `per-file-ignores` entry drops findings of `code` located in `path`."""
        return any(
            glob.matches(path) and any(code.startswith(s) for s in selectors)
            for glob, selectors in self.per_file_ignores
        )


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
    look comes first: most of the files walked past on the way up never name amplint, and most
    pyproject.toml files that do name it elsewhere (see `_may_hold_tool_amplint`). A file that cannot
    be parsed but gets past that look counts, so that loading it reports the problem."""
    try:
        raw = path.read_bytes()
    except OSError:
        return False
    if b"amplint" not in raw or (path.name == "pyproject.toml" and not _may_hold_tool_amplint(raw)):
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


def _may_hold_tool_amplint(raw: bytes) -> bool:
    """Whether a pyproject.toml has a line that could start amplint's table: a header `[tool]`,
    `[tool.amplint]` or below it (closed or not: a broken one must reach the parser, which reports
    it), or a top-level `tool = {...}` or `tool.amplint...` key, quoted or spaced alike, after a BOM
    too. A file without one, however often it names amplint elsewhere (`[project]`,
    `[project.scripts]`, `[tool.ruff]`), has no `tool.amplint` and is not parsed: TOML costs about 4 ms
    to load. A file with a `\\u` escape is parsed: `tool` could be spelled with one."""
    return _tool_amplint_line().search(raw) is not None or b"\\u" in raw or b"\\U" in raw


@cache
def _tool_amplint_line() -> re.Pattern[bytes]:
    quoted_tool = rb"[\"']?tool[\"']?[ \t]*"
    header = rb"\[\[?[ \t]*" + quoted_tool + rb"(?:\]|\.[ \t]*[\"']?amplint|\r?$)"
    return re.compile(rb"^(?:\xef\xbb\xbf)?[ \t]*(?:" + header + rb"|" + quoted_tool + rb"[.=])", re.M)


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

    def globs(key: str) -> tuple[str, ...]:
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise problem(key, f"expected a list of glob patterns, got {_describe(value)}")
        return tuple(value)

    def per_file(key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        value = table[key]
        if not isinstance(value, dict):
            raise problem(key, f"expected a table of glob = [rule codes or prefixes], got {_describe(value)}")
        entries = []
        for pattern, listed in value.items():
            where = f"{key}.{_toml_key(pattern)}"
            if not pattern.strip():
                raise problem(where, "expected a glob pattern, got an empty string")
            if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
                raise problem(where, f"expected a list of rule codes or prefixes, got {_describe(listed)}")
            for selector in (item.strip().upper() for item in listed):
                if unknown_selector(selector, codes):
                    raise problem(where, f"unknown rule code or prefix `{selector}`")
            entries.append((pattern, tuple(item.strip().upper() for item in listed)))
        return tuple(entries)

    def flag(key: str) -> bool | None:
        value = table.get(key)
        if value is not None and not isinstance(value, bool):
            raise problem(key, f"expected true or false, got {_describe(value)}")
        return value

    extend = None
    if "extend" in table:
        if not isinstance(table["extend"], str) or not table["extend"].strip():
            raise problem("extend", f"expected the path of a configuration file, got {_describe(table['extend'])}")
        extend = Path(os.path.normpath(path.parent / os.path.expanduser(table["extend"])))
    return Config(
        source=path,
        select=selectors("select") if "select" in table else None,
        extend_select=selectors("extend-select") if "extend-select" in table else (),
        ignore=selectors("ignore") if "ignore" in table else (),
        severity=severity,
        exclude=globs("exclude") if "exclude" in table else None,
        extend_exclude=globs("extend-exclude") if "extend-exclude" in table else (),
        per_file_ignores=per_file("per-file-ignores") if "per-file-ignores" in table else None,
        extend_per_file_ignores=per_file("extend-per-file-ignores") if "extend-per-file-ignores" in table else (),
        respect_gitignore=flag("respect-gitignore"),
        fail_on=level("fail-on", table["fail-on"]) if "fail-on" in table else None,
        require_reason=flag("require-reason"),
        extend=extend,
        fixable=selectors("fixable") if "fixable" in table else None,
        unfixable=selectors("unfixable") if "unfixable" in table else (),
    )


def load_chain(path: Path, codes: Iterable[str]) -> tuple[Config, ...]:
    """A configuration file and those it extends, nearest first. Raises ConfigError for an invalid
    file, a missing extended file, or a cycle of `extend`s."""
    codes = frozenset(codes)
    chain = [load(path, codes)]
    seen = {os.path.realpath(path)}
    current = path
    while chain[-1].extend is not None:
        following = chain[-1].extend
        shown = _display(current)
        if os.path.realpath(following) in seen:
            raise ConfigError(f"{shown}: `extend`: {_display(following)} extends back to this file (a cycle)")
        if not following.is_file():
            raise ConfigError(f"{shown}: `extend`: no such configuration file {_display(following)}")
        seen.add(os.path.realpath(following))
        chain.append(load(following, codes))
        current = following
    return tuple(chain)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def unknown_selector(selector: str, codes: Iterable[str]) -> bool:
    return not selector or not any(code.startswith(selector) for code in codes)


def merge(codes: Iterable[str], file: Config | Sequence[Config] | None, cli: Config) -> Settings:
    """Settings from configuration files overridden by the command line, Ruff style. `file` is one
    configuration or a chain of them, nearest first (what `extend` leads to comes later, and is
    overridden). A layer's `select` replaces the rules chosen so far, its `extend-select` adds and
    its `ignore` removes, the most specific selector winning within the layer. `exclude` and
    `per-file-ignores` replace what farther layers said, their `extend-` forms add to it; any
    other key is taken from the nearest layer that sets it."""
    codes = sorted(codes)
    chain = (file,) if isinstance(file, Config) else tuple(file or ())
    layers = (*reversed(chain), cli)  # farthest first
    chosen = fixable = frozenset(codes)
    for layer in layers:
        chosen = _choose(codes, chosen, layer.select, layer.extend_select, layer.ignore)
        fixable = _choose(codes, fixable, layer.fixable, (), layer.unfixable)
    severity: dict[str, Severity] = {}
    for code in codes:
        for layer in layers:
            best = max((s for s in layer.severity if code.startswith(s)), key=len, default=None)
            if best is not None:
                severity[code] = layer.severity[best]

    exclude: list[PathGlob] = []
    ignores: list[tuple[PathGlob, tuple[str, ...]]] = []
    for layer in layers:
        if layer.exclude is not None:
            exclude = [PathGlob(p, layer.base) for p in layer.exclude]
        exclude += [PathGlob(p, layer.base) for p in layer.extend_exclude]
        if layer.per_file_ignores is not None:
            ignores = [(PathGlob(p, layer.base), c) for p, c in layer.per_file_ignores]
        ignores += [(PathGlob(p, layer.base), c) for p, c in layer.extend_per_file_ignores]
    return Settings(
        config_file=chain[0].source if chain else None,
        codes=chosen,
        severity=severity,
        exclude=tuple(exclude),
        fail_on=_last([layer.fail_on for layer in layers], Severity.ERROR),
        require_reason=_last([layer.require_reason for layer in layers], False),
        per_file_ignores=tuple(ignores),
        respect_gitignore=_last([layer.respect_gitignore for layer in layers], True),
        chain=tuple(c.source for c in chain if c.source is not None),
        fixable=None if len(fixable) == len(codes) else fixable,
    )


def _last(values: Sequence[T | None], default: T) -> T:
    """The value of the last layer (the nearest) that sets one."""
    return next((value for value in reversed(values) if value is not None), default)


def _choose(
    codes: list[str],
    chosen: frozenset[str],
    select: tuple[str, ...] | None,
    extend: tuple[str, ...],
    ignore: tuple[str, ...],
) -> frozenset[str]:
    """The codes one layer leaves chosen: `select` replaces, `extend` adds, `ignore` removes (also
    how `fixable` and `unfixable` pick the codes whose fixes are applied)."""
    if select is not None:
        return frozenset(selected(codes, select + extend, ignore))
    kept = set()
    for code in codes:
        # What was chosen before counts as the least specific selector of this layer.
        added = max((len(s) for s in extend if code.startswith(s)), default=-1)
        dropped = max((len(s) for s in ignore if code.startswith(s)), default=-1)
        if max(added, 0 if code in chosen else -1) > dropped:
            kept.add(code)
    return frozenset(kept)


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", str: "a string", int: "a number", float: "a number", list: "a list", dict: "a table"}
    kind = kinds.get(type(value), type(value).__name__)
    shown = repr(value) if isinstance(value, (str, int, float, bool)) else ""
    return f"{kind} {shown}".rstrip()


def _display(path: Path) -> str:
    try:
        return Path(os.path.relpath(path)).as_posix()
    except ValueError:
        return path.as_posix()
