"""What a function's runtime code does: its exported handler and types, its own returns, and how
it sets up the Amplify Data client."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from ..syntax import FUNCTION_KINDS, enclosing_function, text, unwrap
from .modules import Module
from .values import UNKNOWN, Destructured, Expr, External, evaluate, object_at, resolve

RUNTIME_HELPERS = "@aws-amplify/backend/function/runtime"
DATA_CLIENT_MODULES = ("aws-amplify/data", "aws-amplify/api")
IAM_AUTH_MODES = frozenset({"iam", "identityPool"})


@dataclass(frozen=True, slots=True)
class DataApiUse:
    kind: str  # getAmplifyDataClientConfig | generateClient | env
    node: Node


@dataclass(frozen=True, slots=True)
class ClientCall:
    """`generateClient(...)`: `auth_mode` is the literal, None when absent, UNKNOWN when not static."""

    node: Node
    auth_mode: Any
    auth_mode_node: Node | None


@dataclass(frozen=True, slots=True)
class ConfigureCall:
    """`Amplify.configure(config, ...)` and where its config comes from:
    `data-client-config` (getAmplifyDataClientConfig: IAM), `outputs` (amplify_outputs.json),
    `literal` (an object with `default_auth_mode`), or `unknown`."""

    node: Node
    source: str
    default_auth_mode: Any = UNKNOWN
    source_node: Node | None = None


@dataclass(frozen=True, slots=True)
class HandlerExport:
    """An exported function value with the type it was declared with."""

    name: str
    name_node: Node
    function: Node | None  # arrow / function node, None when not a function literal
    type_name: External | None  # the aws-lambda type, resolved through imports and aliases
    type_args: tuple[Node, ...]
    type_node: Node | None


@dataclass(slots=True)
class HandlerFacts:
    data_api: list[DataApiUse] = field(default_factory=list)
    clients: list[ClientCall] = field(default_factory=list)
    configures: list[ConfigureCall] = field(default_factory=list)


def handler_facts(module: Module) -> HandlerFacts:
    facts = HandlerFacts()
    for call in module.file.index.calls:
        callee = call.child_by_field_name("function")
        if callee is None or callee.type not in ("identifier", "member_expression"):
            continue
        last = text(callee).rsplit(".", 1)[-1]
        if last not in ("getAmplifyDataClientConfig", "generateClient", "configure"):
            continue
        found = resolve(module, callee)
        if not isinstance(found, External):
            continue
        if found.source == RUNTIME_HELPERS and found.name == "getAmplifyDataClientConfig":
            facts.data_api.append(DataApiUse("getAmplifyDataClientConfig", call))
        elif found.source in DATA_CLIENT_MODULES and found.name == "generateClient":
            client = _client_call(module, call)
            facts.clients.append(client)
            if client.auth_mode is None or client.auth_mode is UNKNOWN or client.auth_mode in IAM_AUTH_MODES:
                facts.data_api.append(DataApiUse("generateClient", call))
        elif found.source == "aws-amplify" and found.name == "Amplify.configure":
            facts.configures.append(_configure_call(module, call))
    for member in module.file.index.members:
        prop = member.child_by_field_name("property")
        if prop is None or not text(prop).startswith("AMPLIFY_DATA_"):
            continue
        obj = member.child_by_field_name("object")
        if obj is None:
            continue
        if text(obj) == "process.env":
            facts.data_api.append(DataApiUse("env", member))
            continue
        found = resolve(module, obj)
        if isinstance(found, External) and found.source.startswith("$amplify/env/"):
            facts.data_api.append(DataApiUse("env", member))
    return facts


def _arguments(call: Node) -> list[Node]:
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def _client_call(module: Module, call: Node) -> ClientCall:
    args = _arguments(call)
    if not args:
        return ClientCall(call, None, None)
    shape = object_at(module, args[0])
    if shape is None:
        return ClientCall(call, UNKNOWN, None)
    expr = shape.entries.get("authMode")
    if expr is None:
        return ClientCall(call, None if shape.complete else UNKNOWN, None)
    return ClientCall(call, evaluate(expr.module, expr.node), expr.node)


def _configure_call(module: Module, call: Node) -> ConfigureCall:
    args = _arguments(call)
    if not args:
        return ConfigureCall(call, "unknown")
    config = args[0]
    found = resolve(module, config)
    if _from_data_client_config(found):
        return ConfigureCall(call, "data-client-config", "iam", config)
    if isinstance(found, External) and found.source.endswith(".json"):
        return ConfigureCall(call, "outputs", UNKNOWN, config)
    if isinstance(found, Expr) and found.node.type == "object":
        value = evaluate(found.module, found.node)
        if isinstance(value, dict):
            graphql = value.get("API", {})
            graphql = graphql.get("GraphQL") if isinstance(graphql, dict) else None
            if isinstance(graphql, dict):
                mode = graphql.get("defaultAuthMode", UNKNOWN)
                return ConfigureCall(call, "literal", mode, config)
    return ConfigureCall(call, "unknown", UNKNOWN, config)


def _from_data_client_config(found: Any) -> bool:
    """`resourceConfig` destructured from, or read off, `await getAmplifyDataClientConfig(env)`."""
    if isinstance(found, Destructured):
        base, path = found.base, found.path
    elif isinstance(found, Expr) and found.node.type == "member_expression":
        obj = found.node.child_by_field_name("object")
        base_found = resolve(found.module, obj) if obj is not None else None
        if not isinstance(base_found, Expr):
            return False
        base, path = base_found, (text(found.node.child_by_field_name("property")),)
    else:
        return False
    if path != ("resourceConfig",):
        return False
    node = unwrap(base.node)
    if node.type == "await_expression" and node.named_child_count:
        node = unwrap(node.named_children[0])
    if node.type != "call_expression":
        return False
    callee = node.child_by_field_name("function")
    found_callee = resolve(base.module, callee) if callee is not None else None
    return isinstance(found_callee, External) and found_callee.name == "getAmplifyDataClientConfig"


def handler_exports(module: Module) -> list[HandlerExport]:
    exports = []
    for name, export in module.exports.items():
        if export.local is None:
            continue
        binding = module.bindings.get(export.local)
        if binding is None or binding.path:
            continue
        if binding.kind == "function":
            function = binding.value
            exports.append(HandlerExport(name, binding.node, function, None, (), None))
            continue
        if binding.kind not in ("const", "let", "var"):
            continue
        declarator = binding.node.parent
        type_annotation = declarator.child_by_field_name("type") if declarator is not None else None
        value = unwrap(binding.value) if binding.value is not None else None
        function = value if value is not None and value.type in FUNCTION_KINDS else None
        type_name, type_args, type_node = None, (), None
        if type_annotation is not None and type_annotation.named_child_count:
            type_node = type_annotation.named_children[0]
            type_name, type_args = _lambda_type(module, type_node)
        exports.append(HandlerExport(name, binding.node, function, type_name, type_args, type_node))
    return exports


def _lambda_type(module: Module, type_node: Node, depth: int = 0) -> tuple[External | None, tuple[Node, ...]]:
    """Resolve a type annotation to the `aws-lambda` type it names, through import aliases and
    local `type X = ...` aliases."""
    if depth > 16:
        return None, ()
    args: tuple[Node, ...] = ()
    name_node = type_node
    if type_node.type == "generic_type":
        name_node = type_node.child_by_field_name("name")
        type_args_node = type_node.child_by_field_name("type_arguments")
        if type_args_node is not None:
            args = tuple(type_args_node.named_children)
    if name_node is None:
        return None, ()
    if name_node.type == "type_identifier":
        binding = module.bindings.get(text(name_node))
        if binding is None:
            return None, ()
        if binding.kind == "type" and binding.value is not None and not args:
            return _lambda_type(module, binding.value, depth + 1)
        if binding.import_ is not None:
            target = module.resolved.get(binding.import_.source)
            if target is None:
                return External(binding.import_.source, binding.import_.imported), args
        return None, ()
    if name_node.type == "nested_type_identifier":
        parts = text(name_node).split(".")
        binding = module.bindings.get(parts[0])
        if binding is not None and binding.import_ is not None and binding.import_.imported == "*":
            return External(binding.import_.source, ".".join(parts[1:])), args
    return None, ()


def own_returns(module: Module, function: Node) -> list[Node]:
    """`return` statements of `function` itself, not of functions nested in it."""
    result = []
    for statement in module.file.index.returns:
        if function.start_byte <= statement.start_byte < function.end_byte and \
                enclosing_function(statement) == function:
            result.append(statement)
    return result
