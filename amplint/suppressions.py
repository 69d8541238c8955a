"""The suppression stage: `amplint-disable` comments mark the findings they cover as suppressed, and
comments that suppress nothing, name unknown codes or give no reason become findings (AMP002-AMP004)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from .checks import RULES
from .checks.meta import SUPPRESSION_WITHOUT_REASON, UNKNOWN_SUPPRESSION_CODE, UNUSED_SUPPRESSION
from .diagnostics import Diagnostic, Edit, Fix, Location, Span
from .records import NamedTuple
from .syntax import SourceFile, language

if TYPE_CHECKING:
    from tree_sitter import Node, Query

DirectiveKind = Literal["disable-next-line", "disable-line", "disable", "enable", "disable-file"]
META_CODES = frozenset({UNUSED_SUPPRESSION.code, UNKNOWN_SUPPRESSION_CODE.code, SUPPRESSION_WITHOUT_REASON.code})
SYNTAX_ERROR = "AMP001"
WHERE: dict[DirectiveKind, str] = {
    "disable-next-line": "on the next line",
    "disable-line": "on this line",
    "disable": "in the lines it covers",
    "disable-file": "in this file",
}


# The grammar of a directive comment, compiled the first time a file mentions `amplint-` (most never do).
@functools.cache
def _directive() -> re.Pattern[str]:
    return re.compile(r"amplint-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|$)(.*)", re.S)


@functools.cache
def _reason() -> re.Pattern[str]:
    return re.compile(r"(?:^|\s)-{2,}(?:\s|$)")  # ESLint's separator: `AMP501 -- why`


@functools.cache
def _token() -> re.Pattern[str]:
    return re.compile(r"[^\s,]+")


class Directive(NamedTuple):
    kind: DirectiveKind
    names: tuple[str, ...]  # what it names, as written; nothing at all means every rule
    codes: tuple[str, ...]  # the rule codes among them
    unknown: tuple[tuple[str, Location], ...]  # what it names that is not a rule code
    reason: str
    location: Location  # the comment
    end_line: int
    name_bytes: tuple[tuple[int, int], ...] = ()  # where each of `names` is written in the file

    @property
    def blanket(self) -> bool:
        return not self.names

    @property
    def head(self) -> str:
        """The directive as written, without its reason: `amplint-disable-line AMP501, AMP502`."""
        return f"amplint-{self.kind}" + (f" {', '.join(self.names)}" if self.names else "")

    @property
    def text(self) -> str:
        return self.head + (f" -- {self.reason}" if self.reason else "")

    def covers(self, code: str) -> bool:
        return self.blanket or code in self.codes


def apply(
    diagnostics: Iterable[Diagnostic],
    files: Iterable[SourceFile],
    checked: frozenset[str],
    require_reason: bool = False,
) -> list[Diagnostic]:
    """`diagnostics` with those a directive covers marked `suppressed_by`, followed by the findings
    about the directives themselves. `checked` holds the codes that really ran: a directive for a
    rule that did not run is not called unused."""
    by_file: dict[Path, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.location.path, []).append(diagnostic)
    result: list[Diagnostic] = []
    for file in files:
        found = by_file.pop(file.path, [])
        directives = list(_directives(file)) if b"amplint-" in file.text else []
        if not directives:
            result.extend(found)
            continue
        suppressed, used, stray_enables = _suppress(found, directives)
        result.extend(suppressed)
        certain = not any(d.code == SYNTAX_ERROR for d in found)  # a broken file may hide findings
        result.extend(_findings(file, directives, used, stray_enables, checked, require_reason, certain))
    for remaining in by_file.values():
        result.extend(remaining)
    return result


class _Ranges:
    """Which `amplint-disable` ... `amplint-enable` comments are open at a point of the file, as they
    are met in document order (by index into the file's directives)."""

    def __init__(self) -> None:
        self.blanket: int | None = None
        self.by_code: dict[str, int] = {}
        self.enabled_again: set[str] = set()  # codes an `amplint-enable` lifted out of a blanket range
        self.stray_enables: list[int] = []  # `amplint-enable` comments that ended nothing

    def meet(self, index: int, directive: Directive) -> None:
        if directive.kind == "disable":
            if directive.blanket:
                if self.blanket is None or self.enabled_again:  # a new range, or one that changes something
                    self.blanket = index
                self.enabled_again.clear()
            for code in directive.codes:
                self.by_code.setdefault(code, index)
                self.enabled_again.discard(code)
        elif directive.blanket:
            if self.blanket is None and not self.by_code:
                self.stray_enables.append(index)
            self.blanket = None
            self.by_code.clear()
            self.enabled_again.clear()
        else:
            closed = [code for code in directive.codes if self.by_code.pop(code, None) is not None]
            if self.blanket is not None:
                self.enabled_again.update(directive.codes)
            elif len(closed) < len(directive.codes):
                self.stray_enables.append(index)

    def covering(self, code: str) -> int | None:
        if code in self.by_code:
            return self.by_code[code]
        if self.blanket is not None and code not in self.enabled_again:
            return self.blanket
        return None


def _suppress(
    found: list[Diagnostic], directives: list[Directive]
) -> tuple[list[Diagnostic], dict[int, set[str]], list[Directive]]:
    """Mark what the directives cover. Returns the diagnostics, the codes each directive (by index)
    suppressed, and the `amplint-enable` comments that end nothing."""
    by_line: dict[int, list[int]] = {}
    whole_file: list[int] = []
    ranged: list[int] = []
    for index, directive in enumerate(directives):
        if directive.kind == "disable-line":
            by_line.setdefault(directive.location.span.start_line, []).append(index)
        elif directive.kind == "disable-next-line":
            by_line.setdefault(directive.end_line + 1, []).append(index)
        elif directive.kind == "disable-file":
            whole_file.append(index)
        else:
            ranged.append(index)
    used: dict[int, set[str]] = {index: set() for index in range(len(directives))}
    ranges = _Ranges()
    ranged.reverse()  # a stack: the next range comment in document order is last
    result = []
    for diagnostic in sorted(found, key=lambda d: (d.location.span.start_line, d.location.span.start_column)):
        span = diagnostic.location.span
        while ranged and _start(directives[ranged[-1]]) <= (span.start_line, span.start_column):
            ranges.meet(ranged[-1], directives[ranged.pop()])
        code = diagnostic.code
        # The most specific first: its text is what the finding is marked with.
        covering = [index for index in by_line.get(span.start_line, ()) if directives[index].covers(code)]
        covering += [index for index in (ranges.covering(code),) if index is not None]
        covering += [index for index in whole_file if directives[index].covers(code)]
        if covering:
            for index in covering:
                used[index].add(code)
            diagnostic = diagnostic._replace(suppressed_by=directives[covering[0]].text)
        result.append(diagnostic)
    while ranged:
        ranges.meet(ranged[-1], directives[ranged.pop()])
    return result, used, [directives[index] for index in ranges.stray_enables]


def _findings(
    file: SourceFile,
    directives: list[Directive],
    used: dict[int, set[str]],
    stray_enables: list[Directive],
    checked: frozenset[str],
    require_reason: bool,
    certain: bool,
) -> Iterator[Diagnostic]:
    every_rule_checked = checked >= frozenset(RULES) - META_CODES
    for index, directive in enumerate(directives):
        if UNKNOWN_SUPPRESSION_CODE.code in checked:
            for token, location in directive.unknown:
                yield Diagnostic(UNKNOWN_SUPPRESSION_CODE.code, _unknown_message(token, directive), location)
        if (
            directive.kind != "enable"
            and require_reason
            and not directive.reason
            and SUPPRESSION_WITHOUT_REASON.code in checked
        ):
            yield Diagnostic(
                SUPPRESSION_WITHOUT_REASON.code,
                f"`{directive.head}` gives no reason; say why after ` -- `, e.g. "
                f"`{directive.head} -- <why this is safe>`",
                directive.location,
            )
        if directive.kind == "enable" or not certain or UNUSED_SUPPRESSION.code not in checked:
            continue
        where = WHERE[directive.kind]
        if directive.blanket:
            if not used[index] and every_rule_checked:
                yield Diagnostic(
                    UNUSED_SUPPRESSION.code,
                    f"`{directive.head}` suppresses nothing: no finding {where}; remove it",
                    directive.location,
                    fix=_remove_comment(file, directive),
                )
            continue
        # Findings about suppressions are not suppressed by comments (configure them instead).
        unused = [
            code for code in directive.codes if code not in used[index] and code in checked and code not in META_CODES
        ]
        if not unused:
            continue
        listed = " or ".join(unused)
        fix: Fix | None
        if len(unused) == len(directive.codes):
            message = f"`{directive.head}` suppresses nothing: no {listed} finding {where}; remove it"
            fix = _remove_comment(file, directive)
        else:
            message = f"`{directive.head}`: no {listed} finding {where}; remove {', '.join(unused)} from it"
            fix = _remove_codes(file, directive, frozenset(unused))
        yield Diagnostic(UNUSED_SUPPRESSION.code, message, directive.location, fix=fix)
    if UNUSED_SUPPRESSION.code in checked:
        for directive in stray_enables:
            yield Diagnostic(
                UNUSED_SUPPRESSION.code,
                f"`{directive.head}` ends no `amplint-disable`; remove it",
                directive.location,
                fix=_remove_comment(file, directive),
            )


def _remove_comment(file: SourceFile, directive: Directive) -> Fix:
    """Delete the comment: with its line when it is alone there, else with the blanks beside it."""
    from .model.edit_sites import removal_range

    span = directive.location.span
    start, end = removal_range(file.text, span.start_byte, span.end_byte, with_comment=False)
    glued = (start, end) == (span.start_byte, span.end_byte) and 0 < start and end < len(file.text)
    # `a/* amplint-enable */b`: a comment parts two tokens; a space must go on doing it.
    replacement = " " if glued and not file.text[start - 1 : start].isspace() else ""
    return Fix(f"Remove `{directive.head}`", (Edit(file.path, start, end, replacement),), "safe")


def _remove_codes(file: SourceFile, directive: Directive, unused: frozenset[str]) -> Fix | None:
    """Drop the unused codes from the comment's list; the other names and the reason stay."""
    if len(directive.name_bytes) != len(directive.names) or not directive.names:
        return None
    kept = [name for name in directive.names if name.upper() not in unused]
    start, end = directive.name_bytes[0][0], directive.name_bytes[-1][1]
    separator = ", " if b"," in file.text[start:end] else " "
    listed = ", ".join(sorted(unused))
    return Fix(f"Remove {listed} from `{directive.head}`", (Edit(file.path, start, end, separator.join(kept)),), "safe")


def _unknown_message(token: str, directive: Directive) -> str:
    by_name = next((rule for rule in RULES.values() if rule.name == token.lower()), None)
    if by_name is not None:
        return f"`{token}` is a rule name; suppressions take codes: write `{by_name.code}`"
    if re.fullmatch(r"[A-Za-z]+\d+", token):  # shaped like a code
        return f"`{token}` is not an amplint rule code, so it suppresses nothing; `amplint rules` lists them"
    return f"`{token}` is not a rule code; put a reason after ` -- `, e.g. `amplint-{directive.kind} AMP501 -- why`"


def _start(directive: Directive) -> tuple[int, int]:
    return directive.location.span.start_line, directive.location.span.start_column


@functools.cache
def _comment_query(tsx: bool) -> Query:
    from tree_sitter import Query

    query: Query = Query(language(tsx), "(comment) @comment")  # annotated: see syntax._index_query
    return query


def _directives(file: SourceFile) -> Iterator[Directive]:
    from tree_sitter import QueryCursor

    comments = QueryCursor(_comment_query(file.tsx)).captures(file.root).get("comment", [])
    for node in sorted(comments, key=lambda n: n.start_byte):
        raw = file.text[node.start_byte : node.end_byte].decode("utf-8", "replace")
        body_offset = 2
        body = raw[2:-2] if raw.startswith("/*") else raw[2:]
        stripped = body.lstrip()
        body_offset += len(body) - len(stripped)
        match = _directive().match(stripped.rstrip())
        if match is None:
            continue
        kind, rest = cast(DirectiveKind, match.group(1)), match.group(2)
        rest_offset = body_offset + match.start(2)
        separator = _reason().search(rest)
        names = rest if separator is None else rest[: separator.start()]
        reason = "" if separator is None else " ".join(rest[separator.end() :].split())
        written = tuple(token.group() for token in _token().finditer(names))
        name_bytes = tuple(
            _bytes_in(node, raw, rest_offset + t.start(), len(t.group())) for t in _token().finditer(names)
        )
        codes: list[str] = []
        unknown: list[tuple[str, Location]] = []
        for token in _token().finditer(names):
            code = token.group().upper()
            if code in RULES:
                if code not in codes:
                    codes.append(code)
            else:
                unknown.append(
                    (token.group(), _location_in(file, node, raw, rest_offset + token.start(), len(token.group())))
                )
        yield Directive(
            kind, written, tuple(codes), tuple(unknown), reason, file.location(node), node.end_point[0] + 1, name_bytes
        )


def _bytes_in(node: Node, raw: str, offset: int, length: int) -> tuple[int, int]:
    """The bytes of characters [offset, offset + length) of a comment's text."""
    start = node.start_byte + len(raw[:offset].encode("utf-8"))
    return start, start + len(raw[offset : offset + length].encode("utf-8"))


def _location_in(file: SourceFile, node: Node, raw: str, offset: int, length: int) -> Location:
    """The location of characters [offset, offset + length) of a comment's text."""
    start = file.location(node)
    before = raw[:offset]
    line = start.span.start_line + before.count("\n")
    column = (start.span.start_column + len(before)) if "\n" not in before else len(before.rsplit("\n", 1)[1]) + 1
    start_byte = node.start_byte + len(before.encode("utf-8"))
    end_byte = start_byte + len(raw[offset : offset + length].encode("utf-8"))
    return Location(file.path, Span(line, column, line, column + length, start_byte, end_byte))
