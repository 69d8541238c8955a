"""AMP205, AMP206, AMP207: how the data schema lets functions in: `allow.resource` only at schema
level, `.to([...])` operations that match what the handler does, and resolvers that fit in 30 s."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic, RelatedLocation, Severity
from ..model.backend import Backend, FunctionDef, FunctionReference
from ..model.modules import Module
from ..model.values import evaluate, is_number
from ..syntax import text, unwrap

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
    for ref in backend.references:
        if ref.kind != "allow.resource" or ref.level not in _LEVEL_WORDS:
            continue
        callee = ref.call.child_by_field_name("function") or ref.call
        yield Diagnostic(
            ALLOW_RESOURCE_NOT_AT_SCHEMA_LEVEL,
            f"`allow.resource` does not exist in the authorization of {_LEVEL_WORDS[ref.level]} (tsc TS2339 "
            "\"Property 'resource' does not exist on type ...\"): function access is granted to the whole API; "
            "move it to the schema-level `a.schema({...}).authorization((allow) => [allow.resource(fn)])`",
            ref.expr.module.file.location(callee),
        )


def allow_resource_operations(backend: Backend) -> Iterator[Diagnostic]:
    for ref in backend.references:
        if ref.kind != "allow.resource" or ref.level != "schema" or ref.operations_node is None:
            continue
        module = ref.expr.module
        listed = unwrap(ref.operations_node)
        elements = [e for e in listed.named_children if e.type != "comment"] if listed.type == "array" else []
        bad = False
        for element in elements:
            value = evaluate(module, element)
            if isinstance(value, str) and value not in DATA_OPERATIONS:
                bad = True
                hint = f"; did you mean '{_LIKELY[value]}'?" if value in _LIKELY else ""
                yield Diagnostic(
                    ALLOW_RESOURCE_OPERATIONS,
                    f"'{value}' is not an operation of `allow.resource(...).to([...])`, which takes 'query', "
                    f"'mutate' and 'listen' (tsc TS2322){hint}",
                    module.file.location(element),
                )
        operations = ref.operations
        if (
            bad
            or ref.function is None
            or not isinstance(operations, list)
            or not all(isinstance(op, str) for op in operations)
        ):
            continue
        yield from _missing_operations(backend, ref, ref.function, set(operations))


def _missing_operations(
    backend: Backend, ref: FunctionReference, fn: FunctionDef, granted: set[str]
) -> Iterator[Diagnostic]:
    if ref.operations_node is None:
        return
    first_use: dict[str, tuple[Module, Node]] = {}
    for module in backend.runtime_modules(fn):
        for use in backend.handler_facts(module).operations:
            for operation in use.operations:
                first_use.setdefault(operation, (module, use.node))
    missing = [op for op in DATA_OPERATIONS if op in first_use and op not in granted]
    if not missing:
        return
    doing = " and ".join(_DOING[op] for op in missing)
    yield Diagnostic(
        ALLOW_RESOURCE_OPERATIONS,
        f"{fn.label}'s handler {doing}, but `.to([...])` grants only "
        f'{", ".join(repr(op) for op in sorted(granted)) or "nothing"}: those calls fail with "Not Authorized"; '
        f"add {', '.join(repr(op) for op in missing)}",
        ref.expr.module.file.location(ref.operations_node),
        severity=Severity.WARNING,
        related=tuple(
            RelatedLocation(first_use[op][0].file.location(first_use[op][1]), f"the handler needs '{op}' here")
            for op in missing
        ),
    )


def resolver_timeout_over_30s(backend: Backend) -> Iterator[Diagnostic]:
    resolvers: dict[int, list[FunctionReference]] = {}
    for ref in backend.references:
        if ref.kind == "a.handler.function" and not ref.is_async and ref.function is not None:
            resolvers.setdefault(id(ref.function), []).append(ref)
    deployable = {id(fn) for fn in backend.deployable_functions}
    for refs in resolvers.values():
        fn = refs[0].function
        if fn is None or id(fn) not in deployable:
            continue
        timeout, source = fn.timeout
        if not is_number(timeout) or timeout <= APPSYNC_TIMEOUT_SECONDS or source is None:
            continue
        setting = (
            f"`timeoutSeconds: {timeout:g}`"
            if not fn.custom
            else f"a `timeout` of {timeout:g} s (`{text(source.node)}` on the Lambda it creates)"
        )
        yield Diagnostic(
            RESOLVER_TIMEOUT_OVER_30S,
            f"{_subject(fn)} has {setting} but answers a synchronous `a.handler.function` "
            f'resolver: AppSync stops waiting after {APPSYNC_TIMEOUT_SECONDS} s and the caller gets "Execution '
            f'timed out" while the Lambda runs on; keep it within {APPSYNC_TIMEOUT_SECONDS} s or make the '
            "handler `.async()`",
            source.location,
            related=tuple(
                RelatedLocation(ref.expr.module.file.location(ref.call), "used as a synchronous resolver here")
                for ref in refs
            ),
        )


def _subject(fn: FunctionDef) -> str:
    """The function as the subject of a sentence: its name, its variable, or "This function"."""
    if isinstance(fn.name, str):
        return fn.label
    return f"`{fn.binding}`" if fn.binding else "This function"
