"""`amplint check --watch`: the loop on a stream of changes given by the test, and the command itself
in a child process, edited under it and stopped with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import copy

from amplint.api import LintOptions
from amplint.watch import watch

ROOT = Path(__file__).resolve().parents[1]
BAD = "import { Duration } from 'aws-cdk-lib/aws-events';"


def _count(result) -> int:
    return sum(1 for d in result.reported if d.code == "AMP501")


def test_the_loop_lints_again_after_each_change_that_matters(tmp_path):
    root = copy("core-duration", tmp_path / "project")
    backend = root / "amplify" / "backend.ts"
    shown, errors, watched = [], [], []
    options = LintOptions(select=("AMP501",))

    def changes(paths):
        watched.extend(paths)
        first = _count(shown[-1])
        backend.write_text(backend.read_text(encoding="utf-8").replace(BAD, "import { Duration } from 'aws-cdk-lib';"))
        yield {("modified", str(backend))}
        assert _count(shown[-1]) == first - 1 and len(shown) == 2
        # Nothing amplint reads: no lint.
        yield {("modified", str(root / "README.md")), ("added", str(root / "amplify" / "node_modules" / "x.ts"))}
        assert len(shown) == 2
        extra = root / "amplify" / "extra.ts"
        extra.write_text("export { Duration } from 'aws-cdk-lib/aws-events';\n", encoding="utf-8")
        yield {("added", str(extra))}  # a new file: the backend is scanned again
        assert _count(shown[-1]) == first and len(shown) == 3
        saved = backend.read_bytes()
        backend.unlink()
        yield {("deleted", str(backend))}  # no backend any more: said, and the watch goes on
        assert len(shown) == 3 and len(errors) == 1
        backend.write_bytes(saved)
        yield {("added", str(backend))}
        assert _count(shown[-1]) == first and len(shown) == 4

    watch([root], options, shown.append, changes, errors.append)
    assert watched == [root] and len(shown) == 4
    assert "no Amplify backend" in errors[0]


def _reader(stream, lines: list[str]) -> threading.Thread:
    def read() -> None:
        for line in stream:
            lines.append(line)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def _wait(lines: list[str], condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition(lines):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {lines}")
        time.sleep(0.05)


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C is a POSIX signal here")
def test_the_command_redraws_after_an_edit_and_ctrl_c_exits_0(tmp_path):
    pytest.importorskip("watchfiles")
    root = copy("core-duration", tmp_path / "project")
    backend = root / "amplify" / "backend.ts"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "amplint", "check", "--watch", "--select", "AMP501", "--output-format", "concise", "."],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out: list[str] = []
    err: list[str] = []
    _reader(child.stdout, out)
    _reader(child.stderr, err)
    try:
        _wait(err, lambda e: any("watching for changes" in line for line in e), "the first report")
        first = sum("AMP501" in line for line in out)
        assert first > 1
        time.sleep(0.5)  # the watcher is set up after the first report
        backend.write_text(backend.read_text(encoding="utf-8").replace(BAD, "import { Duration } from 'aws-cdk-lib';"))
        _wait(err, lambda e: sum("watching for changes" in line for line in e) >= 2, "the second report")
        second = sum("AMP501" in line for line in out) - first
        assert second == first - 1
    finally:
        child.send_signal(signal.SIGINT)
        try:
            code = child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            raise
    assert code == 0


@pytest.mark.parametrize(
    ("blocked", "arguments", "extra"),
    [("watchfiles", ["check", "--watch"], "watch"), ("pygls", ["server"], "server")],
)
def test_a_missing_extra_is_named_in_one_line(tmp_path, blocked, arguments, extra):
    script = f"import sys\nsys.modules[{blocked!r}] = None\nfrom amplint.cli import main\nmain({arguments!r})\n"
    run = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"amplint: error: {'--watch' if extra == 'watch' else '`amplint server`'} needs the `{extra}` extra: "
        f"pip install 'amplint[{extra}]'"
    ]


def test_a_project_under_a_hidden_folder_is_linted_again(tmp_path):
    """Only the folders below the watched one count: a project in `~/.worktrees/` or `~/.local/src/`
    is watched like any other, while its own `.amplify/` and `node_modules/` are still passed over."""
    root = copy("core-duration", tmp_path / ".worktrees" / "project")
    backend = root / "amplify" / "backend.ts"
    shown, errors = [], []

    def changes(paths):
        first = _count(shown[-1])
        yield {("modified", str(root / "amplify" / ".amplify" / "generated" / "env.ts"))}
        yield {("added", str(root / "amplify" / "node_modules" / "x" / "index.ts"))}
        assert len(shown) == 1
        backend.write_text(backend.read_text(encoding="utf-8").replace(BAD, "import { Duration } from 'aws-cdk-lib';"))
        yield {("modified", str(backend))}
        assert len(shown) == 2 and _count(shown[-1]) == first - 1
        yield {("modified", str(root / "tsconfig.app.json"))}  # a project file: read again
        assert len(shown) == 3

    watch([root], LintOptions(select=("AMP501",)), shown.append, changes, errors.append)
    assert len(shown) == 3 and errors == []


def test_one_list_of_the_files_that_configure_a_root():
    from amplint.workspace import is_config_file

    for name in ("amplint.toml", "pyproject.toml", "package.json", "tsconfig.json", "tsconfig.app.json"):
        assert is_config_file(name), name
    for name in ("next.config.js", "next.config.mjs", "next.config.ts"):
        assert is_config_file(name), name
    for name in ("backend.ts", "tsconfig.ts", "resource.json", "config.toml", "next.config.json"):
        assert not is_config_file(name), name


def test_the_root_a_file_belongs_to(tmp_path):
    from amplint.workspace import root_of

    root = tmp_path / ".local" / "src" / "project"
    (root / "amplify" / "functions" / "x").mkdir(parents=True)
    (root / "amplify" / "backend.ts").write_text("", encoding="utf-8")
    assert root_of(root / "amplify" / "functions" / "x" / "handler.ts") == root
    assert root_of(root / "amplify" / "functions" / "x" / "package.json") == root
    assert root_of(root / "tsconfig.json") == root  # beside amplify/: a project file
    assert root_of(root / "src" / "app.ts") is None  # the frontend: no root of amplint's
    assert root_of(tmp_path / "other.ts") is None
