"""The result cache: a second `amplint check` of an unchanged backend reuses the first one's result
(and parses nothing) with exactly the same output; any change to a linted file, a setting or a project
file is seen; a damaged or foreign cache is ignored and rewritten; the cache lives where it is told
and never where it is not wanted."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy, fixture_roots

import amplint
from amplint import cache, syntax
from amplint.api import LintOptions, lint
from amplint.cli import main
from amplint.diagnostics import Diagnostic, Edit, Fix, Location, RelatedLocation, Severity, Span
from amplint.model import backend as backend_model

FORMATS = ("text", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit")


def check(*args: str) -> tuple[int, str, str]:
    run = CliRunner().invoke(main, ["check", *args])
    if run.exception and not isinstance(run.exception, SystemExit):
        raise run.exception
    return run.exit_code, run.stdout, run.stderr


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A backend with findings of several kinds (cross-file, related locations, suppressions), linted
    from its own folder with the default cache location."""
    root = copy("suppress-directives", tmp_path / "app")
    monkeypatch.chdir(root)
    monkeypatch.delenv("AMPLINT_CACHE_DIR", raising=False)
    return root


# -- hits -------------------------------------------------------------------------------------------


def test_a_second_run_parses_nothing_and_prints_the_same_in_every_format(project, monkeypatch):
    expected = {f: check("--no-cache", "--output-format", f, "--color", "never") for f in FORMATS}
    assert expected["concise"][0] == 1 and "AMP501" in expected["concise"][1]
    assert not (project / ".amplint_cache").exists()
    check("--output-format", "concise")  # writes the cache
    assert len(entries(project / ".amplint_cache")) == 1
    monkeypatch.setattr(syntax, "SourceFile", None)  # a miss would fail: nothing may be parsed
    for name in FORMATS:
        assert check("--output-format", name, "--color", "never") == expected[name], name


def test_a_hit_gives_the_api_result_of_a_miss_for_every_fixture(tmp_path, monkeypatch):
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    roots = fixture_roots()
    cold = {root: lint([root]) for root in roots}
    for root in roots:
        assert lint([root], options).diagnostics == cold[root].diagnostics, root.name
    assert len(entries(tmp_path / "cache")) == len(roots)  # one entry a root in a shared folder
    monkeypatch.setattr(syntax, "SourceFile", None)  # a miss would fail: nothing may be parsed
    for root in roots:
        warm, expected = lint([root], options), cold[root]
        assert warm.errors == expected.errors == [], root.name
        assert warm.diagnostics == expected.diagnostics, root.name
        assert [d.severity for d in warm.diagnostics] == [d.severity for d in expected.diagnostics]
        assert (warm.files, warm.sources, warm.codes) == (expected.files, expected.sources, expected.codes)
        assert warm.settings == expected.settings


def test_the_library_api_caches_nothing_unless_asked(project, parsed):
    files = lint([project]).files
    lint([project])
    assert len(parsed) == 2 * files
    assert not (project / ".amplint_cache").exists()


def test_every_field_of_a_diagnostic_survives_the_cache(tmp_path):
    where = Location(path=tmp_path / "amplify" / "backend.ts", span=Span(3, 5, 4, 1, 40, 58))
    elsewhere = Location(path=tmp_path / "amplify" / "data" / "résource.ts", span=Span(1, 1, 1, 2))
    diagnostics = [
        Diagnostic(
            code="AMP501",
            message="`Duration` 🚀 \udcff from the wrong module",
            location=where,
            severity=Severity.WARNING,
            related=(RelatedLocation(location=elsewhere, message="defined here"),),
            fix=Fix(
                message="import it from 'aws-cdk-lib'",
                edits=(Edit(path=where.path, start_byte=40, end_byte=58, replacement="'aws-cdk-lib'\n"),),
                applicability="unsafe",
            ),
            suppressed_by="amplint-disable-line AMP501 -- legacy",
        ),
        Diagnostic(code="AMP101", message="plain", location=where),
    ]
    entry = cache.entry(tmp_path / "cache", tmp_path, None, [(where.path, b"x")], {})
    assert entry is not None
    entry.save(diagnostics)
    assert entry.load(frozenset({"AMP501", "AMP101"})) == diagnostics
    # every field was set to something other than its default above
    for record, names in (
        (Diagnostic, {"code", "message", "location", "severity", "related", "fix", "suppressed_by"}),
        (Fix, {"message", "edits", "applicability"}),
        (Edit, {"path", "start_byte", "end_byte", "replacement"}),
        (RelatedLocation, {"location", "message"}),
        (Location, {"path", "span"}),
        (Span, {"start_line", "start_column", "end_line", "end_column", "start_byte", "end_byte"}),
    ):
        assert set(record._fields) == names, f"{record.__name__} has a field the cache does not store"


# -- misses -----------------------------------------------------------------------------------------


def test_an_edited_file_is_linted_again(project, parsed):
    first = check()
    handler = project / "amplify" / "backend.ts"
    handler.write_text(handler.read_text(encoding="utf-8").replace("backend.nightli", "backend.nightly"))
    parsed.clear()
    second = check()
    assert parsed and "error AMP101" in first[1] and "error AMP101" not in second[1]
    parsed.clear()
    assert check() == second and parsed == []
    assert len(entries(project / ".amplint_cache")) == 1  # replaced, not added


def test_a_changed_setting_is_seen(project, parsed):
    assert {"AMP501", "AMP003"} <= found(check())
    parsed.clear()
    assert "AMP501" not in found(check("--ignore", "AMP501")) and parsed
    (project / "amplint.toml").write_text('ignore = ["AMP003"]\n')
    parsed.clear()
    run = check()
    assert "AMP003" not in found(run) and "AMP501" in found(run) and parsed
    (project / "amplint.toml").write_text('ignore = ["AMP003"]\n[severity]\nAMP501 = "warning"\n')
    parsed.clear()
    run = check()
    assert ": warning AMP501 " in run[1] and ": error AMP501 " not in run[1] and parsed
    parsed.clear()
    assert "AMP004" in found(check("--require-reason")) and parsed
    (project / "amplint.toml").write_text(
        'extend-exclude = ["legacy/**"]\nfail-on = "warning"\nrequire-reason = true\n'
        '[severity]\nAMP003 = "info"\n[per-file-ignores]\n"backend.ts" = ["AMP501"]\n'
    )
    parsed.clear()
    run = check()
    assert "AMP501" not in found(run) and ": info AMP003 " in run[1] and parsed
    parsed.clear()
    assert check() == run and parsed == []  # settings of every kind are cached too


def found(run: tuple[int, str, str]) -> set[str]:
    """The codes of a concise report."""
    return set(re.findall(r": (?:error|warning|info) (AMP\d{3}) ", run[1]))


def test_a_changed_project_file_is_seen(tmp_path, monkeypatch, parsed):
    root = copy("recall-frontend-tsconfig", tmp_path / "app")
    monkeypatch.chdir(root)
    assert "AMP113" in found(check())
    tsconfig = root / "tsconfig.json"
    tsconfig.write_text(tsconfig.read_text(encoding="utf-8").replace('"node_modules"', '"node_modules", "amplify"'))
    parsed.clear()
    assert "AMP113" not in found(check()) and parsed


def test_a_root_with_an_internal_error_is_not_cached(project, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("model bug")

    with monkeypatch.context() as patch:
        patch.setattr(backend_model, "Backend", broken)
        assert check()[0] == 2
    assert entries(project / ".amplint_cache") == []
    assert check()[0] == 1 and len(entries(project / ".amplint_cache")) == 1


# -- damaged entries --------------------------------------------------------------------------------


def _damaged(kind: str, good: bytes) -> bytes:
    document = json.loads(good)
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "garbage":
        return b"\x80\x00not json at all"
    if kind == "empty":
        return b""
    if kind == "deep":
        return b"[" * 100_000 + b"]" * 100_000
    if kind == "other-version":
        document["format"] = cache.FORMAT + 1
    elif kind == "other-key":
        document["key"] = "0" * 64
    elif kind == "other-root":
        document["root"] = "/somewhere/else"
    elif kind == "not-an-object":
        document = [document]
    elif kind == "bad-line":
        document["diagnostics"][0]["location"]["span"][0] = "3"
    elif kind == "bad-severity":
        document["diagnostics"][0]["severity"] = "fatal"
    elif kind == "unknown-code":
        document["diagnostics"][0]["code"] = "AMP999"
    elif kind == "missing-field":
        del document["diagnostics"][0]["message"]
    elif kind == "relative-path":
        document["diagnostics"][0]["location"]["path"] = "amplify/backend.ts"
    elif kind == "short-span":
        document["diagnostics"][0]["location"]["span"].pop()
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    "kind",
    [
        "truncated",
        "garbage",
        "empty",
        "deep",
        "other-version",
        "other-key",
        "other-root",
        "not-an-object",
        "bad-line",
        "bad-severity",
        "unknown-code",
        "missing-field",
        "relative-path",
        "short-span",
    ],
)
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(project, parsed, kind):
    expected = check()
    (entry,) = entries(project / ".amplint_cache")
    good = entry.read_bytes()
    entry.write_bytes(_damaged(kind, good))
    parsed.clear()
    assert check() == expected and parsed
    assert entry.read_bytes() == good
    parsed.clear()
    assert check() == expected and parsed == []


def test_an_entry_that_is_a_folder_is_no_crash(project, parsed):
    expected = check()
    (entry,) = entries(project / ".amplint_cache")
    entry.unlink()
    entry.mkdir()
    parsed.clear()
    assert check() == expected and parsed


# -- where the cache lives --------------------------------------------------------------------------


def test_the_default_cache_is_beside_amplify_and_ignored_by_git(project):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    before = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=project, capture_output=True, text=True)
    check()
    folder = project / ".amplint_cache"
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    after = subprocess.run(["git", "status", "--porcelain", "-uall"], cwd=project, capture_output=True, text=True)
    assert after.stdout == before.stdout
    assert [p.name for p in folder.iterdir() if p.suffix == ".tmp"] == []  # no temporary file left behind


def test_no_cache_reads_and_writes_nothing(project, parsed):
    check()
    parsed.clear()
    check("--no-cache")
    assert parsed  # not read
    shutil.rmtree(project / ".amplint_cache")
    check("--no-cache")
    assert not (project / ".amplint_cache").exists()  # not written


def test_stdin_is_never_cached(project, parsed):
    backend = project / "amplify" / "backend.ts"
    run = CliRunner().invoke(main, ["check", "--stdin-filename", str(backend)], input=backend.read_bytes())
    assert run.exit_code == 1 and "AMP501" in run.stdout
    assert not (project / ".amplint_cache").exists()


def test_cache_dir_and_the_environment_choose_the_folder(project, tmp_path, monkeypatch, parsed):
    check("--cache-dir", "../flag-cache")
    assert len(entries(tmp_path / "flag-cache")) == 1 and not (project / ".amplint_cache").exists()
    assert (tmp_path / "flag-cache" / ".gitignore").is_file()
    monkeypatch.setenv("AMPLINT_CACHE_DIR", str(tmp_path / "env-cache"))
    check()
    assert len(entries(tmp_path / "env-cache")) == 1
    parsed.clear()
    check("--cache-dir", str(tmp_path / "flag-cache"))  # the flag wins over the environment
    assert parsed == []
    assert not (project / ".amplint_cache").exists()


def test_a_chosen_folder_that_exists_gets_no_gitignore(project, tmp_path):
    (tmp_path / "mine").mkdir()
    check("--cache-dir", str(tmp_path / "mine"))
    assert len(entries(tmp_path / "mine")) == 1 and not (tmp_path / "mine" / ".gitignore").exists()


def test_an_unwritable_cache_folder_still_lints(project, tmp_path, parsed):
    expected = check("--no-cache")
    (tmp_path / "a-file").write_text("not a folder")
    for folder in (tmp_path / "a-file", tmp_path / "a-file" / "cache"):
        parsed.clear()
        assert check("--cache-dir", str(folder)) == expected and parsed
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_two_backends_share_a_cache_folder(tmp_path, monkeypatch, parsed):
    for name in ("core-duration", "core-data"):
        copy(name, tmp_path / "apps" / name)
    monkeypatch.chdir(tmp_path)
    expected = check("--no-cache", "apps")
    assert check("--cache-dir", "cache", "apps") == expected
    assert len(entries(tmp_path / "cache")) == 2
    parsed.clear()
    assert check("--cache-dir", "cache", "apps") == expected and parsed == []
    assert check("--cache-dir", "cache", "apps/core-data") == check("--no-cache", "apps/core-data")


def _copy_of_amplint(site: Path) -> dict[str, str]:
    """amplint's package copied into `site`: the environment that runs it from there."""
    shutil.copytree(Path(amplint.__file__).parent, site / "amplint", ignore=shutil.ignore_patterns("__pycache__"))
    return {**os.environ, "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1"}


def _cache_keys(project: Path, cache_dir: Path, env: dict[str, str]) -> tuple[str, bytes]:
    """The result entry's key and the facts pack's header (which names the code that wrote it) after
    `amplint check` of `project` in that environment."""
    run = subprocess.run(
        [sys.executable, "-m", "amplint", "check", "--cache-dir", str(cache_dir), str(project)],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    (entry,) = entries(cache_dir)
    (pack,) = cache_dir.glob("*.facts")
    return json.loads(entry.read_bytes())["key"], pack.read_bytes().split(b"\n", 1)[0]


def test_a_release_installed_again_reads_its_cache_and_another_does_not(project, tmp_path):
    """pip gives each file of an installed package the time of the install: a CI job that installs the
    same release on every run keeps its cache; one that installs another release (other files) does not."""
    site = tmp_path / "venv" / "site-packages"
    env = _copy_of_amplint(site)
    first = _cache_keys(project, tmp_path / "cache", env)
    for path in (site / "amplint").rglob("*.py"):  # installed again: every file new, the same content
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert _cache_keys(project, tmp_path / "cache", env) == first
    changed = site / "amplint" / "checks" / "duration.py"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# another release\n", encoding="utf-8")
    second = _cache_keys(project, tmp_path / "cache", env)
    assert second[0] != first[0] and second[1] != first[1]


def test_a_change_to_amplints_own_code_is_a_miss(project, tmp_path):
    """An editable install under development: the same version, but a file of the package changed."""
    site = tmp_path / "site"
    env = _copy_of_amplint(site)
    first = _cache_keys(project, tmp_path / "cache", env)
    assert _cache_keys(project, tmp_path / "cache", env) == first
    changed = site / "amplint" / "checks" / "duration.py"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    second = _cache_keys(project, tmp_path / "cache", env)
    assert second[0] != first[0] and second[1] != first[1]  # neither is read by other code
