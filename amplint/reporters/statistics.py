"""`--statistics`: how many findings each rule has, most first; as in Ruff, `[*]` marks a rule some
of whose findings `--fix` fixes (and `[ ]` the others, when any is marked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import fixable, level

if TYPE_CHECKING:
    from ..api import LintResult


def counts(result: LintResult) -> list[dict[str, str | int | bool]]:
    found: dict[str, int] = {}
    severities: dict[str, str] = {}
    fixes: set[str] = set()
    for d in result.reported:
        found[d.code] = found.get(d.code, 0) + 1
        severities.setdefault(d.code, level(result, d))
        if fixable(result, d):
            fixes.add(d.code)
    return [
        {
            "code": code,
            "name": result.rules[code].name,
            "severity": severities[code],
            "count": count,
            "fixable": code in fixes,
        }
        for code, count in sorted(found.items(), key=lambda item: (-item[1], item[0]))
    ]


def render(result: LintResult, quiet: bool = False) -> str:
    rows = counts(result)
    width = max((len(str(row["count"])) for row in rows), default=1)
    marked = any(row["fixable"] for row in rows)
    return "".join(
        f"{row['count']:>{width}}  {row['code']}  {('[*] ' if row['fixable'] else '[ ] ') if marked else ''}"
        f"{row['name']:<38} {row['severity']}\n"
        for row in rows
    )


def render_json(result: LintResult, quiet: bool = False) -> str:
    import json

    return json.dumps(counts(result), indent=2) + "\n"
