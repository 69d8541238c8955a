"""Reporters turn a LintResult into text for people and documents for machines.
They know diagnostics and rule metadata only, never the model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import LintResult
    from ..diagnostics import Diagnostic


def source_lines(text: bytes) -> list[bytes]:
    r"""Lines numbered as amplint's positions number them: split at `\n` only (a CRLF's `\r` dropped),
    not at the form feeds, lone `\r`s or Unicode separators that `splitlines()` also splits at."""
    return [line[:-1] if line.endswith(b"\r") else line for line in text.split(b"\n")]


def display_path(path: Path) -> str:
    """The path relative to the working directory, with forward slashes, as users type it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(relative).as_posix()


def clean(text: str) -> str:
    r"""Text from user files made safe for a terminal: control characters (escape sequences
    included) and line separators are shown as `\xNN` or `\uNNNN`, never sent."""
    return text.translate(_CONTROL)


# Each control character but tab and newline, and the Unicode line and paragraph separators, by its
# escape (a table, not a regex: no compile on start-up).
_CONTROL = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
}


def level(result: LintResult, diagnostic: Diagnostic) -> str:
    """`error`, `warning` or `info`: the severity the finding was graded with (None, before the
    runner grades it, means the rule's default)."""
    return (diagnostic.severity or result.rules[diagnostic.code].severity).value


def summary(result: LintResult) -> str:
    """The end of the text and concise reports: a line such as `Found 9 errors, 1 warning in 3
    files (8 files linted).` (the files with findings, then every file linted; after `--fix`, with
    `; fixed 4 findings in 2 files`), then, when findings have fixes, a line saying how to apply
    them, as Ruff does: `[*] 3 fixable with the `--fix` option (1 hidden fix can be enabled with
    the `--unsafe-fixes` option).`"""
    reported = result.reported
    linted = plural(result.files, "file")
    fixing = result.fixing
    done = (
        f"; fixed {plural(fixing.fixed, 'finding')} in {plural(len(fixing.files), 'file')}"
        if fixing and fixing.fixed
        else ""
    )
    if not reported:
        return f"No problems found in {linted}{done}."
    counts: dict[str, int] = {}
    for diagnostic in reported:
        severity = level(result, diagnostic)
        counts[severity] = counts.get(severity, 0) + 1
    parts = [
        plural(n, kind) for kind, n in sorted(counts.items(), key=lambda kv: ("error", "warning", "info").index(kv[0]))
    ]
    with_findings = len({diagnostic.location.path for diagnostic in reported})
    line = f"Found {', '.join(parts)} in {plural(with_findings, 'file')} ({linted} linted){done}."
    hint = fix_hint(result)
    return f"{line}\n{hint}" if hint else line


def fixable(result: LintResult, diagnostic: Diagnostic) -> bool:
    """Whether the finding has a fix `--fix` applies: a safe one, or an unsafe one with `--unsafe-fixes`."""
    fix = diagnostic.fix
    return fix is not None and (fix.applicability == "safe" or (result.fixing is not None and result.fixing.unsafe))


def hidden_fixes(result: LintResult) -> int:
    """The findings whose unsafe fix only `--unsafe-fixes` applies."""
    return sum(1 for d in result.reported if d.fix is not None and not fixable(result, d))


def fix_hint(result: LintResult) -> str:
    """How to apply the fixes the reported findings have, or "" when they have none."""
    available = [d for d in result.reported if fixable(result, d)]
    hidden = hidden_fixes(result)
    more = f" ({plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if available:
        unsafe = any(d.fix is not None and d.fix.applicability == "unsafe" for d in available)
        option = "`--fix --unsafe-fixes` options" if unsafe else "`--fix` option"
        return f"[*] {len(available)} fixable with the {option}{more}."
    return f"No fixes available{more}." if hidden else ""


def plural(n: int, noun: str) -> str:
    """`1 file`, `2 files`; `1 fix`, `2 fixes`."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun}{'es' if noun.endswith(('x', 's', 'sh', 'ch')) else 's'}"


def project_base(start: Path | None = None) -> Path:
    """The folder CI formats make paths relative to: the git work tree holding the working
    directory (GitHub, GitLab and SARIF viewers resolve paths from the repository root), else the
    working directory itself."""
    cwd = Path(os.path.abspath(start or os.curdir))
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return cwd


def relative_path(path: Path, base: Path) -> str | None:
    """`path` relative to `base` with forward slashes, or None when it lies outside `base`."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return None


def fingerprints(result: LintResult, base: Path) -> dict[Diagnostic, tuple[str, int]]:
    """A fingerprint for each diagnostic that survives unrelated edits: a hash of the code, the
    file (relative to `base`) and the text of the finding's first line without whitespace, with
    the count of earlier identical hashes (the line number is left out on purpose).
    Returns {diagnostic: (hex digest, occurrence starting at 1)}."""
    import hashlib

    from .positions import SourceText

    text = SourceText(result)
    seen: dict[str, int] = {}
    prints: dict[Diagnostic, tuple[str, int]] = {}
    for d in result.diagnostics:
        path = d.location.path
        line = text.line(path, d.location.span.start_line)
        where = relative_path(path, base) or path.as_posix()
        key = b"\0".join((d.code.encode(), where.encode("utf-8", "surrogateescape"), b"".join(line.split())))
        digest = hashlib.sha256(key).hexdigest()[:16]
        seen[digest] = seen.get(digest, 0) + 1
        prints[d] = (digest, seen[digest])
    return prints
