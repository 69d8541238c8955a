"""AMP001: a file tree-sitter cannot parse cleanly."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend

SYNTAX_ERROR = "AMP001"


def syntax_error(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for error in module.file.parse_errors:
            if error.kind == "missing":
                message = f"Syntax error: missing `{error.token}`"
            else:
                message = f"Syntax error: unexpected `{error.token}`" if error.token else "Syntax error"
            yield Diagnostic(
                SYNTAX_ERROR,
                f"{message}; fix the syntax so the rest of the file can be checked",
                error.location,
            )
