"""The safe fixes (AMP002, AMP104, AMP107, AMP203, AMP401, AMP501) are offered only where they are
certainly what the user means: each case here has the finding and no fix. Also: fixing each rule's
documented Example silences the rule, and a removed line takes its CRLF with it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fixing import fix_until_stable, project_files
from test_rule_docs import read_page, write_project

from amplint.api import lint
from amplint.checks import RULES
from amplint.diagnostics import Diagnostic

FIXTURES = Path(__file__).parent / "fixtures"
BACKEND = "import { defineBackend } from '@aws-amplify/backend';\n"


def findings(root: Path, code: str) -> list[Diagnostic]:
    return [d for d in lint([root]).reported if d.code == code]


def project(root: Path, files: dict[str, str]) -> Path:
    write_project(root, files)
    return root


def function_files(name: str, resource: str, handler: str = "export const handler = async () => {};\n") -> dict:
    return {
        f"amplify/functions/{name}/resource.ts": "import { defineFunction } from '@aws-amplify/backend';\n" + resource,
        f"amplify/functions/{name}/handler.ts": handler,
    }


# -- AMP501 -------------------------------------------------------------------------------------------


def test_no_duration_fix_when_the_name_is_declared_elsewhere(tmp_path):
    root = project(
        tmp_path,
        {
            "amplify/backend.ts": BACKEND + "import * as events from 'aws-cdk-lib/aws-events';\n"
            "defineBackend({});\n"
            "export const a = events.Duration.minutes(5);\n"
            "export function later(Duration: number) { return Duration; }\n",
        },
    )
    (found,) = findings(root, "AMP501")
    assert found.fix is None


def test_no_duration_fix_when_the_usable_import_is_shadowed(tmp_path):
    # `Duration` from aws-cdk-lib exists, but a parameter of the same name shadows it where it is used.
    root = project(
        tmp_path,
        {
            "amplify/backend.ts": BACKEND + "import { Duration } from 'aws-cdk-lib';\n"
            "import * as events from 'aws-cdk-lib/aws-events';\n"
            "defineBackend({});\n"
            "export const wait = (Duration: number) => events.Duration.seconds(Duration);\n",
        },
    )
    (found,) = findings(root, "AMP501")
    assert found.fix is None


@pytest.mark.parametrize(
    "code",
    [
        "const { Duration } = require('aws-cdk-lib/aws-events');\nexport const d = Duration.hours(1);\n",
        "export { Duration, Rule } from 'aws-cdk-lib/aws-events';\n",
        "import * as events from 'aws-cdk-lib/aws-events';\nconst ev = events;\nexport const d = ev.Duration.hours(1);\n",
    ],
    ids=["require", "re-export-of-several-names", "through-a-const"],
)
def test_no_duration_fix_where_the_edit_is_not_certain(tmp_path, code):
    root = project(tmp_path, {"amplify/backend.ts": BACKEND + "defineBackend({});\n" + code})
    found = findings(root, "AMP501")
    assert found and all(d.fix is None for d in found)


@pytest.mark.parametrize(
    ("imports", "fixed"),
    [
        (
            "import type { Stack } from 'aws-cdk-lib';\nimport { type Duration, Rule } from 'aws-cdk-lib/aws-events';\n",
            "import type { Stack } from 'aws-cdk-lib';\nimport { type Duration } from 'aws-cdk-lib';\n"
            "import { Rule } from 'aws-cdk-lib/aws-events';\n",
        ),
        (
            "import { Stack, Rule } from 'aws-cdk-lib';\nimport type { Duration } from 'aws-cdk-lib/aws-events';\n",
            "import { Stack, Rule, type Duration } from 'aws-cdk-lib';\n",
        ),
    ],
    ids=["type-specifier-not-merged-into-import-type", "import-type-merged-as-type-specifier"],
)
def test_duration_fix_keeps_a_type_only_import_type_only(tmp_path, imports, fixed):
    root = project(
        tmp_path,
        {"amplify/backend.ts": BACKEND + imports + "defineBackend({});\nexport type T = [Duration, Stack, Rule];\n"},
    )
    fix_until_stable(root, unsafe=False)
    assert (root / "amplify/backend.ts").read_text() == BACKEND + fixed + (
        "defineBackend({});\nexport type T = [Duration, Stack, Rule];\n"
    )
    assert findings(root, "AMP501") == []


# -- AMP401 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "schedule",
    [
        "'0 9 * * 1'",  # Linux's Monday, or EventBridge's Sunday with `?` forgotten
        "'0 9 * * 1-5'",
        "'0 9 1 * 1'",  # Linux runs it on the 1st or on Mondays
        "NIGHTLY",  # a const, maybe used elsewhere
    ],
)
def test_no_schedule_fix_when_the_days_are_ambiguous_or_the_cron_is_shared(tmp_path, schedule):
    root = project(
        tmp_path,
        {
            "amplify/backend.ts": BACKEND + "import { report } from './functions/report/resource';\n"
            "defineBackend({ report });\n",
            **function_files(
                "report",
                f"const NIGHTLY = '0 3 * * *';\nexport const report = defineFunction({{ schedule: {schedule} }});\n",
            ),
        },
    )
    found = findings(root, "AMP401")
    assert found and all(d.fix is None for d in found)


# -- AMP203 -------------------------------------------------------------------------------------------


def test_no_stack_fix_when_no_single_group_breaks_the_cycle(tmp_path):
    root = shutil.copytree(FIXTURES / "data-stack-cycles", tmp_path / "project")
    found = findings(root, "AMP203")
    exporter = [d for d in found if "`exporter`" in d.message]
    assert len(exporter) == 1 and "no single `resourceGroupName` breaks it" in exporter[0].message
    assert exporter[0].fix is None
    # The others are fixed, each into the group its message names.
    for d in found:
        if d is not exporter[0]:
            group = re.search(r"`resourceGroupName: '(\w+)'`", d.message)
            assert group is not None and d.fix is not None
            assert d.fix.edits[-1].replacement.endswith(f"resourceGroupName: '{group.group(1)}'")


def test_no_stack_fix_when_the_options_are_not_written_in_the_call(tmp_path):
    root = shutil.copytree(FIXTURES / "fixes" / "AMP203-multiline-options" / "before", tmp_path / "project")
    (root / "amplify/functions/todo-sync/resource.ts").write_text(
        "import { defineFunction } from '@aws-amplify/backend';\n"
        "const options = { name: 'todo-sync' };\n"
        "export const todoSync = defineFunction(options);\n"
    )
    (found,) = findings(root, "AMP203")
    assert "resourceGroupName: 'data'" in found.message and found.fix is None


def test_stack_fix_only_when_a_spread_in_the_options_is_known(tmp_path):
    root = shutil.copytree(FIXTURES / "fixes" / "AMP203-multiline-options" / "before", tmp_path / "project")
    (root / "amplify/functions/todo-sync/resource.ts").write_text(
        "import { defineFunction } from '@aws-amplify/backend';\n"
        "import { shared } from './shared';\n"
        "export const todoSync = defineFunction({ name: 'todo-sync', ...shared });\n"
    )
    (root / "amplify/functions/todo-sync/shared.ts").write_text("export const shared = { timeoutSeconds: 30 };\n")
    (found,) = findings(root, "AMP203")
    assert found.fix is not None  # a spread amplint reads completely does not stop the fix
    shared = "export const shared = { timeoutSeconds: 30, resourceGroupName: 'function' };\n"
    (root / "amplify/functions/todo-sync/shared.ts").write_text(shared)
    (found,) = findings(root, "AMP203")
    assert found.fix is None  # the group is set in another file, which the fix does not edit


# -- AMP107 -------------------------------------------------------------------------------------------


def test_no_shim_fix_when_two_functions_run_the_file(tmp_path):
    root = shutil.copytree(FIXTURES / "wiring-env-module", tmp_path / "project")
    shared = root / "amplify/functions/shared"
    assert any("$amplify/env/" in p.read_text() for p in shared.rglob("*.ts"))
    assert not [d for d in findings(root, "AMP107") if d.location.path.parent == shared]


def test_no_shim_fix_when_the_other_functions_variables_are_read(tmp_path):
    root = shutil.copytree(FIXTURES / "wiring-env-module", tmp_path / "project")
    digest = [d for d in findings(root, "AMP107") if d.location.path.parent.name == "digest"]
    missing = [d for d in digest if "undefined at runtime" in d.message]
    assert len(missing) == 1 and missing[0].fix is None
    assert [d.fix is not None for d in digest if d not in missing] == [True]


# -- AMP104 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "resource",
    [
        "export const fn = defineFunction({ entry: './send.email.ts' });\n",  # a name Amplify rejects
        "const options = { entry: './handler.ts' };\nexport const fn = defineFunction(options);\n",
    ],
    ids=["invalid-derived-name", "options-not-in-the-call"],
)
def test_no_name_fix_where_it_is_not_certain(tmp_path, resource):
    root = project(
        tmp_path,
        {
            "amplify/backend.ts": BACKEND + "import { fn } from './functions/fn/resource';\ndefineBackend({ fn });\n",
            **function_files("fn", resource),
            "amplify/functions/fn/send.email.ts": "export const handler = async () => {};\n",
        },
    )
    (found,) = findings(root, "AMP104")
    assert found.fix is None


# -- AMP002 -------------------------------------------------------------------------------------------


def test_no_suppression_fix_in_a_file_with_a_syntax_error(tmp_path):
    root = project(
        tmp_path,
        {"amplify/backend.ts": BACKEND + "// amplint-disable-next-line AMP501\nconst x = ;\ndefineBackend({});\n"},
    )
    assert findings(root, "AMP002") == []  # findings may be missing: the comment may be used


def test_removing_a_comment_line_keeps_crlf_line_endings(tmp_path):
    text = BACKEND + "// amplint-disable-next-line AMP501 -- stale\ndefineBackend({});\n"
    root = project(tmp_path, {})
    (root / "amplify/backend.ts").write_bytes(text.replace("\n", "\r\n").encode())
    fix_until_stable(root, unsafe=False)
    assert (root / "amplify/backend.ts").read_bytes() == (BACKEND + "defineBackend({});\n").replace(
        "\n", "\r\n"
    ).encode()


def test_a_first_line_removed_after_a_byte_order_mark_keeps_the_mark(tmp_path):
    root = project(tmp_path, {})
    text = "// amplint-disable-next-line AMP501\n" + BACKEND + "defineBackend({});\n"
    (root / "amplify/backend.ts").write_bytes(b"\xef\xbb\xbf" + text.encode())
    fix_until_stable(root, unsafe=False)
    assert (root / "amplify/backend.ts").read_bytes() == b"\xef\xbb\xbf" + (BACKEND + "defineBackend({});\n").encode()


def test_a_glued_comment_leaves_a_space(tmp_path):
    root = project(
        tmp_path,
        {"amplify/backend.ts": BACKEND + "const a = 1;/* amplint-enable */const b = a;\n" + "defineBackend({ b });\n"},
    )
    fix_until_stable(root, unsafe=False)
    assert "const a = 1; const b = a;" in (root / "amplify/backend.ts").read_text()


# -- every safe fix ---------------------------------------------------------------------------------


SAFE = sorted(code for code, rule in RULES.items() if rule.fix_safety == "safe")


def test_the_safe_fixes_are_these():
    assert SAFE == ["AMP002", "AMP104", "AMP107", "AMP203", "AMP401", "AMP501"]


@pytest.mark.parametrize("code", [code for code in SAFE if code != "AMP401"])
def test_fixing_the_documented_example_silences_the_rule(code, tmp_path):
    bad, _ = read_page(code).example_files()
    root = project(tmp_path, bad)
    assert findings(root, code)
    result, passes = fix_until_stable(root, unsafe=False)
    assert passes >= 1
    assert [d for d in result.reported if d.code == code] == []
    assert not any(d.code == "AMP001" for d in result.reported)


@pytest.mark.parametrize("code", ["AMP501", "AMP107", "AMP002", "AMP104"])
def test_fixing_the_documented_example_gives_its_use_instead(code, tmp_path):
    bad, good = read_page(code).example_files()
    root = project(tmp_path, bad)
    fix_until_stable(root, unsafe=False)
    files = project_files(root)
    for path, content in good.items():
        if code == "AMP104":  # the doc picks a name of its own; the fix keeps the one it has
            content = content.replace("name: 'send-email'", "name: 'handler'")
        assert files[path].decode() == content, path


def test_the_documented_schedule_example_is_one_amplint_does_not_fix(tmp_path):
    # Its `0 9 * * 1` may be Linux's Monday or EventBridge's Sunday (its Fix section says so), and
    # `every 5 minutes` is not a Linux line: the findings stay, with the message's suggestion.
    bad, _ = read_page("AMP401").example_files()
    found = findings(project(tmp_path, bad), "AMP401")
    assert len(found) == 2 and all(d.fix is None for d in found)
    assert "`0 9 * * 1`" in read_page("AMP401").section("## Fix")
