"""AMP108: `defineAuth`/`defineData`/`defineStorage` outside their `resource` file, a second
`defineData` or `defineAuth`, or a backend file that never calls `defineBackend`."""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..diagnostics import Diagnostic, RelatedLocation
from ..model.backend import Backend, first_line

RESOURCE_DEFINED_IN_WRONG_PLACE = "AMP108"

_CATEGORY = {"auth": "Auth", "data": "Data", "storage": "Storage"}
# Imports that cannot hold the missing `defineBackend` call (anything else might: stay silent).
_NOT_A_BACKEND = ("@aws-amplify/", "aws-amplify", "aws-cdk-lib", "constructs", "@aws-sdk/", "node:")
_NODE_BUILTINS = frozenset({"path", "url", "fs", "os", "crypto", "util", "process", "child_process", "module"})


def resource_defined_in_wrong_place(backend: Backend) -> Iterator[Diagnostic]:
    yield from _misplaced(backend)
    yield from _duplicated(backend)
    yield from _missing_define_backend(backend)


def _misplaced(backend: Backend) -> Iterator[Diagnostic]:
    for resource in backend.resources:
        if backend.backend_key(resource) is None:
            continue  # Amplify checks the file only when it instantiates the resource it registers
        expected = f"amplify/{resource.kind}/resource"
        # Amplify compares the calling file's path without its extension (any extension works).
        if os.path.splitext(resource.module.path.as_posix())[0].endswith(expected):
            continue
        yield Diagnostic(
            RESOURCE_DEFINED_IN_WRONG_PLACE,
            f"`define{_CATEGORY[resource.kind]}` is called in {backend.relative(resource.module.path)}, and synth "
            f'fails with "Amplify {_CATEGORY[resource.kind]} must be defined in {expected}.ts"; move the call '
            f"to {expected}.ts and import it from there",
            resource.location,
        )


def _duplicated(backend: Backend) -> Iterator[Diagnostic]:
    for kind in ("data", "auth"):
        calls = backend.resources_defined_on_load(kind)
        for resource in calls[1:]:
            first = calls[0]
            yield Diagnostic(
                RESOURCE_DEFINED_IN_WRONG_PLACE,
                f'A second `define{_CATEGORY[kind]}` runs when the backend loads: synth fails with "Multiple '
                f'`define{_CATEGORY[kind]}` calls are not allowed within an Amplify backend"; keep only the one '
                f"in amplify/{kind}/resource.ts",
                resource.location,
                related=(RelatedLocation(first.location, f"the first `define{_CATEGORY[kind]}` is here"),),
            )


def _missing_define_backend(backend: Backend) -> Iterator[Diagnostic]:
    entry = backend.backend_module
    if entry is None or backend.define_backend is not None or not (backend.functions or backend.resources):
        return
    graph = backend.load_graph(entry)
    if any(b"defineBackend" in m.file.text for m in graph.order):
        return  # named somewhere amplint cannot follow: it may well be called
    for module in graph.order:
        for edge in graph.edges[module.path]:
            if edge.target is None and not (edge.source.startswith(_NOT_A_BACKEND) or edge.source in _NODE_BUILTINS):
                return  # a module outside the workspace may call it
    yield Diagnostic(
        RESOURCE_DEFINED_IN_WRONG_PLACE,
        f'{backend.relative(entry.path)} never calls `defineBackend`, so nothing is deployed ("The Amplify '
        'backend definition is missing `defineBackend` call."); pass the resources to '
        "`defineBackend({ ... })` in this file",
        first_line(entry),
    )
