"""AMP508, AMP509: what `backend.<key>.resources` really holds: only the schema's models have
tables, and the resources are typed by interfaces that lack some methods of their classes."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.loading import runs_on_load
from ..model.modules import Module
from ..model.values import evaluate
from ..syntax import property_name, text, unwrap

TABLE_NOT_A_MODEL = "AMP508"
MEMBER_NOT_ON_RESOURCE_TYPE = "AMP509"

# Members the classes have and the interfaces Amplify types its resources with do not (read from
# aws-cdk-lib's .d.ts; @aws-amplify/plugin-types: FunctionResources.lambda is `IFunction`,
# AuthResources.userPool is `IUserPool`).
TYPED_RESOURCES = {
    "lambda": ("IFunction", frozenset({"addEnvironment", "addLayers", "addAlias", "currentVersion"})),
    "userPool": ("IUserPool", frozenset({"addTrigger"})),
}
_TABLE_HOLDERS = {"tables": "resources", "amplifyDynamoDbTables": "cfnResources"}


def table_not_a_model(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    models = backend.schema_models
    if define is None or models is None or not define.module.file.mentions(b"ables"):
        return
    data_key = backend.backend_key(backend.data_resource) if backend.data_resource is not None else None
    module = define.module
    for member in module.file.index.members + _subscripts(module):
        holder = member.child_by_field_name("object")
        key_node = member.child_by_field_name("property") or member.child_by_field_name("index")
        if holder is None or key_node is None or unwrap(holder).type != "member_expression":
            continue
        holder = unwrap(holder)
        group = text(holder.child_by_field_name("property"))
        if group not in _TABLE_HOLDERS or _backend_root(holder, define.binding) != data_key:
            continue
        name = property_name(key_node) if member.type == "member_expression" else evaluate(module, key_node)
        if not isinstance(name, str):
            continue
        after = member.parent
        if (
            name is None
            or name in models
            or after is None
            or after.type != "member_expression"
            or after.child_by_field_name("object") != member
        ):
            continue  # a model, a name amplint cannot read, or not read from (`?.`, passed on)
        if text(after).startswith(text(member) + "?."):
            continue
        read = text(after.child_by_field_name("property"))
        known = ", ".join(f"'{m}'" for m in sorted(models)) or "none"
        when = "synth fails" if runs_on_load(member) else "synth fails when this code runs"
        yield Diagnostic(
            TABLE_NOT_A_MODEL,
            f"The schema has no model `{name}`, so `{text(member)}` is undefined and {when} with "
            f"\"TypeError: Cannot read properties of undefined (reading '{read}')\" (only models get tables; "
            f"the schema's models: {known})",
            module.file.location(key_node),
        )


def _subscripts(module: Module) -> list[Node]:
    """`x['Todo']` nodes (the index query holds member expressions only)."""
    found: list[Node] = []
    stack = [module.file.root]
    if b"[" not in module.file.text:
        return found
    while stack:
        node = stack.pop()
        if node.type == "subscript_expression":
            found.append(node)
        stack.extend(node.named_children)
    return found


def _backend_root(node: Node | None, binding: str | None) -> str | None:
    """The registration key of `backend.<key>.resources...`, through the member chain."""
    while node is not None and node.type in (
        "member_expression",
        "subscript_expression",
        "non_null_expression",
        "parenthesized_expression",
    ):
        inner = (
            node.child_by_field_name("object")
            if node.type != "non_null_expression" and node.type != "parenthesized_expression"
            else node.named_children[0]
        )
        if (
            inner is not None
            and inner.type == "identifier"
            and text(inner) == binding
            and node.type == "member_expression"
        ):
            return text(node.child_by_field_name("property"))
        node = inner
    return None


def member_not_on_resource_type(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    if define is None or define.binding is None:
        return
    module = define.module
    for member in module.file.index.members:
        resource = member.child_by_field_name("object")
        if resource is None or resource.type != "member_expression":
            continue  # a cast, a parenthesis or a name in between: typed otherwise, or unknown
        typed = TYPED_RESOURCES.get(text(resource.child_by_field_name("property")))
        prop = text(member.child_by_field_name("property"))
        if typed is None or prop not in typed[1]:
            continue
        holder = resource.child_by_field_name("object")
        if (
            holder is None
            or holder.type != "member_expression"
            or text(holder.child_by_field_name("property")) != "resources"
            or _backend_root(holder, define.binding) is None
        ):
            continue
        interface = typed[0]
        if prop == "addEnvironment":
            key = _backend_root(holder, define.binding)
            fix = f"use `{define.binding}.{key}.addEnvironment(...)`, which Amplify's function resource has"
        else:
            fix = f"cast it to the class it is (`({text(resource)} as ...).{prop}`)"
        yield Diagnostic(
            MEMBER_NOT_ON_RESOURCE_TYPE,
            f"`{text(resource)}` is typed `{interface}`, which has no `{prop}` (tsc TS2339 \"Property '{prop}' does "
            f"not exist on type '{interface}'.\"): synth would run it, but Amplify's type-check fails first; {fix}",
            module.file.location(member.child_by_field_name("property") or member),
        )
