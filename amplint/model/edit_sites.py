"""Where a fix writes: places in a file where text can be added or replaced so that the result is
still well-formed code in the file's own layout (one more entry of an object or array literal, one
more import, a schema-level `.authorization`), as byte `Edit`s. Each function answers None when the
place is not certain (a spread, a comment where the text would go, a callback amplint cannot read):
then no fix is offered."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from tree_sitter import Node

from ..diagnostics import Edit, Location
from ..syntax import SourceFile, call_arguments, string_value, text, unwrap
from .join import DefineBackend, FunctionDef, parameter_names
from .modules import Module, import_closure, resolve_specifier

if TYPE_CHECKING:
    from .backend import DataSchema

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
    """Replace what `location` covers."""
    return Edit(location.path, location.span.start_byte, location.span.end_byte, replacement)


class EntrySite(NamedTuple):
    """Where one more entry goes in an object literal, an array literal or an import's `{ ... }`:
    after the last entry (on a line of its own, with the last entry's indent, when the closing
    bracket begins its line), or between the brackets when there is none."""

    path: Path
    last_end: int | None  # the end of the last entry; None when the literal is empty
    comma_end: int | None  # the end of the trailing comma after the last entry, if any
    close_line: int | None  # the start of the closing bracket's line when the bracket begins it
    indent: str  # the last entry's line's indent
    inner: tuple[int, int]  # the bytes between the brackets
    pad: str  # inside an empty literal: " " for `{ x }`, "" for `[x]`

    @property
    def opening(self) -> int:
        """Where the literal's entries begin (right after its opening bracket)."""
        return self.inner[0]

    def add(self, entry: str) -> tuple[Edit, ...]:
        if self.last_end is None:
            start, end = self.inner
            return (Edit(self.path, start, end, f"{self.pad}{entry}{self.pad}"),)
        if self.close_line is not None:
            if self.comma_end is not None:
                return (Edit(self.path, self.close_line, self.close_line, f"{self.indent}{entry},\n"),)
            return (
                Edit(self.path, self.last_end, self.last_end, ","),
                Edit(self.path, self.close_line, self.close_line, f"{self.indent}{entry}\n"),
            )
        if self.comma_end is not None:
            return (Edit(self.path, self.comma_end, self.comma_end, f" {entry},"),)
        return (Edit(self.path, self.last_end, self.last_end, f", {entry}"),)


def entry_site(file: SourceFile, node: Node) -> EntrySite | None:
    """Where one more entry of the `object`, `array` or `named_imports` `node` goes."""
    children = node.children
    if node.has_error or len(children) < 2 or children[0].type not in ("{", "[") or children[-1].type not in ("}", "]"):
        return None
    opening, closing = children[0], children[-1]
    source = file.text
    pad = "" if opening.type == "[" else " "
    entries = [c for c in children[1:-1] if c.is_named and c.type != "comment"]
    if not entries:
        if source[opening.end_byte : closing.start_byte].strip():
            return None  # a comment between the brackets: where the entry goes is a guess
        return EntrySite(file.path, None, None, None, "", (opening.end_byte, closing.start_byte), pad)
    last = entries[-1]
    after = [c for c in children[1:-1] if c.start_byte >= last.end_byte]
    comma = next((c for c in after if c.type == ","), None)
    if any(c.type not in (",", "comment") for c in after):
        return None
    line_start = source.rfind(b"\n", 0, closing.start_byte) + 1
    close_line = (
        line_start if not source[line_start : closing.start_byte].strip() and line_start > last.end_byte else None
    )
    last_line = source.rfind(b"\n", 0, last.start_byte) + 1
    indent_bytes = source[last_line : last.start_byte]
    indent = indent_bytes[: len(indent_bytes) - len(indent_bytes.lstrip(b" \t"))].decode()
    return EntrySite(
        file.path,
        last.end_byte,
        comma.end_byte if comma is not None else None,
        close_line,
        indent,
        (opening.end_byte, closing.start_byte),
        pad,
    )


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
        if not imp.type_only and imp.imported != "*" and function_at(module, imp.node) is fn:
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
    `import { ... } from` of `target`, else as a new statement after the last top-level import (in its quote style, with or
    without a semicolon as it is written); None when the module has no `import` statement."""
    file = module.file
    statements = [s for s in file.root.named_children if s.type == "import_statement"]
    if not statements:
        return None
    for statement in statements:
        written = string_value(statement.child_by_field_name("source"))
        if written is None or module.resolved.get(written) is not target:
            continue
        if any(c.type == "type" for c in statement.children[:2]):
            continue
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        named = next((c for c in clause.named_children if c.type == "named_imports"), None) if clause else None
        site = entry_site(file, named) if named is not None else None
        if site is not None:
            return site.add(name), written
    last = statements[-1]
    source = last.child_by_field_name("source")
    quote = text(source)[:1] if source is not None else "'"
    quote = quote if quote in ("'", '"') else "'"
    semicolon = ";" if text(last).rstrip().endswith(";") else ""
    line = f"import {{ {name} }} from {quote}{specifier}{quote}{semicolon}"
    raw = file.text
    line_end = raw.find(b"\n", last.end_byte)
    rest = raw[last.end_byte : line_end if line_end >= 0 else len(raw)].strip()
    if line_end >= 0 and (not rest or rest.startswith(b"//")):
        return (Edit(file.path, line_end + 1, line_end + 1, line + "\n"),), specifier
    return (Edit(file.path, last.end_byte, last.end_byte, "\n" + line),), specifier


# -- the places of the fixes that register or grant a function -------------------------------------


def registration_site(define: DefineBackend) -> EntrySite | None:
    """Where one more `defineBackend({ ... })` entry goes: the object literal written in the call."""
    args = call_arguments(define.call)
    argument = unwrap(args[0]) if len(args) == 1 else None
    if argument is None or argument.type != "object" or not define.complete:
        return None
    return entry_site(define.module.file, argument)


class RuleSite(NamedTuple):
    """Where one more schema-level authorization rule goes: into the rules array of the schema's
    `.authorization((allow) => [...])`, or a new `.authorization(...)` right after `a.schema({...})`.
    Rules are written with `allow`, the callback's parameter; `at` is where the rule's text goes."""

    allow: str
    at: int
    entries: EntrySite | None  # None: no `.authorization` yet
    path: Path
    parameters: frozenset[str]  # names the callback binds: a name in the rule must not be one

    def add(self, rule: str) -> tuple[Edit, ...]:
        if self.entries is not None:
            return self.entries.add(rule)
        return (Edit(self.path, self.at, self.at, f".authorization(({self.allow}) => [{rule}])"),)


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
        return RuleSite("allow", end, None, file.path, frozenset({"allow"}))
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
    site = entry_site(file, rules) if rules is not None else None
    if site is None or rules is None:
        return None
    (allow,) = names
    return RuleSite(allow, rules.end_byte, site, file.path, frozenset(names))


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
