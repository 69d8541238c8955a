"""Where the join finds a function referenced, and at which level: each way of writing an
`allow.resource(fn)` or `a.handler.function(fn)` that the model reads from the per-file facts of its
sites (the callback's place, the chain an `.authorization(...)` is called on, the `.to([...])`
strings), read the same from a fresh lint and from the facts pack."""

from __future__ import annotations

from pathlib import Path

from conftest import write_files

from amplint import api
from amplint.api import LintOptions, lint
from amplint.model.backend import Backend
from amplint.model.values import UNKNOWN

FUNCTION = "import {{ defineFunction }} from '@aws-amplify/backend';\nexport const {name} = defineFunction({{}});\n"

PROJECT = {
    "amplify/backend.ts": (
        "import { defineBackend } from '@aws-amplify/backend';\n"
        "import { auth } from './auth/resource';\n"
        "import { data } from './data/resource';\n"
        "import { schemaFn } from './functions/schema-fn/resource';\n"
        "import { modelFn } from './functions/model-fn/resource';\n"
        "import { fieldFn } from './functions/field-fn/resource';\n"
        "import { queryFn } from './functions/query-fn/resource';\n"
        "import { authFn } from './functions/auth-fn/resource';\n"
        "defineBackend({ auth, data, schemaFn, modelFn, fieldFn, queryFn, authFn });\n"
    ),
    "amplify/auth/resource.ts": (
        "import { defineAuth } from '@aws-amplify/backend';\n"
        "import { authFn } from '../functions/auth-fn/resource';\n"
        "export const auth = defineAuth({\n"
        "  loginWith: { email: true },\n"
        "  access: (allow) => [allow.resource(authFn).to(['manageUsers'])],\n"
        "});\n"
    ),
    "amplify/data/resource.ts": (
        "import { a, defineData } from '@aws-amplify/backend';\n"
        "import { schemaFn } from '../functions/schema-fn/resource';\n"
        "import { modelFn } from '../functions/model-fn/resource';\n"
        "import { fieldFn } from '../functions/field-fn/resource';\n"
        "import { queryFn } from '../functions/query-fn/resource';\n"
        "const operations = ['query'] as const;\n"
        "const base = a.schema({\n"
        "  Todo: a\n"
        "    .model({\n"
        "      title: a.string().required().authorization((allow) => [allow.resource(fieldFn)]),\n"
        "    })\n"
        "    .authorization((allow) => [allow.resource(modelFn).to()]),\n"
        "  echo: a.query().returns(a.string()).handler(a.handler.function(queryFn).async()),\n"
        "});\n"
        "export const schema = base.authorization((allow) => [\n"
        "  allow.resource(schemaFn).to(['query', /* and */ 'mutate']),\n"
        "  allow.resource(queryFn).to(operations),\n"
        "]);\n"
        "export const data = defineData({ schema });\n"
    ),
    **{
        f"amplify/functions/{folder}/resource.ts": FUNCTION.format(name=name)
        for folder, name in (
            ("schema-fn", "schemaFn"),
            ("model-fn", "modelFn"),
            ("field-fn", "fieldFn"),
            ("query-fn", "queryFn"),
            ("auth-fn", "authFn"),
        )
    },
    **{
        f"amplify/functions/{folder}/handler.ts": "export const handler = async () => {};\n"
        for folder in ("schema-fn", "model-fn", "field-fn", "query-fn", "auth-fn")
    },
}

EXPECTED = [
    # kind, level, resource, function, operations, is_async, owner
    ("allow.resource", "auth", "auth", "authFn", ["manageUsers"], False, "auth"),
    ("allow.resource", "field", "data", "fieldFn", None, False, None),
    ("allow.resource", "model", "data", "modelFn", UNKNOWN, False, None),
    ("a.handler.function", "data", "data", "queryFn", None, True, None),
    ("allow.resource", "schema", "data", "schemaFn", ["query", "mutate"], False, None),
    ("allow.resource", "schema", "data", "queryFn", ["query"], False, None),
]


def references(backend: Backend) -> list[tuple[object, ...]]:
    return [
        (
            ref.kind,
            ref.level,
            ref.resource,
            ref.function.binding if ref.function is not None else None,
            ref.operations,
            ref.is_async,
            ref.owner.kind if ref.owner is not None else None,
        )
        for ref in backend.references
    ]


def model_of(root: Path, options: LintOptions) -> Backend:
    """The backend a lint with these options builds (its modules from the facts pack, if any)."""
    backends: dict[Path, Backend] = {}
    planned = api.plan([root], options)
    api._lint(planned, options, api.CHECKS, {}, None, None, backends=backends)
    return backends[root]


def test_each_way_of_referring_to_a_function_is_read_at_its_level(tmp_path):
    root = tmp_path / "app"
    write_files(root, PROJECT)
    fresh = model_of(root, LintOptions())
    assert references(fresh) == EXPECTED
    grants = [ref for ref in fresh.references if ref.kind == "allow.resource" and ref.resource == "data"]
    text = (root / "amplify" / "data" / "resource.ts").read_bytes()
    # where each grant's `allow.resource` and its `.to(...)` argument are: what findings point at
    assert [text[slice(*ref.callee_at)] for ref in grants] == [b"allow.resource"] * 4
    assert [text[slice(*ref.operations_at)] if ref.operations_at else None for ref in grants] == [
        None,
        None,
        b"['query', /* and */ 'mutate']",
        b"operations",
    ]
    # the grants misplaced on a field and on a model, and the custom query without a rule of its own
    assert [(d.code, d.location.span.start_line) for d in lint([root]).reported] == [
        ("AMP205", 10),
        ("AMP205", 12),
        ("AMP708", 13),
    ]


def test_the_references_read_from_the_facts_are_those_of_a_fresh_lint(tmp_path):
    root = tmp_path / "app"
    write_files(root, PROJECT)
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    lint([root], options)
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.unlink()  # so that the next run reads the facts pack
    from_facts = model_of(root, options)
    assert all(module._stored is not None for module in from_facts.modules.values())
    assert references(from_facts) == EXPECTED
