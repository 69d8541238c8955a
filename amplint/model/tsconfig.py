"""The project's TypeScript configurations, read as TypeScript reads them (JSON with comments and
trailing commas; `extends`, `references`, `include`, `exclude`, `files`), to tell which files a
frontend build type-checks."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

from ..globs import glob_regex
from ..records import NamedTuple
from .values import UNKNOWN

DEFAULT_EXCLUDE = ("node_modules", "bower_components", "jspm_packages")
_MAX_EXTENDS = 8


def parse_jsonc(text: str) -> Any:
    """JSON with `//` and `/* */` comments and trailing commas, as tsconfig files are; UNKNOWN when
    it still does not parse."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    cleaned = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    import json  # a project without a tsconfig does not load it

    try:
        return json.loads(cleaned)
    except ValueError:
        return UNKNOWN


class TsConfig(NamedTuple):
    """One configuration with what it inherits: patterns relative to the project root."""

    path: Path
    include: tuple[str, ...] | None  # None: not set anywhere (TypeScript then includes `**/*` unless `files`)
    exclude: tuple[str, ...] | None
    files: tuple[str, ...] | None
    paths: frozenset[str]  # `compilerOptions.paths` keys
    references: tuple[str, ...]
    include_line: int | None  # 1-based line of `"include"` in this file, where a fix goes


def load_config(path: Path, read: dict[Path, bytes], root: Path) -> TsConfig | None:
    """The configuration at `path` (a file of `read`), with `extends` followed through files of
    `read`; None when it or a base amplint needs cannot be read."""
    include = exclude = files = None
    paths: set[str] = set()
    references: tuple[str, ...] = ()
    include_line = None
    current, seen = path, set()
    for depth in range(_MAX_EXTENDS):
        if current in seen or current not in read:
            return None
        seen.add(current)
        text = read[current].decode("utf-8", "replace")
        data = parse_jsonc(text)
        if not isinstance(data, dict):
            return None
        base = posixpath.relpath(current.parent.as_posix(), root.as_posix())
        if depth == 0:
            references = tuple(
                _join(base, ref["path"])
                for ref in data.get("references") or ()
                if isinstance(ref, dict) and isinstance(ref.get("path"), str)
            )
            match = re.search(r'^\s*"include"\s*:', text, re.M)
            include_line = text.count("\n", 0, match.start()) + 1 if match else None
        options = data.get("compilerOptions")
        if isinstance(options, dict) and isinstance(options.get("paths"), dict):
            paths.update(options["paths"])
        for key in ("include", "exclude", "files"):
            value = data.get(key)
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None
            patterns = tuple(_join(base, v) for v in value)
            if key == "include" and include is None:
                include = patterns
            elif key == "exclude" and exclude is None:
                exclude = patterns
            elif key == "files" and files is None:
                files = patterns
        parent = data.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str) or not parent.startswith("."):
            # A package's config (`@tsconfig/next`) may set what is not set here.
            if include is None or exclude is None:
                return None
            break
        current = (
            (current.parent / parent).resolve()
            if parent.endswith(".json")
            else (current.parent / f"{parent}.json").resolve()
        )
    else:
        return None
    return TsConfig(path, include, exclude, files, frozenset(paths), references, include_line)


def _join(base: str, pattern: str) -> str:
    joined = posixpath.normpath(posixpath.join(base, pattern)) if base not in ("", ".") else posixpath.normpath(pattern)
    return "" if joined == "." else joined


def includes(config: TsConfig, file: str) -> str | None:
    """The `include` pattern by which the configuration type-checks `file` (a path relative to the
    project root), or None when it does not."""
    pattern: str | None
    if config.include is None:
        if config.files is not None:
            return None
        pattern = "**/*"
        if not _matches(pattern, file):
            return None
    else:
        pattern = next((p for p in config.include if _matches(p, file)), None)
        if pattern is None:
            return None
    excluded = config.exclude if config.exclude is not None else DEFAULT_EXCLUDE
    if any(_excludes(p, file) for p in excluded):
        return None
    return pattern


def _matches(pattern: str, file: str) -> bool:
    """TypeScript's `include`: a pattern without wildcards or extension is a directory. `**` is
    recursive only as a whole path segment (`**/`); elsewhere it is a `*`."""
    last = pattern.rsplit("/", 1)[-1]
    if not any(c in pattern for c in "*?") and "." not in last:
        return file.startswith(pattern + "/") or pattern == ""
    return glob_regex(pattern, crossing=False).fullmatch(file) is not None


def _excludes(pattern: str, file: str) -> bool:
    """TypeScript's `exclude`: a pattern matching the file or any folder above it."""
    regex = glob_regex(pattern, crossing=False)
    parts = file.split("/")
    return any(regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts) + 1))
