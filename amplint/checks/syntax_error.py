"""AMP001: a file tree-sitter cannot parse cleanly."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location, Span
from ..model.backend import Backend
from ..syntax import text

SYNTAX_ERROR = "AMP001"


def syntax_error(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        source = module.file
        first = source.first_syntax_error()
        if first is None:
            continue
        if first.is_missing:
            message = f"Syntax error: missing `{first.type}`"
        else:
            token = text(first).splitlines()[0][:40] if text(first).strip() else ""
            message = f"Syntax error: unexpected `{token}`" if token else "Syntax error"
        span = source.span(first)
        if span.end_line != span.start_line:
            # Keep the location on the line where the error starts; ERROR nodes can swallow the file.
            line_end = source.text.find(b"\n", first.start_byte)
            line_end = len(source.text) if line_end < 0 else line_end
            row, column = first.start_point
            end_column = source.column(line_end, column + line_end - first.start_byte)
            span = Span(span.start_line, span.start_column, span.start_line, end_column, first.start_byte, line_end)
        yield Diagnostic(
            SYNTAX_ERROR,
            f"{message}; fix the syntax so the rest of the file can be checked",
            Location(source.path, span),
        )
