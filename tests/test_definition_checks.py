"""The checks that read the backend's definitions only (`checks.DEFINITION_CHECKS`) find the same
whatever a file outside `Backend.definition_inputs` holds: a session reuses their findings after an
edit to such a file (a handler), so one that read it would go stale in an editor."""

from __future__ import annotations

from pathlib import Path

from conftest import copy, fixture_roots, write_files

from amplint import api
from amplint.api import Session, lint
from amplint.checks import CHECKS, DEFINITION_CHECKS, Check

# Code a handler might hold, touching what the definition checks look for elsewhere: CDK constructs,
# schedules and durations, `secret()`, the schema builder and its pre-release forms, `backend.<key>`
# uses, table reads, Data clients and Amplify's variables. No `define*` call and no reference: those
# would make the file a definition input.
EVERYTHING = b"""import { Duration, Stack } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { a, secret } from '@aws-amplify/backend';
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { env } from '$amplify/env/other';
import outputs from '../amplify_outputs.json';
Amplify.configure(outputs);
const client = generateClient();
const backend: any = {};
backend.other.addEnvironment('KEY', secret('KEY'));
backend.createStack('data');
backend.addOutput({ custom: { x: 1 } });
new Rule(this, 'R', { schedule: Schedule.cron({ minute: '61' }) });
const stack = new Stack(undefined, 'S');
new lambda.Function(stack, 'Fn', { timeout: Duration.seconds(901) });
new lambda.Function(stack, 'Fn', { timeout: Duration.minutes(90.5) });
const schema = a.schema({ Todo: a.model({ 'bad name': a.string() }).authorization([a.allow.owner()]) });
export const handler = async () => {
  await client.models.Todo.list();
  console.log(backend.data.resources.tables['Nope'].tableName, backend.auth.resources.userPool.nope);
  return env.AMPLIFY_DATA_DEFAULT_NAME ?? process.env.SECRET_KEY;
};
export default handler;
"""


class _Recording:
    """A check that keeps what it found in the last run."""

    def __init__(self, check: Check) -> None:
        self.check = check
        self.codes = check.codes
        self.definitions_only = False  # run every time: this test compares the findings
        self.found: list = []

    def __call__(self, backend):
        self.found = sorted(self.check(backend))
        return self.found


def _variants(text: bytes, other: bytes | None) -> list[bytes]:
    """Other texts for a file: none, a broken one, code touching everything, another file's, and the
    file with its first, middle and last line deleted."""
    found = [b"", b"export const handler = async () => {\n", EVERYTHING]
    if other is not None:
        found.append(other)
    lines = text.splitlines(keepends=True)
    if len(lines) > 2:
        found += [b"".join(lines[:i] + lines[i + 1 :]) for i in (0, len(lines) // 2, len(lines) - 1)]
    return found


def _inputs(session: Session, root: Path):
    inputs = session.backends[root].definition_inputs
    return frozenset(m.path for m in inputs.modules), inputs.value_imports


def test_the_definition_checks_find_the_same_whatever_the_other_files_hold():
    checks = [_Recording(c) for c in CHECKS if c.definitions_only]
    compared = 0
    for root in fixture_roots():
        session = Session(checks=checks)
        session.lint([root])
        expected = {c.check.function: c.found for c in checks}
        inputs = _inputs(session, root)
        others = sorted(p for p in session.backends[root].modules if p not in inputs[0])
        for path in others[:4]:
            text = session.backends[root].modules[path].file.text
            other = next((p for p in others if p != path), None)
            for variant in _variants(text, session.backends[root].modules[other].file.text if other else None):
                session.lint([root], {path: variant})
                if _inputs(session, root) != inputs:
                    continue  # the text made the file an input (an import of a definition)
                compared += 1
                for check in checks:
                    assert check.found == expected[check.check.function], (
                        f"{check.check.function} reads {path.relative_to(root)}: its findings changed"
                    )
    assert compared > 500  # the fixtures give this many comparisons: a change that loses them shows


def test_the_definition_checks_are_the_table_s():
    assert {c.function for c in CHECKS if c.definitions_only} == DEFINITION_CHECKS
    assert DEFINITION_CHECKS <= {c.function for c in CHECKS}


class _Counting:
    def __init__(self, check: Check) -> None:
        self.check = check
        self.codes = check.codes
        self.definitions_only = check.definitions_only
        self.runs = 0

    def __call__(self, backend):
        self.runs += 1
        return self.check(backend)


def _findings(result) -> list[tuple]:
    return [(d.location.path, d.location.span, d.code, d.message) for d in result.diagnostics]


def test_a_session_reuses_the_definition_findings_after_a_handler_edit_only(tmp_path, monkeypatch):
    monkeypatch.setattr(api, "VERIFY_REUSE", False)  # that would run the reused checks again: counted here
    root = copy("core-data", tmp_path / "project")
    checks = [_Counting(c) for c in CHECKS]
    definition = [c for c in checks if c.definitions_only]
    session = Session(checks=checks)
    session.lint([root])
    assert all(c.runs == 1 for c in checks)

    handler = root / "amplify" / "functions" / "env-reader" / "handler.ts"
    edited = {handler: handler.read_bytes() + b"\nexport const unused = process.env.AMPLIFY_DATA_DEFAULT_NAME;\n"}
    after = session.lint([root], edited)
    assert all(c.runs == 1 for c in definition) and all(c.runs == 2 for c in checks if not c.definitions_only)
    handler.write_bytes(edited[handler])
    assert _findings(after) == _findings(lint([root]))

    # The handler now imports a function by value: a definition input, so the checks run again.
    resource = root / "amplify" / "functions" / "env-reader" / "resource.ts"
    assert b"export const" in resource.read_bytes()
    name = resource.read_text().split("export const ", 1)[1].split(" ", 1)[0]
    importing = {handler: f"import {{ {name} }} from './resource';\nconsole.log({name});\n".encode() + edited[handler]}
    after = session.lint([root], importing)
    assert all(c.runs == 2 for c in definition)
    handler.write_bytes(importing[handler])
    assert _findings(after) == _findings(lint([root]))

    # Whether a file that imports a function uses it decides whether the function is mentioned
    # (AMP102): an edit to it, keeping the import, runs them again.
    unused = {handler: importing[handler].replace(f"console.log({name});".encode(), b"")}
    after = session.lint([root], unused)
    assert all(c.runs == 3 for c in definition)
    handler.write_bytes(unused[handler])
    assert _findings(after) == _findings(lint([root]))

    # An edit to a definition file runs them again too.
    data = root / "amplify" / "data" / "resource.ts"
    session.lint([root], {**unused, data: data.read_bytes() + b"\n// edited\n"})
    assert all(c.runs == 4 for c in definition)


_TWO_FUNCTIONS = {
    "amplify/backend.ts": "import { defineBackend } from '@aws-amplify/backend';\n"
    "import { f } from './functions/x/resource';\n\ndefineBackend({ f });\n",
    "amplify/functions/x/resource.ts": "import { defineFunction } from '@aws-amplify/backend';\n\n"
    "export const f = defineFunction({ name: 'f' });\nexport const g = defineFunction({ name: 'g' });\n",
    "amplify/functions/x/handler.ts": "export const handler = async () => 'ok';\n",
}


def _session_follows(root: Path, path: Path, text: str) -> None:
    """A session's findings before and after `path` gets `text` (saved) are a fresh lint's, and differ."""
    session = Session()
    before = _findings(session.lint([root]))
    assert before == _findings(lint([root]))
    path.write_text(text, encoding="utf-8")
    after = _findings(session.lint([root]))
    assert after == _findings(lint([root])) != before


def test_a_file_holding_a_reference_only_is_a_definition_input(tmp_path):
    """A draft nothing imports names `g` in `allow.resource(...)`: `g` counts as used (no AMP102) until
    the draft names `f` instead."""
    root = tmp_path / "project"
    draft = root / "amplify" / "draft.ts"
    write_files(
        root,
        {
            **_TWO_FUNCTIONS,
            "amplify/draft.ts": "import { a } from '@aws-amplify/backend';\nimport * as fns from './functions/x/resource';\n\n"
            "export const schema = a.schema({ T: a.model({ n: a.string() }) })"
            ".authorization((allow) => [allow.resource(fns.g)]);\n",
        },
    )
    _session_follows(root, draft, draft.read_text().replace("fns.g", "fns.f"))


def test_which_function_an_import_binds_through_a_re_export_is_a_definition_input(tmp_path):
    """A handler imports `g` through index.ts, then index.ts re-exports `f` under that name: the
    handler's import is the same, but `g` is mentioned nowhere any more (AMP102)."""
    root = tmp_path / "project"
    index = root / "amplify" / "functions" / "x" / "index.ts"
    write_files(
        root,
        {
            **_TWO_FUNCTIONS,
            "amplify/functions/x/index.ts": "export { g } from './resource';\n",
            "amplify/functions/x/handler.ts": "import { g } from './index';\n\nconsole.log(g);\n"
            "export const handler = async () => 'ok';\n",
        },
    )
    _session_follows(root, index, "export { f as g } from './resource';\n")
