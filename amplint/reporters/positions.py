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

    def lines(self, path: Path) -> list[bytes]:
        lines = self._lines.get(path)
        if lines is None:
            text = self._sources.get(path)
            if text is None:
                try:
                    text = path.read_bytes()
                except OSError:
                    text = None
            lines = self._lines[path] = source_lines(text) if text is not None else []
        return lines

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
