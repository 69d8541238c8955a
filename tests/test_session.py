"""A long-running `Session` (editor server, watch loop) gives what a fresh `lint` gives, while
re-parsing only the files whose text changed."""

from __future__ import annotations

from pathlib import Path

from conftest import copy, fixture_roots, write_files

from amplint.amplify import SOURCE_SUFFIXES
from amplint.api import LintOptions, Session, lint
from amplint.checks import CHECKS


def findings(result) -> list[tuple]:
    return [(d.location.path, d.location.span, d.code, d.message) for d in result.diagnostics]


def test_a_session_finds_what_lint_finds_in_every_fixture():
    session = Session()
    for root in fixture_roots():
        expected = lint([root])
        first, again = session.lint([root]), session.lint([root])
        assert findings(first) == findings(again) == findings(expected), root.name
        assert first.files == expected.files and first.errors == expected.errors == []


def test_an_edited_buffer_is_linted_like_the_saved_file_and_only_it_is_parsed_again(tmp_path, parsed):
    root = copy("core-duration", tmp_path / "project")
    backend = root / "amplify" / "backend.ts"
    session = Session()
    before = session.lint([root])
    assert "AMP501" in {d.code for d in before.diagnostics} and len(parsed) == before.files
    edited = backend.read_bytes().replace(b"from 'aws-cdk-lib/aws-events'; // expect", b"from 'aws-cdk-lib'; //")
    parsed.clear()
    after = session.lint([root], {backend: edited})
    assert parsed == [backend]
    backend.write_bytes(edited)
    assert findings(after) == findings(lint([root])) != findings(before)
    parsed.clear()
    assert findings(session.lint([root])) == findings(after) and parsed == []  # the saved file: same text


def test_files_created_or_deleted_count_after_a_rescan(tmp_path):
    root = copy("core-duration", tmp_path / "project")
    session = Session(LintOptions(select=("AMP501",)))
    count = len(session.lint([root]).diagnostics)
    extra = root / "amplify" / "extra.ts"
    extra.write_text("export { Duration } from 'aws-cdk-lib/aws-lambda';\n", encoding="utf-8")
    assert len(session.lint([root]).diagnostics) == count  # the scan is kept until asked for again
    assert len(session.lint([root], rescan=True).diagnostics) == count + 1
    extra.unlink()
    assert len(session.lint([root], rescan=True).diagnostics) == count


def test_a_buffer_of_a_file_not_yet_on_disk_is_linted(tmp_path):
    root = copy("core-duration", tmp_path / "project")
    session = Session(LintOptions(select=("AMP501",)))
    count = len(session.lint([root]).diagnostics)
    unsaved = root / "amplify" / "unsaved.ts"
    result = session.lint([root], {unsaved: b"export { Duration } from 'aws-cdk-lib/aws-lambda';\n"})
    assert [d.location.path for d in result.diagnostics].count(unsaved) == 1
    assert len(result.diagnostics) == count + 1
    assert len(session.lint([root]).diagnostics) == count  # the buffer was closed without saving


# A backend whose findings depend, through imports, on files other than the ones they are reported in:
# a constant in `defineFunction` props, a re-exported `generateClient`, a handler's imported helper,
# a handler exported through `export *`.
_PROJECT = {
    "amplify/backend.ts": """\
import { defineBackend } from '@aws-amplify/backend';
import { data } from './data/resource';
import { worker } from './functions/worker/resource';
import { other } from './functions/other/resource';

defineBackend({ data, worker, other });
""",
    "amplify/data/resource.ts": """\
import { type ClientSchema, a, defineData } from '@aws-amplify/backend';

const schema = a
  .schema({ Todo: a.model({ content: a.string() }) })
  .authorization((allow) => [allow.publicApiKey()]);

export type Schema = ClientSchema<typeof schema>;
export const data = defineData({ schema });
""",
    "amplify/constants.ts": """\
export const WORKER_NAME = 'worker';
export const TIMEOUT = 30;
""",
    "amplify/functions/worker/resource.ts": """\
import { defineFunction } from '@aws-amplify/backend';
import { TIMEOUT, WORKER_NAME } from '../../constants';

export const worker = defineFunction({ name: WORKER_NAME, timeoutSeconds: TIMEOUT });
""",
    "amplify/functions/worker/client.ts": "export { generateClient } from 'aws-amplify/data';\n",
    "amplify/functions/worker/todos.ts": "export const count = (n: number) => n + 1;\n",
    "amplify/functions/worker/handler.ts": """\
import { Amplify } from 'aws-amplify';
import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';
import { env } from '$amplify/env/worker';
import type { Schema } from '../../data/resource';
import { generateClient } from './client';
import { count } from './todos';

const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(env);
Amplify.configure(resourceConfig, libraryOptions);
const client = generateClient<Schema>();

export const handler = async () => {
  await client.models.Todo.list();
  return count(1);
};
""",
    "amplify/functions/other/resource.ts": """\
import { defineFunction } from '@aws-amplify/backend';

export const other = defineFunction({ name: 'other' });
""",
    "amplify/functions/other/handler.ts": "export * from './impl';\n",
    "amplify/functions/other/impl.ts": "export const handler = async () => 'done';\n",
}

# Each edit changes what another, unchanged file means: a fact of that file kept from before the
# edit and read again would give findings other than a fresh lint's.
_EDITS = [
    # the name and timeout `worker/resource.ts` gives its function: AMP107, AMP601
    ("amplify/constants.ts", "export const WORKER_NAME = 'worker-v2';\nexport const TIMEOUT = 9000;\n"),
    # `generateClient` in the handler is no longer aws-amplify's: no Data client in the handler
    (
        "amplify/functions/worker/client.ts",
        "export const generateClient = (..._args: unknown[]) => ({ models: {} });\n",
    ),
    # the handler's helper now reads a Data client of its own
    (
        "amplify/functions/worker/todos.ts",
        "import { generateClient } from 'aws-amplify/data';\n\nconst todos = generateClient();\n\n"
        "export const count = async (n: number) => (await todos.models.Todo.list()).data.length + n;\n",
    ),
    # `other/handler.ts` re-exports everything from here: it no longer exports `handler` (AMP304)
    ("amplify/functions/other/impl.ts", "export const main = async () => 'done';\n"),
]


def test_a_buffer_of_a_new_file_takes_its_place_among_the_files(tmp_path):
    """A new file sorts among the others in a lint of the saved files; unsaved, it must too: here the
    first of two `defineBackend` calls is the one amplint reads."""
    root = tmp_path / "project"
    write_files(
        root,
        {
            "amplify/backend.ts": "import { defineBackend } from '@aws-amplify/backend';\n"
            "import { f } from './functions/x/resource';\n\ndefineBackend({ f });\n",
            "amplify/functions/x/resource.ts": "import { defineFunction } from '@aws-amplify/backend';\n\n"
            "export const f = defineFunction({ name: 'f' });\n",
            "amplify/functions/x/handler.ts": "export const handler = async () => 'ok';\n",
        },
    )
    session = Session()
    assert findings(session.lint([root])) == []
    new = root / "amplify" / "aaa.ts"
    text = b"import { defineBackend } from '@aws-amplify/backend';\n\nconst backend = defineBackend({});\nbackend.f;\n"
    unsaved = findings(session.lint([root], {new: text}))
    new.write_bytes(text)
    assert unsaved == findings(lint([root])) and "AMP101" in {code for _, _, code, _ in unsaved}


def test_an_edit_changes_what_the_unchanged_files_that_import_it_mean(tmp_path, parsed):
    root = tmp_path / "project"
    write_files(root, _PROJECT)
    session = Session()
    first = before = findings(session.lint([root]))
    assert before == findings(lint([root]))
    buffers: dict[Path, bytes] = {}
    for name, content in _EDITS:
        path = root / name
        buffers[path] = content.encode()
        parsed.clear()
        edited = findings(session.lint([root], buffers))
        assert parsed == [path], name  # every other file's module (and its facts) is the one kept
        assert findings(session.lint([root], buffers)) == edited  # and again, with nothing changed
        path.write_bytes(buffers[path])
        assert edited == findings(lint([root])) != before, name
        before = edited
    # Back to the saved texts of the start: the first findings again.
    write_files(root, _PROJECT)
    parsed.clear()
    again = findings(session.lint([root]))
    assert sorted(parsed) == sorted(root / name for name, _ in _EDITS)
    assert again == findings(lint([root])) == first


def test_a_new_file_changes_what_an_import_of_it_resolves_to(tmp_path):
    root = tmp_path / "project"
    write_files(root, {name: text for name, text in _PROJECT.items() if not name.endswith("impl.ts")})
    session = Session()
    before = findings(session.lint([root]))  # `export * from './impl'` names no file: amplint stays silent
    assert "AMP304" not in {code for _, _, code, _ in before}
    impl = root / "amplify" / "functions" / "other" / "impl.ts"
    unsaved = {impl: b"export const main = async () => 'done';\n"}
    after = findings(session.lint([root], unsaved))
    impl.write_bytes(unsaved[impl])
    assert after == findings(lint([root])) and "AMP304" in {code for _, _, code, _ in after}
    impl.unlink()
    assert findings(session.lint([root])) == before


def test_the_schema_kept_between_runs_follows_an_edit_to_a_file_it_imports(tmp_path):
    """The data schema is read again only when its file or one it imports changes: here a field
    spread in from `payroll.ts` becomes optional, and its AMP702 goes."""
    root = copy("schema-field-auth", tmp_path / "project")
    payroll = root / "amplify" / "data" / "payroll.ts"
    session = Session()
    before = findings(session.lint([root]))
    assert any(path == payroll and code == "AMP702" for path, _, code, _ in before)
    resource = root / "amplify" / "data" / "resource.ts"
    same_text = {resource: resource.read_bytes()}
    assert findings(session.lint([root], same_text)) == before  # the same text: the schema kept
    optional = {payroll: payroll.read_bytes().replace(b"a.float().required()", b"a.float()")}
    after = findings(session.lint([root], optional))
    payroll.write_bytes(optional[payroll])
    assert after == findings(lint([root])) != before
    assert not any(path == payroll for path, _, _, _ in after)


def _relative(result, root: Path) -> list[tuple]:
    return sorted(
        (d.location.path.relative_to(root).as_posix(), d.location.span, d.code, d.message) for d in result.diagnostics
    )


def test_after_random_edits_to_any_file_a_session_agrees_with_a_fresh_lint(tmp_path):
    """Every fixture, three rounds of unsaved edits (a line deleted from a file, the edits adding up
    across files, as open buffers do), each compared with a fresh lint of the same texts saved: a fact
    kept from before an edit, of the edited file or of one that reads it, would show here."""
    import random

    for fixture in fixture_roots():
        edited = copy(fixture.name, tmp_path / fixture.name / "edited")
        saved = copy(fixture.name, tmp_path / fixture.name / "saved")
        files = sorted(
            p.relative_to(edited)
            for p in (edited / "amplify").rglob("*")
            if p.is_file() and p.suffix in SOURCE_SUFFIXES
        )
        randomly = random.Random(fixture.name)  # the same edits on every run
        session, buffers = Session(), {}
        session.lint([edited])
        for _ in range(3):
            relative = randomly.choice(files)
            lines = (buffers.get(edited / relative) or (edited / relative).read_bytes()).splitlines(keepends=True)
            if lines:
                del lines[randomly.randrange(len(lines))]
            buffers[edited / relative] = b"".join(lines)
            (saved / relative).write_bytes(buffers[edited / relative])
            assert _relative(session.lint([edited], buffers), edited) == _relative(lint([saved]), saved), (
                f"{fixture.name}: after editing {relative}"
            )


def test_a_lint_leaves_the_cycle_collector_as_it_found_it(tmp_path):
    """The collector is paused while a root is checked (a speed measure): it runs again after, even
    when a check fails, and stays off for a caller that turned it off."""
    import gc

    from amplint.checks import CHECKS, Check

    def failing(backend):
        assert not gc.isenabled()  # paused while the checks run
        raise RuntimeError("boom")

    root = copy("core-duration", tmp_path / "project")
    checks = [*CHECKS, Check(frozenset({"AMP501"}), failing)]
    assert gc.isenabled()
    result = lint([root], checks=checks)
    assert gc.isenabled() and any("boom" in e.message for e in result.errors)
    gc.disable()
    try:
        Session(checks=checks).lint([root])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_lint_that_keeps_nothing_leaves_no_model_for_the_cycle_collector():
    """Modules carry facts about one another; a `lint` releases them when done, so refcounting frees
    the model and the collector finds none of it (collecting it cost a sixth of a large backend's
    lint). A session keeps its modules, so their facts stay."""
    import gc

    from amplint.model.modules import Module

    roots = fixture_roots()
    lint(roots)  # imports and caches of first use
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = lint(roots)
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Module)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert result.files > 100 and left == []
    session = Session()
    session.lint(roots)
    assert any(module._carried for kept in session._kept.values() for module in kept.modules.values())


# A function whose `name` comes from another file, names.ts.
_NAMED_FROM_FILE = {
    "amplify/backend.ts": "import { defineBackend } from '@aws-amplify/backend';\n"
    "import { report } from './functions/report/resource';\n\ndefineBackend({ report });\n",
    "amplify/functions/report/resource.ts": "import { defineFunction } from '@aws-amplify/backend';\n"
    "import { NAME } from './names';\n\nexport const report = defineFunction({ name: NAME });\n",
    "amplify/functions/report/names.ts": "export const NAME = 'report';\n",
    "amplify/functions/report/handler.ts": "export const handler = async () => 'done';\n",
}


def test_a_function_kept_between_runs_follows_an_edit_to_the_file_it_takes_its_name_from(tmp_path):
    """What a `defineFunction` call says is read again only when its file or one it imports changes:
    here its `name` comes from `names.ts`, which an edit makes invalid (AMP105), then valid again."""
    root = tmp_path / "project"
    write_files(root, _NAMED_FROM_FILE)
    names = root / "amplify" / "functions" / "report" / "names.ts"
    session = Session(LintOptions(select=("AMP105",)))
    assert findings(session.lint([root])) == []
    invalid = {names: b"export const NAME = 'report!';\n"}
    after = findings(session.lint([root], invalid))
    assert [code for _, _, code, _ in after] == ["AMP105"] and "report!" in after[0][3]
    names.write_bytes(invalid[names])
    assert after == findings(lint([root], LintOptions(select=("AMP105",))))
    names.write_bytes(b"export const NAME = 'report';\n")
    assert findings(session.lint([root])) == []


def test_a_deleted_file_changes_what_the_facts_kept_of_an_unchanged_file_read(tmp_path):
    """`./names` names names.ts while it exists, then names.js: the same files but one, and no file
    whose text changed, yet the function's name is now read from another file (AMP105)."""
    root = tmp_path / "project"
    write_files(root, {**_NAMED_FROM_FILE, "amplify/functions/report/names.js": "export const NAME = 'report!';\n"})
    session = Session(LintOptions(select=("AMP105",)))
    assert findings(session.lint([root])) == []
    (root / "amplify" / "functions" / "report" / "names.ts").unlink()
    after = findings(session.lint([root], rescan=True))
    assert [code for _, _, code, _ in after] == ["AMP105"] and "report!" in after[0][3]
    assert after == findings(lint([root], LintOptions(select=("AMP105",))))


def test_a_side_effect_import_counts_as_an_import_for_what_is_kept(tmp_path):
    """`import './a'` binds nothing but runs a.ts: an edit to a.ts that stops it importing b.ts takes
    b.ts out of the function's code (AMP107 goes), and one to side.ts that stops it importing the
    storage definition takes the storage out of what backend.ts loads (AMP112 goes), in a session as
    in a fresh lint (the checks of definitions only reused or not)."""
    root = tmp_path / "project"
    write_files(
        root,
        {
            "amplify/backend.ts": "import { defineBackend } from '@aws-amplify/backend';\n"
            "import { f } from './functions/f/resource';\nimport './side';\n\ndefineBackend({ f });\n",
            "amplify/side.ts": "import './storage/resource';\n",
            "amplify/storage/resource.ts": "import { defineStorage } from '@aws-amplify/backend';\n\n"
            "export const storage = defineStorage({ name: 'files' });\n",
            "amplify/functions/f/resource.ts": "import { defineFunction } from '@aws-amplify/backend';\n\n"
            "export const f = defineFunction({ name: 'f' });\n",
            "amplify/functions/f/handler.ts": "import './a';\n\nexport const handler = async () => 'ok';\n",
            "amplify/functions/f/a.ts": "import './b';\n",
            "amplify/functions/f/b.ts": "import { env } from '$amplify/env/wrong';\n\nconsole.log(env.X);\n",
        },
    )
    options = LintOptions(select=("AMP107", "AMP112"))
    for checks in (CHECKS, [c._replace(definitions_only=False) for c in CHECKS]):
        session = Session(options, checks=checks)
        assert sorted(code for _, _, code, _ in findings(session.lint([root]))) == ["AMP107", "AMP112"]
        a, side = root / "amplify" / "functions" / "f" / "a.ts", root / "amplify" / "side.ts"
        cut = {a: b"export {};\n"}
        assert [code for _, _, code, _ in findings(session.lint([root], cut))] == ["AMP112"]
        assert findings(session.lint([root], {**cut, side: b"export {};\n"})) == []


def test_stack_flows_kept_between_runs_name_the_functions_of_each_run(tmp_path):
    """What backend.ts's grants and environment refer to is kept while backend.ts and what it imports
    are unchanged; the functions it names are each run's: a function moved to the data stack in its
    own file (which backend.ts imports) leaves its cycle (AMP203), and a handler edit changes nothing."""
    root = copy("core-cycle", tmp_path / "project")
    resource = root / "amplify" / "functions" / "env-sync" / "resource.ts"
    session = Session(LintOptions(select=("AMP203",)))
    before = findings(session.lint([root]))
    assert any(path == resource for path, _, _, _ in before)
    handler = root / "amplify" / "functions" / "granted" / "handler.ts"
    assert findings(session.lint([root], {handler: handler.read_bytes() + b"\n// edited\n"})) == before
    moved = {
        resource: resource.read_bytes().replace(b"defineFunction({", b"defineFunction({ resourceGroupName: 'data',")
    }
    after = findings(session.lint([root], moved))
    resource.write_bytes(moved[resource])
    assert after == findings(lint([root], LintOptions(select=("AMP203",))))
    assert not any(path == resource for path, _, _, _ in after) and len(after) == len(before) - 1


def test_stack_references_kept_between_runs_follow_an_edit_to_a_file_backend_ts_imports(tmp_path):
    """What backend.ts's constructs refer to is kept by a session while backend.ts and what it imports
    are unchanged: here a construct's id comes from ids.ts, and making it non-static there must end
    the cycle through `resolver` (AMP203) in the session as in a fresh lint."""
    root = copy("core-cycle", tmp_path / "p")
    backend = root / "amplify" / "backend.ts"
    backend.write_text(
        "import { QUEUE_ID } from './ids';\nimport { Queue } from 'aws-cdk-lib/aws-sqs';\n"
        + backend.read_text()
        + "\nnew Queue(backend.resolver.resources.lambda, QUEUE_ID, { url: backend.data.graphqlUrl });\n"
    )
    ids = root / "amplify" / "ids.ts"
    ids.write_text("export const QUEUE_ID = 'Queue';\n")
    options = LintOptions(select=("AMP203",), cache=False)
    session = Session(options)

    def folders(result) -> set[str]:
        return {d.location.path.parent.name for d in result.diagnostics}

    assert "resolver" in folders(session.lint([root]))
    edited = {ids: b"export const QUEUE_ID = process.env.QUEUE_ID!;\n"}
    after = session.lint([root], edited)
    ids.write_bytes(edited[ids])
    fresh = lint([root], options)
    assert "resolver" not in folders(fresh)
    assert findings(after) == findings(fresh)


def test_prerelease_uses_kept_between_runs_follow_an_edit_to_a_re_exporting_file(tmp_path):
    """Each module's pre-release Data API uses are kept by a session while it and what it imports
    are unchanged: here `a` comes through kit.ts, and once kit.ts re-exports another package's `a`,
    the session drops the findings about it (AMP208) as a fresh lint does."""
    root = copy("recall-prerelease", tmp_path / "p")
    resource = root / "amplify" / "data" / "resource.ts"
    original = "import { type ClientSchema, a, defineData } from '@aws-amplify/backend';"
    assert original in resource.read_text()
    resource.write_text(
        resource.read_text().replace(
            original,
            "import { type ClientSchema, defineData } from '@aws-amplify/backend';\nimport { a } from './kit';",
        )
    )
    kit = root / "amplify" / "data" / "kit.ts"
    kit.write_text("export { a } from '@aws-amplify/backend';\n")
    options = LintOptions(select=("AMP208",), cache=False)
    session = Session(options)
    before = session.lint([root])
    edited = {kit: b"export { a } from './not-amplify';\n"}
    after = session.lint([root], edited)
    kit.write_bytes(edited[kit])
    fresh = lint([root], options)
    assert len(findings(fresh)) < len(findings(before))
    assert findings(after) == findings(fresh)
