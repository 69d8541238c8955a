"""Parsing: each file parsed once with tree-sitter, plus the few node helpers every layer uses."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Literal, TypeAlias, overload

import tree_sitter_typescript as _tst
from tree_sitter import Language, Node, Parser, Tree

from .amplify import TSX_SUFFIXES
from .diagnostics import Location, Span, column_at
from .records import NamedTuple


@cache
def _import_call() -> re.Pattern[bytes]:
    """`import('m')` as an expression; compiled only for a file with a syntax error that names `import`."""
    return re.compile(rb"(?<![\w$.])import\s*\(\s*(?:'[^'\n]*'|\"[^\"\n]*\")\s*\)")


@cache
def language(tsx: bool) -> Language:
    return Language(_tst.language_tsx() if tsx else _tst.language_typescript())


@cache
def _parser(tsx: bool) -> Parser:
    return Parser(language(tsx))


# How parsing went wrong: a token the grammar needed is missing, or one it cannot place is there.
ParseErrorKind: TypeAlias = Literal["missing", "unexpected"]


# Where a record's piece of a file is: [start byte, end byte). Records keep ranges, not tree nodes, so
# that a file's tree need not outlive what is read from it.
ByteRange: TypeAlias = tuple[int, int]


def byte_range(node: Node) -> ByteRange:
    return node.start_byte, node.end_byte


# A node a record keeps by its range and type, found again with `SourceFile.node_at(*ref)`.
NodeRef: TypeAlias = tuple[ByteRange, str]


def node_ref(node: Node) -> NodeRef:
    return byte_range(node), node.type


class ParseError(NamedTuple):
    """Where parsing first went wrong in a file (see `SourceFile.parse_errors`). `token` is the
    missing token (`;`, `)`), or the first line of the unexpected text (at most 40 characters; ""
    when that is blank)."""

    kind: ParseErrorKind
    token: str
    location: Location  # kept on the line where the error starts: an ERROR node can swallow the file


class SourceFile:
    """A file's bytes, its tree, and the conversion from tree-sitter points to user positions. The
    tree is parsed when first read: a module built from cached facts (`model.stored`) may never need
    it."""

    __slots__ = ("path", "text", "tsx", "_tree", "_has_error", "_parse_errors", "_line_starts")

    def __init__(self, path: Path, text: bytes, earlier: SourceFile | None = None) -> None:
        """Keep `text`, to be parsed on first use; given the `earlier` text of the same file (an
        editor's buffer before an edit), parse it now, and tree-sitter reparses only what the edit
        changed, on a copy of the earlier tree (a text with a syntax error is parsed whole: see
        below)."""
        self.path = path
        self.text = text
        self.tsx = path.suffix in TSX_SUFFIXES
        self._tree: Tree | None = None
        self._has_error: bool | None = None
        self._parse_errors: list[ParseError] | None = None
        self._line_starts: list[int] | None = None
        old = _edited_tree(earlier, text) if earlier is not None and earlier.tsx == self.tsx else None
        if old is not None:
            tree = self._parse(old)
            # Error recovery depends on the tree parsing starts from: a file with a syntax error is
            # parsed from scratch, so that its tree, and what AMP001 says, are a fresh lint's.
            self._tree = tree if not tree.root_node.has_error else None

    @property
    def tree(self) -> Tree:
        if self._tree is None:
            self._tree = self._parse(None)
        return self._tree

    def _parse(self, old: Tree | None) -> Tree:
        parser = _parser(self.tsx)
        return parser.parse(self.text, old) if old is not None else parser.parse(self.text)

    @property
    def parsed(self) -> bool:
        """Whether the tree was needed (and so parsed) yet."""
        return self._tree is not None

    @property
    def root(self) -> Node:
        return self.tree.root_node

    @property
    def has_error(self) -> bool:
        """Whether the tree holds a syntax error (`parse_errors` leaves some out)."""
        if self._has_error is None:
            self._has_error = self.root.has_error
        return self._has_error

    def mentions(self, *words: bytes) -> bool:
        """Whether the source contains any of these byte strings: a cheap test before visiting nodes."""
        return any(word in self.text for word in words)

    def column(self, byte_offset: int, byte_column: int) -> int:
        """1-based character column of a point given as (byte offset, 0-based byte column)."""
        return column_at(self.text, byte_offset - byte_column, byte_offset) + 1

    def span(self, node: Node, end: Node | None = None) -> Span:
        end = end or node
        (sl, sc), (el, ec) = node.start_point, end.end_point
        return Span(
            sl + 1,
            self.column(node.start_byte, sc),
            el + 1,
            self.column(end.end_byte, ec),
            node.start_byte,
            end.end_byte,
        )

    def location(self, node: Node, end: Node | None = None) -> Location:
        return Location(self.path, self.span(node, end))

    def span_at(self, at: ByteRange) -> Span:
        """The span of a byte range, as `span` gives it for a node of that range: what a record that
        keeps no node uses for its location."""
        if self._line_starts is None:
            self._line_starts = _line_starts(self.text)
        starts, (start, end) = self._line_starts, at
        start_line, end_line = bisect_right(starts, start) - 1, bisect_right(starts, end) - 1
        return Span(
            start_line + 1,
            column_at(self.text, starts[start_line], start) + 1,
            end_line + 1,
            column_at(self.text, starts[end_line], end) + 1,
            start,
            end,
        )

    def location_at(self, at: ByteRange) -> Location:
        return Location(self.path, self.span_at(at))

    def node_at(self, at: ByteRange, kind: str | None = None) -> Node:
        """The node a record kept the byte range of, back from the tree for the model code that still
        reads it: the innermost named node spanning the range, or the one of type `kind` around it
        with the same range."""
        node = self.root.named_descendant_for_byte_range(*at)
        assert node is not None  # the root spans every range of its file
        while kind is not None and node.type != kind and node.parent is not None:
            if byte_range(node.parent) != at:
                break
            node = node.parent
        return node

    @property
    def parse_errors(self) -> list[ParseError]:
        """The file's syntax errors, computed once: the first one (see `_first_error`), or none. What
        is only a gap in tree-sitter-typescript 0.23 is left out: `import('m')` in some type
        positions, which TypeScript accepts (`f<typeof import('m')>()`, `keyof import('m').T`;
        upstream issues #367, #352, #322). Those are read from a copy where each `import(...)` is a
        name of the same length, so every position stays the same."""
        if self._parse_errors is None:
            first = _first_error(self.root)
            if first is not None and b"import" in self.text:
                neutral = _import_call().sub(lambda m: b"_" * len(m.group()), self.text)
                if neutral != self.text:
                    first = _first_error(_parser(self.tsx).parse(neutral).root_node)
            self._parse_errors = [] if first is None else [self._parse_error(first)]
        return self._parse_errors

    def _parse_error(self, node: Node) -> ParseError:
        kind: ParseErrorKind
        if node.is_missing:
            kind, token = "missing", node.type
        else:
            shown = text(node)
            kind, token = "unexpected", shown.splitlines()[0][:40] if shown.strip() else ""
        span = self.span(node)
        if span.end_line != span.start_line:
            # Keep the location on the line where the error starts; ERROR nodes can swallow the file.
            line_end = self.text.find(b"\n", node.start_byte)
            line_end = len(self.text) if line_end < 0 else line_end
            column = node.start_point[1]
            end_column = self.column(line_end, column + line_end - node.start_byte)
            span = Span(span.start_line, span.start_column, span.start_line, end_column, node.start_byte, line_end)
        return ParseError(kind, token, Location(self.path, span))


def _line_starts(text: bytes) -> list[int]:
    """The byte offset where each line starts: a line ends at `\\n`, as tree-sitter's rows do."""
    starts = [0]
    at = text.find(b"\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find(b"\n", at + 1)
    return starts


def _first_error(root: Node) -> Node | None:
    """The first MISSING node, or the first leaf of the first ERROR node, taking the innermost
    ERROR where one starts on a later line (an ERROR can begin many lines before the token that
    broke the parse), whichever comes first."""
    missing = error = None
    for node in _syntax_errors(root):
        if node.is_missing:
            missing = missing or node
            continue
        while True:  # an ERROR inside this one that starts on a later line is closer to the cause
            inner = next(_errors_within(node), None)
            if inner is None or inner.start_point.row <= node.start_point.row:
                break
            node = inner
        leaf = node
        while leaf.child_count:
            leaf = leaf.children[0]
        error = leaf
        break
    found = [n for n in (missing, error) if n is not None]
    return min(found, key=lambda n: n.start_byte) if found else None


def _syntax_errors(root: Node) -> Iterator[Node]:
    """ERROR and MISSING nodes in document order, without recursion."""
    if not root.has_error:
        return
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            yield node
        elif node.has_error:
            stack.extend(reversed(node.children))


def _edited_tree(earlier: SourceFile, text: bytes) -> Tree | None:
    """A copy of the earlier tree, edited as the text changed: one edit spanning from the first byte
    that differs to the last (what an editor's typing usually is). None when nothing is shared."""
    old = earlier.text
    limit = min(len(old), len(text))
    start = _common_length(old, text, limit)
    if start == 0 and limit:
        return None
    suffix = _common_length(old[::-1], text[::-1], limit - start)
    old_end, new_end = len(old) - suffix, len(text) - suffix
    tree = earlier.tree.copy()
    tree.edit(
        start_byte=start,
        old_end_byte=old_end,
        new_end_byte=new_end,
        start_point=_point(old, start),
        old_end_point=_point(old, old_end),
        new_end_point=_point(text, new_end),
    )
    return tree


def _common_length(a: bytes, b: bytes, limit: int) -> int:
    """How many leading bytes `a` and `b` share, at most `limit` (halving: each step one comparison
    of slices, done in C)."""
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _point(text: bytes, offset: int) -> tuple[int, int]:
    """tree-sitter's point of a byte offset: (row, byte column)."""
    line_start = text.rfind(b"\n", 0, offset) + 1
    return (text.count(b"\n", 0, offset), offset - line_start)


def _errors_within(node: Node) -> Iterator[Node]:
    """ERROR nodes below `node` (not `node` itself), in document order, without recursion."""
    return (found for child in node.children for found in _syntax_errors(child) if found.is_error)


def text(node: Node | None) -> str:
    raw = node.text if node is not None else None
    return raw.decode("utf-8", "replace") if raw is not None else ""


TRANSPARENT_KINDS = (  # what `unwrap` strips: it does not change a value
    "parenthesized_expression",
    "non_null_expression",
    "as_expression",
    "satisfies_expression",
    "type_assertion",
)


@overload
def unwrap(node: Node) -> Node: ...
@overload
def unwrap(node: Node | None) -> Node | None: ...


def unwrap(node: Node | None) -> Node | None:
    """Strip what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. None stays None."""
    while node is not None:
        kind = node.type
        if kind in TRANSPARENT_KINDS:
            inner = node.named_children
            # `<T>x` puts the type first; the others put the value first.
            node = inner[-1] if kind == "type_assertion" else inner[0]
        else:
            return node
    return node


# `a.b.c` as ("a", "b", "c"): what a per-file fact keeps of a name it will resolve across files.
NamePath: TypeAlias = tuple[str, ...]
NAME_KINDS = ("identifier", "shorthand_property_identifier")  # what stands for a name in an expression


def name_path(node: Node) -> NamePath | None:
    """The name and properties of `a.b.c` (through parentheses and casts, as `values.resolve`
    follows them); None for any other expression."""
    parts: list[str] = []
    for _ in range(64):  # `values.MAX_DEPTH`: deeper is no name amplint follows
        node = unwrap(node)
        if node.type in NAME_KINDS:
            parts.append(text(node))
            return tuple(reversed(parts))
        prop, obj = node.child_by_field_name("property"), node.child_by_field_name("object")
        if node.type != "member_expression" or prop is None or prop.type != "property_identifier" or obj is None:
            return None
        parts.append(text(prop))
        node = obj
    return None


def declarator_of(node: Node) -> Node | None:
    """The `const x = <node>` declarator that binds the value of `node` to a plain name, if any
    (through parentheses and casts, the outward twin of `unwrap`)."""
    parent = node.parent
    while parent is not None and parent.type in TRANSPARENT_KINDS:
        parent = parent.parent
    if parent is None or parent.type != "variable_declarator":
        return None
    name = parent.child_by_field_name("name")
    return parent if name is not None and name.type == "identifier" else None


def string_quote(node: Node | None) -> str | None:
    """The quote the string literal `node` is written in (`'` or `"`); None for anything else."""
    quote = text(node)[:1] if node is not None and node.type == "string" else ""
    return quote if quote in ("'", '"') else None


def declared_name(node: Node) -> Node | None:
    """The name `const <name> = <node>` binds the value of `node` to (see `declarator_of`), if any."""
    declarator = declarator_of(node)
    return declarator.child_by_field_name("name") if declarator is not None else None


def member_chain_end(node: Node) -> tuple[Node, Node | None]:
    """The outermost member of the chain `node` starts (`client.models.Todo.list` for `client.models`),
    and the call that chain is the callee of, if any (`client.models.Todo.list(...)`)."""
    while (
        node.parent is not None
        and node.parent.type in ("member_expression", "subscript_expression")
        and node.parent.child_by_field_name("object") == node
    ):
        node = node.parent
    parent = node.parent
    called = parent is not None and parent.type == "call_expression" and parent.child_by_field_name("function") == node
    return node, parent if called else None


def call_arguments(call: Node) -> list[Node]:
    """The arguments of a call or `new` expression, comments left out."""
    args = call.child_by_field_name("arguments")
    return [a for a in args.named_children if a.type != "comment"] if args is not None else []


def string_value(node: Node | None) -> str | None:
    """The value of a string literal or a template without substitutions."""
    if node is None:
        return None
    if node.type == "string":
        parts = []
        for child in node.named_children:
            if child.type == "string_fragment":
                parts.append(text(child))
            elif child.type == "escape_sequence":
                parts.append(_unescape(text(child)))
        return _scalar_values("".join(parts))
    if node.type == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return None
        return _scalar_values(
            "".join(_unescape(text(c)) if c.type == "escape_sequence" else text(c) for c in node.named_children)
        )
    return None


@cache
def _surrogate() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def _scalar_values(value: str) -> str:
    """JS strings are UTF-16: join escaped surrogate pairs (`'\\uD83D\\uDE00'`) into one character
    and replace lone ones, which no output encoding can carry."""
    if value.isascii() or _surrogate().search(value) is None:
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "b": "\b", "f": "\f", "v": "\v"}


def _unescape(seq: str) -> str:
    body = seq[1:]
    if body[:1] in _ESCAPES and len(body) == 1:
        return _ESCAPES[body]
    if body[:1] == "u" or body[:1] == "x":
        try:
            return chr(int(body[1:].strip("{}"), 16))
        except (ValueError, OverflowError):  # not hex, or past U+10FFFF
            return seq
    return body


def property_name(node: Node | None) -> str | None:
    """The static name of an object key or member property (`a`, `'a'`, `1`), else None."""
    if node is None:
        return None
    kind = node.type
    if kind in (
        "property_identifier",
        "identifier",
        "shorthand_property_identifier",
        "shorthand_property_identifier_pattern",
        "private_property_identifier",
    ):
        return text(node)
    if kind in ("string", "template_string"):
        return string_value(node)
    if kind == "number":
        return text(node)
    if kind == "computed_property_name" and node.named_child_count == 1:
        return string_value(node.named_children[0])
    return None


FUNCTION_KINDS = frozenset(
    {
        "arrow_function",
        "function_expression",
        "function_declaration",
        "generator_function",
        "generator_function_declaration",
        "method_definition",
        "function",
    }
)


def enclosing_function(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTION_KINDS:
            return parent
        parent = parent.parent
    return None


def ancestors(node: Node) -> Iterator[Node]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent
