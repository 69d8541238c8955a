"""Columns in the units each consumer counts. amplint's spans count Unicode code points; LSP and
VS Code count UTF-16 code units (a character beyond U+FFFF, an emoji say, is two of them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import source_lines

if TYPE_CHECKING:
    from ..api import LintResult

BOM = "\ufeff"


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
        if line_start == 0 and text.startswith(BOM.encode()):
            line_start = min(len(BOM.encode()), byte_offset)
        prefix = text[line_start:byte_offset]
        if prefix.endswith(b"\r") and text[byte_offset : byte_offset + 1] in (b"\n", b""):
            prefix = prefix[:-1]
        column = len(prefix) + 1 if prefix.isascii() else len(prefix.decode("utf-8", "replace")) + 1
        return text.count(b"\n", 0, byte_offset) + 1, column

    def line(self, path: Path, number: int) -> bytes:
        lines = self.lines(path)
        return lines[number - 1] if 0 < number <= len(lines) else b""

    def utf16_column(self, path: Path, line: int, column: int) -> int:
        """The 1-based UTF-16 column of the code-point `column` on `line` (decoded as amplint's
        columns are: invalid bytes count one each, a byte order mark not at all)."""
        text = self.line(path, line)
        if text.isascii():
            return column
        characters = text.decode("utf-8", "replace")
        if line == 1 and characters.startswith(BOM):
            characters = characters[1:]
        return column + sum(1 for c in characters[: column - 1] if ord(c) > 0xFFFF)
