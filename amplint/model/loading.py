"""What a program executes when it starts: the modules an entry file loads, in ESM evaluation order,
the import chain that reaches each one, and which code runs on load rather than on a later call."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import FUNCTION_KINDS, ByteRange, ancestors, byte_range, string_value
from .modules import Import, Module

# Files esbuild compiles as TypeScript: an import whose names are used only as types is dropped.
_TYPESCRIPT_SUFFIXES = frozenset({".ts", ".tsx", ".mts", ".cts"})
# Bytes that continue a name (non-ASCII as UTF-8 bytes); before a name, `.` also makes it a property.
_NAME_BYTES = frozenset(
    bytes([b]) for b in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$"
) | frozenset(bytes([b]) for b in range(0x80, 0x100))
_BEFORE_NAME = _NAME_BYTES | {b"."}
_IDENTIFIER = re.compile(rb"(?:(?<![\w$.\x80-\xff])|(?<=\.\.\.))[A-Za-z_$\x80-\xff][\w$\x80-\xff]*")
_TYPE_CONTEXTS = frozenset(
    {
        "type_annotation",
        "type_arguments",
        "type_alias_declaration",
        "interface_declaration",
        "type_query",
        "implements_clause",
        "type_parameters",
        "type_predicate_annotation",
        "asserts_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "adding_type_annotation",
        "ambient_declaration",
    }
)
# Code in these may run zero times or many: it is not certain to run when the module loads.
_CONDITIONAL = FUNCTION_KINDS | {
    "class_body",
    "if_statement",
    "else_clause",
    "switch_statement",
    "for_statement",
    "for_in_statement",
    "while_statement",
    "do_statement",
    "try_statement",
    "catch_clause",
    "finally_clause",
    "ternary_expression",
    "binary_expression",
    "labeled_statement",
}


class LoadEdge(NamedTuple):
    """An import that makes `importer` execute another module: a value or side-effect import, a
    re-export, or a `require`. `target` is None outside the workspace (packages, unresolved paths)."""

    importer: Module
    source: str  # the specifier as written
    specifier: ByteRange  # the specifier of the `import`/`export ... from`; the whole `require` declaration
    target: Module | None
    names: tuple[str, ...]  # the imported names the importer uses as values ("*": namespace)

    @property
    def source_location(self) -> Location:
        """The specifier of the `import`/`export ... from`; the whole declaration of a `require`."""
        return self.importer.file.location_at(self.specifier)


class Site(NamedTuple):
    """Where a piece of code stands in its module, for whether a program runs it (`LoadGraph.may_run`):
    read from the tree once, so that a fact about the code need not keep its node."""

    on_load: bool  # certainly runs as the module loads: top level, outside any function, branch, loop or short-circuit
    top: ByteRange  # the top-level statement that holds it
    default_export: bool  # that statement is `export default ...`


def site_of(root: Node, node: Node) -> Site:
    """The site of `node`, a node of the tree whose root is `root`."""
    top = root.child_with_descendant(node) or node  # the child itself for a child; None only for the root
    default_export = top.type == "export_statement" and any(c.type == "default" for c in top.children)
    return Site(runs_on_load(node), byte_range(top), default_export)


class LoadGraph:
    """The workspace modules an entry executes, in evaluation order, with the edge that reached each.
    Built whole by `load_graph`; unchanged after."""

    __slots__ = ("entry", "order", "reached_by", "edges", "_imported")

    def __init__(self, entry: Module) -> None:
        self.entry = entry
        self.order: list[Module] = []
        self.reached_by: dict[Path, LoadEdge] = {}
        self.edges: dict[Path, list[LoadEdge]] = {}
        self._imported: dict[Path, set[str]] | None = None  # imported_names, computed once

    def __repr__(self) -> str:
        return f"LoadGraph({self.entry!r}, {len(self.order)} modules)"

    def chain(self, module: Module) -> list[LoadEdge]:
        """The imports from the entry to `module`, first to last."""
        chain: list[LoadEdge] = []
        seen: set[Path] = set()
        current = module
        while current is not self.entry and current.path in self.reached_by and current.path not in seen:
            seen.add(current.path)
            edge = self.reached_by[current.path]
            chain.append(edge)
            current = edge.importer
        return chain[::-1]

    def imported_names(self, module: Module) -> set[str]:
        """The names other modules of this program import from `module` as values ("*": all)."""
        if self._imported is None:
            self._imported = {}
            for edges in self.edges.values():
                for edge in edges:
                    if edge.target is not None:
                        self._imported.setdefault(edge.target.path, set()).update(edge.names)
        return self._imported.get(module.path, set())

    def may_run(self, module: Module, site: Site) -> bool:
        """Whether this program may run the code at `site`: code that runs on load; in the entry,
        `handler` and what the module's code names; elsewhere, a top-level declaration that an
        importer uses (or one not exported: its own module's exported code may call it). A helper
        exported for another function is not run."""
        if site.on_load:
            return True
        declared = set(module.fact(_top_declared).get(site.top, ()))
        if module is self.entry:
            # Lambda calls `handler`; another declaration runs only if the module's code names it.
            return not declared or "handler" in declared or any(is_used(module, name, (site.top,)) for name in declared)
        names = self.imported_names(module)
        if "*" in names:
            return True
        exported = {name for name, export in module.exports.items() if export.local in declared}
        if site.default_export:
            exported.add("default")
        return not exported or bool(exported & names)

    def position(self, module: Module, at: Node | Location | int) -> tuple[int, int]:
        """Sort key of code that runs on load: module evaluation order, then source order (`at`: a
        node, a location, or a start byte)."""
        start = at if isinstance(at, int) else at.span.start_byte if isinstance(at, Location) else at.start_byte
        return self.order.index(module), start


def program(entry: Module) -> LoadGraph:
    """The workspace modules `entry` executes, in evaluation order (its load graph): worked out once,
    and kept with the entry while it and what it imports are unchanged (`Module.carried`)."""
    return entry.carried("load graph", partial(load_graph, entry, _edges_of))


def _edges_of(module: Module) -> list[LoadEdge]:
    return module.carried("load edges", partial(load_edges, module))


class LoadImport(NamedTuple):
    """A statement that makes its module execute another (a `LoadEdge` before resolution): what one
    file says, kept with its module while the file is unchanged."""

    source: str  # the specifier as written
    specifier: ByteRange  # the specifier of the `import`/`export ... from`; the whole `require` declaration
    names: tuple[str, ...]  # the imported names the module uses as values ("*": namespace)


def load_imports(module: Module) -> tuple[LoadImport, ...]:
    """The statements of `module` that execute another module, in source order (per file)."""
    return module.fact(_load_imports)


def load_edges(module: Module) -> list[LoadEdge]:
    """The imports of `module` that execute another module, in source order (each specifier as the
    join resolved it: `Module.resolved` holds every one)."""
    resolved = module.resolved
    return [
        LoadEdge(module, imp.source, imp.specifier, resolved[imp.source], imp.names) for imp in load_imports(module)
    ]


def _load_imports(module: Module) -> tuple[LoadImport, ...]:
    found: list[LoadImport] = []
    typescript = module.path.suffix in _TYPESCRIPT_SUFFIXES
    by_statement: dict[int, list[Import]] = {}
    for imp in module.imports:
        by_statement.setdefault(imp.statement[0], []).append(imp)
    values_used = _names_used_as_values(module, [i for i in module.imports if not i.type_only]) if typescript else set()
    for statement in module.file.root.named_children:
        kind = statement.type
        source_node = (
            statement.child_by_field_name("source") if kind in ("import_statement", "export_statement") else None
        )
        source = string_value(source_node)
        if source_node is None or source is None:
            requires = by_statement.get(statement.start_byte)
            if requires:  # `const x = require('...')`
                found.append(
                    LoadImport(requires[0].source, requires[0].specifier, tuple(imp.imported for imp in requires))
                )
            continue
        if any(c.type == "type" for c in statement.children[:2]):
            continue  # `import type ...`, `export type ... from`: erased
        if kind == "export_statement":
            found.append(LoadImport(source, byte_range(source_node), ("*",)))
            continue
        imports = by_statement.get(statement.start_byte, [])
        values = [imp for imp in imports if not imp.type_only]
        if imports and not values:
            continue  # `import { type A }`: erased
        used = tuple(imp.imported for imp in values if not typescript or imp.local in values_used)
        if values and not used:
            continue  # esbuild drops an import whose names serve only as types
        found.append(LoadImport(source, byte_range(source_node), used))
    return tuple(found)


def load_graph(entry: Module, edges_of: Callable[[Module], list[LoadEdge]]) -> LoadGraph:
    """ESM evaluation order: a module's imports run before its own body (post-order, source order)."""
    graph = LoadGraph(entry)
    visited: set[Path] = {entry.path}
    stack: list[tuple[Module, int]] = [(entry, 0)]
    graph.edges[entry.path] = edges_of(entry)
    while stack:
        module, index = stack.pop()
        edges = graph.edges[module.path]
        if index < len(edges):
            stack.append((module, index + 1))
            target = edges[index].target
            if target is not None and target.path not in visited:
                visited.add(target.path)
                graph.reached_by[target.path] = edges[index]
                graph.edges[target.path] = edges_of(target)
                stack.append((target, 0))
        else:
            graph.order.append(module)
    return graph


def is_used(module: Module, name: str, skip: Iterable[ByteRange] = ()) -> bool:
    """Whether `name` stands as an identifier in `module` outside the `skip` ranges (its declaration,
    its import, its export): a use of the name, not a string, comment or property that spells it."""
    outside = tuple(skip)
    return any(not any(low <= start < high for low, high in outside) for start in _identifier_at(module, name))


def _identifier_at(module: Module, name: str) -> tuple[int, ...]:
    """Where `name` stands as an identifier in `module` (start bytes), worked out once per name."""
    known = module.fact(_identifiers)
    found = known.get(name)
    if found is None:
        root = module.file.root
        found = known[name] = tuple(
            start
            for start, end in _occurrences(module.file.text, {name.encode()})
            if (node := root.descendant_for_byte_range(start, end)) is not None
            and node.type in ("identifier", "shorthand_property_identifier")
        )
    return found


def _identifiers(module: Module) -> dict[str, tuple[int, ...]]:
    return {}  # filled by `_identifier_at`, name by name


def _top_declared(module: Module) -> dict[tuple[int, int], tuple[str, ...]]:
    """The names each top-level statement that declares some declares, by the statement's byte range."""
    found = {}
    for top in module.file.root.named_children:
        names = tuple(
            _declared_names(top.named_children[-1] if top.type == "export_statement" and top.named_child_count else top)
        )
        if names:
            found[top.start_byte, top.end_byte] = names
    return found


def _declared_names(statement: Node) -> Iterator[str]:
    if statement.type in ("function_declaration", "generator_function_declaration", "class_declaration"):
        name = statement.child_by_field_name("name")
        if name is not None and name.text is not None:
            yield name.text.decode()
    elif statement.type in ("lexical_declaration", "variable_declaration"):
        for declarator in statement.named_children:
            name = declarator.child_by_field_name("name") if declarator.type == "variable_declarator" else None
            if name is not None and name.type == "identifier" and name.text is not None:
                yield name.text.decode()


def runs_on_load(node: Node) -> bool:
    """True when `node` certainly runs once as its module loads: top level, outside any function,
    branch, loop or short-circuit."""
    return not any(a.type in _CONDITIONAL for a in ancestors(node))


def _names_used_as_values(module: Module, imports: list[Import]) -> set[str]:
    """The imported local names that appear as values (not only in types) outside their import:
    a node lookup only where one of the names stands."""
    names = {imp.local for imp in imports}
    if not names:
        return set()
    statements = sorted({imp.statement for imp in imports})
    starts = [start for start, _ in statements]
    wanted = {n.encode() for n in names}
    root = module.file.root
    used: set[str] = set()
    for found, end in _occurrences(module.file.text, wanted):
        name = module.file.text[found:end].decode()
        index = bisect.bisect_right(starts, found) - 1
        if name in used or (index >= 0 and found < statements[index][1]):
            continue  # already known, or the import itself
        node = root.descendant_for_byte_range(found, end)
        if node is None or node.type not in ("identifier", "shorthand_property_identifier"):
            continue  # a string, comment, property name or type name that happens to spell it
        if not any(a.type in _TYPE_CONTEXTS for a in ancestors(node)):
            used.add(name)
    return used


def _occurrences(source: bytes, wanted: set[bytes]) -> Iterator[tuple[int, int]]:
    """Byte ranges where one of the names stands as a whole name. A few names: one C-level search
    each; many (a backend.ts importing every function): one pass over all identifiers instead."""
    if len(wanted) > 8:
        for match in _IDENTIFIER.finditer(source):
            if match.group() in wanted:
                yield match.start(), match.end()
        return
    for word in wanted:
        at = source.find(word) if word else -1  # an empty name (`import { x as }`) stands nowhere
        while at >= 0:
            end = at + len(word)
            before = source[at - 1 : at]
            if (before not in _BEFORE_NAME or source[at - 3 : at] == b"...") and source[
                end : end + 1
            ] not in _NAME_BYTES:
                yield at, end
            at = source.find(word, end)
