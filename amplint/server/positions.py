"""Positions between amplint and an LSP client. amplint's spans have 1-based lines and 1-based
columns counted in Unicode code points (a byte order mark on the first line not counted) with byte
offsets; LSP has 0-based lines and characters counted in the negotiated encoding: UTF-16 code units
(the default), UTF-8 bytes or UTF-32 code points."""

from __future__ import annotations

import bisect

from lsprotocol import types

from ..diagnostics import BOM, UTF16, Span
from ..reporters.positions import column_at, line_text, units


class Lines:
    """The lines of one text as LSP counts them, for turning columns and byte offsets into LSP
    positions and back (with the reporters' conversion, `reporters.positions`)."""

    __slots__ = ("text", "encoding", "_starts", "_decoded")

    def __init__(self, text: bytes, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self._starts = [0]  # the byte offset each line starts at
        start = text.find(b"\n")
        while start != -1:
            self._starts.append(start + 1)
            start = text.find(b"\n", start + 1)
        self._decoded: dict[int, str] = {}

    def line(self, index: int) -> str:
        """Line `index` (0-based) without its line break, decoded as amplint decodes it."""
        found = self._decoded.get(index)
        if found is None:
            if not 0 <= index < len(self._starts):
                return ""
            end = self._starts[index + 1] - 1 if index + 1 < len(self._starts) else len(self.text)
            found = self._decoded[index] = line_text(self.text[self._starts[index] : end], index == 0)
        return found

    def units(self, characters: str) -> int:
        """How many units of the encoding `characters` take."""
        return units(characters, self.encoding)

    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of amplint's 1-based `line` and code-point `column`."""
        text = self.line(line - 1)
        return types.Position(line=max(line - 1, 0), character=self.units(text[: max(column - 1, 0)]))

    def range(self, span: Span) -> types.Range:
        return types.Range(
            start=self.position(span.start_line, span.start_column), end=self.position(span.end_line, span.end_column)
        )

    def position_at_byte(self, offset: int) -> types.Position:
        """The LSP position of a byte offset (an edit's)."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self._starts, offset) - 1
        return types.Position(line=index, character=column_at(self.text, self._starts[index], offset, self.encoding))

    def byte_at(self, position: types.Position) -> int:
        """The byte offset of an LSP position (a character past the end of its line is the end)."""
        if position.line >= len(self._starts):
            return len(self.text)
        line = self.line(position.line)
        counted = 0
        for used, character in enumerate(line):
            if counted >= position.character:
                line = line[:used]
                break
            counted += self.units(character)
        start = self._starts[position.line]
        bom = len(BOM) if position.line == 0 and self.text.startswith(BOM) else 0
        return start + bom + len(line.encode("utf-8", "surrogatepass"))

    @property
    def line_count(self) -> int:
        return len(self._starts)
