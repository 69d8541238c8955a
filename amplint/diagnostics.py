"""The data every stage after the checks speaks: diagnostics, their locations and fixes."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A range in a file: 1-based lines, 1-based columns counted in characters
    (Unicode code points), end exclusive; byte offsets for edits and fingerprints."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int
    start_byte: int = 0
    end_byte: int = 0


@dataclass(frozen=True, slots=True, order=True)
class Location:
    path: Path  # absolute
    span: Span


@dataclass(frozen=True, slots=True)
class RelatedLocation:
    location: Location
    message: str


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace bytes [start_byte, end_byte) of `path` with `replacement`."""

    path: Path
    start_byte: int
    end_byte: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    message: str
    edits: tuple[Edit, ...]
    applicability: str = "safe"  # "safe" | "unsafe"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    message: str
    location: Location
    severity: Severity | None = None  # None: the rule's default, filled in by the runner
    related: tuple[RelatedLocation, ...] = ()
    fix: Fix | None = None
    suppressed_by: str | None = None  # the suppression comment or config that silenced it

    @property
    def sort_key(self):
        return (str(self.location.path), self.location.span, self.code, self.message)
