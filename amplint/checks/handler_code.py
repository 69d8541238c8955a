"""AMP302, AMP303: a function's runtime code uses `secret()` or imports backend definitions."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location, RelatedLocation
from ..model.backend import AMPLIFY_BACKEND, Backend, FunctionDef
from ..model.handlers import RUNTIME_HELPERS
from ..model.loading import LoadEdge, LoadGraph

SECRET_IN_HANDLER = "AMP302"
HANDLER_IMPORTS_BACKEND_DEFINITION = "AMP303"


def _runtime_graphs(backend: Backend) -> Iterator[tuple[FunctionDef, LoadGraph]]:
    for fn in backend.deployable_functions:
        if fn.handler is not None and not fn.custom and fn.handler.path not in backend.definition_modules:
            yield fn, backend.load_graph(fn.handler)


def secret_in_handler(backend: Backend) -> Iterator[Diagnostic]:
    seen: set[Location] = set()
    for fn, graph in _runtime_graphs(backend):
        for module in graph.order:
            if module.path in backend.definition_modules:
                continue
            for call in backend.handler_facts(module).secrets:
                if call.location in seen:
                    continue
                seen.add(call.location)
                key_name = call.name if isinstance(call.name, str) else "NAME"
                shim = fn.name if isinstance(fn.name, str) else "<function-name>"
                yield Diagnostic(
                    SECRET_IN_HANDLER,
                    f"`secret()` runs in {fn.label}'s runtime code, but it is a build-time placeholder that only "
                    '`defineFunction({ environment })` resolves (in a handler it fails, e.g. "window is not '
                    f'defined", and never yields the value); declare `environment: {{ {key_name}: '
                    f"secret('{key_name}') }}` and read `env.{key_name}` from '$amplify/env/{shim}'",
                    call.location,
                    related=(RelatedLocation(fn.location, "the function is defined here"),),
                )


def handler_imports_backend_definition(backend: Backend) -> Iterator[Diagnostic]:
    definitions = backend.definition_modules
    seen: set[LoadEdge] = set()
    for fn, graph in _runtime_graphs(backend):
        for module in graph.order:
            chain = graph.chain(module)
            if module.path in definitions or any(e.importer.path in definitions for e in chain):
                continue  # reached through a definition already reported
            for edge in graph.edges[module.path]:  # one edge a statement
                what = _definition(backend, edge)
                if what is None or edge in seen:
                    continue
                seen.add(edge)
                path = " -> ".join([graph.entry.path.name, *(e.source for e in chain), edge.source])
                yield Diagnostic(
                    HANDLER_IMPORTS_BACKEND_DEFINITION,
                    f"{fn.label}'s runtime code imports {_names(edge)} from {what} ({path}): that pulls "
                    '`@aws-amplify/backend` and CDK into the Lambda bundle ("The backend definition in the '
                    '`amplify` folder cannot be referenced in lambda handler code"); ' + _advice(edge),
                    edge.source_location,
                    related=(RelatedLocation(fn.entry_location, "the function's entry is set here"),),
                )


def _definition(backend: Backend, edge: LoadEdge) -> str | None:
    """What the import reaches, when it is a backend definition: for messages."""
    if edge.target is not None:
        if edge.target.path in backend.definition_modules:
            return f"the backend definition `{backend.relative(edge.target.path)}`"
        return None
    if edge.source == AMPLIFY_BACKEND or (
        edge.source.startswith(AMPLIFY_BACKEND + "/") and not edge.source.startswith(RUNTIME_HELPERS)
    ):
        if set(edge.names) <= {"secret"} and edge.names:
            return None  # `secret()` calls are AMP302's
        return f"'{edge.source}'"
    return None


def _names(edge: LoadEdge) -> str:
    names = [n for n in edge.names if n not in ("*", "secret")]
    if names:
        return ", ".join(f"`{n}`" for n in names)
    return "everything" if "*" in edge.names else "the module"


def _advice(edge: LoadEdge) -> str:
    if edge.target is None:
        return (
            f"at runtime import only from '{RUNTIME_HELPERS}' and read settings from `env` "
            "('$amplify/env/<function-name>')"
        )
    return (
        "import types only (`import type { Schema } from ...`) and move shared runtime values to a module "
        "that defines nothing"
    )
