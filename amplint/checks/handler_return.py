"""AMP301: a handler typed as returning void (`ScheduledHandler`, ...) returns a value."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.handlers import HandlerExport, handler_exports, own_returns
from ..syntax import text, unwrap

SCHEDULED_HANDLER_RETURNS_VALUE = "AMP301"

# Expressions that are certainly not `void`/`undefined`: returning them is TS2322.
_VALUE_KINDS = frozenset(
    {
        "object",
        "array",
        "string",
        "template_string",
        "number",
        "true",
        "false",
        "new_expression",
        "arrow_function",
        "function_expression",
        "class",
        "regex",
        "null",
    }
)  # null: TS2322 under `strict`, which Amplify's amplify/tsconfig.json sets


def _void_handler_type(export: HandlerExport) -> str | None:
    """The name of the void-returning aws-lambda type the export is declared with, if any."""
    found = export.type_name
    if found is None or found.source != "aws-lambda":
        return None
    args = export.type_args
    if found.name == "ScheduledHandler":
        return "ScheduledHandler"
    if found.name == "EventBridgeHandler" and len(args) >= 3 and text(args[2]) == "void":
        return text(export.type_node)
    if found.name == "Handler" and len(args) >= 2 and text(args[1]) == "void":
        return text(export.type_node)
    return None


def scheduled_handler_returns_value(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        if not module.exports:
            continue
        for export in handler_exports(module):
            type_text = _void_handler_type(export)
            if type_text is None or export.function is None:
                continue
            body = export.function.child_by_field_name("body")
            if body is None:
                continue
            if body.type != "statement_block":
                returned = [body] if _is_value(body) else []
            else:
                returned = [
                    r.named_children[0]
                    for r in own_returns(module, export.function)
                    if r.named_child_count and _is_value(r.named_children[0])
                ]
            for value in returned:
                yield Diagnostic(
                    SCHEDULED_HANDLER_RETURNS_VALUE,
                    f"`{export.name}` is typed `{type_text}`, which must return `void`, but returns a value "
                    "(tsc TS2322); drop the return value, or type the event parameter "
                    "`EventBridgeEvent<string, any>` without the `void` handler type",
                    module.file.location(value),
                )


def _is_value(node: Node) -> bool:
    node = unwrap(node)
    if node.type == "await_expression" and node.named_child_count:
        node = unwrap(node.named_children[0])
    return node.type in _VALUE_KINDS
