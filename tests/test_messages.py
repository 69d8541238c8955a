"""Messages say what is wrong and what to do, with the exact names involved."""

from __future__ import annotations

from pathlib import Path

from amplint.api import lint

FIXTURES = Path(__file__).parent / "fixtures"


def messages(fixture: str, code: str) -> list[str]:
    return [d.message for d in lint([FIXTURES / fixture]).reported if d.code == code]


def test_backend_key_message_points_to_the_registered_key():
    assert messages("core-resolution", "AMP101") == [
        "`backend.beta` is undefined: `defineBackend` registers only alpha, betaFn, gamma; "
        "it is registered as `betaFn`: use `backend.betaFn`"
    ]


def test_backend_key_message_suggests_a_close_key():
    (message,) = messages("core-syntax", "AMP101")
    assert "did you mean `backend.job`?" in message


def test_function_names_resolve_like_amplify():
    # `name` from a constant in another module, through a template literal.
    (message,) = messages("core-resolution", "AMP102")
    assert message.startswith("`delta` is never deployed")
    result = lint([FIXTURES / "core-wiring"])
    (never_deployed,) = [d for d in result.reported if d.code == "AMP102" and "orphan" in str(d.location.path)]
    # no `name`, no `entry`: named after the folder of the file that calls defineFunction
    assert never_deployed.message.startswith("`orphan` is never deployed")
    assert "its `schedule` never fires" not in never_deployed.message
    (scheduled,) = [d for d in result.reported if d.code == "AMP102" and "function.ts" in str(d.location.path)]
    assert "its `schedule` never fires" in scheduled.message


def test_stack_cycle_message_names_stacks_and_fix():
    result = lint([FIXTURES / "core-cycle"])
    by_function = {d.message.split("`")[1]: d for d in result.reported if d.code == "AMP203"}
    assert sorted(by_function) == ["env-sync", "granted", "post-confirm", "stream"]
    assert "add `resourceGroupName: 'data'`" in by_function["granted"].message
    assert "todoTable.grantReadData(...)" in by_function["granted"].message
    assert "add `resourceGroupName: 'auth'`" in by_function["post-confirm"].message
    assert {r.location.path.name for r in by_function["env-sync"].related} == {"resource.ts", "backend.ts"}


def test_data_access_finding_sits_where_the_fix_goes():
    result = lint([FIXTURES / "core-data"])
    findings = [d for d in result.reported if d.code == "AMP201"]
    assert {d.location.path.relative_to(FIXTURES / "core-data").as_posix() for d in findings} == {
        "amplify/data/resource.ts"
    }
    helper = next(d for d in findings if "`helper-user`" in d.message)
    assert "add `allow.resource(helperUser)`" in helper.message
    assert helper.related[0].location.path.name == "todos.ts"  # the Data API use, in a helper module
