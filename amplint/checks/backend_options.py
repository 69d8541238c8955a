"""AMP109: an option `defineBackend` does not have, or `backend.createStack` with a stack name
that is already taken."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location, RelatedLocation
from ..model.backend import Backend
from ..model.stacks import custom_stacks

UNKNOWN_BACKEND_OPTION = "AMP109"

_DEFINE = {"data": "defineData", "auth": "defineAuth", "storage": "defineStorage"}


def unknown_backend_option(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    if define is None:
        return
    for extra in define.extra_arguments:
        shown = " ".join(extra.source.split())
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        yield Diagnostic(
            UNKNOWN_BACKEND_OPTION,
            f"`defineBackend` takes one argument, the resources; `{shown}` is not an option it reads (tsc TS2554 "
            '"Expected 1 arguments, but got 2."; `useSingleStack` never shipped); remove it',
            extra.location,
        )
    taken: dict[str, tuple[str, Location]] = {}
    for resource in backend.resources:
        if backend.backend_key(resource) is not None:
            taken.setdefault(
                resource.kind,
                (f"Amplify creates the '{resource.kind}' stack for `{_DEFINE[resource.kind]}`", resource.location),
            )
    for fn in backend.functions:
        if isinstance(fn.resource_group, str) and backend.is_deployed(fn):
            why = f"Amplify creates the '{fn.resource_group}' stack for {fn.label}" + (
                " (its `resourceGroupName`)" if fn.prop("resourceGroupName") is not None else ""
            )
            taken.setdefault(fn.resource_group, (why, fn.location))
    for stack in custom_stacks(backend):
        if not isinstance(stack.name, str):
            continue
        if stack.name in taken:
            why, where = taken[stack.name]
            yield Diagnostic(
                UNKNOWN_BACKEND_OPTION,
                f"`createStack('{stack.name}')` throws \"Custom stack named {stack.name} has already been "
                f'created": {why}; choose another name',
                stack.location,
                related=(RelatedLocation(where, f"'{stack.name}' is taken here"),),
            )
        elif stack.on_load:
            # Only a call certain to run takes the name; a conditional one may never run.
            taken[stack.name] = (f"an earlier `createStack('{stack.name}')` created it", stack.location)
