"""The data schema as `a.schema({...})` declares it: models with their fields, identifier, secondary
indexes, relationships and rules; enums, custom types and custom operations. Anything amplint
cannot read (a spread it cannot follow, a helper call, a computed key) leaves the schema or the
model incomplete, and rules about what is absent stay silent there."""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

from tree_sitter import Node

from ..syntax import FUNCTION_KINDS, call_arguments, property_name, string_value, text, unwrap
from .modules import Module
from .values import UNKNOWN, Expr, External, Unknown, evaluate, object_at, resolve

AMPLIFY_BACKEND = "@aws-amplify/backend"
RELATIONSHIPS = frozenset({"hasMany", "hasOne", "belongsTo"})
OPERATION_KINDS = frozenset({"query", "mutation", "subscription", "generation", "conversation"})
# Fields every model gets without declaring them (the identifier `id` unless another is given).
IMPLICIT_FIELDS = frozenset({"id", "createdAt", "updatedAt"})


class Chain(NamedTuple):
    """`a.<root>(args).m1(...).m2(...)`: the `a.` call at the root and the methods after it."""

    root: str  # `model`, `string`, `ref`, `hasMany`, `query`, ...
    args: tuple[Node, ...]
    methods: dict[str, tuple[Node, ...]]  # method name -> its arguments (last call wins)
    calls: dict[str, Node]  # method name -> the call node
    module: Module
    node: Node  # the whole expression


def read_chain(module: Module, node: Node, *, through_names: bool = False) -> Chain | None:
    """Follow `const` names to an `a.*(...)` chain of @aws-amplify/backend; None when it is not one.
    `through_names` also follows a name inside the chain (`base.authorization(...)` where `const base
    = a.model(...)`): enough to tell the chain's root, though its methods may then span modules."""
    found = resolve(module, node)
    if not isinstance(found, Expr):
        return None
    module, top = found.module, unwrap(found.node)
    methods: dict[str, tuple[Node, ...]] = {}
    calls: dict[str, Node] = {}
    current = top
    for _ in range(64):
        if current.type != "call_expression":
            return None
        callee = current.child_by_field_name("function")
        if callee is None:
            return None
        origin = resolve(module, callee)
        if (
            isinstance(origin, External)
            and origin.source == AMPLIFY_BACKEND
            and origin.name.startswith("a.")
            and origin.name.count(".") == 1
        ):
            return Chain(origin.name[2:], tuple(call_arguments(current)), methods, calls, module, top)
        obj = callee.child_by_field_name("object")
        if callee.type != "member_expression" or obj is None:
            return None
        name = text(callee.child_by_field_name("property"))
        methods.setdefault(name, tuple(call_arguments(current)))
        calls.setdefault(name, current)
        current = unwrap(obj)
        if through_names and current.type != "call_expression":
            followed = resolve(module, current)
            if not isinstance(followed, Expr):
                return None
            module, current = followed.module, unwrap(followed.node)
    return None


class SchemaField(NamedTuple):
    name: str
    key: Node
    chain: Chain | None  # None: a value amplint cannot read

    @property
    def kind(self) -> str:
        return self.chain.root if self.chain is not None else "unknown"

    @property
    def required(self) -> bool:
        return self.chain is not None and "required" in self.chain.methods

    @property
    def target(self) -> tuple[str, Node] | None:
        """The type a `ref` or relationship names, with the string node that names it."""
        if self.chain is None or self.kind not in RELATIONSHIPS | {"ref"} or not self.chain.args:
            return None
        value = string_value(unwrap(self.chain.args[0]))
        return (value, self.chain.args[0]) if value is not None else None


class SchemaRules(NamedTuple):
    """The schema-level `.authorization(...)` of the `a.schema` a model or operation belongs to
    (under `a.combine`, each part keeps its own: they do not carry across parts)."""

    call: Node | None = None
    rules: set[str] | None = None  # `allow.<x>` strategies; None when unreadable (or no call)

    def covers(self) -> bool | None:
        """Whether the schema-level rules give models and operations a rule (`allow.resource`
        grants functions and does not count); None when amplint cannot read them."""
        if self.call is None:
            return False
        if self.rules is None:
            return None
        return bool(self.rules - {"resource"})


class SchemaModel:
    """`name: a.model({...})` with its fields, as far as amplint can read them."""

    __slots__ = ("name", "key", "chain", "fields", "fields_complete", "schema_rules")

    def __init__(self, name: str, key: Node, chain: Chain) -> None:
        self.name = name
        self.key = key
        self.chain = chain
        self.fields: dict[str, SchemaField] = {}
        self.fields_complete = True
        self.schema_rules = SchemaRules()

    def __repr__(self) -> str:
        return f"SchemaModel({self.name!r})"

    @property
    def authorization(self) -> Node | None:
        return self.chain.calls.get("authorization")

    def has_field(self, name: str) -> bool | None:
        """Whether the model declares the field (`id` counts unless another identifier is set);
        None when amplint cannot see every field."""
        if name in self.fields:
            return True
        if name == "id" and "identifier" not in self.chain.methods:
            return True
        return False if self.fields_complete else None


class CustomOperation(NamedTuple):
    name: str
    key: Node
    chain: Chain
    schema_rules: SchemaRules = SchemaRules()


class Schema:
    """One `a.schema({...})` with what it declares."""

    __slots__ = (
        "module",
        "call",
        "models",
        "enums",
        "custom_types",
        "operations",
        "complete",
        "authorization",
        "authorization_rules",
    )

    def __init__(self, module: Module, call: Node, authorization: Node | None = None) -> None:
        self.module = module
        self.call = call
        self.models: dict[str, SchemaModel] = {}
        self.enums: dict[str, tuple[Node, Chain]] = {}
        self.custom_types: dict[str, tuple[Node, Chain]] = {}
        self.operations: dict[str, CustomOperation] = {}
        self.complete = True  # every entry is known and classified
        self.authorization = authorization  # the schema-level `.authorization(...)` call
        # Its `allow.<x>` strategies; None when unreadable.
        self.authorization_rules: set[str] | None = None

    def __repr__(self) -> str:
        return f"Schema({self.module!r}, models={list(self.models)!r})"

    def defines(self, name: str) -> bool | None:
        """Whether a type of this name is declared here; None when amplint cannot tell."""
        if name in self.models or name in self.enums or name in self.custom_types:
            return True
        return False if self.complete else None


def combine(parts: list[Schema]) -> Schema:
    """`a.combine([...])`: one namespace of types (refs and relationships resolve across parts),
    while each model and operation keeps its own part's schema-level rules."""
    combined = Schema(parts[0].module, parts[0].call)
    for part in parts:
        combined.models.update(part.models)
        combined.enums.update(part.enums)
        combined.custom_types.update(part.custom_types)
        combined.operations.update(part.operations)
        combined.complete = combined.complete and part.complete
    return combined


def read_schema(module: Module, call: Node, authorization: Node | None, rules_known: bool = True) -> Schema:
    """The schema of `a.schema({...})` (`call`), with its schema-level `.authorization(...)`."""
    schema = Schema(module, call, authorization=authorization)
    if authorization is not None and rules_known:
        schema.authorization_rules = authorization_rules(module, authorization)
    own_rules = SchemaRules(authorization, schema.authorization_rules)
    args = call_arguments(call)
    shape = object_at(module, args[0]) if args else None
    if shape is None:
        schema.complete = False
        return schema
    schema.complete = shape.complete
    for name, expr in shape.entries.items():
        chain = read_chain(expr.module, expr.node)
        key = shape.keys[name]
        if chain is None:
            schema.complete = False
        elif chain.root == "model":
            schema.models[name] = _read_model(name, key, chain)
            schema.models[name].schema_rules = own_rules
        elif chain.root == "enum":
            schema.enums[name] = (key, chain)
        elif chain.root == "customType":
            schema.custom_types[name] = (key, chain)
        elif chain.root in OPERATION_KINDS:
            schema.operations[name] = CustomOperation(name, key, chain, own_rules)
        else:
            schema.complete = False  # a.sql..., or something newer than amplint
    return schema


def _read_model(name: str, key: Node, chain: Chain) -> SchemaModel:
    model = SchemaModel(name, key, chain)
    read = read_fields(chain)
    if read is None:
        model.fields_complete = False
    else:
        model.fields, model.fields_complete = read
    return model


def read_fields(chain: Chain) -> tuple[dict[str, SchemaField], bool] | None:
    """The fields of `a.model({...})` or `a.customType({...})`, and whether amplint sees them all;
    None when the argument is not an object literal amplint can follow."""
    shape = object_at(chain.module, chain.args[0]) if chain.args else None
    if shape is None:
        return None
    fields = {
        name: SchemaField(name, shape.keys[name], read_chain(expr.module, expr.node))
        for name, expr in shape.entries.items()
    }
    return fields, shape.complete


def string_list(module: Module, node: Node | None) -> list[tuple[str, Node]] | None:
    """`['a', 'b']` as (value, node) pairs; None when not a literal array of strings."""
    if node is None:
        return None
    node = unwrap(node)
    if node.type != "array":
        return None
    items: list[tuple[str, Node]] = []
    for element in node.named_children:
        if element.type == "comment":
            continue
        value = evaluate(module, element)
        if not isinstance(value, str):
            return None
        items.append((value, element))
    return items


# `index('a').sortKeys(['b'])`: the partition key and the sort keys, each with the node naming it.
SecondaryIndex: TypeAlias = tuple[tuple[str, Node], list[tuple[str, Node]]]


def secondary_indexes(model: SchemaModel) -> list[SecondaryIndex] | Unknown:
    """`.secondaryIndexes((index) => [index('a').sortKeys(['b'])])` as (partition key, sort keys);
    UNKNOWN when the callback is not a literal list of such calls."""
    args = model.chain.methods.get("secondaryIndexes")
    if args is None:
        return []
    callback = unwrap(args[0]) if args else None
    if callback is None or callback.type not in FUNCTION_KINDS:
        return UNKNOWN
    params = callback.child_by_field_name("parameters") or callback.child_by_field_name("parameter")
    names = [
        text(p.child_by_field_name("pattern") or p)
        for p in (params.named_children if params is not None and params.type != "identifier" else [])
    ]
    index_name = text(params) if params is not None and params.type == "identifier" else (names[0] if names else None)
    body = unwrap(callback.child_by_field_name("body"))
    if index_name is None or body is None or body.type != "array":
        return UNKNOWN
    module = model.chain.module
    result: list[SecondaryIndex] = []
    for element in body.named_children:
        if element.type == "comment":
            continue
        current = unwrap(element)
        sort_keys: list[tuple[str, Node]] = []
        while current.type == "call_expression":
            callee = current.child_by_field_name("function")
            if callee is not None and callee.type == "identifier" and text(callee) == index_name:
                index_args = call_arguments(current)
                partition = evaluate(module, index_args[0]) if index_args else None
                if not isinstance(partition, str):
                    return UNKNOWN
                result.append(((partition, index_args[0]), sort_keys))
                break
            if callee is None or callee.type != "member_expression":
                return UNKNOWN
            if text(callee.child_by_field_name("property")) == "sortKeys":
                sort_args = call_arguments(current)
                keys = string_list(module, sort_args[0] if sort_args else None)
                if keys is None:
                    return UNKNOWN
                sort_keys = keys
            obj = callee.child_by_field_name("object")
            if obj is None:
                return UNKNOWN
            current = unwrap(obj)
        else:
            return UNKNOWN
    return result


def authorization_rules(module: Module, call: Node) -> set[str] | None:
    """The `allow.<x>` strategies of an `.authorization((allow) => [...])` call; None when the
    rules are not an inline callback amplint can read."""
    args = call_arguments(call)
    callback = unwrap(args[0]) if len(args) == 1 else None
    if callback is None or callback.type not in FUNCTION_KINDS:
        return None
    params = callback.child_by_field_name("parameters") or callback.child_by_field_name("parameter")
    if params is None:
        return None
    names = (
        [text(params)]
        if params.type == "identifier"
        else [text(p.child_by_field_name("pattern") or p) for p in params.named_children]
    )
    if len(names) != 1:
        return None
    (allow,) = names
    rules = set()
    for member in module.file.index.members:
        if callback.start_byte <= member.start_byte < callback.end_byte:
            obj = member.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and text(obj) == allow:
                rules.add(text(member.child_by_field_name("property")))
            elif obj is not None and text(member.child_by_field_name("property")) == "resource":
                return None  # a helper around `allow`: the rules are not what they look like
    return rules


def key_name(node: Node) -> str | None:
    return property_name(node)
