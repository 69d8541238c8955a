"""Commands that lint nothing start fast: the rule table names each check without importing it, so
`amplint rule`, `amplint rules` and `--help` never load the model, the checks or tree-sitter."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = (
    "import sys\nfrom amplint.cli import main\n"
    "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
    "loaded = sorted(m for m in sys.modules if m.startswith(('amplint.model', 'amplint.checks.', 'tree_sitter')))\n"
    "print(code, *loaded, file=sys.stderr)\n"
)


@pytest.mark.parametrize(
    "arguments",
    [
        ["rule", "AMP501"],
        ["rule", "amp203", "--output-format", "json"],
        ["rules"],
        ["rules", "--output-format", "json"],
        ["--help"],
        ["check", "--help"],
    ],
)
def test_a_command_that_lints_nothing_imports_no_model_and_no_check(arguments):
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, *arguments], capture_output=True, text=True, timeout=120, check=False
    )
    assert run.stderr.split() == ["0"]
    assert run.stdout


def test_linting_imports_the_checks_the_table_names(tmp_path):
    """The other side of the same table: a lint runs every check, imported on first use."""
    (tmp_path / "amplify").mkdir()
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n", encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, "check", str(tmp_path), "--isolated"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    code, *loaded = run.stderr.split()
    assert code == "0"
    assert "amplint.model.backend" in loaded and "amplint.checks.duration" in loaded


def test_a_cache_hit_imports_no_model_no_check_and_no_tree_sitter(tmp_path):
    """A root whose result comes from the cache is not parsed: nothing of the model is even loaded."""
    (tmp_path / "amplify").mkdir()
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\nimport { Duration } from 'aws-cdk-lib/aws-events';\n"
        "defineBackend({});\n",
        encoding="utf-8",
    )
    argv = [sys.executable, "-c", SCRIPT, "check", str(tmp_path), "--isolated", "--cache-dir", str(tmp_path / "c")]
    cold = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    warm = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert cold.stderr.split()[0] == "1" and "amplint.model.backend" in cold.stderr.split()
    assert warm.stderr.split() == ["1"]
    assert warm.stdout == cold.stdout and "AMP501" in warm.stdout


@pytest.mark.parametrize("arguments", [["--help"], ["check", "--help"], ["server", "--help"], ["check"]])
def test_the_cli_does_not_import_the_server_or_watch_packages(tmp_path, arguments):
    """pygls, lsprotocol and watchfiles (the `server` and `watch` extras) load only for `amplint
    server` and `check --watch`."""
    (tmp_path / "amplify").mkdir()
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n", encoding="utf-8"
    )
    script = SCRIPT.replace("'amplint.model', 'amplint.checks.', 'tree_sitter'", "'pygls', 'lsprotocol', 'watchfiles'")
    run = subprocess.run(
        [sys.executable, "-c", script, *arguments, *(["--isolated", str(tmp_path)] if arguments == ["check"] else [])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.stderr.split() == ["0"]


@pytest.mark.parametrize(("arguments", "fixer"), [([], False), (["--diff"], True), (["--fix"], True)])
def test_the_fixer_loads_only_when_fixing(tmp_path, arguments, fixer):
    """A plain lint needs no fixer: it is imported for `--fix` and `--diff` only."""
    (tmp_path / "amplify").mkdir()
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n", encoding="utf-8"
    )
    script = SCRIPT.replace("'amplint.model', 'amplint.checks.', 'tree_sitter'", "'amplint.fixer',")
    run = subprocess.run(
        [sys.executable, "-c", script, "check", "--isolated", "--no-cache", str(tmp_path), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    code, *loaded = run.stderr.splitlines()[-1].split()
    assert code == "0", run.stderr
    assert loaded == (["amplint.fixer"] if fixer else [])


def test_a_plain_check_loads_no_openssl_and_no_difflib(tmp_path):
    """Start-up: the cache hashes with BLAKE2 itself and names its temporary file with os.urandom, so
    no run loads `hashlib`'s OpenSSL (about 4 ms); difflib (1-2 ms) loads only for a finding that
    suggests a close name. Checked on a cold run (it writes the cache) and a warm one."""
    (tmp_path / "amplify").mkdir()
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n", encoding="utf-8"
    )
    script = SCRIPT.replace("'amplint.model', 'amplint.checks.', 'tree_sitter'", "'hashlib', '_hashlib', 'difflib'")
    argv = [sys.executable, "-c", script, "check", "--isolated", "--cache-dir", str(tmp_path / "c"), str(tmp_path)]
    for run in range(2):
        result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
        assert result.stderr.split() == ["0"], (run, result.stderr)
    assert any((tmp_path / "c").glob("*.json"))  # the first run did write the cache


def test_a_check_without_the_cache_loads_neither_the_cache_nor_json_nor_glob(tmp_path):
    """`--no-cache` (and an editor's session) does not load the cache module, nor the facts pack's
    reader and `pickle` (about 4 ms); `json` loads only for a
    configuration, a tsconfig or the layers' package.json that is read, or a finding that quotes
    JSON; `glob` only for a path with a glob in it. A package.json the run has no reason to read is
    there, and named without a glob."""
    (tmp_path / "amplify").mkdir()
    (tmp_path / "package.json").write_text('{"name": "app", "type": "module"}\n', encoding="utf-8")
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n", encoding="utf-8"
    )
    script = SCRIPT.replace(
        "'amplint.model', 'amplint.checks.', 'tree_sitter'",
        "'amplint.cache', 'json', 'glob', 'amplint.model.stored', 'pickle'",
    )
    argv = [sys.executable, "-c", script, "check", "--isolated", "--no-cache", str(tmp_path)]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert result.stderr.split() == ["0"], result.stderr
    cached = subprocess.run(
        [*argv[:-2], "--cache-dir", str(tmp_path / "c"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    loaded = cached.stderr.split()
    assert {"amplint.cache", "json", "amplint.model.stored", "pickle"} <= set(loaded)  # the test can tell
