"""Static values: follow names across modules and evaluate what is known without running code.

Anything that cannot be followed or evaluated is UNKNOWN, and every rule treats UNKNOWN as
"stay silent"."""

from __future__ import annotations

import enum
import math
from typing import TYPE_CHECKING, Final, Literal, TypeAlias, TypeGuard

from tree_sitter import Node

from ..records import NamedTuple
from ..syntax import (
    NAME_KINDS,
    TRANSPARENT_KINDS,
    ByteRange,
    NamePath,
    NodeRef,
    byte_range,
    name_path,
    node_ref,
    property_name,
    string_value,
    text,
    unwrap,
)
from .modules import Module

if TYPE_CHECKING:
    from ..diagnostics import Location

MAX_DEPTH = 64  # nesting and name-following bound: deep input turns into UNKNOWN, not recursion errors


class Unknown(enum.Enum):
    """The type of UNKNOWN, its one value: what amplint cannot know statically. Falsy. A
    one-member enum (final, as every enum with members is) so that a type checker narrows on
    `value is UNKNOWN` as it does on `isinstance(value, Unknown)`."""

    UNKNOWN = "UNKNOWN"

    def __repr__(self) -> str:
        return "UNKNOWN"

    __str__ = __repr__

    def __bool__(self) -> Literal[False]:
        return False


UNKNOWN: Final = Unknown.UNKNOWN


class Undefined(enum.Enum):
    """The type of UNDEFINED, its one value: JavaScript's `undefined` as `evaluate` returns it.
    Truthy in Python, like any object; `_truthy` gives JavaScript's truthiness."""

    UNDEFINED = "undefined"

    def __repr__(self) -> str:
        return "undefined"

    __str__ = __repr__


UNDEFINED: Final = Undefined.UNDEFINED

# A value `evaluate` knows: a JavaScript primitive (None is `null`), or an array or object literal
# whose elements are each evaluated on their own (and may be UNKNOWN).
JsValue: TypeAlias = "str | int | float | bool | None | Undefined | list[Static] | dict[str, Static]"
# A static JavaScript value, or UNKNOWN: what `evaluate` returns.
Static: TypeAlias = "JsValue | Unknown"


class Expr:
    """An expression together with the module it is written in. One reached through a binding or an
    export keeps the expression's range and type until its node is read (`Expr.at`), so that following
    a name to, say, a function needs no tree of the module it is written in: its node is found there
    on first use. Compared by module, range and type, as the node is."""

    __slots__ = ("module", "_node", "_ref")

    def __init__(self, module: Module, node: Node) -> None:
        self.module = module
        self._node: Node | None = node
        self._ref: NodeRef | None = None

    @classmethod
    def at(cls, module: Module, ref: NodeRef) -> Expr:
        """The expression of `module` of this range and type, its node not looked up yet."""
        expr = cls.__new__(cls)
        expr.module, expr._node, expr._ref = module, None, ref
        return expr

    @property
    def node(self) -> Node:
        if self._node is None:
            assert self._ref is not None
            self._node = self.module.file.node_at(*self._ref)
        return self._node

    @property
    def type(self) -> str:
        return self._ref[1] if self._node is None and self._ref is not None else self.node.type

    @property
    def range(self) -> ByteRange:
        return self._ref[0] if self._node is None and self._ref is not None else byte_range(self.node)

    def _key(self) -> tuple[int, ByteRange, str]:
        return id(self.module), self.range, self.type

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expr) and self.module is other.module and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Expr({self.module!r}, {self.type} at {self.range})"

    @property
    def location(self) -> Location:
        return self.module.file.location_at(self.range)

    @property
    def text(self) -> str:
        return text(self.node)

    def evaluate(self) -> Static:
        """Its static value (see `evaluate`): a string or number written in place is read from a per-file
        fact, and a name is followed by its text (`resolve_expr`), without the tree once stored."""
        if self._node is None and self._ref is not None:
            if self._ref[1] in _WRITTEN_KINDS:
                literal = self.module.fact(_literal_at, self._ref)
                if literal is not None:
                    return literal
            return _evaluate_resolved(resolve_expr(self), 0)
        return evaluate(self.module, self.node)

    def object_shape(self) -> ObjectShape | None:
        """The object literal it resolves to, if any (see `object_at`): from the per-file facts of the
        module it is written in when all its entries are named in place."""
        return object_of(resolve_expr(self))


class External(NamedTuple):
    """A value imported from outside the workspace: `source` as written, `name` the export path
    (`*` for a namespace, `Duration`, or `aws_events.Duration` through a namespace)."""

    source: str
    name: str

    def member(self, prop: str) -> External:
        return External(self.source, prop if self.name == "*" else f"{self.name}.{prop}")


class Destructured(NamedTuple):
    """A name bound by destructuring: `const { resourceConfig } = await getAmplifyDataClientConfig(env)`."""

    base: Expr
    path: tuple[str, ...]


class Namespace(NamedTuple):
    """A workspace module used as a namespace: `import * as helpers from './helpers'`."""

    module: Module


Resolved: TypeAlias = Expr | External | Destructured | Namespace | None


# What `resolve` follows to another expression once `unwrap` has stripped parentheses and casts:
# names and members (an argument of these kinds may be an object written elsewhere).
REFERENCE_KINDS = frozenset((*NAME_KINDS, "member_expression"))
# What `resolve` follows further than the expression itself.
_FOLLOWED = REFERENCE_KINDS | frozenset(TRANSPARENT_KINDS)


def resolve(module: Module, node: Node, _depth: int = 0) -> Resolved:
    """Follow `node` to the expression that defines it: through parentheses and casts, `const`
    bindings, imports and re-exports, namespace members and object-literal properties."""
    if _depth > MAX_DEPTH:
        return None
    node = unwrap(node)
    kind = node.type
    if kind in NAME_KINDS:
        return resolve_name(module, text(node), _depth + 1)
    if kind != "member_expression":
        return Expr(module, node)
    prop = node.child_by_field_name("property")
    if prop is None or prop.type != "property_identifier":
        return Expr(module, node)
    obj = node.child_by_field_name("object")
    if obj is None:
        return Expr(module, node)
    base = resolve(module, obj, _depth + 1)
    if isinstance(base, External):
        return base.member(text(prop))
    if isinstance(base, Namespace):
        return resolve_export(base.module, text(prop), _depth + 1)
    if isinstance(base, Expr) and base.type == "object":
        entry = object_shape(base.module, base.node).entries.get(text(prop))
        if entry is not None:
            return resolve(entry.module, entry.node, _depth + 1)
    return Expr(module, node)


def is_member_of_call(node: Node) -> bool:
    """Whether `node` is a member read off a call's result (`f().x`), which `resolve` gives as itself:
    a fact that keeps this knows, without the tree, that it is no import nor anything else."""
    node = unwrap(node)
    obj = node.child_by_field_name("object") if node.type == "member_expression" else None
    return obj is not None and unwrap(obj).type == "call_expression"


def resolve_expr(expr: Expr) -> Resolved:
    """`resolve` of an expression, without its node where its range and type say enough (a name, or
    an expression `resolve` does not follow further)."""
    if expr._node is None and expr._ref is not None:
        return _resolve_ref(expr.module, expr._ref, 0)
    return resolve(expr.module, expr.node)


def resolve_written(module: Module, ref: NodeRef, path: NamePath | None, opaque: bool = False) -> Resolved:
    """`resolve` of the expression at `ref`, from what a per-file fact kept of it, without its node
    where that says enough: its name path (then None where `resolve` gives the name or member itself,
    as `resolve_path`), or that it is a member read off a call's result (`is_member_of_call`: None,
    no import nor anything else); else as `_resolve_ref`."""
    if path is not None:
        return resolve_path(module, path)
    if opaque:
        return None
    return _resolve_ref(module, ref, 0)


def resolve_path(module: Module, path: NamePath) -> Resolved:
    """What `resolve` finds for the expression `path` was read from, where that is not the expression
    itself (then None): an import from outside the workspace, a workspace module, or what a name
    or object property is bound to."""
    found = _resolve_path(module, path, 0)
    return None if found is _ITSELF else found


class _Itself(enum.Enum):
    """What `_resolve_path` gives where `resolve` would give the expression itself."""

    ITSELF = "itself"


_ITSELF: Final = _Itself.ITSELF


def _resolve_path(module: Module, path: NamePath, _depth: int) -> Resolved | _Itself:
    """`resolve(module, <the expression path was read from>, _depth)`, as deep as it would ask, or
    `_ITSELF` where that is the expression itself."""
    found = resolve_name(module, path[0], _depth + len(path))
    for depth, prop in zip(range(_depth + len(path) - 1, _depth, -1), path[1:]):
        if isinstance(found, External):
            found = found.member(prop)
        elif isinstance(found, Namespace):
            found = resolve_export(found.module, prop, depth)
        elif isinstance(found, Expr) and found.type == "object":
            entry = object_shape(found.module, found.node).entries.get(prop)
            if entry is None:
                return _ITSELF
            found = resolve(entry.module, entry.node, depth)
        else:
            return _ITSELF  # what the member is read off cannot be followed (None included)
    return found


def resolve_name(module: Module, name: str, _depth: int = 0) -> Resolved:
    binding = module.bindings.get(name)
    if binding is None:
        return None
    if binding.import_ is not None:
        imp = binding.import_
        target = module.resolved.get(imp.source)
        if target is None:
            return External(imp.source, imp.imported)
        if imp.imported == "*":
            return Namespace(target)
        return resolve_export(target, imp.imported, _depth + 1)
    value = binding.value if binding.kind in ("function", "class", "const") else None
    if value is None:
        return None
    if binding.kind in ("function", "class"):
        return Expr.at(module, value)
    if binding.path:
        return Destructured(Expr.at(module, value), binding.path)
    return _resolve_ref(module, value, _depth + 1)


def _resolve_ref(module: Module, ref: NodeRef, _depth: int) -> Resolved:
    """`resolve` of the expression of this range and type, which needs its node only where there is
    more to follow: a name, a member, or parentheses or a cast around an expression."""
    if _depth > MAX_DEPTH:
        return None
    if ref[1] in NAME_KINDS:  # a name: its text is all `resolve` reads of it
        (start, end), text_of = ref[0], module.file.text
        return resolve_name(module, text_of[start:end].decode("utf-8", "replace"), _depth + 1)
    if ref[1] in _FOLLOWED:
        target = module.fact(_value_targets).get(ref)
        if target is None:
            return resolve(module, module.file.node_at(*ref), _depth)
        if target.inner[1] not in _FOLLOWED:
            return Expr.at(module, target.inner)  # parentheses or a cast around an expression
        if target.path is None or _depth + len(target.path) > MAX_DEPTH:
            return resolve(module, module.file.node_at(*ref), _depth)
        found = _resolve_path(module, target.path, _depth)  # a name, or a member of one: no tree needed
        return Expr.at(module, target.inner) if found is _ITSELF else found
    return Expr.at(module, ref)


def _value_refs(module: Module) -> list[NodeRef | None]:
    """The value of each top-level binding and export, as written (None where there is none)."""
    return [b.value for b in module.bindings.values()] + [e.value for e in module.exports.values()]


class _ValueTarget(NamedTuple):
    """A binding's or export's value that `resolve` follows (a per-file fact): the expression inside
    any parentheses and casts, and its name path when it is a name or a member read off one."""

    inner: NodeRef
    path: NamePath | None


def _value_targets(module: Module) -> dict[NodeRef, _ValueTarget]:
    """`_ValueTarget` of each binding's and export's value that is a member, or in parentheses or a
    cast (`export const x = config.data`, `const y = {...} as const`); not of a plain name, which
    `_resolve_ref` resolves by its text."""
    found = {}
    for ref in _value_refs(module):
        if ref is not None and ref[1] in _FOLLOWED and ref[1] not in NAME_KINDS and ref not in found:
            inner = unwrap(module.file.node_at(*ref))
            path = name_path(inner) if inner.type in REFERENCE_KINDS else None
            found[ref] = _ValueTarget(node_ref(inner), path)
    return found


def resolve_export(
    module: Module, name: str, _depth: int = 0, _seen: frozenset[tuple[Module, str]] = frozenset()
) -> Resolved:
    if _depth > MAX_DEPTH or (module, name) in _seen:
        return None
    seen = _seen | {(module, name)}
    export = module.exports.get(name)
    if export is not None:
        if export.source is not None:
            target = module.resolved.get(export.source)
            if target is None:
                return External(export.source, export.imported or name)
            if export.imported == "*":
                return Namespace(target)
            return resolve_export(target, export.imported or name, _depth + 1, seen)
        if export.local is not None:
            return resolve_name(module, export.local, _depth + 1)
        if export.value is not None:
            return _resolve_ref(module, export.value, _depth + 1)
        return None
    if name == "default":
        return None
    for source in module.star_exports:
        target = module.resolved.get(source)
        if target is None:
            continue
        found = resolve_export(target, name, _depth + 1, seen)
        if found is not None:
            return found
    return None


class ObjectShape(NamedTuple):
    """An object literal's statically named entries. `complete` is False when a spread or a
    computed key may add entries amplint cannot see."""

    expr: Expr  # the object literal
    entries: dict[str, Expr]
    keys: dict[str, ByteRange]
    complete: bool

    @property
    def node(self) -> Node:
        return self.expr.node

    def key_location(self, name: str) -> Location:
        """Where the entry `name` is keyed (in the module of its value: a spread may bring it from another)."""
        return self.entries[name].module.file.location_at(self.keys[name])


def object_shape(module: Module, node: Node, _depth: int = 0) -> ObjectShape:
    entries: dict[str, Expr] = {}
    keys: dict[str, ByteRange] = {}
    complete = True
    for entry in node.named_children:
        kind = entry.type
        if kind == "pair":
            key = entry.child_by_field_name("key")
            value = entry.child_by_field_name("value")
            name = property_name(key) if key is not None else None
            if key is None or name is None or value is None:
                complete = False
                continue
            entries[name], keys[name] = Expr(module, value), byte_range(key)
        elif kind == "shorthand_property_identifier":
            entries[text(entry)], keys[text(entry)] = Expr(module, entry), byte_range(entry)
        elif kind == "method_definition":
            key = entry.child_by_field_name("name")
            name = property_name(key) if key is not None else None
            if key is None or name is None:
                complete = False
                continue
            entries[name], keys[name] = Expr(module, entry), byte_range(key)
        elif kind == "spread_element":
            inner = object_at(module, entry.named_children[0], _depth + 1) if entry.named_child_count else None
            if inner is None or _depth > MAX_DEPTH:
                complete = False
                continue
            entries.update(inner.entries)
            keys.update(inner.keys)
            complete = complete and inner.complete
        elif kind != "comment":
            complete = False
    return ObjectShape(Expr(module, node), entries, keys, complete)


def named_entries(node: Node) -> dict[str, Node] | None:
    """The entries of an object literal by name, each as the node of the expression `object_shape`
    gives for it (the value of a `key: value` pair; a shorthand or a method itself), when all of
    them are named in place; else (a spread, a computed key, not an object literal) None."""
    if node.type != "object":
        return None
    entries: dict[str, Node] = {}
    for entry in node.named_children:
        kind = entry.type
        value: Node | None = entry
        if kind == "comment":
            continue
        if kind == "pair":
            key, value = entry.child_by_field_name("key"), entry.child_by_field_name("value")
            name = property_name(key) if key is not None and value is not None else None
        elif kind == "method_definition":
            key = entry.child_by_field_name("name")
            name = property_name(key) if key is not None else None
        elif kind == "shorthand_property_identifier":
            name = text(entry)
        else:
            return None
        if name is None or value is None:
            return None
        entries[name] = value
    return entries


def entry_key(entry: Node) -> Node:
    """The key of an object entry, from what `named_entries` gives for it: a pair's value, a
    shorthand or a method."""
    if entry.type == "shorthand_property_identifier":
        return entry
    if entry.type == "method_definition":
        return entry.child_by_field_name("name") or entry
    pair = entry.parent
    key = pair.child_by_field_name("key") if pair is not None else None
    return key or entry


def written_shape(expr: Expr) -> ObjectShape | None:
    """`object_shape` of an object literal whose entries are all named in place, from a per-file fact
    of its module (no tree needed once stored); None for any other expression."""
    written = expr.module.fact(_written_object, expr.range) if expr.type == "object" else None
    if written is None:
        return None
    module = expr.module
    entries = {name: Expr.at(module, value) for name, _, value in written}
    return ObjectShape(expr, entries, {name: key for name, key, _ in written}, True)


def _written_object(module: Module, at: ByteRange) -> tuple[tuple[str, ByteRange, NodeRef], ...] | None:
    """The name, key and value of each entry of the object literal at `at`, as `object_shape` gives
    them, when all of them are named in place; else None."""
    entries = named_entries(module.file.node_at(at, "object"))
    if entries is None:
        return None
    return tuple((name, byte_range(entry_key(value)), node_ref(value)) for name, value in entries.items())


def object_of(found: Resolved) -> ObjectShape | None:
    """The object literal a resolved value is, if any (as `object_at` gives it): from its module's
    per-file facts when all its entries are named in place."""
    if not isinstance(found, Expr) or found.type != "object":
        return None
    return written_shape(found) or object_shape(found.module, found.node)


def object_at(module: Module, node: Node, _depth: int = 0) -> ObjectShape | None:
    """The object literal `node` resolves to, if any."""
    found = resolve(module, node)
    if isinstance(found, Expr) and found.type == "object":
        return object_shape(found.module, found.node, _depth)
    return None


def evaluate(module: Module, node: Node, _depth: int = 0) -> Static:
    """The static value of an expression: str, int/float, bool, None (null), UNDEFINED, list, dict,
    or UNKNOWN."""
    if _depth > MAX_DEPTH:
        return UNKNOWN
    return _evaluate_resolved(resolve(module, node), _depth)


def _evaluate_resolved(found: Resolved, _depth: int) -> Static:
    """`evaluate` of what an expression resolves to."""
    if isinstance(found, Destructured):
        base = evaluate(found.base.module, found.base.node, _depth + 1)
        for key in found.path:
            if isinstance(base, dict) and key in base:
                base = base[key]
            elif isinstance(base, list) and key.isdigit() and int(key) < len(base):
                base = base[int(key)]
            else:
                return UNKNOWN
        return base
    if not isinstance(found, Expr):
        return UNKNOWN
    if found._node is None and found._ref is not None and found._ref[1] in _LITERAL_KINDS:
        literal = found.module.fact(_literals).get(found._ref, UNKNOWN)
        if literal is not UNKNOWN:
            return literal  # a binding's string or number, read without the tree
    module, node = found.module, found.node
    kind = node.type
    if kind == "string":
        return string_value(node)
    if kind == "template_string":
        return _template(module, node, _depth)
    if kind == "number":
        return parse_number(text(node))
    if kind == "true":
        return True
    if kind == "false":
        return False
    if kind == "null":
        return None
    if kind == "undefined":
        return UNDEFINED
    if kind == "unary_expression":
        argument = node.child_by_field_name("argument")
        value = evaluate(module, argument, _depth + 1) if argument is not None else UNKNOWN
        op = text(node.child_by_field_name("operator"))
        if is_number(value):
            if op == "-":
                return -value
            if op == "+":
                return value
        if op == "!" and value is not UNKNOWN:
            return not _truthy(value)
        return UNKNOWN
    if kind == "binary_expression":
        return _binary(module, node, _depth)
    if kind == "array":
        values: list[Static] = []
        for element in node.named_children:
            if element.type == "comment":
                continue
            if element.type == "spread_element":
                spread = (
                    evaluate(module, element.named_children[0], _depth + 1) if element.named_child_count else UNKNOWN
                )
                if not isinstance(spread, list):
                    return UNKNOWN
                values.extend(spread)
                continue
            values.append(evaluate(module, element, _depth + 1))
        return values
    if kind == "object":
        shape = object_shape(module, node, _depth + 1)
        if not shape.complete:
            return UNKNOWN
        return {key: evaluate(value.module, value.node, _depth + 1) for key, value in shape.entries.items()}
    return UNKNOWN


_LITERAL_KINDS = frozenset({"string", "template_string", "number"})


_WRITTEN_KINDS = _LITERAL_KINDS | {"unary_expression"}


def _literal_at(module: Module, ref: NodeRef) -> str | int | float | None:
    """The value of the string, template without substitutions, number or signed number at `ref` (a
    per-file fact); None for anything whose value depends on other names."""
    node = module.file.node_at(*ref)
    if ref[1] == "template_string" and any(c.type == "template_substitution" for c in node.named_children):
        return None
    if ref[1] == "unary_expression":
        argument = node.child_by_field_name("argument")
        if argument is None or argument.type != "number":
            return None
    value = evaluate(module, node)
    return value if isinstance(value, (str, int, float)) else None


def _literals(module: Module) -> dict[NodeRef, str | int | float]:
    """The value of each binding's and export's value that is a string, a template without
    substitutions, or a number, by the reference `resolve` gives for it (a per-file fact): the
    expression itself, or the one inside parentheses and casts."""
    refs = [*_value_refs(module), *(target.inner for target in module.fact(_value_targets).values())]
    found: dict[NodeRef, str | int | float] = {}
    for ref in refs:
        if ref is None or ref[1] not in _LITERAL_KINDS or ref in found:
            continue
        value = _literal_at(module, ref)  # read here, not kept as a fact of its own
        if value is not None:
            found[ref] = value
    return found


def _template(module: Module, node: Node, depth: int) -> str | Unknown:
    parts: list[str] = []
    for child in node.named_children:
        if child.type == "template_substitution":
            if child.named_child_count != 1:
                return UNKNOWN
            value = evaluate(module, child.named_children[0], depth + 1)
            if value is UNKNOWN or isinstance(value, (list, dict)):
                return UNKNOWN
            parts.append(js_string(value))
        elif child.type == "escape_sequence":
            parts.append(string_value(child) or text(child))
        else:
            parts.append(text(child))
    return "".join(parts)


def _binary(module: Module, node: Node, depth: int) -> Static:
    op = text(node.child_by_field_name("operator"))
    if op not in ("+", "-", "*", "/", "%", "**"):
        return UNKNOWN
    left_node, right_node = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left_node is None or right_node is None:
        return UNKNOWN
    left = evaluate(module, left_node, depth + 1)
    right = evaluate(module, right_node, depth + 1)
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if op == "+" and (isinstance(left, str) or isinstance(right, str)):
        if isinstance(left, (list, dict)) or isinstance(right, (list, dict)):
            return UNKNOWN
        return js_string(left) + js_string(right)
    if not (is_number(left) and is_number(right)):
        return UNKNOWN
    try:
        # JS numbers are doubles: float arithmetic also keeps `9 ** 9 ** 9` from building a huge int.
        a, b = float(left), float(right)
        result: float | complex
        if op == "+":
            result = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif op == "/":
            result = a / b
        elif op == "%":
            result = math.fmod(a, b)
        else:
            result = a**b
    except (ZeroDivisionError, OverflowError, ValueError):
        return UNKNOWN
    if isinstance(result, complex):  # (-8) ** (1 / 3): NaN in JS
        return UNKNOWN
    if isinstance(result, float) and result.is_integer() and abs(result) < 2**53:
        return int(result)
    return result


def _truthy(value: JsValue) -> bool:
    if value is None or value is UNDEFINED:
        return False
    return bool(value) if not isinstance(value, (list, dict)) else True


def js_string(value: Static) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(literal: str) -> int | float | Unknown:
    literal = literal.replace("_", "")
    try:
        lowered = literal.lower()
        if lowered.endswith("n") or lowered.startswith(("0x", "0o", "0b")):
            whole = int(lowered.removesuffix("n"), 0)
            # past 2**53 a JS number is a double; a huge integer would not even print
            return whole if abs(whole) < 2**53 else float(whole)
        value = float(literal)
        return int(value) if value.is_integer() and "." not in literal and "e" not in lowered else value
    except (ValueError, OverflowError):
        return UNKNOWN


def is_number(value: object) -> TypeGuard[int | float]:
    """A statically known number (Python's bools are ints, JavaScript's are not numbers)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_whole(value: object) -> TypeGuard[int | float]:
    return is_number(value) and float(value).is_integer()
