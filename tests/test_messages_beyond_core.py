"""Messages of the wiring, data-access and handler rules name the real cause, the exact names
involved and the fix; Amplify's own project layouts stay silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fixture_roots

from amplint.api import lint
from amplint.diagnostics import Severity

FIXTURES = Path(__file__).parent / "fixtures"


def findings(fixture: str, code: str):
    return [d for d in lint([FIXTURES / fixture]).reported if d.code == code]


@pytest.mark.parametrize("root", [r for r in fixture_roots() if r.name.startswith("official-")], ids=lambda p: p.name)
def test_official_project_layouts_are_silent(root):
    result = lint([root])
    assert not result.errors
    assert result.reported == []


def test_name_collision_says_whether_synth_fails():
    by_line = {d.location.span.start_line: d for d in findings("wiring-name-collision", "AMP103")}
    same_stack = next(d for d in by_line.values() if "`audit`" in d.message)
    assert "There is already a Construct with name 'audit' in NestedStack [function]" in same_stack.message
    other_stack = next(d for d in by_line.values() if "`report`" in d.message)
    assert "both deploy" in other_stack.message and "$amplify/env/report" in other_stack.message
    derived = next(d for d in by_line.values() if "`handler`" in d.message)
    assert "after its entry file `handler.ts`" in derived.message
    assert [r.location.path.parent.name for r in derived.related] == ["resize"]


def test_name_derived_from_entry_says_the_resulting_name():
    (finding,) = [d for d in findings("wiring-invalid-names", "AMP104")]
    assert "named `send.email`" in finding.message
    assert finding.severity is Severity.WARNING


def test_invalid_names_quote_amplifys_error():
    messages = sorted(d.message for d in findings("wiring-invalid-names", "AMP105"))
    assert any("found 2fa" in m and "after the folder" in m for m in messages)
    assert any("`defineData` is named `notes.api`" in m for m in messages)


def test_env_module_mismatch_suggests_the_resolved_name_with_the_same_suffix():
    messages = {d.location.path.name: d.message for d in findings("wiring-env-module", "AMP107")}
    assert "import from '$amplify/env/send-email'" in messages["handler.ts"]
    assert "import from '$amplify/env/resize-image.js'" in messages["bucket.ts"]


def test_placement_messages_are_amplifys_own():
    messages = [d.message for d in findings("wiring-placement", "AMP108")]
    assert any('"Amplify Auth must be defined in amplify/auth/resource.ts"' in m for m in messages)
    assert any("Multiple `defineData` calls are not allowed within an Amplify backend" in m for m in messages)
    (missing,) = findings("wiring-no-define-backend", "AMP108")
    assert "missing `defineBackend` call" in missing.message
    assert (missing.location.span.start_line, missing.location.span.start_column) == (1, 1)


def test_create_stack_collision_names_who_took_the_name():
    messages = [d.message for d in findings("wiring-backend-options", "AMP109")]
    assert any("createStack('jobs')" in m and "`nightly` (its `resourceGroupName`)" in m for m in messages)
    assert any("an earlier `createStack('monitoring')`" in m for m in messages)


def test_handler_import_names_the_chain():
    (helper,) = [d for d in findings("handler-backend-imports", "AMP303") if d.location.path.name == "util.ts"]
    assert "(handler.ts -> ./util -> ../../data/resource)" in helper.message
    assert "`TABLE_PREFIX`" in helper.message


def test_operations_missing_from_to_is_a_warning_and_unknown_operation_an_error():
    results = findings("data-allow-resource-operations", "AMP206")
    unknown = [d for d in results if "is not an operation" in d.message]
    missing = [d for d in results if "grants only" in d.message]
    assert {d.severity for d in unknown} == {Severity.ERROR}
    assert {d.severity for d in missing} == {Severity.WARNING}
    assert any("add 'listen'" in d.message for d in missing)


def test_cycle_no_single_function_closes_names_the_stacks():
    (split,) = findings("data-stack-cycle-split", "AMP203")
    assert "function -> data -> auth -> function" in split.message
    assert "add `resourceGroupName: 'data'`" in split.message
    (three,) = [d for d in findings("data-stack-cycles", "AMP203") if "`exporter`" in d.message]
    assert "function -> exports -> data -> function" in three.message
    assert "no single `resourceGroupName` breaks it" in three.message


def test_seed_guide_region_argument_is_reported_where_it_is_written():
    (finding,) = findings("core-seed-complete", "AMP204")
    assert "`process.env.AWS_REGION!`" in finding.message
    assert "'$amplify/env/myScheduledFunction'" in finding.message
