"""Where a fix writes: places in a file where text can be added, replaced or removed so that the result
is still well-formed code in the file's own layout (quotes, indentation, commas, semicolons), as byte
`Edit`s: one more entry of an object, array or named-imports literal, one more import, a string literal's
new content, a schema-level `.authorization`. Each function answers None when the place is not certain
(a spread, a comment where the text would go, a callback amplint cannot read): then no fix is offered."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from ..diagnostics import BOM, Edit, Location
from ..records import NamedTuple
from ..syntax import call_arguments, property_name, string_quote, string_value, text, unwrap
from .join import DefineBackend, FunctionDef, parameter_names
from .modules import Module, import_closure, names_at, resolve_specifier
from .values import object_at

if TYPE_CHECKING:
    from .backend import DataSchema
    from .environment import EnvShimImport
    from .join import ScheduleEntry

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*\Z")
# Reserved words cannot be a shorthand property nor an imported binding's name.
_RESERVED = frozenset(
    "break case catch class const continue debugger default delete do else enum export extends false finally "
    "for function if import in instanceof new null return super switch this throw true try typeof var void "
    "while with yield let static implements interface package private protected public await".split()
)


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and name not in _RESERVED


def replace(location: Location, replacement: str) -> Edit:
    """`replacement` in place of the code at `location`."""
    return Edit(location.path, location.span.start_byte, location.span.end_byte, replacement)


# -- lines -----------------------------------------------------------------------------------------

_BLANKS = b" \t"


def _line_start(source: bytes, at: int) -> int:
    """Where the line holding `at` starts (after a byte order mark, on the first line: it stays)."""
    start = source.rfind(b"\n", 0, at) + 1
    return len(BOM) if start == 0 and source.startswith(BOM) and at >= len(BOM) else start


def _line_end(source: bytes, at: int) -> int:
    """Where the line holding `at` ends: just after its newline, or the end of the file."""
    end = source.find(b"\n", at)
    return len(source) if end < 0 else end + 1


def _indent(source: bytes, at: int) -> str:
    """The blanks that start the line holding `at`."""
    start = end = _line_start(source, at)
    while end < len(source) and source[end] in _BLANKS:
        end += 1
    return source[start:end].decode()


def _starts_line(source: bytes, at: int) -> bool:
    """Whether only blanks stand before `at` on its line."""
    return not source[_line_start(source, at) : at].strip()


def removal_range(source: bytes, start: int, end: int, *, with_comment: bool = True) -> tuple[int, int]:
    """What to delete to remove the code at [start, end): its whole lines when nothing else stands on
    them (but a `//` comment after it, a comment about it, `with_comment`); else the code and the
    blanks before it when it ends its line (`x(); // c` loses ` // c`); else the code and the blanks
    after it."""
    rest = source[end : _line_end(source, end)].strip()
    if _starts_line(source, start) and (not rest or (with_comment and rest.startswith(b"//"))):
        return _line_start(source, start), _line_end(source, end)
    if not rest:
        while start > 0 and source[start - 1] in _BLANKS:
            start -= 1
        return start, end
    while end < len(source) and source[end] in _BLANKS:
        end += 1
    return start, end


# -- string literals -------------------------------------------------------------------------------


class StringLiteral(NamedTuple):
    """A string literal written in a file: replacing its content keeps its quotes."""

    path: Path
    start_byte: int  # the opening quote
    end_byte: int  # just after the closing quote
    quote: str

    def replace(self, value: str) -> Edit:
        """The literal with `value` as its content (`value` holds no quote or backslash)."""
        return Edit(self.path, self.start_byte, self.end_byte, f"{self.quote}{value}{self.quote}")


def string_literal(module: Module, node: Node | None) -> StringLiteral | None:
    """The plain string literal (no escapes) `node` is, after parentheses and casts; else None."""
    node = unwrap(node)
    quote = string_quote(node)
    if node is None or quote is None or any(c.type == "escape_sequence" for c in node.named_children):
        return None
    return StringLiteral(module.path, node.start_byte, node.end_byte, quote)


# -- one more entry of a literal -------------------------------------------------------------------


class EntrySite(NamedTuple):
    """An object literal, an array literal or an import's `{ ... }`: where one more entry goes, first
    or last, laid out as its neighbour is (on a line of its own with the neighbour's indent, or on the
    same line), with a trailing comma kept; between the brackets when there is none."""

    path: Path
    source: bytes  # the file's text
    start_byte: int  # the opening bracket
    end_byte: int  # just after the closing bracket
    first_start: int | None  # the first entry; None when the literal is empty
    last_start: int | None
    last_end: int | None
    comma_end: int | None  # the end of the trailing comma after the last entry, if any
    quote: str  # of the string values beside (else of the file's imports): the one to write strings in

    @property
    def opening(self) -> int:
        """Where the literal's entries begin (right after its opening bracket)."""
        return self.start_byte + 1

    def string(self, value: str) -> str:
        return f"{self.quote}{value}{self.quote}"

    def add_first(self, entry: str) -> tuple[Edit, ...]:
        """Edits that write `entry` before the other entries."""
        if self.first_start is None:
            return self._fill(entry)
        alone = _starts_line(self.source, self.first_start)
        between = f",\n{_indent(self.source, self.first_start)}" if alone else ", "
        return (Edit(self.path, self.first_start, self.first_start, entry + between),)

    def add_last(self, entry: str) -> tuple[Edit, ...]:
        """Edits that write `entry` after the other entries."""
        if self.last_start is None or self.last_end is None:
            return self._fill(entry)
        source, last_end, comma_end = self.source, self.last_end, self.comma_end
        indent = _indent(source, self.last_start)
        close = self.end_byte - 1
        if _starts_line(source, close) and _line_start(source, close) > last_end:  # `}` begins its line
            line = _line_start(source, close)
            if comma_end is not None:
                return (Edit(self.path, line, line, f"{indent}{entry},\n"),)
            return Edit(self.path, last_end, last_end, ","), Edit(self.path, line, line, f"{indent}{entry}\n")
        space = f"\n{indent}" if _starts_line(source, self.last_start) else " "
        if comma_end is not None:
            return (Edit(self.path, comma_end, comma_end, f"{space}{entry},"),)
        return (Edit(self.path, last_end, last_end, f",{space}{entry}"),)

    def _fill(self, entry: str) -> tuple[Edit, ...]:
        pad = "" if self.source[self.start_byte : self.start_byte + 1] == b"[" else " "
        return (Edit(self.path, self.opening, self.end_byte - 1, f"{pad}{entry}{pad}"),)


def entry_site(module: Module, node: Node, quote: str | None = None) -> EntrySite | None:
    """Where one more entry of the `object`, `array` or `named_imports` `node` goes (see EntrySite)."""
    children = node.children
    if node.has_error or len(children) < 2 or children[0].type not in ("{", "[") or children[-1].type not in ("}", "]"):
        return None
    source = module.file.text
    entries = [c for c in children[1:-1] if c.is_named and c.type != "comment"]
    if quote is None:
        values = (string_literal(module, e.child_by_field_name("value")) for e in entries if e.type == "pair")
        literal = next((v for v in values if v is not None), None)
        quote = literal.quote if literal else next((s.source.quote for s in import_statements(module)), "'")
    if not entries:
        if source[node.start_byte + 1 : node.end_byte - 1].strip():
            return None  # a comment between the brackets: where the entry goes is a guess
        return EntrySite(module.path, source, node.start_byte, node.end_byte, None, None, None, None, quote)
    first, last = entries[0], entries[-1]
    after = [c for c in children[1:-1] if c.start_byte >= last.end_byte]
    if any(c.type not in (",", "comment") for c in after):
        return None
    comma = next((c.end_byte for c in after if c.type == ","), None)
    return EntrySite(
        module.path,
        source,
        node.start_byte,
        node.end_byte,
        first.start_byte,
        last.start_byte,
        last.end_byte,
        comma,
        quote,
    )


# -- import statements -----------------------------------------------------------------------------


class ImportSpecifier(NamedTuple):
    """One name between the braces of an import: `Duration`, `Duration as D`, `type Duration`."""

    imported: str
    local: str
    written: str  # as written
    start_byte: int
    end_byte: int


class ImportStatement(NamedTuple):
    """An `import ... from '...'` statement (or `import '...'`, with no names)."""

    path: Path
    source_text: bytes  # the file's text
    source: StringLiteral
    source_value: str
    type_only: bool  # `import type ...`
    default: str | None
    default_end: int  # just after the default import's name (0 without one)
    namespace: str | None
    named: tuple[ImportSpecifier, ...]
    names: EntrySite | None  # the `{ ... }`, where one more name goes
    start_byte: int
    end_byte: int

    def statement_text(self, specifier: str, source: str, type_only: bool = False) -> str:
        """A new statement importing `specifier` from `source`, written as this one is (quote, semicolon)."""
        semicolon = ";" if self.source_text[self.end_byte - 1 : self.end_byte] == b";" else ""
        quoted = f"{self.source.quote}{source}{self.source.quote}"
        return f"import {'type ' if type_only else ''}{{ {specifier} }} from {quoted}{semicolon}"

    def insert_before(self, statement: str) -> Edit | None:
        """`statement` on a line of its own just above this one; None when this one does not start its line."""
        if not _starts_line(self.source_text, self.start_byte):
            return None
        at = _line_start(self.source_text, self.start_byte)
        return Edit(self.path, at, at, f"{_indent(self.source_text, self.start_byte)}{statement}\n")

    def insert_after(self, statement: str) -> Edit:
        """`statement` on the line after this one (after a `//` comment that ends its line)."""
        source, end = self.source_text, self.end_byte
        line_end = _line_end(source, end)
        rest = source[end:line_end].strip()
        if source[line_end - 1 : line_end] == b"\n" and (not rest or rest.startswith(b"//")):
            return Edit(self.path, line_end, line_end, statement + "\n")
        return Edit(self.path, end, end, "\n" + statement)

    def remove_specifier(self, specifier: ImportSpecifier) -> Edit | None:
        """This statement without `specifier`: the whole statement when nothing else is imported."""
        named = self.named
        if len(named) == 1 and self.default is None and self.namespace is None:
            return Edit(self.path, *removal_range(self.source_text, self.start_byte, self.end_byte), "")
        if len(named) == 1:  # `import D, { X } from`: keep `import D from`
            return Edit(self.path, self.default_end, self.names.end_byte, "") if self.names else None
        at = named.index(specifier)
        if at + 1 < len(named):
            return Edit(self.path, specifier.start_byte, named[at + 1].start_byte, "")
        return Edit(self.path, named[at - 1].end_byte, specifier.end_byte, "")


def import_statements(module: Module) -> tuple[ImportStatement, ...]:
    """The module's top-level `import` statements from a plain string literal, in source order."""
    return module.fact(_import_statements)


def import_statement_at(module: Module, location: Location) -> ImportStatement | None:
    """The import statement where `location` (a name it imports) starts, if any."""
    byte = location.span.start_byte
    return next((s for s in import_statements(module) if s.start_byte <= byte < s.end_byte), None)


def _import_statements(module: Module) -> tuple[ImportStatement, ...]:
    found = []
    for statement in module.file.root.named_children:
        if statement.type != "import_statement":
            continue
        source_node = statement.child_by_field_name("source")
        literal = string_literal(module, source_node)
        value = string_value(source_node)
        if literal is None or value is None:
            continue
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        default = namespace = None
        default_end = 0
        named: list[ImportSpecifier] = []
        names: EntrySite | None = None
        for part in clause.named_children if clause is not None else ():
            if part.type == "identifier":
                default, default_end = text(part), part.end_byte
            elif part.type == "namespace_import":
                namespace = text(part.named_children[-1])
            elif part.type == "named_imports":
                names = entry_site(module, part, literal.quote)
                for spec in part.named_children:
                    name = spec.child_by_field_name("name") if spec.type == "import_specifier" else None
                    if name is None:
                        continue
                    alias = spec.child_by_field_name("alias") or name
                    imported = property_name(name) or text(name)
                    named.append(ImportSpecifier(imported, text(alias), text(spec), spec.start_byte, spec.end_byte))
        type_only = any(c.type == "type" for c in statement.children[:2])
        found.append(
            ImportStatement(
                module.path,
                module.file.text,
                literal,
                value,
                type_only,
                default,
                default_end,
                namespace,
                tuple(named),
                names,
                statement.start_byte,
                statement.end_byte,
            )
        )
    return tuple(found)


class ReExport(NamedTuple):
    """An `export { ... } from '...'` statement."""

    source: StringLiteral
    names: int  # how many names it re-exports
    start_byte: int
    end_byte: int


def re_export_at(module: Module, location: Location) -> ReExport | None:
    """The `export { ... } from '...'` statement where `location` starts, if any."""
    byte = location.span.start_byte
    return next((s for s in module.fact(_re_exports) if s.start_byte <= byte < s.end_byte), None)


def _re_exports(module: Module) -> tuple[ReExport, ...]:
    found = []
    for statement in module.file.root.named_children:
        literal = string_literal(module, statement.child_by_field_name("source"))
        clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
        if statement.type == "export_statement" and literal is not None and clause is not None:
            names = sum(c.type == "export_specifier" for c in clause.named_children)
            found.append(ReExport(literal, names, statement.start_byte, statement.end_byte))
    return tuple(found)


# -- names a file declares -----------------------------------------------------------------------


class NameUses(NamedTuple):
    """How a file uses a name as an identifier (never counting `x.name` properties or object keys)."""

    declarations: int  # places that bind it, in any scope: imports, variables, parameters, functions, ...
    uses: int  # every identifier written with that name, declarations included


# parent kind -> the field that declares a name (None: any identifier child declares one)
_DECLARING: dict[str, str | None] = {
    "variable_declarator": "name",
    "assignment_pattern": "left",
    "pair_pattern": "value",
    "arrow_function": "parameter",
    "catch_clause": "parameter",
    "required_parameter": "pattern",
    "optional_parameter": "pattern",
    "for_in_statement": "left",
    "function_declaration": "name",
    "function_expression": "name",
    "function": "name",
    "generator_function_declaration": "name",
    "generator_function": "name",
    "class_declaration": "name",
    "abstract_class_declaration": "name",
    "class": "name",
    "type_alias_declaration": "name",
    "interface_declaration": "name",
    "enum_declaration": "name",
    "internal_module": "name",
    "module": "name",
    "type_parameter": "name",
    "import_specifier": None,
    "namespace_import": None,
    "import_clause": None,
    "import_require_clause": None,
    "array_pattern": None,
    "rest_pattern": None,
    "formal_parameters": None,
}
_NAME_KINDS = frozenset(
    {"identifier", "type_identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
)


def name_uses(module: Module, name: str) -> NameUses:
    """Where the file binds and writes `name` as an identifier, in any scope."""
    cache = module.fact(_name_uses_cache)
    found = cache.get(name)
    if found is None:
        found = cache[name] = _count_name_uses(module, name)
    return found


def _name_uses_cache(module: Module) -> dict[str, NameUses]:
    return {}


def _count_name_uses(module: Module, name: str) -> NameUses:
    declarations = uses = 0
    for node in names_at(module.file, name.encode()):
        if node.type not in _NAME_KINDS:
            continue  # a property, a string, a comment
        uses += 1
        parent = node.parent
        if node.type == "shorthand_property_identifier_pattern":
            declarations += 1
        elif parent is not None and parent.type in _DECLARING:
            field = _DECLARING[parent.type]
            declarations += field is None or parent.child_by_field_name(field) == node
    return NameUses(declarations, uses)


# -- the options object of a `defineFunction` call ------------------------------------------------


def function_options_literal(fn: FunctionDef) -> EntrySite | None:
    """The options object written as a literal in the call itself (not a shared `const`); None otherwise."""
    args = call_arguments(fn.call)
    arg = (args[1] if len(args) > 1 else None) if fn.custom else (args[0] if args else None)
    node = unwrap(arg)
    if node is None or node.type != "object" or fn.props is None or fn.props.node != node:
        return None
    return entry_site(fn.module, node)


def options_value_literal(fn: FunctionDef, key: str) -> StringLiteral | None:
    """The string literal written as the value of `key` in the options literal of the call, if so."""
    literal = function_options_literal(fn)
    entry = fn.props.entries.get(key) if fn.props is not None and literal is not None else None
    if literal is None or entry is None or not literal.start_byte <= entry.node.start_byte < literal.end_byte:
        return None
    return string_literal(fn.module, entry.node)


def schedule_literal(fn: FunctionDef, entry: ScheduleEntry, field: str | None) -> StringLiteral | None:
    """The string literal a schedule entry is written as (its `field`, `cron` or `rate`, in the
    object form), when it is written in the `defineFunction` call itself: a `const` may be used elsewhere."""
    module, node = entry.expr.module, entry.expr.node
    shape = object_at(module, node) if field else None
    if shape is not None:
        value = shape.entries.get(field or "")
        if value is None:
            return None
        module, node = value.module, value.node
    if module is not fn.module or not fn.call.start_byte <= node.start_byte < fn.call.end_byte:
        return None
    return string_literal(module, node)


def env_shim_literal(shim: EnvShimImport) -> StringLiteral | None:
    """The specifier of a `$amplify/env/...` import, as a string literal to rewrite."""
    return string_literal(shim.module, shim.module.file.node_at(shim.specifier))


# -- names: how a module can refer to a function ---------------------------------------------------


class NameInScope(NamedTuple):
    """The name a module can write to refer to a function, and the edits (an import) that make it so."""

    name: str
    edits: tuple[Edit, ...] = ()
    specifier: str | None = None  # where the name is imported from, when an edit imports it


FunctionAt = Callable[[Module, Node], "FunctionDef | None"]


def function_name_in(
    module: Module, fn: FunctionDef, modules: Mapping[Path, Module], function_at: FunctionAt, before: int
) -> NameInScope | None:
    """How `module` can name the function `fn` at byte `before` (where the name is written): its own
    binding, a value import of it, or a new import of the name `fn`'s module exports it as. None when
    the name would clash, the function is not exported by name, or the import would close a cycle."""
    binding = fn.binding
    if fn.module is module:
        if binding is None or fn.call.start_byte > before:
            return None  # not declared yet where it would be read
        return NameInScope(binding)
    for imp in module.imports:
        if not imp.type_only and imp.imported != "*" and function_at(module, module.file.node_at(imp.name)) is fn:
            return NameInScope(imp.local)
    if binding is None or module in import_closure(fn.module):
        return None  # importing the function's module here would make the two import each other
    exported = sorted(
        (
            e.name
            for e in fn.module.exports.values()
            if e.local == binding and e.source is None and is_identifier(e.name)
        ),
        key=lambda name: name != binding,
    )
    if not exported or exported[0] in module.bindings:
        return None
    name = exported[0]
    specifier = relative_specifier(module, fn.module, modules)
    if specifier is None:
        return None
    found = import_edits(module, name, specifier, fn.module)
    return NameInScope(name, *found) if found is not None else None


def relative_specifier(module: Module, target: Module, modules: Mapping[Path, Module]) -> str | None:
    """The relative specifier `module` would import `target` by, in the style of its other relative
    imports (`./x` or `./x.js`); None when it would not resolve to `target`."""
    relative = Path(os.path.relpath(target.path, module.path.parent)).as_posix()
    stem, suffix = os.path.splitext(relative)
    esm = any(imp.source.startswith(".") and imp.source.endswith(".js") for imp in module.imports)
    emitted = {".ts": ".js", ".tsx": ".js", ".js": ".js", ".jsx": ".js", ".mts": ".mjs", ".cts": ".cjs"}
    specifier = stem + (emitted.get(suffix, suffix) if esm or suffix in (".mts", ".cts", ".mjs", ".cjs") else "")
    if not specifier.startswith("."):
        specifier = "./" + specifier
    known = {str(path): found for path, found in modules.items()}
    return specifier if resolve_specifier(module.path, specifier, known) is target else None


def import_edits(module: Module, name: str, specifier: str, target: Module) -> tuple[tuple[Edit, ...], str] | None:
    """Import `name` from `specifier` (naming `target`) into `module`: into an existing
    `import { ... } from` of `target`, else as a new statement after the last top-level import (written
    as it is); None when the module has no `import` statement."""
    statements = import_statements(module)
    if not statements:
        return None
    for statement in statements:
        if statement.names is not None and not statement.type_only:
            if module.resolved.get(statement.source_value) is target:
                return statement.names.add_last(name), statement.source_value
    last = statements[-1]
    return (last.insert_after(last.statement_text(name, specifier)),), specifier


# -- the places of the fixes that register or grant a function -------------------------------------


def registration_site(define: DefineBackend) -> EntrySite | None:
    """Where one more `defineBackend({ ... })` entry goes: the object literal written in the call."""
    args = call_arguments(define.call)
    argument = unwrap(args[0]) if len(args) == 1 else None
    if argument is None or argument.type != "object" or not define.complete:
        return None
    return entry_site(define.module, argument)


class RuleSite(NamedTuple):
    """Where one more schema-level authorization rule goes: into the rules array of the schema's
    `.authorization((allow) => [...])`, or a new `.authorization(...)` right after `a.schema({...})`.
    Rules are written with `allow`, the callback's parameter; `at` is where the rule's text goes."""

    allow: str
    at: int
    entries: EntrySite | None  # None: no `.authorization` yet
    path: Path
    parameters: frozenset[str]  # names the callback binds: a name in the rule must not be one
    # Before a new `.authorization`: a line break and the indent of `.schema` when the call is written
    # as a chain, one member a line (`a\n  .schema({...})`).
    chain_break: str = ""

    def add(self, rule: str) -> tuple[Edit, ...]:
        if self.entries is not None:
            return self.entries.add_last(rule)
        return (Edit(self.path, self.at, self.at, f"{self.chain_break}.authorization(({self.allow}) => [{rule}])"),)


def schema_rule_site(schema: DataSchema) -> RuleSite | None:
    """Where a schema-level rule goes in `schema` (see RuleSite); None when the rules are not one
    array amplint can see in an inline callback with one plain parameter, or when `a.schema(...)` is
    chained to something other than its `.authorization`."""
    file = schema.module.file
    call = schema.authorization_call
    if call is None:
        chained = schema.schema_call.parent
        if chained is not None and chained.type == "member_expression":
            return None  # `a.schema({...}).addToSchema(...)`: where `.authorization` fits is a guess
        end = schema.schema_call.end_byte
        return RuleSite(
            "allow", end, None, file.path, frozenset({"allow"}), _chain_break(file.text, schema.schema_call)
        )
    if not schema.authorization_known:
        return None
    args = call_arguments(call)
    callback = unwrap(args[0]) if len(args) == 1 else None
    if callback is None or callback.type not in ("arrow_function", "function_expression"):
        return None
    params = callback.child_by_field_name("parameters") or callback.child_by_field_name("parameter")
    count = 0 if params is None else 1 if params.type == "identifier" else len(params.named_children)
    names = parameter_names(callback)
    if len(names) != 1 or count != 1:
        return None
    body = callback.child_by_field_name("body")
    rules = _returned_array(body) if body is not None else None
    site = entry_site(schema.module, rules) if rules is not None else None
    if site is None or rules is None:
        return None
    (allow,) = names
    return RuleSite(allow, rules.end_byte, site, file.path, frozenset(names))


def _chain_break(source: bytes, call: Node) -> str:
    """A line break and the indent of `.schema` when `a.schema(...)` is written `a\n  .schema(...)`."""
    callee = call.child_by_field_name("function")
    receiver = callee.child_by_field_name("object") if callee is not None else None
    dot = callee.children[1] if callee is not None and len(callee.children) > 2 else None
    if receiver is None or dot is None or dot.type not in (".", "?.") or not _starts_line(source, dot.start_byte):
        return ""
    return "\n" + _indent(source, dot.start_byte)


def _returned_array(body: Node) -> Node | None:
    """The array an authorization callback returns: its expression body, or the one `return [...]`
    of a block body."""
    if body.type == "statement_block":
        statements = [s for s in body.named_children if s.type != "comment"]
        if len(statements) != 1 or statements[0].type != "return_statement" or not statements[0].named_child_count:
            return None
        body = statements[0].named_children[0]
    found = unwrap(body)
    return found if found.type == "array" else None


# -- a handler's return without its value ------------------------------------------------------------

# Calls that only compute a value from their arguments (when these globals are not rebound).
_VALUE_CALLS = frozenset({"JSON.stringify", "String", "Number", "Boolean", "Date.now"})
_VALUE_METHODS = frozenset({"toISOString"})
# Expressions whose evaluation does nothing but compute a value from their parts.
_VALUE_NODES = frozenset(
    {
        "object",
        "array",
        "pair",
        "spread_element",
        "computed_property_name",
        "shorthand_property_identifier",
        "property_identifier",
        "private_property_identifier",
        "identifier",
        "this",
        "undefined",
        "string",
        "string_fragment",
        "escape_sequence",
        "template_string",
        "template_substitution",
        "number",
        "true",
        "false",
        "null",
        "regex",
        "regex_pattern",
        "regex_flags",
        "member_expression",
        "subscript_expression",
        "optional_chain",
        "parenthesized_expression",
        "binary_expression",
        "unary_expression",
        "ternary_expression",
        "sequence_expression",
    }
)
_CASTS = frozenset({"as_expression", "satisfies_expression", "non_null_expression", "type_assertion"})


def has_effects(module: Module, node: Node) -> bool:
    """Whether evaluating the expression may do more than compute a value (a call, `await`, `new`,
    an assignment, ...); reading a property counts as computing a value. Errs towards True."""
    stack = [node]
    while stack:
        current = stack.pop()
        kind = current.type
        if kind in ("arrow_function", "function_expression", "method_definition", "comment"):
            continue  # creating a function runs none of its code
        if kind in _CASTS:
            inner = [c for c in current.named_children if c.type != "comment"]
            if not inner:
                return True
            stack.append(inner[-1] if kind == "type_assertion" else inner[0])
            continue
        if kind in ("call_expression", "new_expression"):
            args = current.child_by_field_name("arguments")
            if args is None or args.type != "arguments" or not _value_call(module, current):
                return True
            stack.extend(args.named_children)
            continue
        if kind == "unary_expression" and text(current.child_by_field_name("operator")) == "delete":
            return True
        if kind not in _VALUE_NODES:
            return True
        stack.extend(current.named_children)
    return False


def _value_call(module: Module, call: Node) -> bool:
    if call.type == "new_expression":
        constructor = call.child_by_field_name("constructor")
        return constructor is not None and text(constructor) == "Date" and "Date" not in module.bindings
    callee = call.child_by_field_name("function")
    if callee is None:
        return False
    name = text(callee)
    if name in _VALUE_CALLS:
        return name.split(".")[0] not in module.bindings
    if callee.type == "member_expression" and text(callee.child_by_field_name("property")) in _VALUE_METHODS:
        receiver = callee.child_by_field_name("object")
        return receiver is not None and not has_effects(module, receiver)
    return False


def value_dropped(module: Module, returned: Node) -> Edit | None:
    """The edit that makes a function give back nothing in place of `returned` (the value of a
    `return` statement, or an arrow function's expression body): `return x;` becomes `return;`, and
    `() => x` becomes `() => {}`. None when evaluating the value may have an effect, which dropping
    it would drop too."""
    if has_effects(module, returned):
        return None
    path = module.file.path
    parent = returned.parent
    if parent is not None and parent.type == "return_statement":
        keyword = parent.children[0]
        if keyword.type != "return":
            return None
        return Edit(path, keyword.end_byte, returned.end_byte, "")
    if parent is not None and parent.type == "arrow_function" and parent.child_by_field_name("body") == returned:
        return Edit(path, returned.start_byte, returned.end_byte, "{}")
    return None
