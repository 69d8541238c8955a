"""Applying fixes to file contents: the pure core of `--fix`, `--diff` and the editor's quick fixes.

A fix is a set of byte edits, possibly in several files, applied all together or not at all. Fixes
are taken in the order given; a fix any of whose edits overlaps (or touches the same insertion point
as) an edit already taken waits for the next pass, when the files have been linted again and the
fix recomputed against the new text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from .diagnostics import Edit, Fix


class Applied(NamedTuple):
    contents: dict[Path, bytes]  # every file an applied fix changed, with its new content
    fixes: list[Fix]  # the fixes applied
    waiting: list[Fix]  # the fixes left for another pass (overlapping, or naming an unknown file)


def _overlaps(edit: Edit, taken: list[tuple[int, int]]) -> bool:
    for start, end in taken:
        # Two insertions at one point, or an insertion inside a replaced range, are ambiguous too.
        if edit.start_byte < end and start < edit.end_byte:
            return True
        if edit.start_byte == edit.end_byte and start <= edit.start_byte <= end:
            return True
        if start == end and edit.start_byte <= start <= edit.end_byte:
            return True
    return False


def apply_fixes(sources: Mapping[Path, bytes], fixes: Iterable[Fix]) -> Applied:
    """Apply the non-overlapping `fixes` to `sources` (path -> the bytes the fixes were computed on)."""
    taken: dict[Path, list[tuple[int, int]]] = {}
    edits: dict[Path, list[Edit]] = {}
    applied: list[Fix] = []
    waiting: list[Fix] = []
    for fix in fixes:
        if not fix.edits or any(
            edit.path not in sources
            or not 0 <= edit.start_byte <= edit.end_byte <= len(sources[edit.path])
            or _overlaps(edit, taken.get(edit.path, []))
            for edit in fix.edits
        ):
            waiting.append(fix)
            continue
        own: dict[Path, list[tuple[int, int]]] = {}
        malformed = False
        for edit in fix.edits:
            malformed = malformed or _overlaps(edit, own.get(edit.path, []))
            own.setdefault(edit.path, []).append((edit.start_byte, edit.end_byte))
        if malformed:
            waiting.append(fix)  # a fix whose own edits overlap can never be applied as meant
            continue
        for edit in fix.edits:
            taken.setdefault(edit.path, []).append((edit.start_byte, edit.end_byte))
            edits.setdefault(edit.path, []).append(edit)
        applied.append(fix)
    contents = {path: apply_edits(sources[path], path_edits) for path, path_edits in edits.items()}
    return Applied({path: text for path, text in contents.items() if text != sources[path]}, applied, waiting)


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """`source` with non-overlapping `edits` applied (from the end, so earlier offsets stay valid)."""
    text = source
    for edit in sorted(edits, key=lambda e: (e.start_byte, e.end_byte), reverse=True):
        text = text[: edit.start_byte] + edit.replacement.encode() + text[edit.end_byte :]
    return text
