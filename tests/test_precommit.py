"""The pre-commit hook this repository publishes: its manifest, and a real run through
`pre-commit try-repo` on a throwaway git repository (the hook's environment installs amplint
from this repository's HEAD plus uncommitted changes to tracked files)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES

REPO = Path(__file__).parents[1]
NETWORK_TROUBLE = ("Could not find a version", "Failed to establish a new connection", "NewConnectionError",
                   "Temporary failure in name resolution", "Network is unreachable")


def manifest_hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "amplint"]
    return hook


def test_manifest_runs_once_over_every_amplify_source_file():
    hook = manifest_hook()
    assert hook["language"] == "python" and hook["require_serial"] is True
    assert hook["entry"].split()[:2] == ["amplint", "check"]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    for path in ("amplify/backend.ts", "apps/web/amplify/functions/job/handler.mts", "amplify/data/resource.cts",
                 "amplify/ui/view.tsx", "amplify/legacy.js", "amplify/a.mjs", "amplify/b.cjs", "amplify/c.jsx"):
        assert selected(path), path
    for path in ("src/amplify.ts", "amplify/data/schema.json", "amplify/node_modules/x/index.js",
                 "amplify/.amplify/generated/env.ts", "notamplify/backend.ts", "amplify_outputs.json"):
        assert not selected(path), path


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.mark.slow
def test_hook_lints_the_whole_backend_of_each_changed_file(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (REPO / ".git").exists():
        pytest.skip("pre-commit try-repo needs this repository as a git checkout")
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "core-data", repo / "apps" / "shop")
    shutil.copytree(FIXTURES / "core-duration", repo / "apps" / "admin")  # untouched: not linted
    legacy = repo / "legacy" / "amplify" / "backend" / "function" / "x" / "src" / "index.js"  # Gen 1
    legacy.parent.mkdir(parents=True)
    legacy.write_text("exports.handler = async () => {};\n")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    changed = ["apps/shop/amplify/functions/ungranted/handler.ts", "legacy/amplify/backend/function/x/src/index.js"]
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    run = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "amplint", "--files", *changed],
                         cwd=repo, capture_output=True, text=True, timeout=900, env=env)
    output = run.stdout + run.stderr
    if run.returncode != 1 and any(sign in output for sign in NETWORK_TROUBLE):
        pytest.skip("the hook's environment cannot download amplint's dependencies here")
    assert run.returncode == 1, output
    assert re.search(r"^amplint\.+Failed$", run.stdout, re.M), output
    assert "- exit code: 1" in run.stdout
    # the changed handler stands for its whole backend: the finding is in data/resource.ts
    assert "apps/shop/amplify/data/resource.ts:12:4: AMP201 `ungranted` uses a Data client" in output
    assert "apps/admin" not in output  # a backend no changed file belongs to
    assert "legacy" not in output and "not inside an Amplify project" not in output
