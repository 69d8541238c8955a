"""The JSON document (the editor interface); its shape is described by amplint/schemas/report.schema.json."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..fixer import native_edit
from ..ruledocs import help_url
from . import display_path
from .positions import SourceText

if TYPE_CHECKING:
    from ..api import LintResult
    from ..checks import Rule
    from ..diagnostics import Diagnostic, Edit, Location

# Bump when the document's shape changes (tests/test_output_formats.py keeps the schema in step).
JSON_VERSION = "4"


def _position(location: Location, text: SourceText) -> dict[str, Any]:
    span, path = location.span, location.path
    return {
        "file": display_path(path),
        "start": {
            "line": span.start_line,
            "column": span.start_column,
            "utf16Column": text.utf16_column(path, span.start_line, span.start_column),
        },
        "end": {
            "line": span.end_line,
            "column": span.end_column,
            "utf16Column": text.utf16_column(path, span.end_line, span.end_column),
        },
    }


def diagnostic_document(d: Diagnostic, rules: Mapping[str, Rule], text: SourceText) -> dict[str, Any]:
    return {
        "code": d.code,
        "name": rules[d.code].name,
        "severity": (d.severity or rules[d.code].severity).value,
        "message": d.message,
        **_position(d.location, text),
        "related": [{**_position(r.location, text), "message": r.message} for r in d.related],
        "fix": None
        if d.fix is None
        else {
            "message": d.fix.message,
            "applicability": d.fix.applicability,
            "edits": [_edit(e, text) for e in d.fix.edits],
        },
        "url": help_url(d.code),
    }


def _edit(edit: Edit, text: SourceText) -> dict[str, Any]:
    """An edit as `--fix` writes it (in the file's line endings, never before its byte order mark):
    its range as positions and as byte offsets, and the new text."""
    source = text.text(edit.path)
    if source is not None:
        edit = native_edit(edit, source)
    path = edit.path
    (start_line, start_column), (end_line, end_column) = (
        text.point(path, edit.start_byte),
        text.point(path, edit.end_byte),
    )
    return {
        "file": display_path(path),
        "start": {
            "line": start_line,
            "column": start_column,
            "utf16Column": text.utf16_column(path, start_line, start_column),
        },
        "end": {"line": end_line, "column": end_column, "utf16Column": text.utf16_column(path, end_line, end_column)},
        "startByte": edit.start_byte,
        "endByte": edit.end_byte,
        "replacement": edit.replacement,
    }


def render(result: LintResult, quiet: bool = False) -> str:
    text = SourceText(result)
    document = {
        "version": JSON_VERSION,
        "tool": {"name": "amplint", "version": __version__},
        "columnUnit": "unicodeCodePoints",
        "diagnostics": [diagnostic_document(d, result.rules, text) for d in result.reported],
        "errors": [{"file": display_path(e.path) if e.path else None, "message": e.message} for e in result.errors],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
