"""The data every stage after the checks speaks: diagnostics, their locations and fixes, and how a
location's columns are counted."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Literal

from .records import NamedTuple

# A UTF-8 byte order mark: byte offsets (spans, edits) count it; editors hide it and columns do not.
BOM = b"\xef\xbb\xbf"

# The units a column is counted in (LSP's `PositionEncodingKind` values).
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(characters: str, encoding: str = UTF32) -> int:
    """How many units of `encoding` the `characters` take."""
    if encoding == UTF32 or characters.isascii():
        return len(characters)
    if encoding == UTF8:
        return len(characters.encode("utf-8", "surrogatepass"))
    return len(characters) + sum(1 for c in characters if ord(c) > 0xFFFF)


def column_at(text: bytes, line_start: int, byte_offset: int, encoding: str = UTF32) -> int:
    """The 0-based column, in units of `encoding`, of `byte_offset` on the line of `text` starting at
    `line_start` (a byte order mark is before column 0; the `\r` of a CRLF ends the line)."""
    if line_start == 0 and text.startswith(BOM):
        line_start = min(len(BOM), byte_offset)
    prefix = text[line_start:byte_offset]
    if prefix.endswith(b"\r") and text[byte_offset : byte_offset + 1] in (b"\n", b""):
        prefix = prefix[:-1]
    return len(prefix) if prefix.isascii() else units(prefix.decode("utf-8", "replace"), encoding)


# Whether a fix keeps the code's meaning (`safe`) or may change it (`unsafe`, applied only on request).
Applicability = Literal["safe", "unsafe"]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANKS[self.value]


_RANKS = {"error": 3, "warning": 2, "info": 1}


# The records below are NamedTuples: built in every check's hot path, immutable, equal and hashed by
# value (the runner de-duplicates findings through a set), ordered field by field, and cheap to create
# at import. Change one with `record._replace(field=value)`.


class Span(NamedTuple):
    """A range in a file: 1-based lines, 1-based columns counted in characters
    (Unicode code points), end exclusive; byte offsets for edits and fingerprints."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    start_byte: int = 0
    end_byte: int = 0


class Location(NamedTuple):
    path: Path  # absolute
    span: Span


class RelatedLocation(NamedTuple):
    location: Location
    message: str


class Edit(NamedTuple):
    """Replace bytes [start_byte, end_byte) of `path` with `replacement`."""

    path: Path
    start_byte: int
    end_byte: int
    replacement: str


class Fix(NamedTuple):
    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


class Diagnostic(NamedTuple):
    code: str
    message: str
    location: Location
    severity: Severity | None = None  # None: the rule's default, filled in by the runner
    related: tuple[RelatedLocation, ...] = ()
    fix: Fix | None = None
    suppressed_by: str | None = None  # the suppression comment or config that silenced it

    @property
    def sort_key(self) -> tuple[str, Span, str, str]:
        return (str(self.location.path), self.location.span, self.code, self.message)
