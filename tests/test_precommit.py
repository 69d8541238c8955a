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
NETWORK_TROUBLE = (
    "Could not find a version",
    "Failed to establish a new connection",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def manifest_hook() -> dict:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    (hook,) = [h for h in hooks if h["id"] == "amplint"]
    return hook


def test_manifest_runs_once_when_a_backend_file_changes():
    hook = manifest_hook()
    # No file names: pre-commit never splits them into several runs, so the linter runs once.
    assert hook["pass_filenames"] is False and hook["require_serial"] is True
    assert hook["language"] == "python"
    assert hook["entry"].split() == ["amplint", "check", "--skip-outside-projects"]
    files, exclude = re.compile(hook["files"]), re.compile(hook["exclude"])

    def selected(path: str) -> bool:
        return bool(files.search(path)) and not exclude.search(path)

    for path in (
        "amplify/backend.ts",
        "apps/web/amplify/functions/job/handler.mts",
        "amplify/data/resource.cts",
        "amplify/package.json",
        "amplify/tsconfig.json",
    ):
        assert selected(path), path
    for path in (
        "src/amplify.ts",
        "amplify/node_modules/x/index.js",
        "amplify/.amplify/generated/env.ts",
        "notamplify/backend.ts",
        "amplify_outputs.json",
    ):
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
    # More files than fit one command line: pre-commit would split them into several runs.
    bulk = repo / "apps" / "shop" / "amplify" / "generated"
    bulk.mkdir()
    for index in range(3000):
        (bulk / f"module_with_a_long_descriptive_name_{index:05d}.ts").write_text(f"export const v{index} = {index};\n")
    git("add", "-A", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    run = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "amplint", "--all-files"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
    )
    output = run.stdout + run.stderr
    if run.returncode != 1 and any(sign in output for sign in NETWORK_TROUBLE):
        pytest.skip("the hook's environment cannot download amplint's dependencies here")
    assert run.returncode == 1, output
    assert re.search(r"^amplint\.+Failed$", run.stdout, re.M), output
    assert "- exit code: 1" in run.stdout
    # the linter ran once over each backend: each finding and the summary appear once
    finding = "apps/shop/amplify/data/resource.ts:12:4: error AMP201 `ungranted` uses a Data client"
    assert output.count(finding) == 1, output
    assert len(re.findall(r"^Found \d+ errors?", output, re.M)) == 1, output
    assert "apps/admin/amplify/backend.ts" in output  # every backend of the repository is linted
    assert "legacy" not in output and "no Amplify backend found" not in output
