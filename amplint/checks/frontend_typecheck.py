"""AMP113: the frontend's TypeScript configuration type-checks `amplify/`, whose `$amplify/env/...`
modules exist only for the backend's own type-check."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..diagnostics import Diagnostic, Location, Severity, Span
from ..model.backend import Backend
from ..model.handlers import ENV_MODULE_PREFIX
from ..model.tsconfig import includes, load_config, parse_jsonc

FRONTEND_TYPECHECK_INCLUDES_AMPLIFY = "AMP113"

# Build commands that type-check the project with its root tsconfig (Angular's `ng build` uses the
# tsconfig its angular.json names, usually with `files`: amplint stays silent there).
_TYPECHECKING_BUILDS = ("next build", "tsc", "vue-tsc")


def frontend_typecheck_includes_amplify(backend: Backend) -> Iterator[Diagnostic]:
    root = backend.root
    main = root / "tsconfig.json"
    if main not in backend.project_files:
        return
    shim_users = sorted(
        (m.path, imp.source)
        for m in backend.modules.values()
        for imp in m.imports
        if imp.source.startswith(ENV_MODULE_PREFIX)
    )
    if not shim_users:
        return
    candidates = [main]
    config = load_config(main, backend.project_files, root)
    for reference in config.references if config is not None else ():
        path = root / reference
        candidates.append(path if path.suffix == ".json" else path / "tsconfig.json")
    candidates.append(root / "tsconfig.app.json")
    severity = _severity(backend)
    if severity is None:
        return
    seen: set[Path] = set()
    for path in candidates:
        if path in seen or path not in backend.project_files:
            continue
        seen.add(path)
        config = load_config(path, backend.project_files, root)
        if config is None or any(key.startswith("$amplify") for key in config.paths):
            continue  # unreadable, or it maps `$amplify/*` itself
        for file, source in shim_users:
            relative = file.relative_to(root).as_posix()
            pattern = includes(config, relative)
            if pattern is None:
                continue
            how = f'`"{pattern}"`' if config.include is not None else "its default include (no `include` or `files`)"
            fix = (
                'add `"amplify/**/*"` to its `exclude`'
                if config.exclude is not None
                else 'add `"exclude": ["amplify/**/*"]`'
            )
            build = "fails" if severity is Severity.ERROR else "fails wherever it type-checks"
            yield Diagnostic(
                FRONTEND_TYPECHECK_INCLUDES_AMPLIFY,
                f"`{path.name}` type-checks `{relative}` (through {how}), which imports `{source}`: that module "
                "exists only for the backend's own type-check (amplify/tsconfig.json maps `$amplify/*`), so the "
                f"frontend build {build} with \"Cannot find module '{source}' or its corresponding type "
                f'declarations."; {fix}',
                _location(backend, path, config.include_line),
                severity=severity,
            )
            break


def _severity(backend: Backend) -> Severity | None:
    """An error when the build script certainly type-checks with these configurations, a warning
    when it may (a CI or editor type-check), None for an Angular build (another tsconfig)."""
    package = backend.project_files.get(backend.root / "package.json")
    data = parse_jsonc(package.decode("utf-8", "replace")) if package is not None else None
    scripts = data.get("scripts") if isinstance(data, dict) else None
    build = scripts.get("build") if isinstance(scripts, dict) else None
    if isinstance(build, str) and "ng build" in build:
        return None
    if not isinstance(build, str) or not any(command in build for command in _TYPECHECKING_BUILDS):
        return Severity.WARNING
    if "next build" in build and any(
        b"ignoreBuildErrors" in text
        for path, text in backend.project_files.items()
        if path.name.startswith("next.config")
    ):
        return Severity.WARNING
    return Severity.ERROR


def _location(backend: Backend, path: Path, line: int | None) -> Location:
    """The `include` line of a configuration file (its first line when it has none)."""
    text = backend.project_files[path]
    number = line or 1
    start = 0
    for _ in range(number - 1):
        start = text.index(b"\n", start) + 1
    end = text.find(b"\n", start)
    end = len(text) if end < 0 else end
    content = text[start:end].rstrip(b"\r")
    indent = len(content) - len(content.lstrip())
    columns = len(content.decode("utf-8", "replace"))
    return Location(path, Span(number, indent + 1, number, columns + 1, start + indent, start + len(content)))
