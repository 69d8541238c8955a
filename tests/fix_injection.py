"""Checks with fixes, injected into a lint (`lint(checks=...)`, `fix(checks=...)`) or into the command
line (`install()` in a subprocess), so the fix pipeline is tested whatever fixes the rules have.

A spec `OLD=>NEW@CODE[!]` is a check reporting each `OLD` in a file under `CODE` with the fix
"replace it by NEW" (`!`: an unsafe fix); `NEW` may hold `\\n`. `AMPLINT_TEST_FIXES` holds specs
separated by `;;` for `install()`."""

from __future__ import annotations

import os
from pathlib import Path

from amplint.checks import CHECKS, Check
from amplint.diagnostics import Diagnostic, Edit, Fix, Location, Span

ENV = "AMPLINT_TEST_FIXES"


def replacing(old: str, new: str, code: str = "AMP501", unsafe: bool = False) -> Check:
    """A check that reports every `old` in the backend's files, with a fix that writes `new` there."""
    needle = old.encode()

    def check(backend):
        for path, module in backend.modules.items():
            text = module.file.text
            start = text.find(needle)
            while start >= 0:
                yield Diagnostic(
                    code,
                    f"`{old}` should be `{new}`",
                    Location(path, _span(text, start, start + len(needle))),
                    fix=Fix(f"Write `{new}`", (Edit(path, start, start + len(needle), new),), _safety(unsafe)),
                )
                start = text.find(needle, start + len(needle))

    return Check(frozenset({code}), check)


def growing(code: str = "AMP501") -> Check:
    """A broken check: it always offers a fix, and each fix adds text, so fixing never settles."""

    def check(backend):
        for path, module in backend.modules.items():
            if path.name.startswith("backend."):
                end = len(module.file.text)
                yield Diagnostic(
                    code,
                    "always more",
                    Location(path, _span(module.file.text, 0, 0)),
                    fix=Fix("grow", (Edit(path, end, end, "\n"),)),
                )

    return Check(frozenset({code}), check)


def spec(text: str) -> Check:
    body, _, code = text.rpartition("@")
    unsafe = code.endswith("!")
    old, _, new = body.partition("=>")
    return replacing(old, new.replace("\\n", "\n"), code.rstrip("!"), unsafe)


def install() -> None:
    """Add the checks named in AMPLINT_TEST_FIXES to the rule table's checks (`growing` for `GROW`)."""
    import amplint.api

    specs = [s for s in os.environ.get(ENV, "").split(";;") if s]
    amplint.api.CHECKS = (*CHECKS, *(growing() if s == "GROW" else spec(s) for s in specs))


def _safety(unsafe: bool):
    return "unsafe" if unsafe else "safe"


def _span(text: bytes, start: int, end: int) -> Span:
    line = text.count(b"\n", 0, start) + 1
    column = start - (text.rfind(b"\n", 0, start) + 1) + 1
    end_line = text.count(b"\n", 0, end) + 1
    end_column = end - (text.rfind(b"\n", 0, end) + 1) + 1
    return Span(line, column, end_line, end_column, start, end)


def write_backend(root: Path, text: str | bytes, name: str = "backend.ts") -> Path:
    """A one-file Amplify project at `root`; the path of its backend file."""
    path = root / "amplify" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path
