"""Glob patterns as regular expressions: amplint's configuration globs (`exclude`, `per-file-ignores`)
and tsconfig `include`/`exclude` patterns (one translation, two dialects), and `.gitignore` lines."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable


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


# -- .gitignore patterns ----------------------------------------------------------------------------
# git matches a `.gitignore` line with its own wildmatch, byte by byte (`?` is one byte of a UTF-8
# name), case-sensitively unless `core.ignorecase` (not read here). The translation below follows
# git's dir.c and wildmatch.c, quirks included, so that amplint skips exactly what git ignores.

_GLOB_SPECIAL = frozenset(b"*?[\\")


class GitignorePattern:
    """One pattern line of a `.gitignore` or `.git/info/exclude`, its regular expression compiled on
    first use. A line git cannot use (a trailing unescaped `\\`, an unclosed `[`, an unknown
    `[:class:]`) is kept and matches nothing, as for git."""

    __slots__ = ("ignores", "directory_only", "basename", "glob", "_match")

    def __init__(self, ignores: bool, directory_only: bool, basename: bool, glob: bytes) -> None:
        self.ignores = ignores  # False for a `!` line, whose match re-includes the path
        self.directory_only = directory_only  # a trailing `/`: matches folders only
        # No `/` but a trailing one: matched against the last name of the path, at any depth.
        self.basename = basename
        self.glob = glob  # what is left once `!`, the trailing `/` and a leading `/` are taken off
        self._match: Callable[[bytes], bool] | None = None  # built on first use

    def __repr__(self) -> str:
        return (
            f"GitignorePattern(ignores={self.ignores}, directory_only={self.directory_only}, "
            f"basename={self.basename}, glob={self.glob!r})"
        )

    def matches(self, path: bytes, is_dir: bool) -> bool:
        """Whether the line matches `path`: `/`-separated, from the folder of the file it was read in."""
        if self.directory_only and not is_dir:
            return False
        match = self._match
        if match is None:
            match = self._match = _gitignore_matcher(self.glob, self.basename)
        return match(path.rpartition(b"/")[2] if self.basename else path)


def gitignore_patterns(text: bytes) -> list[GitignorePattern]:
    """The patterns of a `.gitignore` file's bytes, in order: lines end at `\\n` (a `\\r` before it is
    dropped), a UTF-8 byte order mark is skipped, comments and blank lines are left out."""
    patterns = []
    for line in text.removeprefix(b"\xef\xbb\xbf").split(b"\n"):
        pattern = gitignore_pattern(line.removesuffix(b"\r"))
        if pattern is not None:
            patterns.append(pattern)
    return patterns


def gitignore_pattern(line: bytes) -> GitignorePattern | None:
    """One line of a `.gitignore` (without its line break) as git parses it; None for a comment, a
    blank line and the lines whose pattern is empty (`!`, `/`)."""
    line = line.partition(b"\0")[0]  # git reads each line as a C string
    if not line or line.startswith(b"#"):
        return None
    line = _trim_trailing_spaces(line)
    ignores = not line.startswith(b"!")
    if not ignores:
        line = line[1:]
    directory_only = line.endswith(b"/")
    if directory_only:
        line = line[:-1]
    if not line:
        return None
    basename = b"/" not in line
    if line.startswith(b"/"):  # only one: `//x` is anchored and matches nothing, as for git
        line = line[1:]
    return GitignorePattern(ignores, directory_only, basename, line)


def _trim_trailing_spaces(line: bytes) -> bytes:
    """Trailing spaces go, unless escaped with a backslash (git's `trim_trailing_spaces`)."""
    if not line.endswith(b" "):
        return line
    last_space = -1
    i = 0
    while i < len(line):
        byte = line[i]
        if byte == 0x20:
            if last_space < 0:
                last_space = i
        else:
            if byte == 0x5C:  # `\`: the next byte is kept, whatever it is
                i += 1
                if i == len(line):
                    return line
            last_space = -1
        i += 1
    return line if last_space < 0 else line[:last_space]


def _gitignore_matcher(glob: bytes, basename: bool) -> Callable[[bytes], bool]:
    """A test of a path (or name) against `glob`, without a regular expression for the usual lines:
    a plain name or path is compared, `*.ext` is a suffix (git's own shortcuts)."""
    if _GLOB_SPECIAL.isdisjoint(glob):
        return glob.__eq__
    suffix = glob[1:]
    if basename and glob.startswith(b"*") and _GLOB_SPECIAL.isdisjoint(suffix):
        return lambda name: name.endswith(suffix)
    regex = gitignore_regex(glob, basename=basename)
    if regex is None:
        return lambda path: False
    fullmatch = regex.fullmatch
    return lambda path: fullmatch(path) is not None


@functools.cache
def gitignore_regex(glob: bytes, *, basename: bool) -> re.Pattern[bytes] | None:
    """`glob` (a `GitignorePattern.glob`) as a regular expression for `fullmatch` against a path from
    the `.gitignore`'s folder, or against a name with `basename`; None when git can match nothing
    with it (a trailing `\\`, an unclosed `[`, an unknown `[:class:]`).

    `*`, `?` and `[...]` never match `/`. `**` crosses folders when it is a whole segment: `**/` is
    any folders, none included, and a final `/**` is anything below. Other runs of asterisks are a
    `*`, except, as in git (whose matcher is handed the pattern after its leading literal part),
    a run where a pattern holding a `/` has its first wildcard: `a/b**` crosses folders."""
    star_start = 0 if basename else next((i for i, byte in enumerate(glob) if byte in _GLOB_SPECIAL), 0)
    out: list[bytes] = []
    i = 0
    end = len(glob)
    while i < end:
        byte = glob[i]
        if byte == 0x2A:  # `*`
            run = i
            while i < end and glob[i] == 0x2A:
                i += 1
            if (
                i - run > 1
                and (run == star_start or glob[run - 1] == 0x2F)
                and (i == end or glob[i] == 0x2F or glob.startswith(b"\\/", i))
            ):
                if i < end and glob[i] == 0x2F:
                    out.append(b"(?:.*/)?")
                    i += 1
                else:
                    out.append(b".*")
            else:
                out.append(b"[^/]*")
        elif byte == 0x3F:  # `?`
            out.append(b"[^/]")
            i += 1
        elif byte == 0x5C:  # `\`
            if i + 1 == end:
                return None
            out.append(re.escape(glob[i + 1 : i + 2]))
            i += 2
        elif byte == 0x5B:  # `[`
            bracket = _bracket(glob, i)
            if bracket is None:
                return None
            allowed, i = bracket
            out.append(_byte_class(allowed))
        else:
            out.append(re.escape(glob[i : i + 1]))
            i += 1
    return re.compile(b"".join(out), re.DOTALL)


def _bracket(glob: bytes, start: int) -> tuple[set[int], int] | None:
    """The bytes that the `[...]` at `start` matches (never `/`) and the index after it, or None when
    it is not closed or names an unknown class: wildmatch's bracket reading, step by step."""
    end = len(glob)
    p = start + 1
    negated = p < end and glob[p] in b"!^"
    if negated:
        p += 1
    matched: set[int] = set()
    previous = 0  # the byte a `-` would start a range from; 0 after a range or a class
    while True:
        if p >= end:
            return None
        byte = glob[p]
        if byte == 0x5C:  # `\`: the next byte, literally
            p += 1
            if p >= end:
                return None
            byte = glob[p]
            matched.add(byte)
        elif byte == 0x2D and previous and p + 1 < end and glob[p + 1] != 0x5D:  # `-` between two bytes
            p += 1
            byte = glob[p]
            if byte == 0x5C:
                p += 1
                if p >= end:
                    return None
                byte = glob[p]
            # `previous` is in already: `[z-a]` matches `z` (git reads it before it sees the `-`)
            matched.update(range(previous, byte + 1))
            byte = 0
        elif byte == 0x5B and p + 1 < end and glob[p + 1] == 0x3A:  # `[:`
            name_start = p + 2
            close = glob.find(b"]", name_start)
            if close < 0:
                return None
            if close - name_start - 1 < 0 or glob[close - 1] != 0x3A:  # no `:]`: a plain `[`
                matched.add(byte)
            else:
                members = _character_classes().get(glob[name_start : close - 1])
                if members is None:
                    return None
                matched.update(members)
                byte = 0
                p = close
        else:
            matched.add(byte)
        previous = byte
        p += 1
        if p >= end:
            return None
        if glob[p] == 0x5D:  # `]`
            break
    if negated:
        matched = set(range(256)) - matched
    matched.discard(0x2F)
    return matched, p + 1


def _byte_class(allowed: set[int]) -> bytes:
    """A regular expression matching one byte of `allowed`."""
    if not allowed:
        return b"(?!)"
    ranges: list[bytes] = []
    ordered = sorted(allowed)
    low = previous = ordered[0]
    for byte in [*ordered[1:], -1]:
        if byte != previous + 1:
            ranges.append(b"\\x%02x" % low if low == previous else b"\\x%02x-\\x%02x" % (low, previous))
            low = byte
        previous = byte
    return b"[" + b"".join(ranges) + b"]"


@functools.cache
def _character_classes() -> dict[bytes, frozenset[int]]:
    """wildmatch's `[:name:]` classes: ASCII only, as git's own ctype (no `\\v` or `\\f` in `space`)."""
    lower = frozenset(range(0x61, 0x7B))
    upper = frozenset(range(0x41, 0x5B))
    digit = frozenset(range(0x30, 0x3A))
    graph = frozenset(range(0x21, 0x7F))
    return {
        b"alnum": lower | upper | digit,
        b"alpha": lower | upper,
        b"blank": frozenset(b" \t"),
        b"cntrl": frozenset([*range(0x20), 0x7F]),
        b"digit": digit,
        b"graph": graph,
        b"lower": lower,
        b"print": graph | {0x20},
        b"punct": graph - lower - upper - digit,
        b"space": frozenset(b" \t\n\r"),
        b"upper": upper,
        b"xdigit": digit | frozenset(b"abcdefABCDEF"),
    }
