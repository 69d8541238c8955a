"""The data schema as `a.schema({...})` declares it: models with their fields, identifier, secondary
indexes, relationships and rules; enums, custom types and custom operations; the functions it lets
in (`allow.resource`, `a.handler.function`). Each fact carries the locations checks report, so no
check reads a node. Anything amplint cannot read (a spread it cannot follow, a helper call, a
computed key) leaves the schema or the model incomplete, and rules about what is absent stay silent
there."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from tree_sitter import Node

from ..amplify import AMPLIFY_BACKEND
from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import FUNCTION_KINDS, ByteRange, byte_range, call_arguments, property_name, string_value, text, unwrap
from .modules import Module, calls_named, identifiers_named, members_named
from .values import UNKNOWN, Expr, External, Resolved, Static, Unknown, evaluate, object_at, resolve, resolve_name

if TYPE_CHECKING:
    from .join import FunctionReference

RELATIONSHIPS = frozenset({"hasMany", "hasOne", "belongsTo"})
OPERATION_KINDS = frozenset({"query", "mutation", "subscription", "generation", "conversation"})


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
    top = unwrap(node)
    if top.type != "call_expression":  # a call resolves to itself: only a name needs following
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
        member = callee.type == "member_expression"
        obj = callee.child_by_field_name("object") if member else None
        inner = unwrap(obj) if obj is not None else None
        # A method of a call's result (`.required` of `a.string().required`) resolves to no export.
        if inner is None or inner.type != "call_expression":
            origin = _callee_origin(module, callee, inner)
            if (
                isinstance(origin, External)
                and origin.source == AMPLIFY_BACKEND
                and origin.name.startswith("a.")
                and origin.name.count(".") == 1
            ):
                return Chain(origin.name[2:], tuple(call_arguments(current)), methods, calls, module, top)
        if inner is None:
            return None
        name = text(callee.child_by_field_name("property"))
        if name not in methods:
            methods[name] = tuple(call_arguments(current))
            calls[name] = current
        current = inner
        if through_names and current.type != "call_expression":
            followed = resolve(module, current)
            if not isinstance(followed, Expr):
                return None
            module, current = followed.module, unwrap(followed.node)
    return None


def _callee_origin(module: Module, callee: Node, inner: Node | None) -> Resolved:
    """`resolve(module, callee)`, the usual `a.model` (a member of an imported name) read directly."""
    if inner is not None and inner.type in _NAMES:
        prop = callee.child_by_field_name("property")
        if prop is not None and prop.type == "property_identifier":
            base = resolve_name(module, text(inner), 2)  # as deep as `resolve` would ask
            if isinstance(base, External):
                return base.member(text(prop))
    return resolve(module, callee)


_NAMES = ("identifier", "shorthand_property_identifier")


class SchemaName(NamedTuple):
    """A string in the schema that names a field or a type (`'a'` in `.identifier(['a'])`, `'Post'`
    in `a.hasMany('Post', ...)`), with where it is written."""

    value: str
    node: Node  # for the model's own use
    module: Module  # whose file the position is read in

    @property
    def location(self) -> Location:
        return self.module.file.location(self.node)

    @property
    def literal_location(self) -> Location:
        """The string itself, inside parentheses and casts (`'a'` of `'a' as const`)."""
        return self.module.file.location(unwrap(self.node))


class FieldRule(NamedTuple):
    """An owner or group rule that keeps its owners or groups in a field of the record:
    `allow.owner()` (in `owner`), `allow.ownerDefinedIn('author')`, `allow.groupsDefinedIn('teams')`."""

    strategy: str
    field: str
    is_list: bool  # the rule reads a list of owners or groups


# Rules that read the owner or groups from a field: (rule, default field, whether the field is a list).
_FIELD_RULES: dict[str, tuple[str | None, bool]] = {
    "owner": ("owner", False),
    "ownerDefinedIn": (None, False),
    "ownersDefinedIn": (None, True),
    "groupDefinedIn": (None, False),
    "groupsDefinedIn": (None, True),
}


class SchemaField(NamedTuple):
    name: str
    key: ByteRange  # the name where it is declared
    chain: Chain | None  # None: a value amplint cannot read
    module: Module  # whose file the key's position is read in: the model's or custom type's

    @property
    def location(self) -> Location:
        """The field's name where it is declared."""
        return self.module.file.location_at(self.key)

    @property
    def kind(self) -> str:
        return self.chain.root if self.chain is not None else "unknown"

    @property
    def readable(self) -> bool:
        """Whether amplint can read the field's value (an `a.<type>(...)` chain)."""
        return self.chain is not None

    @property
    def required(self) -> bool:
        return self.chain is not None and "required" in self.chain.methods

    @property
    def value_required(self) -> bool:
        """`a.hasMany(...).valueRequired()`, `a.string().array().valueRequired()`."""
        return self.chain is not None and "valueRequired" in self.chain.methods

    @property
    def is_list(self) -> bool:
        """`.array()`."""
        return self.chain is not None and "array" in self.chain.methods

    @property
    def target(self) -> SchemaName | None:
        """The type a `ref` or relationship names."""
        if self.chain is None or self.kind not in RELATIONSHIPS | {"ref"} or not self.chain.args:
            return None
        value = string_value(unwrap(self.chain.args[0]))
        return SchemaName(value, self.chain.args[0], self.module) if value is not None else None

    @property
    def references(self) -> tuple[str, ...] | None:
        """The reference fields of a relationship (`a.hasMany('Post', 'authorId')` or `[...]`); None
        when not given or not static."""
        chain = self.chain
        if chain is None or len(chain.args) < 2:
            return None
        value = evaluate(chain.module, chain.args[1])
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return tuple(v for v in value if isinstance(v, str))
        return None

    def method_location(self, method: str) -> Location | None:
        """The name of a method called on the field's type (`required` in `a.hasOne(...).required()`)."""
        if self.chain is None or method not in self.chain.calls:
            return None
        call = self.chain.calls[method]
        callee = call.child_by_field_name("function")
        name = callee.child_by_field_name("property") if callee is not None else None
        return self.chain.module.file.location(name or call)

    @property
    def has_rules(self) -> bool:
        """Whether the field has an `.authorization(...)` of its own."""
        return self.chain is not None and "authorization" in self.chain.calls

    @property
    def readers(self) -> frozenset[str] | None:
        """The field's own rules that can read (see `rule_readers`); None without rules or when
        amplint cannot read them."""
        call = self.chain.calls.get("authorization") if self.chain is not None else None
        return _rule_readers_in(self.chain.module, call) if self.chain is not None and call is not None else None


class SchemaRules(NamedTuple):
    """The schema-level `.authorization(...)` of the `a.schema` a model or operation belongs to
    (under `a.combine`, each part keeps its own: they do not carry across parts)."""

    call: Node | None = None
    rules: set[str] | None = None  # `allow.<x>` strategies; None when unreadable (or no call)

    @property
    def declared(self) -> bool:
        """Whether the schema has an `.authorization(...)` at all."""
        return self.call is not None

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

    __slots__ = ("name", "key", "chain", "fields", "fields_complete", "schema_rules", "_field_rules")

    def __init__(self, name: str, key: ByteRange, chain: Chain) -> None:
        self.name = name
        self.key = key
        self.chain = chain
        self.fields: dict[str, SchemaField] = {}
        self.fields_complete = True
        self.schema_rules = SchemaRules()
        self._field_rules: tuple[FieldRule, ...] | None = None

    def __repr__(self) -> str:
        return f"SchemaModel({self.name!r})"

    @property
    def location(self) -> Location:
        """The model's name in `a.schema({...})`."""
        return self.chain.module.file.location_at(self.key)

    @property
    def authorization(self) -> Node | None:
        return self.chain.calls.get("authorization")

    @property
    def has_rules(self) -> bool:
        """Whether the model has an `.authorization(...)` of its own."""
        return "authorization" in self.chain.calls

    @property
    def readers(self) -> frozenset[str] | None:
        """The model's own rules that can read (see `rule_readers`); None without rules or when
        amplint cannot read them."""
        call = self.authorization
        return _rule_readers_in(self.chain.module, call) if call is not None else None

    @property
    def field_rules(self) -> tuple[FieldRule, ...]:
        """The owner and group rules of the model's own `.authorization(...)` that name a field."""
        if self._field_rules is None:
            call = self.authorization
            self._field_rules = field_rules(self.chain.module, call) if call is not None else ()
        return self._field_rules

    @property
    def declares_identifier(self) -> bool:
        """Whether the model sets `.identifier([...])` (else its identifier is `id`)."""
        return "identifier" in self.chain.methods

    @property
    def identifier(self) -> list[SchemaName] | None:
        """The fields of `.identifier(['a', 'b'])`; None without one or when not a literal list of strings."""
        args = self.chain.methods.get("identifier")
        return string_list(self.chain.module, args[0] if args else None)

    def has_field(self, name: str) -> bool | None:
        """Whether the model declares the field (`id` counts unless another identifier is set);
        None when amplint cannot see every field."""
        if name in self.fields:
            return True
        if name == "id" and "identifier" not in self.chain.methods:
            return True
        return False if self.fields_complete else None


class SchemaEnum(NamedTuple):
    """`name: a.enum([...])`."""

    name: str
    key: ByteRange  # the name where it is declared
    chain: Chain

    @property
    def values(self) -> list[SchemaName] | None:
        """The enum's values; None when not a literal list of strings."""
        chain = self.chain
        return string_list(chain.module, chain.args[0] if chain.args else None)


class CustomType(NamedTuple):
    """`name: a.customType({...})`."""

    name: str
    key: ByteRange  # the name where it is declared
    chain: Chain

    @property
    def location(self) -> Location:
        return self.chain.module.file.location_at(self.key)

    @property
    def fields(self) -> list[SchemaField]:
        """The fields amplint can see (none when the argument is not an object literal it can follow)."""
        read = read_fields(self.chain)
        return [] if read is None else list(read[0].values())


class CustomOperation(NamedTuple):
    name: str
    key: ByteRange  # the name where it is declared
    chain: Chain
    schema_rules: SchemaRules = SchemaRules()

    @property
    def kind(self) -> str:
        """`query`, `mutation`, `subscription`, `generation` or `conversation`."""
        return self.chain.root

    @property
    def location(self) -> Location:
        return self.chain.module.file.location_at(self.key)

    @property
    def has_handler(self) -> bool:
        return "handler" in self.chain.methods

    @property
    def has_rules(self) -> bool:
        """Whether the operation has an `.authorization(...)` of its own."""
        return "authorization" in self.chain.methods

    @property
    def has_returns(self) -> bool:
        return "returns" in self.chain.methods

    @property
    def returned_refs(self) -> list[SchemaName]:
        """The types `.returns(a.ref('T'))` names."""
        names = []
        for argument in self.chain.methods.get("returns") or ():
            chain = read_chain(self.chain.module, argument)
            if chain is not None and chain.root == "ref" and chain.args:
                name = string_value(unwrap(chain.args[0]))
                if name is not None:
                    names.append(SchemaName(name, chain.args[0], chain.module))
        return names

    @property
    def async_handler(self) -> bool | None:
        """Whether the handler is `a.handler.function(fn).async()`; None when amplint cannot tell."""
        args: tuple[Node, ...] = self.chain.methods.get("handler") or ()
        if len(args) != 1:
            return None
        node = unwrap(args[0])
        handlers = [unwrap(n) for n in node.named_children] if node.type == "array" else [node]
        result = False
        for handler in handlers:
            if handler.type != "call_expression":
                return None
            callee = handler.child_by_field_name("function")
            if (
                callee is not None
                and callee.type == "member_expression"
                and text(callee.child_by_field_name("property")) == "async"
            ):
                result = True
            elif callee is None or not text(callee).replace(" ", "").endswith(
                ("handler.function", "handler.custom", "handler.inlineSql", "handler.sqlReference")
            ):
                return None
        return result


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
        self.enums: dict[str, SchemaEnum] = {}
        self.custom_types: dict[str, CustomType] = {}
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
            schema.enums[name] = SchemaEnum(name, key, chain)
        elif chain.root == "customType":
            schema.custom_types[name] = CustomType(name, key, chain)
        elif chain.root in OPERATION_KINDS:
            schema.operations[name] = CustomOperation(name, key, chain, own_rules)
        else:
            schema.complete = False  # a.sql..., or something newer than amplint
    return schema


def _read_model(name: str, key: ByteRange, chain: Chain) -> SchemaModel:
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
        name: SchemaField(name, shape.keys[name], read_chain(expr.module, expr.node), expr.module)
        for name, expr in shape.entries.items()
    }
    return fields, shape.complete


def string_list(module: Module, node: Node | None) -> list[SchemaName] | None:
    """`['a', 'b']` as names; None when not a literal array of strings."""
    if node is None:
        return None
    node = unwrap(node)
    if node.type != "array":
        return None
    items: list[SchemaName] = []
    for element in node.named_children:
        if element.type == "comment":
            continue
        value = evaluate(module, element)
        if not isinstance(value, str):
            return None
        items.append(SchemaName(value, element, module))
    return items


class SecondaryIndex(NamedTuple):
    """`index('a').sortKeys(['b'])`: the partition key and the sort keys."""

    partition: SchemaName
    sort_keys: list[SchemaName]


def secondary_indexes(model: SchemaModel) -> list[SecondaryIndex] | Unknown:
    """`.secondaryIndexes((index) => [index('a').sortKeys(['b'])])`; UNKNOWN when the callback is
    not a literal list of such calls."""
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
        sort_keys: list[SchemaName] = []
        while current.type == "call_expression":
            callee = current.child_by_field_name("function")
            if callee is not None and callee.type == "identifier" and text(callee) == index_name:
                index_args = call_arguments(current)
                partition = evaluate(module, index_args[0]) if index_args else None
                if not isinstance(partition, str):
                    return UNKNOWN
                result.append(SecondaryIndex(SchemaName(partition, index_args[0], module), sort_keys))
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


class _Member(NamedTuple):
    """A member read `<object>.<property>`, as a per-file fact."""

    at: ByteRange
    object_name: str | None  # the object when it is a name
    has_object: bool
    property: str


class _FieldRuleCall(NamedTuple):
    """`<x>.owner(...)`, `<x>.ownerDefinedIn(...)`, ...: a call that may be a field rule."""

    at: ByteRange
    strategy: str  # the method called: `owner`, ...


_Fact = TypeVar("_Fact", _Member, _FieldRuleCall)


def _within(facts: Sequence[_Fact], outer: Node) -> Sequence[_Fact]:
    """The facts of a list in document order (of one file) that start inside `outer`."""
    start = bisect_left(facts, outer.start_byte, key=_start_byte)
    end = bisect_left(facts, outer.end_byte, lo=start, key=_start_byte)
    return facts[start:end]


def _start_byte(fact: _Member | _FieldRuleCall) -> int:
    return fact.at[0]


def _callback(call: Node) -> Node | None:
    """The one argument of an `.authorization(...)` call, if it has exactly one."""
    args = call_arguments(call)
    return unwrap(args[0]) if len(args) == 1 else None


def authorization_rules(module: Module, call: Node) -> set[str] | None:
    """The `allow.<x>` strategies of an `.authorization((allow) => [...])` call; None when the
    rules are not an inline callback amplint can read."""
    callback = _callback(call)
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
    for member in _within(module.fact(_resource_members), callback):
        if member.has_object and member.object_name != allow:
            return None  # a helper around `allow` (its `.resource`): the rules are not what they look like
    return {member.property for member in _within(_members_off(module, allow), callback)}


def _resource_members(module: Module) -> tuple[_Member, ...]:
    """Per file: the members `<x>.resource`, in document order."""
    return tuple(_member(member) for member in members_named(module, b"resource"))


def _members_off(module: Module, name: str) -> tuple[_Member, ...]:
    """The members read straight off the identifier `name` (`allow.owner`), in document order,
    worked out once per name."""
    return module.fact(_read_members_off, name)


def _read_members_off(module: Module, name: str) -> tuple[_Member, ...]:
    return tuple(
        _member(member)
        for node in identifiers_named(module, name)
        if (member := node.parent) is not None and _read_off(member, name) == node
    )


def _member(member: Node) -> _Member:
    obj = member.child_by_field_name("object")
    name = text(obj) if obj is not None and obj.type == "identifier" else None
    return _Member(byte_range(member), name, obj is not None, text(member.child_by_field_name("property")))


def _read_off(member: Node, name: str) -> Node | None:
    """The identifier `name` that `member` is read straight off (`name.x`), if it is."""
    obj = member.child_by_field_name("object") if member.type == "member_expression" else None
    return obj if obj is not None and obj.type == "identifier" and text(obj) == name else None


def rule_readers(call: Node) -> set[str] | None:
    """The rules of an `.authorization((allow) => [...])` that can read, as `allow.x(args)` texts
    (whitespace collapsed) without their `.to(...)`; None when amplint cannot read them."""
    callback = _callback(call)
    if callback is None or callback.type not in FUNCTION_KINDS:
        return None
    body = callback.child_by_field_name("body")
    body = unwrap(body) if body is not None else None
    if body is None or body.type != "array":
        return None
    readers: set[str] = set()
    for element in body.named_children:
        if element.type == "comment":
            continue
        node, operations = unwrap(element), None
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if (
                callee is not None
                and callee.type == "member_expression"
                and text(callee.child_by_field_name("property")) == "to"
            ):
                operations = text((call_arguments(node) or [callee])[0])
                target = callee.child_by_field_name("object")
                if target is None:
                    return None
                node = unwrap(target)
        if node.type != "call_expression":
            return None
        if operations is not None and not _reads().search(operations):
            continue  # a rule that cannot read
        readers.add(" ".join(text(node).split()))
    return readers


def _rule_readers_in(module: Module, call: Node) -> frozenset[str] | None:
    """`rule_readers(call)`, worked out once per call of `module` (a per-file fact: the rules as
    written). A chain followed through names may hold a call of another file: that one is read each
    time."""
    key = (call.start_byte, call.end_byte)
    if module.file.root.descendant_for_byte_range(*key) != call:
        return _frozen(rule_readers(call))
    known = module.fact(_rule_readers_by_call)
    if key not in known:
        known[key] = _frozen(rule_readers(call))
    return known[key]


def _frozen(readers: set[str] | None) -> frozenset[str] | None:
    return frozenset(readers) if readers is not None else None


def _rule_readers_by_call(module: Module) -> dict[tuple[int, int], frozenset[str] | None]:
    return {}  # filled by `_rule_readers_in`, call by call


@cache
def _reads() -> re.Pattern[str]:
    """`'read'` or `"read"` in a `.to([...])` list."""
    return re.compile(r"['\"]read['\"]")


def field_rules(module: Module, call: Node) -> tuple[FieldRule, ...]:
    """The owner and group rules of an `.authorization(...)` call that name a field, in source order."""
    callback = _callback(call)
    if callback is None:
        return ()
    found = []
    for inner in _within(module.fact(_field_rule_calls), callback):
        strategy = inner.strategy
        if strategy not in _FIELD_RULES:
            continue
        default, as_list = _FIELD_RULES[strategy]
        rule_args = call_arguments(module.file.node_at(inner.at)) if default is None else []
        field = default if default is not None else (evaluate(module, rule_args[0]) if rule_args else None)
        if isinstance(field, str):
            found.append(FieldRule(strategy, field, as_list))
    return tuple(found)


def _field_rule_calls(module: Module) -> tuple[_FieldRuleCall, ...]:
    """Per file: the calls `<x>.owner(...)`, `<x>.ownerDefinedIn(...)`, ..., in document order."""
    return tuple(
        _FieldRuleCall(byte_range(named.call), text(named.name))
        for named in calls_named(module, (word.encode() for word in _FIELD_RULES), members_only=True)
    )


class ListedOperation(NamedTuple):
    """An element of `allow.resource(fn).to([...])`, with its static value."""

    value: Static
    at: ByteRange
    module: Module

    @property
    def location(self) -> Location:
        return self.module.file.location_at(self.at)


class ResourceGrant(NamedTuple):
    """`allow.resource(fn)` in the data schema's authorization: where it sits (`reference.level`:
    schema-level, or a model, field or custom operation where it does not belong) and the
    `.to([...])` it lists."""

    reference: FunctionReference

    @property
    def location(self) -> Location:
        """`allow.resource` itself."""
        return self.reference.callee_location

    @property
    def operations_location(self) -> Location | None:
        """The argument of `.to(...)`; None without one."""
        ref = self.reference
        return ref.expr.module.file.location_at(ref.operations_at) if ref.operations_at is not None else None

    @property
    def listed_operations(self) -> list[ListedOperation]:
        """The elements of `.to([...])` when it is an array literal (none otherwise)."""
        ref = self.reference
        module = ref.expr.module
        if ref.listed is not None:
            return [ListedOperation(value, at, module) for value, at in ref.listed]
        if ref.operations_at is None:
            return []
        listed = unwrap(module.file.node_at(ref.operations_at))
        if listed.type != "array":
            return []
        return [
            ListedOperation(evaluate(module, element), byte_range(element), module)
            for element in listed.named_children
            if element.type != "comment"
        ]


def resource_grants(references: Iterable[FunctionReference]) -> list[ResourceGrant]:
    """The `allow.resource(...)` grants of the data schema, in the join's order."""
    return [ResourceGrant(ref) for ref in references if ref.kind == "allow.resource" and ref.resource == "data"]


class FunctionResolver(NamedTuple):
    """`a.handler.function(fn)`: a function that answers a custom query, mutation or subscription."""

    reference: FunctionReference

    @property
    def is_async(self) -> bool:
        """`.async()`: AppSync does not wait for the answer."""
        return self.reference.is_async

    @property
    def location(self) -> Location:
        """The `a.handler.function(...)` call."""
        ref = self.reference
        return ref.site.location


def function_resolvers(references: Iterable[FunctionReference]) -> list[FunctionResolver]:
    """The schema's `a.handler.function(...)` uses, in the join's order."""
    return [FunctionResolver(ref) for ref in references if ref.kind == "a.handler.function"]


def key_name(node: Node) -> str | None:
    return property_name(node)
