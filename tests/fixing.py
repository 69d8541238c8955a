"""Fixing a project in a test: lint, apply the fixes amplint offers, and lint again until nothing
changes (the loop `amplint check --fix` runs), on files in a temporary copy."""

from __future__ import annotations

from pathlib import Path

from amplint.api import LintResult, lint
from amplint.fixer import apply_fixes

PASSES = 10


def fixes_of(result: LintResult, unsafe: bool) -> list:
    return [d.fix for d in result.reported if d.fix is not None and (unsafe or d.fix.applicability == "safe")]


def fix_until_stable(root: Path, *, unsafe: bool) -> tuple[LintResult, int]:
    """Fix `root` in place; the last lint result and how many passes changed something."""
    changed = 0
    for _ in range(PASSES):
        result = lint([root])
        fixes = fixes_of(result, unsafe)
        sources = {edit.path: edit.path.read_bytes() for fix in fixes for edit in fix.edits}
        applied = apply_fixes(sources, fixes)
        if not applied.contents:
            return result, changed
        for path, content in applied.contents.items():
            path.write_bytes(content)
        changed += 1
    raise AssertionError(f"fixing {root} did not settle in {PASSES} passes")


def project_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".amplint_cache" not in p.parts
    }
