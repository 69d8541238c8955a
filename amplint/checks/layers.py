"""AMP611: a handler imports a module its function's `layers` provide, and nothing installs it for
Amplify's type-check."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location, RelatedLocation
from ..model.backend import Backend
from ..model.tsconfig import parse_jsonc

LAYER_MODULE_NOT_INSTALLED = "AMP611"

_DEPENDENCY_KEYS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def layer_module_not_installed(backend: Backend) -> Iterator[Diagnostic]:
    layered = []
    for fn in backend.deployable_functions:
        expr = fn.prop("layers")
        layers = expr.object_shape() if expr is not None and not fn.custom else None
        if layers is not None:
            layered.append((fn, layers))
    listed = _listed_packages(backend) if layered else None  # package.json is read only when needed
    if listed is None:
        return
    declared = backend.declared_modules
    seen: set[Location] = set()  # by statement: one finding an import statement
    for fn, layers in layered:
        for module in backend.runtime_modules(fn):
            for imp in module.imports:
                name = next((key for key in layers.keys if imp.source == key or imp.source.startswith(key + "/")), None)
                if name is None or imp.type_only or imp.source_location in seen:
                    continue
                package = _package_of(imp.source)
                if (
                    package in listed
                    or f"@types/{package.lstrip('@').replace('/', '__')}" in listed
                    or imp.source in declared
                    or package in declared
                ):
                    continue
                seen.add(imp.source_location)
                yield Diagnostic(
                    LAYER_MODULE_NOT_INSTALLED,
                    f"`{imp.source}` comes from the layer `{name}` at runtime, but no package.json of the project "
                    "lists it: unless another dependency happens to install it, Amplify's type-check fails with "
                    f"\"Cannot find module '{imp.source}' or its corresponding type declarations.\" (TS2307); add "
                    f"`{package}` as a devDependency (for its types: the layer still provides it at runtime)",
                    imp.source_location,
                    related=(RelatedLocation(layers.key_location(name), "the layer is attached here"),),
                )


def _package_of(specifier: str) -> str:
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def _listed_packages(backend: Backend) -> set[str] | None:
    """Every package any package.json of the project lists; None when amplint cannot know them all
    (no package.json at the root, or one above it: a monorepo may hoist packages)."""
    files = {path: text for path, text in backend.project_files.items() if path.name == "package.json"}
    root_package = backend.root / "package.json"
    if root_package not in files or any(not path.is_relative_to(backend.root) for path in files):
        return None
    listed: set[str] = set()
    for text in files.values():
        data = parse_jsonc(text.decode("utf-8", "replace"))
        if not isinstance(data, dict):
            return None
        for key in _DEPENDENCY_KEYS:
            section = data.get(key)
            if isinstance(section, dict):
                listed.update(section)
    return listed
