"""Reporters turn a LintResult into text for people and documents for machines.
They know diagnostics and rule metadata only, never the model."""

from __future__ import annotations

import os
import re
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def display_path(path: Path) -> str:
    """The path relative to the working directory, with forward slashes, as users type it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return Path(relative).as_posix()


def clean(text: str) -> str:
    """Text from user files made safe for a terminal: control characters (escape sequences
    included) are shown as `\\xNN`, never sent."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def summary(result) -> str:
    reported = result.reported
    counts = {}
    for diagnostic in reported:
        counts[diagnostic.severity.value] = counts.get(diagnostic.severity.value, 0) + 1
    if not reported:
        return f"No problems found in {result.files} file{'s' if result.files != 1 else ''}."
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in
             sorted(counts.items(), key=lambda kv: ("error", "warning", "info").index(kv[0]))]
    return f"Found {', '.join(parts)} in {result.files} file{'s' if result.files != 1 else ''}."
