"""Modules: each file's imports, top-level bindings and exports, and how specifiers resolve."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TypeAlias

from tree_sitter import Node

from ..syntax import SourceFile, property_name, string_value, text, unwrap

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
    node: Node  # the local name's node
    statement: Node  # the import statement (or the `require` declaration)
    file: SourceFile  # where it is written, for its locations

    @property
    def syntax(self) -> ImportSyntax:
        return "import" if self.statement.type == "import_statement" else "require"

    @property
    def location(self) -> Location:
        """The local name."""
        return self.file.location(self.node)

    @property
    def source_location(self) -> Location:
        """The specifier of an `import` statement; the whole declaration of a `require`. Every name
        of one statement has the same."""
        return self.file.location(self.statement.child_by_field_name("source") or self.statement)


# How a top-level name is bound: `const`, `let` or `var`; a `function` or `class` declaration; a
# `type` alias; an `import` (or `require`).
BindingKind: TypeAlias = Literal["const", "let", "var", "function", "class", "type", "import"]


class Binding(NamedTuple):
    """A top-level name. `value` is the initialiser; `path` is set for destructured names."""

    name: str
    kind: BindingKind
    node: Node
    value: Node | None = None
    path: tuple[str, ...] = ()
    import_: Import | None = None
    declaration: Node | None = None


class Export(NamedTuple):
    name: str
    node: Node  # where it is exported
    file: SourceFile  # where it is written, for its locations
    local: str | None = None  # a top-level binding of this module
    value: Node | None = None  # `export default <expr>`, `exports.x = <expr>`
    source: str | None = None  # re-export: `export { name } from source`
    imported: str | None = None  # re-exported name ("*" for `export * as ns from`)

    @property
    def location(self) -> Location:
        """Where it is exported."""
        return self.file.location(self.node)


class Module:
    """One file as a module. Compared and hashed by identity: each file has one module per lint."""

    __slots__ = ("file", "imports", "bindings", "exports", "star_exports", "resolved")

    def __init__(self, file: SourceFile) -> None:
        self.file = file
        self.imports: list[Import] = []
        self.bindings: dict[str, Binding] = {}
        self.exports: dict[str, Export] = {}
        self.star_exports: list[tuple[str, Node]] = []
        # Specifier -> workspace module it resolves to (None: outside the workspace).
        self.resolved: dict[str, Module | None] = {}

    @property
    def path(self) -> Path:
        return self.file.path

    def __repr__(self) -> str:
        return f"Module({str(self.path)!r})"

    def imports_from(self, *sources: str) -> list[Import]:
        return [imp for imp in self.imports if imp.source in sources]


def resolve_specifier(from_path: Path, spec: str, known: dict[str, Module]) -> Module | None:
    """The workspace module a relative specifier names; `known` maps each file's path, as a string
    (`str(path)`), to its module."""
    if not spec.startswith("."):
        return None
    base = os.path.normpath(os.path.join(from_path.parent, spec))
    root, ext = os.path.splitext(base)
    # tsx (which ampx runs the backend with) maps an emitted name to its source first: './x.js'
    # loads x.ts when both exist; extensionless specifiers try .ts before .js.
    candidates = (
        [root + alt for alt in _EMITTED_TO_SOURCE[ext]]
        if ext in _EMITTED_TO_SOURCE
        else [base]
        if ext in RESOLVE_EXTENSIONS
        else []
    )
    candidates += [base + alt for alt in RESOLVE_EXTENSIONS]
    candidates += [os.path.join(base, "index" + alt) for alt in RESOLVE_EXTENSIONS]
    for candidate in candidates:
        module = known.get(candidate)
        if module is not None:
            return module
    return None


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
        _bind(module, Binding(text(name), "type", name, value, declaration=statement), exported)


def _read_import(module: Module, statement: Node) -> None:
    source = string_value(statement.child_by_field_name("source"))
    if source is None:
        return
    statement_type_only = any(c.type == "type" for c in statement.children[:2])
    clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
    if clause is None:
        return
    for part in clause.named_children:
        if part.type == "identifier":
            _add_import(
                module, Import(text(part), source, "default", statement_type_only, part, statement, module.file)
            )
        elif part.type == "namespace_import":
            ident = part.named_children[-1]
            _add_import(module, Import(text(ident), source, "*", statement_type_only, ident, statement, module.file))
        elif part.type == "named_imports":
            for spec in part.named_children:
                if spec.type != "import_specifier":
                    continue
                name = spec.child_by_field_name("name")
                if name is None:
                    continue
                alias = spec.child_by_field_name("alias") or name
                type_only = statement_type_only or any(c.type == "type" for c in spec.children)
                _add_import(
                    module,
                    Import(
                        text(alias), source, property_name(name) or text(name), type_only, alias, statement, module.file
                    ),
                )


def _add_import(module: Module, imp: Import) -> None:
    module.imports.append(imp)
    module.bindings[imp.local] = Binding(imp.local, "import", imp.node, import_=imp, declaration=imp.statement)


def _read_export(module: Module, statement: Node) -> None:
    declaration = statement.child_by_field_name("declaration")
    source = string_value(statement.child_by_field_name("source"))
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
                "default", statement, module.file, local=local, value=None if local else value
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
                module.exports[exported] = Export(exported, spec, module.file, local=name)
            else:
                module.exports[exported] = Export(exported, spec, module.file, source=source, imported=name)
        return
    if source is not None:
        namespace = next((c for c in statement.named_children if c.type == "namespace_export"), None)
        if namespace is not None:
            name = property_name(namespace.named_children[-1]) or text(namespace.named_children[-1])
            module.exports[name] = Export(name, namespace, module.file, source=source, imported="*")
        else:
            module.star_exports.append((source, statement))


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
            _bind(module, Binding(text(name), kind, name, value, declaration=declaration), exported)
            require = _require_source(value)
            if require is not None:
                _add_import(module, Import(text(name), require, "*", False, name, declaration, module.file))
        elif name.type in ("object_pattern", "array_pattern"):
            require = _require_source(value)
            for local, node, path in _pattern_names(name):
                if require is not None and len(path) == 1:
                    _add_import(module, Import(local, require, path[0], False, node, declaration, module.file))
                    if exported:
                        module.exports[local] = Export(local, node, module.file, local=local)
                else:
                    _bind(module, Binding(local, kind, node, value, path, declaration=declaration), exported)


def _bind(module: Module, binding: Binding, exported: bool) -> None:
    module.bindings[binding.name] = binding
    if exported:
        module.exports[binding.name] = Export(binding.name, binding.node, module.file, local=binding.name)


def _read_named_declaration(module: Module, declaration: Node, exported: bool) -> None:
    name = declaration.child_by_field_name("name")
    if name is None:
        return
    kind: BindingKind = "class" if "class" in declaration.type else "function"
    _bind(module, Binding(text(name), kind, name, declaration, declaration=declaration), exported)


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
                    module.exports[text(entry)] = Export(text(entry), entry, module.file, local=text(entry))
                elif entry.type == "pair":
                    key = property_name(entry.child_by_field_name("key"))
                    if key is not None:
                        module.exports[key] = Export(key, entry, module.file, value=entry.child_by_field_name("value"))
        else:
            module.exports["default"] = Export("default", statement, module.file, value=right)
    elif target.startswith(("exports.", "module.exports.")):
        name = text(left.child_by_field_name("property"))
        module.exports[name] = Export(name, statement, module.file, value=right)
