"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation a finding."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import clean, level, project_base, relative_path

if TYPE_CHECKING:
    from ..api import LintResult

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: LintResult, quiet: bool = False) -> str:
    base = project_base()
    lines = []
    for d in result.reported:
        span = d.location.span
        # GitHub's `endLine` and `endColumn` are inclusive (each defaults to its start: one line,
        # one character); amplint's end is exclusive.
        end_line = span.end_line - 1 if span.end_line > span.start_line and span.end_column == 1 else span.end_line
        properties: dict[str, str | int] = {
            "file": clean(_path(d.location.path, base)),
            "line": span.start_line,
            "endLine": end_line,
        }
        if span.start_line == end_line:  # GitHub takes columns only for a range on one line
            end_column = span.end_column - 1 if span.end_line == end_line else span.end_column
            properties.update(col=span.start_column, endColumn=max(span.start_column, end_column))
        properties["title"] = f"amplint {d.code} ({result.rules[d.code].name})"
        message = d.message + "".join(
            f"\nnote: {_path(r.location.path, base)}:{r.location.span.start_line}:"
            f"{r.location.span.start_column}: {r.message}"
            for r in d.related
        )
        fields = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
        lines.append(f"::{LEVELS[level(result, d)]} {fields}::{escape_data(clean(message))}")
    return "".join(line + "\n" for line in lines)


def _path(path: Path, base: Path) -> str:
    return relative_path(path, base) or path.as_posix()
