"""The README's rules table is what users read first: it must list every rule as registered."""

from __future__ import annotations

import re
from pathlib import Path

from amplint.checks import RULES

README = Path(__file__).parents[1] / "README.md"


def test_readme_rules_table_lists_every_rule():
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- rules-table:start -->")[1].split("<!-- rules-table:end -->")[0]
    rows = {
        m.group(1): (m.group(2), m.group(3), m.group(4))
        for m in re.finditer(
            r"^\| (AMP\d{3}) \| ([a-z0-9-]+) \| (error|warning|info) \| (safe|unsafe|no) \|", table, re.M
        )
    }
    expected = {code: (rule.name, rule.severity.value, rule.fix_safety or "no") for code, rule in RULES.items()}
    assert rows == expected, "update the rules table in README.md (between the rules-table markers)"
