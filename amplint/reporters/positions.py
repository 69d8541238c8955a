"""Columns in the units each consumer counts. amplint's spans count Unicode code points; LSP and
VS Code count UTF-16 code units (a character beyond U+FFFF, an emoji say, is two of them), and an LSP
client may ask for UTF-8 bytes. The helpers here are the one conversion every output uses (the
reporters and the language server): a byte order mark and a CRLF's `\r` are no column, invalid bytes
count one character each (decoded as U+FFFD)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import BOM, UTF8, UTF16, UTF32, column_at, units
from . import source_lines

if TYPE_CHECKING:
    from ..api import LintResult

__all__ = ["UTF8", "UTF16", "UTF32", "SourceText", "column_at", "line_text", "units"]


def line_text(raw: bytes, first: bool) -> str:
    """A line's bytes (without its `\n`) decoded as its columns are counted: a CRLF's `\r` and, on the
    first line, a byte order mark dropped."""
    if first and raw.startswith(BOM):
        raw = raw[len(BOM) :]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    return raw.decode("utf-8", "replace")


class SourceText:
    """The lines of the files a result was linted from: the text linted (an unsaved buffer for
    `--stdin-filename`), else the file on disk; a file that cannot be read has no lines."""

    def __init__(self, result: LintResult) -> None:
        self._sources = result.sources
        self._lines: dict[Path, list[bytes]] = {}
        self._texts: dict[Path, bytes | None] = {}

    def text(self, path: Path) -> bytes | None:
        if path not in self._texts:
            text = self._sources.get(path)
            if text is None:
                try:
                    text = path.read_bytes()
                except OSError:
                    text = None
            self._texts[path] = text
        return self._texts[path]

    def lines(self, path: Path) -> list[bytes]:
        lines = self._lines.get(path)
        if lines is None:
            text = self.text(path)
            lines = self._lines[path] = source_lines(text) if text is not None else []
        return lines

    def point(self, path: Path, byte_offset: int) -> tuple[int, int]:
        """The 1-based line and code-point column of a byte offset (an edit's start or end), counted
        as amplint counts a finding's: a byte order mark and a CRLF's `\r` are no column."""
        text = self.text(path) or b""
        byte_offset = max(0, min(byte_offset, len(text)))
        line_start = text.rfind(b"\n", 0, byte_offset) + 1
        return text.count(b"\n", 0, byte_offset) + 1, column_at(text, line_start, byte_offset) + 1

    def line(self, path: Path, number: int) -> bytes:
        lines = self.lines(path)
        return lines[number - 1] if 0 < number <= len(lines) else b""

    def utf16_column(self, path: Path, line: int, column: int) -> int:
        """The 1-based UTF-16 column of the code-point `column` on `line` (decoded as amplint's
        columns are: invalid bytes count one each, a byte order mark not at all)."""
        text = self.line(path, line)
        if text.isascii():
            return column
        before = line_text(text, line == 1)[: column - 1]
        return column + units(before, UTF16) - len(before)
