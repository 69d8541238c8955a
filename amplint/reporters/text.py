"""Findings for a person at a terminal: a header line and a code frame, drawn with rich."""

from __future__ import annotations

from . import clean, display_path, source_lines, summary

_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
CONTEXT_LINES = 1


def render_to(console, result, quiet: bool = False) -> None:
    from rich.text import Text  # imported only when printing for a person

    files: dict = {}
    for d in result.reported:
        span = d.location.span
        header = Text()
        header.append(f"{clean(display_path(d.location.path))}:{span.start_line}:{span.start_column}", "bold")
        header.append(": ")
        header.append(f"{d.severity.value} ", _STYLE[d.severity.value])
        header.append(d.code, "bold")
        header.append(f" {clean(d.message)}")
        console.print(header, soft_wrap=True)
        lines = files.get(d.location.path)
        if lines is None:
            lines = files[d.location.path] = _lines(d.location.path, result.sources)
        _frame(console, Text, lines, span)
        for related in d.related:
            note = Text("  = note: ", "cyan")
            rs = related.location.span
            note.append(f"{clean(display_path(related.location.path))}:{rs.start_line}:{rs.start_column}: "
                        f"{clean(related.message)}")
            console.print(note, soft_wrap=True)
        console.print()
    if not quiet:
        console.print(Text(summary(result), "bold"))


def render(result, quiet: bool = False) -> str:
    """The same report without colour, for a file."""
    import io

    from rich.console import Console

    out = io.StringIO()
    render_to(Console(file=out, highlight=False, no_color=True, width=120), result, quiet)
    return out.getvalue()


def _lines(path, sources) -> list[str]:
    """The lines of the text the file was linted as (an editor's unsaved buffer included)."""
    text = sources.get(path)
    if text is None:
        try:
            text = path.read_bytes()
        except OSError:
            return []
    return [line.decode("utf-8", "replace") for line in source_lines(text)]


def _frame(console, Text, lines: list[str], span) -> None:
    if not lines or span.start_line > len(lines):
        return
    first = max(1, span.start_line - CONTEXT_LINES)
    last = min(len(lines), span.start_line)
    width = len(str(last))
    for number in range(first, last + 1):
        row = Text(f" {number:>{width}} | ", "dim")
        row.append(clean(lines[number - 1].replace("\t", " ")))
        console.print(row, soft_wrap=True, overflow="ignore", crop=False)
    line = lines[span.start_line - 1]
    start = span.start_column - 1
    end = span.end_column - 1 if span.end_line == span.start_line else len(line)
    end = max(end, start + 1)
    caret = Text(f" {'':>{width}} | ", "dim")
    caret.append(" " * len(clean(line[:start].replace("\t", " "))))
    caret.append("^" * max(1, len(clean(line[start:end]))), "bold red")
    console.print(caret, soft_wrap=True)
