"""Where fixes edit: import statements, the options object of a `defineFunction` call and the names a
file declares, as byte positions with the layout (quotes, indentation, commas, semicolons) that text a
fix inserts follows. The records build their own edits, so a check only chooses which to make."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tree_sitter import Node

from ..diagnostics import Edit, Location
from ..syntax import BOM, call_arguments, property_name, string_value, text, unwrap
from .modules import Module, _names_at
from .values import object_at

if TYPE_CHECKING:
    from .environment import EnvShimImport
    from .join import FunctionDef, ScheduleEntry

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
    start = _line_start(source, at)
    end = start
    while end < len(source) and source[end] in _BLANKS:
        end += 1
    return source[start:end].decode()


def _starts_line(source: bytes, at: int) -> bool:
    """Whether only blanks stand before `at` on its line."""
    return not source[_line_start(source, at) : at].strip()


def _ends_line(source: bytes, at: int) -> bool:
    """Whether only blanks (and the line's end) stand after `at` on its line."""
    return not source[at : _line_end(source, at)].strip()


def removal_range(source: bytes, start: int, end: int, *, with_comment: bool = True) -> tuple[int, int]:
    """What to delete to remove the code at [start, end): its whole lines when nothing else stands on
    them (but a `//` comment after it, a comment about it, `with_comment`); else the code and the
    blanks before it when it ends its line (`x(); // c` loses ` // c`); else the code and the blanks
    after it."""
    rest = source[end : _line_end(source, end)].strip()
    if _starts_line(source, start) and (not rest or (with_comment and rest.startswith(b"//"))):
        return _line_start(source, start), _line_end(source, end)
    if _ends_line(source, end):
        while start > 0 and source[start - 1] in _BLANKS:
            start -= 1
        return start, end
    while end < len(source) and source[end] in _BLANKS:
        end += 1
    return start, end


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
    if node is None or node.type != "string" or any(c.type == "escape_sequence" for c in node.named_children):
        return None
    quote = module.file.text[node.start_byte : node.start_byte + 1].decode()
    return StringLiteral(module.path, node.start_byte, node.end_byte, quote) if quote in ("'", '"') else None


# -- import statements ---------------------------------------------------------------------------


class ImportSpecifier(NamedTuple):
    """One name between the braces of an import: `Duration`, `Duration as D`, `type Duration`."""

    imported: str
    local: str
    written: str  # as written
    start_byte: int
    end_byte: int


class ImportStatement(NamedTuple):
    """An `import ... from '...'` statement."""

    path: Path
    source: StringLiteral
    source_value: str
    type_only: bool  # `import type ...`
    default: str | None
    default_end: int  # just after the default import's name (0 without one)
    namespace: str | None
    named: tuple[ImportSpecifier, ...]
    braces_end: int  # just after the `}` (0 without braces)
    named_multiline: bool  # the specifiers stand on lines of their own
    named_indent: str  # the blanks before the last specifier's line
    start_byte: int
    end_byte: int
    starts_line: bool
    indent: str  # the blanks before the statement on its line
    line_start: int
    semicolon: bool
    removal: tuple[int, int]  # what to delete to drop the statement (see `removal_range`)

    def statement_text(self, specifier: str, source: str, type_only: bool = False) -> str:
        """A new statement importing `specifier` from `source`, written as this one is."""
        quote = self.source.quote
        semicolon = ";" if self.semicolon else ""
        return f"import {'type ' if type_only else ''}{{ {specifier} }} from {quote}{source}{quote}{semicolon}"

    def insert_before(self, statement: str) -> Edit | None:
        """`statement` on a line of its own just above this one; None when this one does not start its line."""
        if not self.starts_line:
            return None
        return Edit(self.path, self.line_start, self.line_start, f"{self.indent}{statement}\n")

    def add_specifier(self, written: str) -> Edit | None:
        """`written` added after the last name between the braces; None when there are none."""
        if not self.named:
            return None
        last = self.named[-1]
        separator = f",\n{self.named_indent}" if self.named_multiline else ", "
        return Edit(self.path, last.end_byte, last.end_byte, separator + written)

    def remove_specifier(self, specifier: ImportSpecifier) -> Edit:
        """This statement without `specifier`: the whole statement when nothing else is imported."""
        named = self.named
        if len(named) == 1 and self.default is None and self.namespace is None:
            return Edit(self.path, *self.removal, "")
        if len(named) == 1:  # `import D, { X } from`: keep `import D from`
            return Edit(self.path, self.default_end, self.braces_end, "")
        at = named.index(specifier)
        if at + 1 < len(named):
            return Edit(self.path, specifier.start_byte, named[at + 1].start_byte, "")
        return Edit(self.path, named[at - 1].end_byte, specifier.end_byte, "")


def import_statements(module: Module) -> tuple[ImportStatement, ...]:
    """The module's `import ... from '...'` statements, in source order."""
    return module.fact(_import_statements)


def import_statement_at(module: Module, location: Location) -> ImportStatement | None:
    """The import statement where `location` (a name it imports) starts, if any."""
    byte = location.span.start_byte
    return next((s for s in import_statements(module) if s.start_byte <= byte < s.end_byte), None)


def replace_at(location: Location, replacement: str) -> Edit:
    """`replacement` in place of the code at `location`."""
    return Edit(location.path, location.span.start_byte, location.span.end_byte, replacement)


def _import_statements(module: Module) -> tuple[ImportStatement, ...]:
    source_text = module.file.text
    found = []
    for statement in module.file.root.named_children:
        if statement.type != "import_statement":
            continue
        source_node = statement.child_by_field_name("source")
        literal = string_literal(module, source_node)
        value = string_value(source_node)
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        if literal is None or value is None or clause is None:
            continue
        default = namespace = None
        default_end = 0
        named: list[ImportSpecifier] = []
        braces: Node | None = None
        for part in clause.named_children:
            if part.type == "identifier":
                default, default_end = text(part), part.end_byte
            elif part.type == "namespace_import":
                namespace = text(part.named_children[-1])
            elif part.type == "named_imports":
                braces = part
                for spec in part.named_children:
                    name = spec.child_by_field_name("name") if spec.type == "import_specifier" else None
                    if name is None:
                        continue
                    alias = spec.child_by_field_name("alias") or name
                    imported = property_name(name) or text(name)
                    named.append(ImportSpecifier(imported, text(alias), text(spec), spec.start_byte, spec.end_byte))
        last = named[-1].start_byte if named else statement.start_byte
        record = ImportStatement(
            path=module.path,
            source=literal,
            source_value=value,
            type_only=any(c.type == "type" for c in statement.children[:2]),
            default=default,
            default_end=default_end,
            namespace=namespace,
            named=tuple(named),
            braces_end=braces.end_byte if braces is not None else 0,
            named_multiline=braces is not None and bool(named) and _starts_line(source_text, last),
            named_indent=_indent(source_text, last),
            start_byte=statement.start_byte,
            end_byte=statement.end_byte,
            starts_line=_starts_line(source_text, statement.start_byte),
            indent=_indent(source_text, statement.start_byte),
            line_start=_line_start(source_text, statement.start_byte),
            semicolon=source_text[statement.end_byte - 1 : statement.end_byte] == b";",
            removal=removal_range(source_text, statement.start_byte, statement.end_byte),
        )
        found.append(record)
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
    for node in _names_at(module.file, name.encode()):
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


class OptionsLiteral(NamedTuple):
    """The object literal written in a `defineFunction(...)` call as its options: where a new
    property goes, laid out as the others are."""

    path: Path
    start_byte: int  # the `{`
    end_byte: int  # just after the `}`
    first_start: int  # the first property (0 without properties)
    last_end: int  # just after the last property (0 without properties)
    trailing_comma: bool
    multiline: bool  # the first property starts a line of its own
    indent: str  # the blanks before the first property's line
    close_line_start: int | None  # where the line of the `}` starts, when the `}` starts it
    quote: str  # of the string values beside (else of the file's imports)

    def string(self, value: str) -> str:
        return f"{self.quote}{value}{self.quote}"

    def add_first(self, prop: str) -> tuple[Edit, ...]:
        """Edits that write `prop` (`key: value`) before the other properties."""
        if not self.first_start:
            return self._fill(prop)
        between = f",\n{self.indent}" if self.multiline else ", "
        return (Edit(self.path, self.first_start, self.first_start, prop + between),)

    def add_last(self, prop: str) -> tuple[Edit, ...]:
        """Edits that write `prop` (`key: value`) after the other properties."""
        if not self.last_end:
            return self._fill(prop)
        if not self.multiline:
            return (Edit(self.path, self.last_end, self.last_end, f", {prop}"),)
        if self.close_line_start is None:
            return (Edit(self.path, self.last_end, self.last_end, f",\n{self.indent}{prop}"),)
        comma = "," if self.trailing_comma else ""
        edits = () if self.trailing_comma else (Edit(self.path, self.last_end, self.last_end, ","),)
        line = f"{self.indent}{prop}{comma}\n"
        return (*edits, Edit(self.path, self.close_line_start, self.close_line_start, line))

    def _fill(self, prop: str) -> tuple[Edit, ...]:
        return (Edit(self.path, self.start_byte, self.end_byte, f"{{ {prop} }}"),)


def function_options_literal(fn: FunctionDef) -> OptionsLiteral | None:
    """The options object written as a literal in the call itself (not a shared `const`); None otherwise."""
    args = call_arguments(fn.call)
    arg = (args[1] if len(args) > 1 else None) if fn.custom else (args[0] if args else None)
    node = unwrap(arg)
    if node is None or node.type != "object" or fn.props is None or fn.props.node != node:
        return None
    return _options_literal(fn.module, node)


def options_value_literal(fn: FunctionDef, key: str) -> StringLiteral | None:
    """The string literal written as the value of `key` in the options literal of the call, if so."""
    literal = function_options_literal(fn)
    entry = fn.props.entries.get(key) if fn.props is not None and literal is not None else None
    if literal is None or entry is None or not literal.start_byte <= entry.node.start_byte < literal.end_byte:
        return None
    return string_literal(fn.module, entry.node)


def _options_literal(module: Module, node: Node) -> OptionsLiteral:
    source = module.file.text
    props = [c for c in node.named_children if c.type != "comment"]
    first, last = (props[0], props[-1]) if props else (None, None)
    trailing = False
    if last is not None:
        following = last.next_sibling
        while following is not None and following.type == "comment":
            following = following.next_sibling
        trailing = following is not None and following.type == ","
    close = node.end_byte - 1
    quote = next(
        (
            q.quote
            for q in (string_literal(module, p.child_by_field_name("value")) for p in props if p.type == "pair")
            if q
        ),
        None,
    ) or next((s.source.quote for s in import_statements(module)), "'")
    return OptionsLiteral(
        path=module.path,
        start_byte=node.start_byte,
        end_byte=node.end_byte,
        first_start=first.start_byte if first is not None else 0,
        last_end=last.end_byte if last is not None else 0,
        trailing_comma=trailing,
        multiline=first is not None and _starts_line(source, first.start_byte),
        indent=_indent(source, first.start_byte) if first is not None else "",
        close_line_start=_line_start(source, close) if _starts_line(source, close) else None,
        quote=quote,
    )


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
    return string_literal(shim.module, shim.statement.child_by_field_name("source"))
