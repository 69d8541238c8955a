"""One line a finding: `path:line:col: SEVERITY CODE message` (problem-matcher friendly: the
severity lets an editor's matcher tell errors from warnings); `[*]` before the message marks a
finding `--fix` fixes, as in Ruff."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import clean, display_path, fixable, level, summary

if TYPE_CHECKING:
    from ..api import LintResult


def render(result: LintResult, quiet: bool = False) -> str:
    lines = []
    for d in result.reported:
        span = d.location.span
        lines.append(
            f"{clean(display_path(d.location.path))}:{span.start_line}:{span.start_column}: "
            f"{level(result, d)} {d.code} {'[*] ' if fixable(result, d) else ''}{_one_line(d.message)}"
        )
    if not quiet:
        lines.append(summary(result))
    return "\n".join(lines) + ("\n" if lines else "")


def _one_line(text: str) -> str:
    """A message that stays on its line: a newline from a user's string is shown as `\\n`."""
    return clean(text).replace("\n", "\\n")
