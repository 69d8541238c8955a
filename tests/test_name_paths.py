"""A per-file fact keeps a name it will resolve as a name path (`syntax.name_path`), not as a node:
resolving the path (`values.resolve_path`) must find what resolving the expression finds, or None
where that is the expression itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import fixture_roots, write_files

from amplint.api import Session
from amplint.model.modules import Module
from amplint.model.values import Expr, resolve, resolve_path
from amplint.syntax import name_path, unwrap

# Names through namespaces, aliases, re-exports, object literals, casts, and names that lead nowhere.
_PATHS_PROJECT = {
    "amplify/backend.ts": (
        "import * as ns from './lib';\n"
        "import { obj, fn as alias, more } from './lib';\n"
        "import cdk from 'aws-cdk-lib';\n"
        "const local = { a: { b: ns.value }, c: alias };\n"
        "export const x1 = (ns as any).value;\n"
        "export const x2 = obj.inner.deep;\n"
        "export const x3 = local.a.b;\n"
        "export const x4 = local.c;\n"
        "export const x5 = cdk.Duration.minutes;\n"
        "export const x6 = missing.y;\n"
        "export const x7 = ns.missing.z;\n"
        "export const x8 = more.of.it;\n"
        "export const x9 = (<any>ns).obj!.inner;\n"
    ),
    "amplify/lib.ts": (
        "export const value = 'v';\n"
        "export const obj = { inner: { deep: 42 } };\n"
        "export function fn() {}\n"
        "export * from './more';\n"
    ),
    "amplify/more.ts": "export const more = { of: { it: 1 } };\n",
}


def _modules(root: Path) -> list[Module]:
    session = Session()
    session.lint([root])
    return [module for backend in session.backends.values() for module in backend.modules.values()]


def _disagreements(modules: list[Module]) -> tuple[int, list[str]]:
    """How many names and members were compared, and where the two ways disagree."""
    compared, wrong = 0, []
    for module in modules:
        stack = [module.file.root]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if node.type not in ("identifier", "member_expression"):
                continue
            path = name_path(node)
            if path is None:
                continue
            compared += 1
            found, by_path = resolve(module, node), resolve_path(module, path)
            itself = isinstance(found, Expr) and found.module is module and found.node == unwrap(node)
            if (by_path is not None) if itself else (by_path != found):
                wrong.append(f"{module.path.name}:{node.start_point}: {node.text!r}: {found} / {by_path}")
    return compared, wrong


def test_a_name_path_resolves_to_what_its_expression_does(tmp_path: Path) -> None:
    write_files(tmp_path, _PATHS_PROJECT)
    compared, wrong = _disagreements(_modules(tmp_path))
    assert compared > 40 and wrong == []


@pytest.mark.parametrize("root", fixture_roots(), ids=lambda p: p.name)
def test_a_name_path_resolves_to_what_its_expression_does_in_every_fixture(root: Path) -> None:
    _, wrong = _disagreements(_modules(root))
    assert wrong == []
