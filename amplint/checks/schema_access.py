"""AMP205, AMP206, AMP207: how the data schema lets functions in: `allow.resource` only at schema
level, `.to([...])` operations that match what the handler does, and resolvers that fit in 30 s."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location, RelatedLocation, Severity
from ..model.backend import Backend, FunctionDef
from ..model.schema import FunctionResolver, function_resolvers, resource_grants
from ..model.values import is_number

ALLOW_RESOURCE_NOT_AT_SCHEMA_LEVEL = "AMP205"
ALLOW_RESOURCE_OPERATIONS = "AMP206"
RESOLVER_TIMEOUT_OVER_30S = "AMP207"

DATA_OPERATIONS = ("query", "mutate", "listen")
_LIKELY = {
    "read": "query",
    "get": "query",
    "list": "query",
    "search": "query",
    "write": "mutate",
    "create": "mutate",
    "update": "mutate",
    "delete": "mutate",
    "subscribe": "listen",
}
_DOING = {"query": "reads data", "mutate": "creates, updates or deletes data", "listen": "subscribes to changes"}
_LEVEL_WORDS = {"model": "a model", "field": "a field", "custom-operation": "a custom query or mutation"}
APPSYNC_TIMEOUT_SECONDS = 30


def allow_resource_not_at_schema_level(backend: Backend) -> Iterator[Diagnostic]:
    for grant in resource_grants(backend.references):
        ref = grant.reference
        if ref.level not in _LEVEL_WORDS:
            continue
        yield Diagnostic(
            ALLOW_RESOURCE_NOT_AT_SCHEMA_LEVEL,
            f"`allow.resource` does not exist in the authorization of {_LEVEL_WORDS[ref.level]} (tsc TS2339 "
            "\"Property 'resource' does not exist on type ...\"): function access is granted to the whole API; "
            "move it to the schema-level `a.schema({...}).authorization((allow) => [allow.resource(fn)])`",
            grant.location,
        )


def allow_resource_operations(backend: Backend) -> Iterator[Diagnostic]:
    for grant in resource_grants(backend.references):
        ref = grant.reference
        operations_location = grant.operations_location
        if ref.level != "schema" or operations_location is None:
            continue
        bad = False
        for listed in grant.listed_operations:
            value = listed.value
            if isinstance(value, str) and value not in DATA_OPERATIONS:
                bad = True
                hint = f"; did you mean '{_LIKELY[value]}'?" if value in _LIKELY else ""
                yield Diagnostic(
                    ALLOW_RESOURCE_OPERATIONS,
                    f"'{value}' is not an operation of `allow.resource(...).to([...])`, which takes 'query', "
                    f"'mutate' and 'listen' (tsc TS2322){hint}",
                    listed.location,
                )
        operations = ref.operations
        if (
            bad
            or ref.function is None
            or not isinstance(operations, list)
            or not all(isinstance(op, str) for op in operations)
        ):
            continue
        yield from _missing_operations(backend, operations_location, ref.function, set(operations))


def _missing_operations(
    backend: Backend, operations_location: Location, fn: FunctionDef, granted: set[str]
) -> Iterator[Diagnostic]:
    first_use: dict[str, Location] = {}
    for module in backend.runtime_modules(fn):
        for use in backend.handler_facts(module).operations:
            for operation in use.operations:
                if operation not in first_use:
                    first_use[operation] = use.location
    missing = [op for op in DATA_OPERATIONS if op in first_use and op not in granted]
    if not missing:
        return
    doing = " and ".join(_DOING[op] for op in missing)
    yield Diagnostic(
        ALLOW_RESOURCE_OPERATIONS,
        f"{fn.label}'s handler {doing}, but `.to([...])` grants only "
        f'{", ".join(repr(op) for op in sorted(granted)) or "nothing"}: those calls fail with "Not Authorized"; '
        f"add {', '.join(repr(op) for op in missing)}",
        operations_location,
        severity=Severity.WARNING,
        related=tuple(RelatedLocation(first_use[op], f"the handler needs '{op}' here") for op in missing),
    )


def resolver_timeout_over_30s(backend: Backend) -> Iterator[Diagnostic]:
    resolvers: dict[FunctionDef, list[FunctionResolver]] = {}
    for resolver in function_resolvers(backend.references):
        fn = resolver.reference.function
        if not resolver.is_async and fn is not None:
            resolvers.setdefault(fn, []).append(resolver)
    deployable = set(backend.deployable_functions)
    for fn, uses in resolvers.items():
        if fn not in deployable:
            continue
        timeout, source = fn.timeout
        if not is_number(timeout) or timeout <= APPSYNC_TIMEOUT_SECONDS or source is None:
            continue
        setting = (
            f"`timeoutSeconds: {timeout:g}`"
            if not fn.custom
            else f"a `timeout` of {timeout:g} s (`{source.text}` on the Lambda it creates)"
        )
        yield Diagnostic(
            RESOLVER_TIMEOUT_OVER_30S,
            f"{_subject(fn)} has {setting} but answers a synchronous `a.handler.function` "
            f'resolver: AppSync stops waiting after {APPSYNC_TIMEOUT_SECONDS} s and the caller gets "Execution '
            f'timed out" while the Lambda runs on; keep it within {APPSYNC_TIMEOUT_SECONDS} s or make the '
            "handler `.async()`",
            source.location,
            related=tuple(RelatedLocation(use.location, "used as a synchronous resolver here") for use in uses),
        )


def _subject(fn: FunctionDef) -> str:
    """The function as the subject of a sentence: its name, its variable, or "This function"."""
    if isinstance(fn.name, str):
        return fn.label
    return f"`{fn.binding}`" if fn.binding else "This function"
