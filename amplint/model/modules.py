"""Modules: each file's imports, top-level bindings and exports, how specifiers resolve, and the
per-file facts the join starts from (`Module.fact`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, TypeVar, cast

from tree_sitter import Node

from ..records import NamedTuple
from ..syntax import (
    ByteRange,
    NamePath,
    NodeRef,
    SourceFile,
    byte_range,
    name_path,
    node_ref,
    property_name,
    string_value,
    text,
    unwrap,
)

_F = TypeVar("_F")
_C = TypeVar("_C", bound=Callable[..., Any])

if TYPE_CHECKING:
    from ..diagnostics import Location

RESOLVE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
# ESM-style specifiers name the emitted file: './x.js' means 'x.ts' (Amplify's own projects do this).
_EMITTED_TO_SOURCE = {
    ".js": (".ts", ".tsx", ".js", ".jsx"),
    ".jsx": (".tsx", ".jsx"),
    ".mjs": (".mts", ".mjs"),
    ".cjs": (".cts", ".cjs"),
}


# How a module is imported: an `import` statement, or a `require(...)` call bound by a declaration.
ImportSyntax: TypeAlias = Literal["import", "require"]


class Import(NamedTuple):
    local: str
    source: str  # the specifier as written
    imported: str  # the exported name, "default", or "*" for a namespace import
    type_only: bool
    name: ByteRange  # the local name
    statement: ByteRange  # the import statement (or the `require` declaration)
    specifier: ByteRange  # the specifier of an `import` statement; the whole declaration of a `require`
    syntax: ImportSyntax
    file: SourceFile  # where it is written, for its locations

    @property
    def location(self) -> Location:
        """The local name."""
        return self.file.location_at(self.name)

    @property
    def source_location(self) -> Location:
        """The specifier of an `import` statement; the whole declaration of a `require`. Every name
        of one statement has the same."""
        return self.file.location_at(self.specifier)


# How a top-level name is bound: `const`, `let` or `var`; a `function` or `class` declaration; a
# `type` alias; an `import` (or `require`).
BindingKind: TypeAlias = Literal["const", "let", "var", "function", "class", "type", "import"]


class Binding(NamedTuple):
    """A top-level name. `value` is the initialiser; `path` is set for destructured names."""

    name: str
    kind: BindingKind
    at: ByteRange  # the name where it is bound
    value: NodeRef | None = None  # see `Module.value_of`
    path: tuple[str, ...] = ()
    import_: Import | None = None


class Export(NamedTuple):
    name: str
    at: ByteRange  # where it is exported
    file: SourceFile  # where it is written, for its locations
    local: str | None = None  # a top-level binding of this module
    value: NodeRef | None = None  # `export default <expr>`, `exports.x = <expr>`
    source: str | None = None  # re-export: `export { name } from source`
    imported: str | None = None  # re-exported name ("*" for `export * as ns from`)

    @property
    def location(self) -> Location:
        """Where it is exported."""
        return self.file.location_at(self.at)


_MISSING: Final = object()  # what `Module.fact` finds for a fact not known yet


class Module:
    """One file as a module. Compared and hashed by identity: each file has one module per lint (a
    long-running session keeps it, with its facts, while the file's text is unchanged)."""

    __slots__ = (
        "file",
        "path",
        "imports",
        "bindings",
        "exports",
        "star_exports",
        "specifiers",
        "resolved",
        "_facts",
        "_stored",
        "_grew",
        "_carried",
        "joined_files",
    )

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.path: Path = file.path
        self.imports: list[Import] = []
        self.bindings: dict[str, Binding] = {}
        self.exports: dict[str, Export] = {}
        self.star_exports: list[str] = []  # the specifier of each `export * from`
        # What every `import` or `export ... from` statement names, those binding nothing too
        # (`import './x'`, which runs x for its side effects).
        self.specifiers: set[str] = set()
        # Specifier -> workspace module it resolves to (None: outside the workspace).
        self.resolved: dict[str, Module | None] = {}
        self._facts: dict[Hashable, Any] = {}
        # Per-file facts read from the facts cache, by `fact_name` (None: built from the tree).
        self._stored: dict[Hashable, Any] | None = None
        self._grew = False  # whether a fact was computed that `_stored` did not hold
        self._carried: dict[Hashable, Any] = {}
        # The set of files of the last join that read this module (None before the first): the join
        # forgets what was carried when it changed (see `forget_changed`).
        self.joined_files: frozenset[Path] | None = None

    def fact(self, compute: Callable[..., _F], *args: Hashable) -> _F:
        """`compute(self, *args)`, computed once per module and arguments: a per-file fact. It may read
        this file only (its text, tree, imports, exports, bindings): never `resolved`, and it must hold
        no other module nor anything found through one, which change when another file does (that
        part is worked out again in each join)."""
        key = (compute, *args) if args else compute
        # `get`, not `try`: most lookups of a run miss (each fact is first asked for once per module).
        value = self._facts.get(key, _MISSING)
        if value is _MISSING:
            if self._stored is not None:
                value = self._stored.get(fact_name(key), _MISSING)
                if value is not _MISSING:
                    self._facts[key] = value
                    return cast(_F, value)
                if storable_fact(compute):
                    self._grew = True
            value = self._facts[key] = compute(self, *args)
        return cast(_F, value)

    def carried(self, key: Hashable, compute: Callable[[], _F]) -> _F:
        """`compute()`, a cross-file fact about this module, kept between the runs of a session while
        this module and every module it imports, directly or not, are the same objects (their files
        unchanged) and so is the set of files of the root (which could change what an import resolves
        to): each join forgets it otherwise (`forget_changed`). Whatever `compute` reads must be
        reached from this module through its imports (as `values.resolve` does), and the value must
        hold nothing of one run only (a `FunctionDef`, a `Backend`)."""
        value = self._carried.get(key, _MISSING)
        if value is _MISSING:
            value = self._carried[key] = compute()
        return cast(_F, value)

    def value_of(self, binding: Binding) -> Node | None:
        """The value a binding of this module was given, as a node of its tree."""
        return self.file.node_at(*binding.value) if binding.value is not None else None

    def release(self) -> None:
        """Forget this module's facts and what its imports resolve to, once a lint that keeps nothing is
        done with it. Modules carry facts about one another (a load graph holds the modules it loads),
        so a model left whole is freed only by Python's cycle collector, which walks every object the
        lint made: about a sixth of a large backend's lint. Released, it is freed as soon as it is
        dropped."""
        self._facts.clear()
        self._stored = None
        self._carried.clear()
        self.resolved.clear()
        self.joined_files = None  # a join resolves its imports again

    def __repr__(self) -> str:
        return f"Module({str(self.path)!r})"


# The per-file facts that hold tree nodes: valid only as long as the tree, so never stored.
TREE_FACTS: set[Callable[..., Any]] = set()


def tree_fact(compute: _C) -> _C:
    """Mark a function of `Module.fact` whose value holds tree nodes (see `TREE_FACTS`)."""
    TREE_FACTS.add(compute)
    return compute


def storable_fact(compute: object) -> bool:
    """Whether the facts a function of `Module.fact` computes are stored: not one that holds tree
    nodes, nor a lambda or a local function (its name is not its own to be found again by)."""
    return compute not in TREE_FACTS and "<" not in getattr(compute, "__qualname__", "<")


def fact_name(key: Hashable) -> Hashable:
    """A `Module.fact` key with its function named (module and qualified name), as stored."""
    if isinstance(key, tuple):
        return (_function_name(key[0]), *key[1:])
    return _function_name(key)


def _function_name(compute: Any) -> str:
    name = _FUNCTION_NAMES.get(compute)
    if name is None:
        name = _FUNCTION_NAMES[compute] = f"{compute.__module__}:{compute.__qualname__}"
    return name


_FUNCTION_NAMES: dict[Any, str] = {}  # each fact function's stored name, made once


def join_imports(modules: Mapping[Path, Module], known: Mapping[str, Module]) -> None:
    """Set each module's `resolved` for this run's set of files (`known`: the same modules by path, as
    a string), then forget what changed (`forget_changed`). A module joined before with the same set
    of files (in a session, a file whose text is unchanged) imports the same files as then: only
    their modules are this run's."""
    files = frozenset(modules)
    for earlier in {id(m.joined_files): m.joined_files for m in modules.values()}.values():
        if earlier == files:
            files = earlier  # one object for the same set: the tests below compare identities
            break
    for module in modules.values():
        if module.joined_files is files:
            module.resolved = {spec: None if to is None else modules[to.path] for spec, to in module.resolved.items()}
        else:
            resolve_imports(module, known)
    forget_changed(modules, files)


def forget_changed(modules: Mapping[Path, Module], files: frozenset[Path]) -> None:
    """Forget what is carried on each module whose import closure changed since the join before:
    the modules new to this run (a file whose text changed, or a new file), every module importing
    one, directly or not, and all of them when the set of files changed (an import may resolve to
    another file then): those not joined with `files` (this run's set, the object an earlier join
    kept if it was the same). Call it once the imports are resolved for this run's set of files."""
    importers: dict[Module, list[Module]] = {}
    for module in modules.values():
        for target in module.resolved.values():
            if target is not None:
                importers.setdefault(target, []).append(module)
    changed = {module for module in modules.values() if module.joined_files is not files}
    stack = list(changed)
    while stack:
        for importer in importers.get(stack.pop(), ()):
            if importer not in changed:
                changed.add(importer)
                stack.append(importer)
    for module in changed:
        module._carried.clear()
        module.joined_files = files


def import_closure(*modules: Module) -> frozenset[Module]:
    """The modules and every workspace module they import, directly or not (through `resolved`)."""
    seen = set(modules)
    stack = list(seen)
    while stack:
        for target in stack.pop().resolved.values():
            if target is not None and target not in seen:
                seen.add(target)
                stack.append(target)
    return frozenset(seen)


def resolve_specifier(from_path: Path, spec: str, known: Mapping[str, Module]) -> Module | None:
    """The workspace module a relative specifier names; `known` maps each file's path, as a string
    (`str(path)`), to its module."""
    return _first_known(_candidates(from_path, spec), known)


def resolve_imports(module: Module, known: Mapping[str, Module]) -> None:
    """Set `module.resolved`: each specifier the module imports, requires or re-exports from, with
    the module of `known` (by path, as a string) it names; None outside the workspace."""
    module.resolved = {spec: _first_known(_candidates(module.path, spec), known) for spec in module.fact(_specifiers)}


def _specifiers(module: Module) -> frozenset[str]:
    """Every specifier of the module: its imports and `require`s, and every `import` or `export ...
    from` statement, those that bind nothing too (`import './x'`, run for its side effects)."""
    return frozenset(module.specifiers.union(i.source for i in module.imports))


def _first_known(candidates: Iterator[str], known: Mapping[str, Module]) -> Module | None:
    for candidate in candidates:
        module = known.get(candidate)
        if module is not None:
            return module
    return None


def _candidates(from_path: Path, spec: str) -> Iterator[str]:
    """The paths (as strings) a specifier may name, in the order tsx tries them (none for a package);
    made one by one, as the first that names a file ends the search."""
    if not spec.startswith("."):
        return
    base = os.path.normpath(os.path.join(from_path.parent, spec))
    root, ext = os.path.splitext(base)
    # tsx (which ampx runs the backend with) maps an emitted name to its source first: './x.js'
    # loads x.ts when both exist; extensionless specifiers try .ts before .js.
    if ext in _EMITTED_TO_SOURCE:
        for alt in _EMITTED_TO_SOURCE[ext]:
            yield root + alt
    elif ext in RESOLVE_EXTENSIONS:
        yield base
    for alt in RESOLVE_EXTENSIONS:
        yield base + alt
    index = os.path.join(base, "index")
    for alt in RESOLVE_EXTENSIONS:
        yield index + alt


def build_module(file: SourceFile) -> Module:
    module = Module(file)
    for statement in file.root.named_children:
        kind = statement.type
        if kind == "import_statement":
            _read_import(module, statement)
        elif kind == "export_statement":
            _read_export(module, statement)
        elif kind in ("lexical_declaration", "variable_declaration"):
            _read_declaration(module, statement, exported=False)
        elif kind in (
            "function_declaration",
            "generator_function_declaration",
            "class_declaration",
            "abstract_class_declaration",
        ):
            _read_named_declaration(module, statement, exported=False)
        elif kind == "type_alias_declaration":
            _read_type_alias(module, statement, exported=False)
        elif kind == "expression_statement":
            _read_commonjs_export(module, statement)
    return module


def _read_type_alias(module: Module, statement: Node, exported: bool) -> None:
    name, value = statement.child_by_field_name("name"), statement.child_by_field_name("value")
    if name is not None and value is not None:
        _bind(module, Binding(text(name), "type", byte_range(name), node_ref(value)), exported)


def _read_import(module: Module, statement: Node) -> None:
    source_node = statement.child_by_field_name("source")
    source = string_value(source_node)
    if source is None or source_node is None:
        return
    module.specifiers.add(source)
    statement_type_only = any(c.type == "type" for c in statement.children[:2])
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if clause is None:
        return
    at, specifier = byte_range(statement), byte_range(source_node)

    def add(local: Node, imported: str, type_only: bool) -> None:
        imp = Import(text(local), source, imported, type_only, byte_range(local), at, specifier, "import", module.file)
        _add_import(module, imp)

    for part in clause.named_children:
        if part.type == "identifier":
            add(part, "default", statement_type_only)
        elif part.type == "namespace_import":
            add(part.named_children[-1], "*", statement_type_only)
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                name = spec.child_by_field_name("name")
                if name is None:
                    continue
                alias = spec.child_by_field_name("alias") or name
                type_only = statement_type_only or any(c.type == "type" for c in spec.children)
                add(alias, property_name(name) or text(name), type_only)


def _add_require(module: Module, local: Node, source: str, imported: str, declaration: Node) -> None:
    at = byte_range(declaration)
    _add_import(module, Import(text(local), source, imported, False, byte_range(local), at, at, "require", module.file))


def _add_import(module: Module, imp: Import) -> None:
    if not imp.local:  # a name the parser supplied to recover from an error (`import { x as } from 'y'`)
        return
    module.imports.append(imp)
    module.bindings[imp.local] = Binding(imp.local, "import", imp.name, import_=imp)


def _read_export(module: Module, statement: Node) -> None:
    declaration = statement.child_by_field_name("declaration")
    source = string_value(statement.child_by_field_name("source"))
    if source is not None:
        module.specifiers.add(source)
    if declaration is not None:
        if declaration.type in ("lexical_declaration", "variable_declaration"):
            _read_declaration(module, declaration, exported=True)
        elif declaration.type == "type_alias_declaration":
            _read_type_alias(module, declaration, exported=True)
        else:
            _read_named_declaration(module, declaration, exported=True)
        return
    is_default = any(c.type == "default" for c in statement.children)
    value = statement.child_by_field_name("value")
    if is_default:
        if value is not None:
            local = text(value) if value.type == "identifier" else None
            module.exports["default"] = Export(
                "default", byte_range(statement), module.file, local=local, value=None if local else node_ref(value)
            )
        return
    clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
    if clause is not None:
        for spec in clause.named_children:
            if spec.type != "export_specifier":
                continue
            name_node = spec.child_by_field_name("name")
            if name_node is None:
                continue
            alias = spec.child_by_field_name("alias") or name_node
            name, exported = property_name(name_node) or text(name_node), property_name(alias) or text(alias)
            if source is None:
                module.exports[exported] = Export(exported, byte_range(spec), module.file, local=name)
            else:
                module.exports[exported] = Export(exported, byte_range(spec), module.file, source=source, imported=name)
        return
    if source is not None:
        namespace = next((c for c in statement.named_children if c.type == "namespace_export"), None)
        if namespace is not None:
            name = property_name(namespace.named_children[-1]) or text(namespace.named_children[-1])
            module.exports[name] = Export(name, byte_range(namespace), module.file, source=source, imported="*")
        else:
            module.star_exports.append(source)


def _read_declaration(module: Module, declaration: Node, exported: bool) -> None:
    kind_node = declaration.child_by_field_name("kind")  # `let` or `const`; none for `var`
    kind: BindingKind = "var" if kind_node is None else "const" if text(kind_node) == "const" else "let"
    for declarator in declaration.named_children:
        if declarator.type != "variable_declarator":
            continue
        name = declarator.child_by_field_name("name")
        value = declarator.child_by_field_name("value")
        if name is None:
            continue
        if name.type == "identifier":
            _bind(module, Binding(text(name), kind, byte_range(name), _value_ref(value)), exported)
            require = _require_source(value)
            if require is not None:
                _add_require(module, name, require, "*", declaration)
        elif name.type in ("object_pattern", "array_pattern"):
            require = _require_source(value)
            for local, node, path in _pattern_names(name):
                if require is not None and len(path) == 1:
                    _add_require(module, node, require, path[0], declaration)
                    if exported:
                        module.exports[local] = Export(local, byte_range(node), module.file, local=local)
                else:
                    _bind(module, Binding(local, kind, byte_range(node), _value_ref(value), path), exported)


def _value_ref(value: Node | None) -> NodeRef | None:
    return node_ref(value) if value is not None else None


def _bind(module: Module, binding: Binding, exported: bool) -> None:
    module.bindings[binding.name] = binding
    if exported:
        module.exports[binding.name] = Export(binding.name, binding.at, module.file, local=binding.name)


def _read_named_declaration(module: Module, declaration: Node, exported: bool) -> None:
    name = declaration.child_by_field_name("name")
    if name is None:
        return
    kind: BindingKind = "class" if "class" in declaration.type else "function"
    _bind(module, Binding(text(name), kind, byte_range(name), node_ref(declaration)), exported)


def _pattern_names(pattern: Node) -> Iterator[tuple[str, Node, tuple[str, ...]]]:
    """(local name, node, property path) for each name bound by a destructuring pattern, one level deep."""
    if pattern.type == "object_pattern":
        for element in pattern.named_children:
            if element.type == "shorthand_property_identifier_pattern":
                yield text(element), element, (text(element),)
            elif element.type == "pair_pattern":
                key = property_name(element.child_by_field_name("key"))
                value = element.child_by_field_name("value")
                if value is not None and value.type == "assignment_pattern":
                    value = value.child_by_field_name("left")
                if key is not None and value is not None and value.type == "identifier":
                    yield text(value), value, (key,)
            elif element.type == "object_assignment_pattern":
                left = element.child_by_field_name("left")
                if left is not None and left.type == "shorthand_property_identifier_pattern":
                    yield text(left), left, (text(left),)
    elif pattern.type == "array_pattern":
        for position, element in enumerate(pattern.named_children):
            if element.type == "identifier":
                yield text(element), element, (str(position),)


def _require_source(value: Node | None) -> str | None:
    if value is None:
        return None
    value = unwrap(value)
    if value.type != "call_expression":
        return None
    callee = value.child_by_field_name("function")
    if callee is None or callee.type != "identifier" or text(callee) != "require":
        return None
    args = value.child_by_field_name("arguments")
    if args is None or args.named_child_count != 1:
        return None
    return string_value(args.named_children[0])


def _read_commonjs_export(module: Module, statement: Node) -> None:
    expression = statement.named_children[0] if statement.named_child_count else None
    if expression is None or expression.type != "assignment_expression":
        return
    left, right = expression.child_by_field_name("left"), expression.child_by_field_name("right")
    if left is None or right is None or left.type != "member_expression":
        return
    target = text(left)
    if target == "module.exports":
        right = unwrap(right)
        if right.type == "object":
            for entry in right.named_children:
                if entry.type == "shorthand_property_identifier":
                    module.exports[text(entry)] = Export(text(entry), byte_range(entry), module.file, local=text(entry))
                elif entry.type == "pair":
                    key = property_name(entry.child_by_field_name("key"))
                    if key is not None:
                        module.exports[key] = Export(
                            key,
                            byte_range(entry),
                            module.file,
                            value=node_ref(v) if (v := entry.child_by_field_name("value")) is not None else None,
                        )
        else:
            module.exports["default"] = Export("default", byte_range(statement), module.file, value=node_ref(right))
    elif target.startswith(("exports.", "module.exports.")):
        name = text(left.child_by_field_name("property"))
        module.exports[name] = Export(name, byte_range(statement), module.file, value=node_ref(right))


# -- per-file facts the join reads --------------------------------------------------------------


class CallByName(NamedTuple):
    """A call found by the name it calls, as a per-file fact: where it is, and the name path of its
    callee (`amplify.defineData`), which the join resolves."""

    at: ByteRange
    callee: NamePath | None  # `defineFunction`, `amplify.defineData`; None for no name path: `f().defineX(...)`


def define_calls(module: Module) -> tuple[CallByName, ...]:
    """The calls whose callee's last name starts with `define` (`defineFunction(...)`,
    `amplify.defineData(...)`), in source order: the candidates for a `define*` of @aws-amplify/backend."""
    return module.fact(_define_calls)


def _define_calls(module: Module) -> tuple[CallByName, ...]:
    if not module.file.mentions(b"define"):
        return ()
    return tuple(
        CallByName(byte_range(call), name_path(callee))
        for call, callee, _ in calls_named(module, prefixes=(b"define",))
    )


class ReferenceCall(NamedTuple):
    """`<x>.resource(...)` or `<...>handler.function(...)`, as a per-file fact."""

    at: ByteRange
    allow: str | None  # for `<x>.resource(...)`: `x`, when it is a name written bare (`allow`)
    callee: NamePath | None  # for `<...>handler.function(...)`: the callee's name path, if it is one


def reference_calls(module: Module) -> tuple[ReferenceCall, ...]:
    """`<x>.resource(...)` calls, and `<...>handler.function(...)` calls, in source order: the
    candidates for `allow.resource(fn)` and `a.handler.function(fn)`."""
    return module.fact(_reference_calls)


def _reference_calls(module: Module) -> tuple[ReferenceCall, ...]:
    if not module.file.mentions(b".resource", b".function"):
        return ()
    found = []
    for call, callee, name in calls_named(module, (b"resource", b"function"), members_only=True):
        if name.text == b"resource":
            allow = callee.child_by_field_name("object")
            found.append(
                ReferenceCall(
                    byte_range(call), text(allow) if allow is not None and allow.type == "identifier" else None, None
                )
            )
        elif text(callee).replace(" ", "").endswith("handler.function"):
            found.append(ReferenceCall(byte_range(call), None, name_path(callee)))
    return tuple(found)


def declared_modules(module: Module) -> tuple[str, ...]:
    """The module names the file declares with `declare module '...'` (an `env.d.ts` shim)."""
    return module.fact(_declared_modules)


def _declared_modules(module: Module) -> tuple[str, ...]:
    names = []
    for statement in module.file.root.named_children:
        if statement.type != "ambient_declaration":
            continue
        for part in statement.named_children:
            if part.type == "module":
                name = part.child_by_field_name("name")
                value = string_value(name) if name is not None else None
                if value is not None:
                    names.append(value)
    return tuple(names)


class PropertyRead(NamedTuple):
    """`<name>.<property>`: a property read straight off a name (`backend.myFunction`)."""

    property: str
    at: ByteRange  # the property
    member: ByteRange  # the whole member expression


def property_reads(module: Module, name: str) -> tuple[PropertyRead, ...]:
    """The properties read straight off the identifier `name`, in source order (found where the name
    stands, worked out once per name)."""
    return module.fact(_property_reads, name)


def _property_reads(module: Module, name: str) -> tuple[PropertyRead, ...]:
    reads = []
    for node in identifiers_named(module, name):
        member = node.parent
        if member is not None and member.type == "member_expression":
            prop = member.child_by_field_name("property")
            if member.child_by_field_name("object") == node and prop is not None and prop.type == "property_identifier":
                reads.append(PropertyRead(text(prop), byte_range(prop), byte_range(member)))
    return tuple(reads)


# -- calls and members found by the name they use -------------------------------------------------


class NamedCall(NamedTuple):
    """A call found by the name it calls (see `calls_named`)."""

    call: Node
    callee: Node  # the name itself, or the member expression that ends with it
    name: Node  # the name: the callee, or the member's property


def calls_named(
    module: Module, words: Iterable[bytes] = (), *, prefixes: Iterable[bytes] = (), members_only: bool = False
) -> list[NamedCall]:
    """The calls whose callee is a name (`word(...)`) or a member expression ending with one
    (`x.word(...)`), that name being one of `words` or starting with one of `prefixes`, in document
    order. A node is looked up only where a word stands in the source: a file holds far fewer of
    these than calls."""
    found: list[NamedCall] = []
    for prefix, searched in ((False, words), (True, prefixes)):
        for word in searched:
            for node in names_at(module.file, word, prefix=prefix, property_only=members_only):
                named = _call_named(node, members_only)
                if named is not None:
                    found.append(named)
    return _in_document_order(found, _CALL_OF)


def in_document_order(nodes: list[Node]) -> list[Node]:
    """`nodes` of one file, each once, in document order (an enclosing node first)."""
    return _in_document_order(nodes, _ITSELF)


def members_named(module: Module, word: bytes) -> list[Node]:
    """The member expressions whose property is `word` (`x.word`), in document order (found where the
    word stands in the source, as `calls_named` does)."""
    found = []
    for node in names_at(module.file, word, property_only=True):
        member = node.parent
        if member is not None and member.type == "member_expression" and member.child_by_field_name("property") == node:
            found.append(member)
    return _in_document_order(found, _ITSELF)


def new_expressions(module: Module) -> tuple[Node, ...]:
    """The module's `new X(...)` expressions, in document order, found where `new` stands in the
    source: a handler that only throws `new Error(...)` is not walked whole for them."""
    return module.fact(_new_expressions)


def identifiers_named(module: Module, name: str) -> list[Node]:
    """The identifiers `name` in document order, found where the name stands in the source."""
    return [node for node in names_at(module.file, name.encode()) if node.type == "identifier"]


def keywords(module: Module, word: bytes) -> list[Node]:
    """The tokens of the keyword `word` (`this`, `new`) in document order, found where it stands in the
    source (not in a string, comment or longer name): a keyword cannot be spelled any other way."""
    kind = word.decode()
    return [node for node in names_at(module.file, word) if node.type == kind]


@tree_fact
def _new_expressions(module: Module) -> tuple[Node, ...]:
    found = []
    for keyword in keywords(module, b"new"):
        new = keyword.parent  # each `new` token starts the one expression it belongs to
        if (
            keyword.type == "new"
            and new is not None
            and new.type == "new_expression"
            and new.start_byte == keyword.start_byte
        ):
            found.append(new)
    return tuple(found)


def names_at(file: SourceFile, word: bytes, *, prefix: bool = False, property_only: bool = False) -> Iterator[Node]:
    """The tokens that are `word` (or start with it, with `prefix`) where it stands in the source:
    names, also inside strings or comments (callers look at where each stands). `property_only`
    skips what certainly cannot be a member's property (`.word`); in a tree the parser had to recover,
    where anything may stand between the dot and the property, it skips nothing."""
    if not word:
        return  # an empty name (a token the parser supplied) stands nowhere
    source, root = file.text, file.root
    property_only = property_only and not root.has_error
    at = source.find(word)
    while at >= 0:
        end = at + len(word)
        # A name goes on while name characters follow.
        if (prefix or source[end : end + 1] not in _NAME_BYTES) and (not property_only or _may_follow_dot(source, at)):
            node = root.descendant_for_byte_range(at, end)  # a name is a leaf: the token itself
            if node is not None and node.start_byte == at and (prefix or node.end_byte == end):
                yield node
                at = source.find(word, end)
                continue
        at = source.find(word, at + 1)  # a token may start inside what was not one (`cc` in `\ccc`)


def _may_follow_dot(source: bytes, at: int) -> bool:
    """Whether what stands before `at` may be the `.` of a member (`x.word`, `x?.word`, `x. word`):
    spaces, then the dot, or the end of a comment (`*/`, or a line's end after a `//` comment)."""
    before = at - 1
    while before >= 0 and source[before] in _BLANKS:
        before -= 1
    return before < 0 or source[before] in _MAY_END_BEFORE_PROPERTY or source[before] >= 0x80


# Bytes that continue an ASCII name; blanks within a line; what may stand before a property's blanks
# (`.`, a comment's end, a line's end).
_NAME_BYTES = frozenset(bytes([b]) for b in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$")
_BLANKS = frozenset(b" \t\v\f")
_MAY_END_BEFORE_PROPERTY = frozenset(b"./\n\r")


def _call_named(node: Node, members_only: bool) -> NamedCall | None:
    """The call whose callee is the name `node`, or a member expression ending with it."""
    parent = node.parent
    if parent is None:
        return None
    if parent.type == "call_expression":
        if members_only or node.type != "identifier" or parent.child_by_field_name("function") != node:
            return None
        return NamedCall(parent, node, node)
    if parent.type != "member_expression" or parent.child_by_field_name("property") != node:
        return None
    call = parent.parent
    if call is None or call.type != "call_expression" or call.child_by_field_name("function") != parent:
        return None
    return NamedCall(call, parent, node)


def _in_document_order(found: list[_Found], node_of: Callable[[_Found], Node]) -> list[_Found]:
    """`found`, each node once, in document order: by where each starts and, of nodes that start
    together (a chain's, which nest), the outer first. Only where two have the same range, or one is
    empty (a token the parser supplied), is each node's place in the tree looked up to order them."""
    by_node = {node_of(item): item for item in reversed(found)}  # the first found for each node
    ordered = sorted(by_node.values(), key=lambda item: (node_of(item).start_byte, -node_of(item).end_byte))
    for i in range(len(ordered) - 1):
        first, second = node_of(ordered[i]), node_of(ordered[i + 1])
        if first.start_byte == second.start_byte and (
            first.end_byte == second.end_byte
            or first.start_byte == first.end_byte
            or second.start_byte == second.end_byte
        ):
            return sorted(ordered, key=lambda item: _place_in_tree(node_of(item)))
    return ordered


def _place_in_tree(node: Node) -> tuple[int, ...]:
    """Where `node` comes in a walk of its tree in document order: its position among its siblings,
    and theirs of each node above it, from the root down (an enclosing node comes first)."""
    place = []
    while (parent := node.parent) is not None:
        place.append(next(i for i, child in enumerate(parent.children) if child == node))
        node = parent
    return tuple(reversed(place))


_Found = TypeVar("_Found")
_CALL_OF: Callable[[NamedCall], Node] = attrgetter("call")
_ITSELF: Callable[[Node], Node] = lambda node: node  # noqa: E731
