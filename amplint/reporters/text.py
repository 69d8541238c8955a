"""Findings for a person at a terminal: a header line and a code frame, drawn with rich."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from . import clean, display_path, fixable, level, summary
from .positions import SourceText

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ..api import LintResult
    from ..diagnostics import Span

# Severity label and caret: the same colour, so a warning never looks like an error.
_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
CONTEXT_LINES = 1


def use_color(choice: str = "auto", isatty: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the terminal report is styled. `always` and `never` win over the environment; `auto`
    styles only a terminal, unless NO_COLOR (https://no-color.org) or FORCE_COLOR
    (https://force-color.org) is set to a non-empty value; NO_COLOR wins when both are, and
    TERM=dumb means no styling."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR", ""):
        return False
    if environ.get("FORCE_COLOR", ""):
        return True
    return isatty and environ.get("TERM", "").lower() not in ("dumb", "unknown")


def write_to_stdout(result: LintResult, quiet: bool, choice: str = "auto", file: IO[str] | None = None) -> None:
    """The report on stdout (or `file`: stderr, when stdout carries fixed text). Without findings
    there is only the summary to draw: it is written directly (bold when styled), so a clean run
    does not pay for importing rich."""
    stream = sys.stdout if file is None else file
    if result.reported:
        render_to(console(choice, file), result, quiet)
        return
    if quiet:
        return
    line = summary(result)
    try:
        isatty = stream.isatty()
    except (AttributeError, ValueError):
        isatty = False
    stream.write(f"\x1b[1m{line}\x1b[0m\n" if use_color(choice, isatty) else line + "\n")


def console(choice: str = "auto", file: IO[str] | None = None) -> Console:
    """A rich console for the report on `file` (stdout by default), styled as `use_color` decides.
    Unstyled means no escape sequence at all (not even bold), whatever rich reads from the environment."""
    from rich.console import Console

    stream = sys.stdout if file is None else file
    try:
        isatty = stream.isatty()
    except (AttributeError, ValueError):
        isatty = False
    if not use_color(choice, isatty):
        return Console(file=file, highlight=False, force_terminal=False, color_system=None, no_color=True)
    styled = Console(file=file, highlight=False, force_terminal=True, no_color=False)
    if styled.color_system is None:  # forced onto a terminal rich thinks cannot colour (TERM=dumb)
        styled = Console(file=file, highlight=False, force_terminal=True, no_color=False, color_system="standard")
    return styled


def render_to(console: Console, result: LintResult, quiet: bool = False) -> None:
    from rich.text import Text  # imported only when printing for a person

    source = SourceText(result)  # the text each file was linted as (an editor's unsaved buffer included)
    files: dict[Path, list[str]] = {}
    for d in result.reported:
        span = d.location.span
        severity = level(result, d)
        header = Text()
        header.append(f"{clean(display_path(d.location.path))}:{span.start_line}:{span.start_column}", "bold")
        header.append(": ")
        header.append(severity, _STYLE[severity])
        header.append(" ")
        header.append(d.code, "bold")
        if fixable(result, d):
            header.append(" [*]", "cyan")  # `--fix` applies its fix, as Ruff marks it
        header.append(f" {clean(d.message)}")
        console.print(header, soft_wrap=True)
        lines = files.get(d.location.path)
        if lines is None:
            lines = files[d.location.path] = [line.decode("utf-8", "replace") for line in source.lines(d.location.path)]
        _frame(console, Text, lines, span, _STYLE[severity])
        for related in d.related:
            note = Text("  = note: ", "cyan")
            rs = related.location.span
            note.append(
                f"{clean(display_path(related.location.path))}:{rs.start_line}:{rs.start_column}: "
                f"{clean(related.message)}"
            )
            console.print(note, soft_wrap=True)
        console.print()
    if not quiet:
        console.print(Text(summary(result), "bold"), soft_wrap=True)


def render(result: LintResult, quiet: bool = False) -> str:
    """The same report without any styling (FORCE_COLOR or not), for a file."""
    import io

    from rich.console import Console

    out = io.StringIO()
    render_to(
        Console(file=out, highlight=False, force_terminal=False, color_system=None, no_color=True, width=120),
        result,
        quiet,
    )
    return out.getvalue()


def _frame(console: Console, Text: type[Text], lines: list[str], span: Span, style: str) -> None:
    from rich.cells import cell_len

    if not lines or span.start_line > len(lines):
        return
    first = max(1, span.start_line - CONTEXT_LINES)
    last = min(len(lines), span.start_line)
    width = len(str(last))
    for number in range(first, last + 1):
        row = Text()  # the gutter is dim, the source is not (a Text's own style would dim it all)
        row.append(f" {number:>{width}} | ", "dim")
        row.append(_shown(lines[number - 1]))
        console.print(row, soft_wrap=True, overflow="ignore", crop=False)
    line = lines[span.start_line - 1]
    start = span.start_column - 1
    end = span.end_column - 1 if span.end_line == span.start_line else len(line)
    end = max(end, start + 1)
    # Columns count code points; a terminal counts cells (a CJK character or an emoji takes two, a
    # combining mark none). Measure the text exactly as the source row above shows it.
    caret = Text()
    caret.append(f" {'':>{width}} | ", "dim")
    caret.append(" " * cell_len(_shown(line[:start])))
    caret.append("^" * max(1, cell_len(_shown(line[start:end]))), style)
    console.print(caret, soft_wrap=True)


def _shown(text: str) -> str:
    """Source text as the code frame prints it: a tab as one space, control characters escaped."""
    return clean(text.replace("\t", " "))
