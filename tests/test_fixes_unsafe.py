"""The unsafe fixes (AMP101, AMP201, AMP202, AMP301, AMP602): what each writes in the places the
fixture pairs do not show, and that no fix is offered where amplint cannot be certain of the
result, while the finding itself stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixing import fix_until_stable
from test_rule_docs import read_page, write_project

from amplint.api import lint
from amplint.diagnostics import Diagnostic

BACKEND = """\
import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';
import { syncTodos } from './functions/sync-todos/resource';

defineBackend({ auth, data, syncTodos });
"""
AUTH = "import { defineAuth } from '@aws-amplify/backend';\n\nexport const auth = defineAuth({ loginWith: { email: true } });\n"
DATA = """\
import { a, defineData, type ClientSchema } from '@aws-amplify/backend';

const schema = a.schema({
  Todo: a.model({ content: a.string() }).authorization((allow) => [allow.owner()]),
});

export type Schema = ClientSchema<typeof schema>;

export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'userPool' } });
"""
FUNCTION = """\
import { defineFunction } from '@aws-amplify/backend';

export const syncTodos = defineFunction({ name: 'sync-todos' });
"""
ROLE_CONFIG = """\
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';
import { env } from '$amplify/env/sync-todos';
import type { Schema } from '../../data/resource';

const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(env);
Amplify.configure(resourceConfig, libraryOptions);
"""
HANDLER = (
    ROLE_CONFIG
    + """
const client = generateClient<Schema>();

export const handler = async () => {
  const { data: todos } = await client.models.Todo.list();
  return todos.length;
};
"""
)


def project(root: Path, **files: str | None) -> Path:
    """A small backend with one function, `sync-todos`, whose handler reads the Data API; keyword
    arguments replace its files (`backend`, `data`, `function`, `handler`) or add others (by path)."""
    named = {
        "backend": "amplify/backend.ts",
        "auth": "amplify/auth/resource.ts",
        "data": "amplify/data/resource.ts",
        "function": "amplify/functions/sync-todos/resource.ts",
        "handler": "amplify/functions/sync-todos/handler.ts",
    }
    contents: dict[str, str | None] = {
        "backend": BACKEND,
        "auth": AUTH,
        "data": DATA,
        "function": FUNCTION,
        "handler": HANDLER,
    }
    contents.update(files)
    write_project(root, {named.get(key, key): text for key, text in contents.items() if text is not None})
    return root


def found(root: Path, code: str) -> list[Diagnostic]:
    return [d for d in lint([root]).reported if d.code == code]


def fixed(root: Path, relative: str) -> str:
    fix_until_stable(root, unsafe=True)
    return (root / relative).read_text()


def no_fix_offered(root: Path, code: str) -> None:
    findings = found(root, code)
    assert findings, f"{code} is not reported"
    assert [d.fix for d in findings] == [None] * len(findings)


# -- AMP202: authMode -> 'iam' -----------------------------------------------------------------------


def test_amp202_fix_sets_iam_where_the_mode_is_written(tmp_path: Path) -> None:
    root = project(
        tmp_path, handler=HANDLER.replace("generateClient<Schema>()", "generateClient<Schema>({ authMode: 'oidc' })")
    )
    [finding] = found(root, "AMP202")
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    assert "generateClient<Schema>({ authMode: 'iam' })" in fixed(root, "amplify/functions/sync-todos/handler.ts")
    assert found(root, "AMP202") == []


def test_amp202_no_fix_after_amplify_outputs(tmp_path: Path) -> None:
    # There `'iam'` signs with the identity pool's guest role: the fix is getAmplifyDataClientConfig.
    handler = """\
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import outputs from '../../../amplify_outputs.json';
import type { Schema } from '../../data/resource';

Amplify.configure(outputs);
const client = generateClient<Schema>({ authMode: 'userPool' });

export const handler = async () => (await client.models.Todo.list()).data.length;
"""
    no_fix_offered(project(tmp_path, handler=handler), "AMP202")


def test_amp202_no_fix_when_the_mode_is_a_name(tmp_path: Path) -> None:
    handler = HANDLER.replace(
        "const client = generateClient<Schema>();",
        "const MODE = 'userPool';\nconst client = generateClient<Schema>({ authMode: MODE });",
    )
    no_fix_offered(project(tmp_path, handler=handler), "AMP202")


def test_amp202_no_fix_when_the_options_are_built_elsewhere(tmp_path: Path) -> None:
    handler = HANDLER.replace(
        "const client = generateClient<Schema>();",
        "const options = { authMode: 'userPool' } as const;\nconst client = generateClient<Schema>(options);",
    )
    no_fix_offered(project(tmp_path, handler=handler), "AMP202")


def test_amp202_no_fix_for_a_client_another_function_reads_with_outputs(tmp_path: Path) -> None:
    shared = """\
import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../data/resource';

export const client = generateClient<Schema>({ authMode: 'userPool' });
"""
    role = ROLE_CONFIG + "import { client } from '../../shared/client';\n\n"
    role += "export const handler = async () => (await client.models.Todo.list()).data.length;\n"
    outputs = """\
import { Amplify } from 'aws-amplify';
import outputs from '../../../amplify_outputs.json';
import { client } from '../../shared/client';

Amplify.configure(outputs);

export const handler = async () => (await client.models.Todo.list()).data.length;
"""
    root = project(
        tmp_path,
        handler=role,
        backend=BACKEND.replace("syncTodos });", "syncTodos, report });").replace(
            "import { syncTodos }", "import { report } from './functions/weekly-report/resource';\nimport { syncTodos }"
        ),
        **{
            "amplify/shared/client.ts": shared,
            "amplify/functions/weekly-report/resource.ts": FUNCTION.replace("syncTodos", "report").replace(
                "sync-todos", "report"
            ),
            "amplify/functions/weekly-report/handler.ts": outputs,
        },
    )
    no_fix_offered(root, "AMP202")


# -- AMP201: allow.resource(fn) ----------------------------------------------------------------------


def test_amp201_fix_into_an_empty_rules_array_and_an_existing_import_of_the_file(tmp_path: Path) -> None:
    function = FUNCTION + "\nexport const helper = defineFunction({ name: 'helper', entry: './helper.ts' });\n"
    data = DATA.replace(
        "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';",
        "import { a, defineData, type ClientSchema } from '@aws-amplify/backend';\n"
        "import { helper } from '../functions/sync-todos/resource';",
    ).replace("});\n\nexport type", "}).authorization((allow) => []);\n\nexport type")
    root = project(tmp_path, data=data, function=function)
    text = fixed(root, "amplify/data/resource.ts")
    assert "import { helper, syncTodos } from '../functions/sync-todos/resource';" in text
    assert "}).authorization((allow) => [allow.resource(syncTodos)]);" in text
    assert found(root, "AMP201") == []


def test_amp201_no_fix_when_the_rules_are_built_in_a_block(tmp_path: Path) -> None:
    data = DATA.replace(
        "});\n\nexport type",
        "}).authorization((allow) => {\n  const rules = [allow.guest()];\n  return rules;\n});\n\nexport type",
    )
    no_fix_offered(project(tmp_path, data=data), "AMP201")


def test_amp201_no_fix_when_the_schema_is_chained_to_something_else(tmp_path: Path) -> None:
    data = DATA.replace("});\n\nexport type", "}).addToSchema({});\n\nexport type")
    no_fix_offered(project(tmp_path, data=data), "AMP201")


def test_amp201_no_fix_when_the_function_is_a_default_export(tmp_path: Path) -> None:
    function = FUNCTION.replace("export const syncTodos = ", "const syncTodos = ") + "export default syncTodos;\n"
    backend = BACKEND.replace("import { syncTodos }", "import syncTodos")
    no_fix_offered(project(tmp_path, function=function, backend=backend), "AMP201")


def test_amp201_no_fix_when_the_name_is_taken_in_the_schema_file(tmp_path: Path) -> None:
    data = DATA + "\nconst syncTodos = 'sync';\nconsole.log(syncTodos);\n"
    no_fix_offered(project(tmp_path, data=data), "AMP201")


def test_amp201_no_fix_when_the_import_would_close_a_cycle(tmp_path: Path) -> None:
    function = (
        FUNCTION.replace(
            "import { defineFunction } from '@aws-amplify/backend';",
            "import { defineFunction } from '@aws-amplify/backend';\nimport { data } from '../../data/resource';",
        )
        + "\nconsole.log(data);\n"
    )
    no_fix_offered(project(tmp_path, function=function), "AMP201")


# -- AMP101: register the function in defineBackend ---------------------------------------------------


def test_amp101_fix_into_an_empty_object_with_a_trailing_comma_style_kept(tmp_path: Path) -> None:
    backend = """\
import { defineBackend } from '@aws-amplify/backend';
import { syncTodos } from './functions/sync-todos/resource';

const backend = defineBackend({});
backend.syncTodos.addEnvironment('STAGE', 'prod');
"""
    root = project(tmp_path, backend=backend, data=None, handler="export const handler = async () => {};\n")
    assert "defineBackend({ syncTodos });" in fixed(root, "amplify/backend.ts")


def test_amp101_no_fix_when_defineBackend_gets_a_variable(tmp_path: Path) -> None:
    backend = """\
import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { syncTodos } from './functions/sync-todos/resource';

const resources = { auth };
const backend = defineBackend(resources);
backend.syncTodos.addEnvironment('STAGE', 'prod');
"""
    no_fix_offered(project(tmp_path, backend=backend, data=None), "AMP101")


def test_amp101_no_fix_when_two_functions_match(tmp_path: Path) -> None:
    backend = """\
import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';

const backend = defineBackend({ auth });
backend.syncTodos.addEnvironment('STAGE', 'prod');
"""
    other = FUNCTION.replace("'sync-todos'", "'sync-todos-copy'")
    root = project(tmp_path, backend=backend, data=None, **{"amplify/functions/copy/resource.ts": other})
    no_fix_offered(root, "AMP101")


def test_amp101_no_fix_when_the_name_is_taken_in_backend_ts(tmp_path: Path) -> None:
    backend = """\
import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';

const syncTodos = 'not the function';
const backend = defineBackend({ auth });
backend.syncTodos.addEnvironment('STAGE', syncTodos);
"""
    no_fix_offered(project(tmp_path, backend=backend, data=None), "AMP101")


# -- AMP301: drop the returned value -------------------------------------------------------------------

SCHEDULED = "import type { ScheduledHandler } from 'aws-lambda';\n\nexport const handler: ScheduledHandler = "


@pytest.mark.parametrize(
    "body",
    [
        "async () => {\n  return { ok: await work() };\n};\n",
        "async () => {\n  return { ok: work() };\n};\n",
        "async () => {\n  return new Report();\n};\n",
        "async () => {\n  return [counter++];\n};\n",
        "async () => ({ result: work() });\n",
        "async () => `${work()}`;\n",
    ],
    ids=["await", "call", "new", "update", "arrow-call", "template-call"],
)
def test_amp301_no_fix_when_the_value_may_do_something(tmp_path: Path, body: str) -> None:
    handler = SCHEDULED + body + "\nlet counter = 0;\nclass Report {}\nasync function work() { return 1; }\n"
    no_fix_offered(project(tmp_path, handler=handler, data=None), "AMP301")


def test_amp301_fix_keeps_a_return_without_semicolon_and_its_statement(tmp_path: Path) -> None:
    handler = (
        SCHEDULED + "async (event) => {\n  if (event.time) return { at: event.time }\n  console.log('no time')\n}\n"
    )
    root = project(tmp_path, handler=handler, data=None)
    assert "  if (event.time) return\n  console.log('no time')\n" in fixed(
        root, "amplify/functions/sync-todos/handler.ts"
    )
    assert found(root, "AMP301") == []


# -- AMP602: runtime 20 -> 22 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        "{ name: 'sync-todos', runtime: 16 }",  # rejected: which version to use is the user's call
        "{ name: 'sync-todos', runtime: NODE }",
        "{ ...COMMON, name: 'sync-todos' }",
    ],
    ids=["unsupported", "variable", "spread"],
)
def test_amp602_no_fix(tmp_path: Path, options: str) -> None:
    function = (
        "import { defineFunction } from '@aws-amplify/backend';\n\nconst NODE = 20;\nconst COMMON = { runtime: 20 } as const;\n\n"
        f"export const syncTodos = defineFunction({options});\n"
    )
    no_fix_offered(
        project(tmp_path, function=function, data=None, handler="export const handler = async () => {};\n"), "AMP602"
    )


def test_amp602_fix_for_18(tmp_path: Path) -> None:
    function = FUNCTION.replace("{ name: 'sync-todos' }", "{ name: 'sync-todos', runtime: 18 }")
    root = project(tmp_path, function=function, data=None, handler="export const handler = async () => {};\n")
    assert "runtime: 22 }" in fixed(root, "amplify/functions/sync-todos/resource.ts")


# -- the rule pages: the fix of the Example is the Use-instead code --------------------------------


@pytest.mark.parametrize("code", ["AMP101", "AMP201", "AMP301"])
def test_fixing_the_doc_example_silences_the_rule(tmp_path: Path, code: str) -> None:
    bad, good = read_page(code).example_files()
    write_project(tmp_path, bad)
    fix_until_stable(tmp_path, unsafe=True)
    assert found(tmp_path, code) == []
    if code == "AMP101":  # the others' pages show the tidiest code, not the least edit
        for relative, text in good.items():
            assert (tmp_path / relative).read_text() == text, relative


@pytest.mark.parametrize("code", ["AMP202", "AMP602"])
def test_the_doc_example_gets_no_fix(tmp_path: Path, code: str) -> None:
    bad, _ = read_page(code).example_files()
    write_project(tmp_path, bad)
    no_fix_offered(tmp_path, code)
