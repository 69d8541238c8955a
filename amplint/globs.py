"""Glob patterns as regular expressions, the one translation amplint's configuration globs
(`exclude`, `per-file-ignores`) and tsconfig `include`/`exclude` patterns share."""

from __future__ import annotations

import functools
import re


@functools.cache
def glob_regex(pattern: str, *, crossing: bool) -> re.Pattern[str]:
    """`pattern` as a regular expression for `fullmatch` against a `/`-separated relative path.
    `*` and `?` stay within one name; `**/` stands for any folders, none included.

    The two dialects differ on a `**` that no `/` follows. With `crossing` (amplint's configuration
    globs) it crosses folders: `legacy/**` and `**.gen.ts` reach any depth, and `**/` is "anything
    up to a `/`". Without it (TypeScript, where `**` is recursive only as a whole path segment) it is
    a `*` like any other, and `**/` is whole folders."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?" if crossing else "(?:[^/]+/)*")
            i += 3
        elif crossing and pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))
