"""Code actions: a finding's fix as a quick fix, every safe fix of a file at once
(`source.fixAll.amplint`), and "Disable <CODE> for this line" (an `amplint-disable-next-line`
comment above the line the finding is reported on)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from lsprotocol import types

from ..diagnostics import Diagnostic, Edit, Fix
from ..fixer import apply_fixes, line_ending, native_edit
from .positions import Lines

FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.amplint"
KINDS = [types.CodeActionKind.QuickFix, FIX_ALL]
# A `// amplint-disable-next-line CODES -- reason` comment alone on its line (what this module writes).
_NEXT_LINE = re.compile(r"^(\s*//\s*amplint-disable-next-line)(?P<codes>(?:\s*,?\s*[A-Za-z]+\d+)*)(?P<rest>.*)$")


class Texts:
    """What code actions need to know of the files: the text each was linted as (`linted`), its
    text now (`current`: the open buffer, else the file on disk), and the URI the client knows it by."""

    def __init__(
        self,
        linted: Callable[[Path], bytes | None],
        current: Callable[[Path], bytes | None],
        uri: Callable[[Path], str],
        encoding: str,
    ) -> None:
        self.linted = linted
        self.current = current
        self.uri = uri
        self.encoding = encoding
        self._lines: dict[Path, Lines] = {}

    def lines(self, path: Path) -> Lines:
        found = self._lines.get(path)
        if found is None:
            found = self._lines[path] = Lines(self.linted(path) or b"", self.encoding)
        return found

    def fresh(self, fix: Fix) -> bool:
        """Whether every file the fix edits still has the text it was computed on."""
        for edit in fix.edits:
            text = self.linted(edit.path)
            if text is None or self.current(edit.path) != text:
                return False
        return True


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's `only` is hierarchical: `source.fixAll` asks for `source.fixAll.amplint` too."""
    return only is None or any(kind == want or kind.startswith(want + ".") for want in only)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def workspace_edit(edits: Iterable[Edit], texts: Texts) -> types.WorkspaceEdit:
    """The edits as the client applies them: each in its file's own line endings and after its byte
    order mark (`native_edit`, as `--fix` writes them)."""
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        lines = texts.lines(edit.path)
        edit = native_edit(edit, lines.text)
        changes.setdefault(texts.uri(edit.path), []).append(
            types.TextEdit(
                range=types.Range(
                    start=lines.position_at_byte(edit.start_byte), end=lines.position_at_byte(edit.end_byte)
                ),
                new_text=edit.replacement,
            )
        )
    return types.WorkspaceEdit(changes=changes)


def code_actions(
    path: Path,
    found: Sequence[tuple[Diagnostic, types.Diagnostic]],
    wanted: types.Range,
    only: Sequence[str] | None,
    texts: Texts,
) -> list[types.CodeAction]:
    """The actions for the findings `found` of the file `path` (each with its LSP form) that overlap
    the range `wanted`."""
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        disabled: set[tuple[str, int]] = set()
        for diagnostic, shown in found:
            if not _overlaps(shown.range, wanted):
                continue
            if diagnostic.fix is not None and texts.fresh(diagnostic.fix):
                actions.append(
                    types.CodeAction(
                        title=diagnostic.fix.message
                        + (" (may change behaviour)" if diagnostic.fix.applicability == "unsafe" else ""),
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[shown],
                        edit=workspace_edit(diagnostic.fix.edits, texts),
                        is_preferred=diagnostic.fix.applicability == "safe",
                    )
                )
            line = diagnostic.location.span.start_line
            if (diagnostic.code, line) in disabled or texts.current(path) != texts.linted(path):
                continue
            disabled.add((diagnostic.code, line))
            edit = disable_edit(path, diagnostic.code, line, texts.lines(path))
            if edit is not None:
                actions.append(
                    types.CodeAction(
                        title=f"Disable {diagnostic.code} for this line",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[shown],
                        edit=workspace_edit([edit], texts),
                    )
                )
    if _wanted(FIX_ALL, only):
        fix_all = fix_all_edit(path, [d for d, _ in found], texts)
        if fix_all is not None:
            actions.append(types.CodeAction(title="Fix all safe amplint findings", kind=FIX_ALL, edit=fix_all))
    return actions


def fix_all_edit(path: Path, found: Iterable[Diagnostic], texts: Texts) -> types.WorkspaceEdit | None:
    """Every safe fix of the file's findings that does not overlap another (`apply_fixes` picks
    them); None when there is none."""
    fixes = [d.fix for d in found if d.fix is not None and d.fix.applicability == "safe" and texts.fresh(d.fix)]
    if not fixes:
        return None
    sources = {edit.path: texts.linted(edit.path) or b"" for fix in fixes for edit in fix.edits}
    applied = apply_fixes(sources, fixes)
    if not applied.fixes:
        return None
    return workspace_edit([edit for fix in applied.fixes for edit in fix.edits], texts)


def disable_edit(path: Path, code: str, line: int, lines: Lines) -> Edit | None:
    """The edit that suppresses `code` on `line` (1-based): the code added to an
    `amplint-disable-next-line` comment on the line above, else such a comment inserted above the
    line with its indentation. A directive stacked on another would suppress nothing: the one above
    covers the comment line."""
    if line < 1 or line > lines.line_count:
        return None
    above = lines.line(line - 2) if line > 1 else None
    if above is not None:
        match = _NEXT_LINE.match(above)
        if match is not None:
            rest = match.group("rest").strip()
            if not match.group("codes").strip() and (not rest or rest.startswith("--")):
                return None  # a directive without codes already covers every rule
            end = lines.byte_at(types.Position(line=line - 2, character=lines.units(above[: match.end("codes")])))
            return Edit(path, end, end, f", {code}" if match.group("codes").strip() else f" {code}")
    start = lines.byte_at(types.Position(line=line - 1, character=0))
    current = lines.line(line - 1)
    indent = current[: len(current) - len(current.lstrip())]
    return Edit(path, start, start, f"{indent}// amplint-disable-next-line {code}{line_ending(lines.text)}")
