"""Every fix round-trips on its fixture pair `tests/fixtures/fixes/<CODE>-<case>/{before,after}`:
fixing `before` (safe fixes only, unless the rule's fix is unsafe) gives exactly `after`, the rule is
then silent, no new syntax error appears, and fixing again changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fixing import fix_until_stable, project_files

from amplint.api import lint
from amplint.checks import RULES

CASES = Path(__file__).parent / "fixtures" / "fixes"


def cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "before").is_dir()) if CASES.is_dir() else []


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.name)
def test_fix_gives_the_after_project(case: Path, tmp_path: Path) -> None:
    code = case.name.split("-")[0]
    rule = RULES[code]
    assert rule.fixable, f"{code} has a fix fixture but no fix safety in the rule table"
    root = shutil.copytree(case / "before", tmp_path / "project")
    before = lint([root])
    assert any(d.code == code for d in before.reported), f"{case.name}: {code} is not reported before fixing"
    assert any(d.code == code and d.fix is not None for d in before.reported), f"{case.name}: no fix offered"
    syntax_before = sum(d.code == "AMP001" for d in before.reported)

    result, passes = fix_until_stable(root, unsafe=rule.fix_safety == "unsafe")

    assert passes >= 1
    assert project_files(root) == project_files(case / "after")
    assert [d for d in result.reported if d.code == code] == []
    assert sum(d.code == "AMP001" for d in result.reported) <= syntax_before
    _, more = fix_until_stable(root, unsafe=rule.fix_safety == "unsafe")
    assert more == 0


def test_every_fixable_rule_has_a_fixture_pair() -> None:
    covered = {case.name.split("-")[0] for case in cases()}
    assert sorted(code for code, rule in RULES.items() if rule.fixable and code not in covered) == []


def test_fixing_the_bundled_example_leaves_only_findings_without_a_fix(tmp_path: Path) -> None:
    root = shutil.copytree(Path(__file__).parents[1] / "examples" / "scheduled-backend", tmp_path / "example")
    before = lint([root])
    result, passes = fix_until_stable(root, unsafe=True)
    assert passes >= 1 and len(result.reported) < len(before.reported)
    assert [d for d in result.reported if d.fix is not None] == []
    assert sum(d.code == "AMP001" for d in result.reported) == sum(d.code == "AMP001" for d in before.reported)


def test_a_fix_pass_parses_again_only_the_files_the_last_pass_changed(tmp_path: Path, parsed: list[Path]) -> None:
    from amplint.api import LintOptions
    from amplint.fixer import fix

    root = shutil.copytree(Path(__file__).parents[1] / "examples" / "scheduled-backend", tmp_path / "example")
    fixed = fix([root], LintOptions(), unsafe=True, write=False)
    files = set(fixed.result.sources)
    assert fixed.contents and len(parsed) < 2 * len(files)  # several passes, not a whole parse each
    assert set(parsed) == files and all(parsed.count(p) == 1 for p in files - set(fixed.contents))
