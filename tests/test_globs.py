"""Globs in amplint's configuration and in a project's tsconfig read `**` as their own tools do:
in `exclude` and `per-file-ignores` it crosses folders wherever it stands; in tsconfig `include`
and `exclude` it stands for folders only as a whole path segment (TypeScript's rule)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from amplint.api import LintOptions, lint


def codes(root: Path, **options) -> list[str]:
    return sorted(d.code for d in lint([root], LintOptions(**options)).reported)


@pytest.mark.parametrize(
    ("exclude", "syntax_errors"),
    [
        ("amplify/**.gen.ts", 0),  # `**` inside a name crosses folders
        ("amplify/*.gen.ts", 1),  # `*` does not: only amplify/top.gen.ts
        ("amplify/lib/**", 1),  # a trailing `**`: everything under amplify/lib/
        ("**", 0),  # a bare `**` without `/` matches any name
    ],
)
def test_configuration_double_star_crosses_folders(tmp_path, monkeypatch, exclude, syntax_errors):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-handler-return", root)
    for relative in ("amplify/top.gen.ts", "amplify/lib/deep/client.gen.ts"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("export const = ;\n")  # a syntax error (AMP001) wherever it is linted
    assert codes(root).count("AMP001") == 2
    monkeypatch.chdir(root)  # command-line globs are relative to the working directory
    assert codes(root, exclude=(exclude,)).count("AMP001") == syntax_errors


@pytest.mark.parametrize(
    ("include", "exclude", "found"),
    [
        (["amplify/**/*.ts"], ["node_modules"], True),
        # `**` not followed by `/` is a `*`: amplify/functions/welcome/handler.ts is not in `amplify/**.ts`
        (["amplify/**.ts"], ["node_modules"], False),
        (["amplify/**"], ["node_modules"], False),
        # in `exclude`, a pattern matching a folder above the file excludes it
        (["**/*.ts"], ["amplify/**"], False),
        (["**/*.ts"], ["amplify/**.ts"], True),
    ],
)
def test_tsconfig_double_star_is_folders_only_as_a_whole_segment(tmp_path, include, exclude, found):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "recall-frontend-tsconfig", root)
    (root / "tsconfig.json").write_text(json.dumps({"include": include, "exclude": exclude}, indent=2) + "\n")
    assert ("AMP113" in codes(root)) is found
