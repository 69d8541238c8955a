"""amplint's diagnostics as LSP diagnostics, and paths as URIs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types
from pygls.uris import to_fs_path

from ..diagnostics import Diagnostic, Severity
from ..ruledocs import help_url
from .positions import Lines

SOURCE = "amplint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Findings about code that does nothing: editors fade it out.
UNNECESSARY = frozenset({"AMP002", "AMP102", "AMP112"})  # unused suppression, function/resource never deployed


def path_of(uri: str) -> Path | None:
    """The absolute path of a `file:` URI; None for any other scheme (an unsaved `untitled:` buffer)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(os.path.abspath(path)) if path else None


def to_lsp(diagnostic: Diagnostic, lines: Callable[[Path], Lines], uri: Callable[[Path], str]) -> types.Diagnostic:
    """`lines(path)`: the text a file was linted as; `uri(path)`: the URI the client knows it by."""
    location = diagnostic.location
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri(r.location.path), range=lines(r.location.path).range(r.location.span)),
            message=r.message,
        )
        for r in diagnostic.related
    ]
    return types.Diagnostic(
        range=lines(location.path).range(location.span),
        message=diagnostic.message,
        severity=SEVERITIES[diagnostic.severity or Severity.WARNING],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=help_url(diagnostic.code)),
        source=SOURCE,
        related_information=related or None,
        tags=[types.DiagnosticTag.Unnecessary] if diagnostic.code in UNNECESSARY else None,
    )
