"""AMP610: `secret()` passed where Amplify never resolves it, so CDK receives the placeholder object."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import AMPLIFY_BACKEND, Backend, is_lambda_class
from ..model.modules import Module
from ..model.values import External, resolve
from ..syntax import text, unwrap

SECRET_NOT_RESOLVED = "AMP610"

# Where a value travels through without changing what it is.
_CONTAINERS = frozenset(
    {
        "pair",
        "object",
        "array",
        "arguments",
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "spread_element",
    }
)
_AMPLIFY_FACTORIES = frozenset({"defineFunction", "defineAuth", "defineData", "defineStorage"})
_OVERRIDES = frozenset({"addPropertyOverride", "addOverride"})


def secret_not_resolved(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    for module in backend.modules.values():
        if module.path not in backend.definition_modules:
            continue  # runtime code is AMP302's
        for call in backend.handler_facts(module).secret_calls:
            place = _destination(backend, module, call, define.binding if define is not None else None)
            if place is None:
                continue
            shown = text(call) if len(text(call)) <= 60 else "secret(...)"
            consequence = (
                (
                    'synth fails with "TypeError: Resolution error: ... Cannot read properties of '
                    "undefined (reading 'tryFindChild')\""
                )
                if backend.loads(module)
                else "synth would fail when this code runs"
            )
            typed = " (tsc also rejects it where a string is expected, TS2322/TS2345)" if place[1] else ""
            yield Diagnostic(
                SECRET_NOT_RESOLVED,
                f"`{shown}` is passed to {place[0]}, where Amplify does not resolve it: CDK receives the placeholder "
                f"object and {consequence}{typed}; secrets reach a function only through `defineFunction({{ "
                "environment })` or `backend.<name>.addEnvironment(...)`, and auth takes them in its own props",
                module.file.location(call),
            )


def _destination(backend: Backend, module: Module, call: Node, binding: str | None) -> tuple[str, bool] | None:
    """Where the `secret()` value goes: (what, typed as a string) when it is CDK that gets it; None
    when Amplify resolves it there or amplint cannot tell."""
    node = call
    while node.parent is not None and node.parent.type in _CONTAINERS:
        node = node.parent
    holder = node.parent
    if holder is None or holder.type not in ("call_expression", "new_expression"):
        return None
    if holder.type == "new_expression":
        constructor = holder.child_by_field_name("constructor")
        return f"`new {text(constructor)}(...)`", True
    callee = holder.child_by_field_name("function")
    found = resolve(module, callee) if callee is not None else None
    if isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name in _AMPLIFY_FACTORIES:
        return None  # Amplify's own props (a custom function's callback holds its constructs)
    if callee is None or callee.type != "member_expression":
        return None  # a helper of the user's: unknown
    method = text(callee.child_by_field_name("property"))
    if method in _OVERRIDES:
        return f"`{text(callee)}(...)`", False
    if method == "addEnvironment" and _is_cdk_function(module, callee.child_by_field_name("object")):
        # `backend.<fn>.addEnvironment` is Amplify's and takes secrets; the CDK function's does not.
        return f"`{text(callee)}(...)` of the CDK function", True
    return None


def _is_cdk_function(module: Module, node: Node | None, depth: int = 0) -> bool:
    """`backend.<fn>.resources.lambda` (through casts), or a `const` bound to it or to a
    `new Function(...)`: certainly CDK's function, not Amplify's function resource."""
    node = unwrap(node) if node is not None else None
    if node is None or depth > 8:
        return False
    if node.type == "member_expression":
        holder = node.child_by_field_name("object")
        return (
            text(node.child_by_field_name("property")) == "lambda"
            and holder is not None
            and unwrap(holder).type == "member_expression"
            and text(unwrap(holder).child_by_field_name("property")) == "resources"
        )
    if node.type == "identifier":
        binding = module.bindings.get(text(node))
        if binding is None or binding.kind != "const" or binding.value is None or binding.path:
            return False
        value = unwrap(binding.value)
        if value.type == "new_expression":
            return is_lambda_class(module, value.child_by_field_name("constructor"))
        return _is_cdk_function(module, value, depth + 1)
    return False
