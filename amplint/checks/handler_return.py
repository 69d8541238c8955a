"""AMP301: a handler typed as returning void (`ScheduledHandler`, ...) returns a value."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Fix
from ..model.backend import Backend
from ..model.handlers import HandlerExport, ReturnedKind, handler_exports, handler_returns

SCHEDULED_HANDLER_RETURNS_VALUE = "AMP301"

# Expressions that are certainly not `void`/`undefined`: returning them is TS2322.
_VALUE_KINDS: frozenset[ReturnedKind] = frozenset(
    {"object", "array", "string", "number", "boolean", "new", "function", "class", "regex", "null"}
)  # null: TS2322 under `strict`, which Amplify's amplify/tsconfig.json sets


def _void_handler_type(export: HandlerExport) -> str | None:
    """The name of the void-returning aws-lambda type the export is declared with, if any."""
    found = export.type_name
    if found is None or found.source != "aws-lambda":
        return None
    args = export.type_arguments
    if found.name == "ScheduledHandler":
        return "ScheduledHandler"
    if found.name == "EventBridgeHandler" and len(args) >= 3 and args[2] == "void":
        return export.type_text
    if found.name == "Handler" and len(args) >= 2 and args[1] == "void":
        return export.type_text
    return None


def scheduled_handler_returns_value(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        if not module.exports:
            continue
        for export in handler_exports(module):
            type_text = _void_handler_type(export)
            if type_text is None:
                continue
            for value in handler_returns(module, export):
                if value.kind not in _VALUE_KINDS:
                    continue
                yield Diagnostic(
                    SCHEDULED_HANDLER_RETURNS_VALUE,
                    f"`{export.name}` is typed `{type_text}`, which must return `void`, but returns a value "
                    "(tsc TS2322); drop the return value, or type the event parameter "
                    "`EventBridgeEvent<string, any>` without the `void` handler type",
                    value.location,
                    fix=Fix("Return nothing: drop the returned value", (value.without_value,), "unsafe")
                    if value.without_value is not None
                    else None,
                )
