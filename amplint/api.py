"""`lint(paths, options) -> LintResult`: the one entry point the CLI, tests and editors call."""

from __future__ import annotations

import dataclasses
import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .checks import CHECKS, RULES, Rule, selected
from .diagnostics import Diagnostic, Severity
from .model.backend import Backend
from .model.modules import Module
from .syntax import SourceFile
from .workspace import Root, WorkspaceError, discover

__all__ = ["LintOptions", "LintResult", "InternalError", "WorkspaceError", "lint"]


@dataclass(frozen=True, slots=True)
class LintOptions:
    select: tuple[str, ...] = ("AMP",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # per-code overrides
    exclude: tuple[str, ...] = ()
    # An unsaved buffer: lint this text as the file at this path, and report only that file.
    stdin: tuple[Path, bytes] | None = None


@dataclass(frozen=True, slots=True)
class InternalError:
    """A check or file that failed inside amplint; the run goes on and exits 2."""

    message: str
    path: Path | None = None
    code: str | None = None


@dataclass(slots=True)
class LintResult:
    diagnostics: list[Diagnostic]
    roots: list[Root]
    files: int
    errors: list[InternalError]
    rules: dict[str, Rule]
    codes: frozenset[str]  # the codes that were checked

    @property
    def reported(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.suppressed_by is None]


def selected_codes(options: LintOptions) -> frozenset[str]:
    return frozenset(selected(RULES, options.select + options.extend_select, options.ignore))


def lint(paths: Iterable[Path | str], options: LintOptions = LintOptions()) -> LintResult:
    """Lint every Amplify root the paths lead to. Raises WorkspaceError for unusable paths."""
    paths = [Path(p) for p in paths]
    stdin_path = Path(os.path.abspath(options.stdin[0])) if options.stdin else None
    roots = discover(paths + ([stdin_path] if stdin_path else []), options.exclude)
    codes = selected_codes(options)
    checks = [c for c in CHECKS if c.codes & codes]
    diagnostics: list[Diagnostic] = []
    errors: list[InternalError] = []
    files = 0
    for root in roots:
        for path, reason in root.unreadable:
            errors.append(InternalError(reason, path))
        sources = []
        for path in root.files:
            text = _read(path, stdin_path, options, errors)
            if text is not None:
                sources.append(SourceFile(path, text))
        if stdin_path is not None and stdin_path not in root.files and \
                stdin_path.is_relative_to(root.amplify_dir):
            sources.append(SourceFile(stdin_path, options.stdin[1]))
        files += len(sources)
        try:
            backend = Backend(root.path, sources)
        except Exception as error:  # a bug in the model must not lose the other roots
            errors.append(InternalError(f"internal error while reading the backend: {_describe(error)}",
                                        _file_in(error) or root.path))
            continue
        for check in checks:
            try:
                found = list(check.function(backend))
            except Exception as error:  # a bug in one check must not lose the others' findings
                names = ", ".join(f"{r.code} ({r.name})" for r in sorted(check.rules, key=lambda r: r.code))
                errors.append(InternalError(f"internal error in check {names}: {_describe(error)}",
                                            _file_in(error) or root.path, ", ".join(sorted(check.codes))))
                continue
            diagnostics.extend(found)
    result = []
    for diagnostic in diagnostics:
        if diagnostic.code not in codes:
            continue
        if stdin_path is not None and diagnostic.location.path != stdin_path:
            continue
        severity = options.severity.get(diagnostic.code) or diagnostic.severity or RULES[diagnostic.code].severity
        result.append(dataclasses.replace(diagnostic, severity=severity))
    result = sorted(set(result), key=lambda d: d.sort_key)
    return LintResult(result, roots, files, errors, RULES, codes)


def _describe(error: Exception) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())  # one line


def _file_in(error: Exception) -> Path | None:
    """The file being processed when `error` was raised: the innermost frame holding a module."""
    for frame, _ in reversed(list(traceback.walk_tb(error.__traceback__))):
        for value in frame.f_locals.values():
            module = value if isinstance(value, Module) else getattr(value, "module", None)
            if isinstance(module, Module):
                return module.path
    return None


def _read(path: Path, stdin_path: Path | None, options: LintOptions, errors: list[InternalError]) -> bytes | None:
    if stdin_path is not None and path == stdin_path:
        return options.stdin[1]
    try:
        return path.read_bytes()
    except OSError as error:
        errors.append(InternalError(f"cannot read file: {error.strerror or error}", path))
        return None
