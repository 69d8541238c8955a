"""`amplint check --fix`, `--diff`, `--unsafe-fixes` and `--stdin-filename --fix` as users run them,
with fixes from checks injected into the command (tests/fix_injection.py), so the pipeline is tested
whichever rules have fixes; and fixes as every output format shows them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from fix_injection import ENV, write_backend

TESTS = Path(__file__).parent
REPO = TESTS.parent
BACKEND = "import { defineBackend } from '@aws-amplify/backend';\n\nconst OLD = 1;\n\ndefineBackend({});\n"
RUN = f"import sys; sys.path.insert(0, {str(TESTS)!r}); import fix_injection; fix_injection.install(); from amplint.cli import run; run()"


def amplint(
    *args: str, fixes: tuple[str, ...] = (), cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """`amplint ARGS` in `cwd`, with checks offering the fixes `fixes` (specs of fix_injection)."""
    env = {**os.environ, ENV: ";;".join(fixes), "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", RUN, *args, "--no-cache"],
        cwd=cwd,
        env=env,
        capture_output=True,
        input=stdin,
        timeout=120,
    )


def out(run: subprocess.CompletedProcess[bytes]) -> list[str]:
    return run.stdout.decode().splitlines()


def err(run: subprocess.CompletedProcess[bytes]) -> list[str]:
    return run.stderr.decode().splitlines()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_backend(tmp_path, BACKEND)
    (tmp_path / "amplify" / "data.ts").write_text("export const OLD_DATA = 'OLD';\n")
    return tmp_path


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- --diff ------------------------------------------------------------------------------------------


def test_diff_prints_every_fix_changes_nothing_and_exits_1(project):
    before = files(project)
    run = amplint("check", "--diff", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert run.returncode == 1, run.stderr
    assert files(project) == before
    assert out(run) == [
        "--- amplify/backend.ts",
        "+++ amplify/backend.ts",
        "@@ -1,5 +1,5 @@",
        " import { defineBackend } from '@aws-amplify/backend';",
        " ",
        "-const OLD = 1;",
        "+const NEW = 1;",
        " ",
        " defineBackend({});",
        "--- amplify/data.ts",
        "+++ amplify/data.ts",
        "@@ -1 +1 @@",
        "-export const OLD_DATA = 'OLD';",
        "+export const NEW_DATA = 'NEW';",
    ]
    assert err(run) == ["Would fix 3 findings in 2 files."]


def test_diff_applies_with_patch(project, tmp_path_factory):
    run = amplint("check", "--diff", fixes=("OLD=>NEW@AMP501",), cwd=project)
    fixed = amplint("check", "--fix", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert fixed.returncode == 0, fixed.stderr
    # What --diff printed is exactly what --fix did: reversing the patch restores the project.
    patch = subprocess.run(["patch", "-p0", "-R", "--dry-run"], cwd=project, input=run.stdout, capture_output=True)
    if patch.returncode == 127:
        pytest.skip("no `patch` here")
    assert patch.returncode == 0, patch.stdout + patch.stderr


def test_diff_without_fixes_exits_0(project):
    run = amplint("check", "--diff", cwd=project)
    assert run.returncode == 0 and run.stdout == b""
    assert err(run) == ["No fixes available."]


def test_diff_with_exit_zero_exits_0_and_refuses_a_report(project):
    assert amplint("check", "--diff", "--exit-zero", fixes=("OLD=>NEW@AMP501",), cwd=project).returncode == 0
    run = amplint("check", "--diff", "--output-format", "json", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert run.returncode == 2 and len(err(run)) == 1 and "--diff" in err(run)[0]


def test_diff_of_a_file_without_final_newline(tmp_path):
    write_backend(tmp_path, BACKEND.rstrip("\n"))
    run = amplint("check", "--diff", fixes=("defineBackend({})=>defineBackend({ })@AMP501",), cwd=tmp_path)
    assert out(run)[-4:] == [
        "-defineBackend({});",
        "\\ No newline at end of file",
        "+defineBackend({ });",
        "\\ No newline at end of file",
    ]


# -- --fix -------------------------------------------------------------------------------------------


def test_fix_writes_the_fixes_and_the_summary_counts_them(project):
    run = amplint("check", "--fix", "--output-format", "concise", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert run.returncode == 0, run.stderr
    assert (project / "amplify" / "backend.ts").read_text() == BACKEND.replace("OLD", "NEW")
    assert (project / "amplify" / "data.ts").read_text() == "export const NEW_DATA = 'NEW';\n"
    assert out(run) == ["No problems found in 2 files; fixed 3 findings in 2 files."]
    assert run.stderr == b""
    again = amplint("check", "--fix", "--output-format", "concise", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert out(again) == ["No problems found in 2 files."]


def test_fix_runs_until_fixes_stop_changing_the_code(project):
    # A fix whose result another fix takes further: three passes.
    fixes = ("OLD=>MID@AMP501", "MID=>NEW@AMP502")
    run = amplint("check", "--fix", "--output-format", "concise", fixes=fixes, cwd=project)
    assert run.returncode == 0, run.stderr
    assert (project / "amplify" / "backend.ts").read_text() == BACKEND.replace("OLD", "NEW")
    assert out(run) == ["No problems found in 2 files; fixed 6 findings in 2 files."]


def test_fix_reports_what_is_left_with_the_hidden_unsafe_fixes(project):
    fixes = ("OLD = 1=>NEW = 1@AMP501", "OLD_DATA=>NEW_DATA@AMP101!")
    run = amplint("check", "--fix", "--output-format", "concise", fixes=fixes, cwd=project)
    assert run.returncode == 1
    assert (project / "amplify" / "backend.ts").read_text() == BACKEND.replace("OLD", "NEW")
    assert (project / "amplify" / "data.ts").read_text() == "export const OLD_DATA = 'OLD';\n"
    assert out(run) == [
        "amplify/data.ts:1:14: error AMP101 `OLD_DATA` should be `NEW_DATA`",
        "Found 1 error in 1 file (2 files linted); fixed 1 finding in 1 file.",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    unsafe = amplint("check", "--fix", "--unsafe-fixes", "--output-format", "concise", fixes=fixes, cwd=project)
    assert unsafe.returncode == 0, unsafe.stderr
    assert (project / "amplify" / "data.ts").read_text() == "export const NEW_DATA = 'OLD';\n"
    assert out(unsafe) == ["No problems found in 2 files; fixed 1 finding in 1 file."]


def test_a_fix_that_never_settles_is_an_internal_error_naming_the_rule(project):
    before = files(project)
    run = amplint("check", "--fix", fixes=("GROW",), cwd=project)
    assert run.returncode == 2
    (line,) = err(run)
    assert line.startswith("amplint: error: internal error: ") and "AMP501 (duration-from-wrong-module)" in line
    assert "of amplify/backend.ts after 10 passes; no file was written" in line and run.stdout == b""
    assert files(project) == before  # nothing written


def test_the_fix_loop_is_bounded_in_the_library_too(project):
    from fix_injection import growing

    from amplint.api import LintOptions
    from amplint.checks import CHECKS
    from amplint.fixer import FixLoopError, fix

    before = files(project)
    with pytest.raises(FixLoopError) as raised:
        fix([project], LintOptions(cache=False), checks=[*CHECKS, growing("AMP603")], passes=3)
    assert raised.value.codes == ("AMP603",) and "after 3 passes" in str(raised.value)
    assert raised.value.files == (project / "amplify" / "backend.ts",)
    assert files(project) == before


# -- markers and hints without --fix ------------------------------------------------------------------


def test_reports_mark_fixable_findings_and_say_how_to_fix_them(project):
    fixes = ("OLD = 1=>NEW = 1@AMP501", "OLD_DATA=>NEW_DATA@AMP101!")
    run = amplint("check", "--output-format", "concise", fixes=fixes, cwd=project)
    assert out(run) == [
        "amplify/backend.ts:3:7: error AMP501 [*] `OLD = 1` should be `NEW = 1`",
        "amplify/data.ts:1:14: error AMP101 `OLD_DATA` should be `NEW_DATA`",
        "Found 2 errors in 2 files (2 files linted).",
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    unsafe = amplint("check", "--unsafe-fixes", "--output-format", "text", fixes=fixes, cwd=project)
    shown = out(unsafe)
    assert "amplify/backend.ts:3:7: error AMP501 [*] `OLD = 1` should be `NEW = 1`" in shown
    assert "amplify/data.ts:1:14: error AMP101 [*] `OLD_DATA` should be `NEW_DATA`" in shown
    assert shown[-1] == "[*] 2 fixable with the `--fix --unsafe-fixes` options."
    stats = amplint("check", "--statistics", fixes=fixes, cwd=project)
    assert out(stats) == [
        "1  AMP101  [ ] backend-key-not-registered             error",
        "1  AMP501  [*] duration-from-wrong-module             error",
    ]


# -- --stdin-filename --fix --------------------------------------------------------------------------


def test_stdin_fix_prints_the_fixed_text_and_the_report_on_stderr(project):
    path = project / "amplify" / "backend.ts"
    buffer = BACKEND.replace("defineBackend({});", "defineBackend({}); // unsaved OLD")
    run = amplint(
        "check", "--fix", "--stdin-filename", str(path), "--output-format", "concise",
        fixes=("OLD=>NEW@AMP501", "OLD_DATA=>X@AMP502"), cwd=project, stdin=buffer.encode(),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode() == buffer.replace("OLD", "NEW")  # only the buffer: data.ts is not its to fix
    assert err(run) == ["No problems found in 2 files; fixed 2 findings in 1 file."]
    assert path.read_text() == BACKEND and "OLD" in (project / "amplify" / "data.ts").read_text()


def test_stdin_fix_outside_a_project_gives_the_text_back_unchanged(tmp_path):
    run = amplint("check", "--fix", "--stdin-filename", str(tmp_path / "x.ts"), cwd=tmp_path, stdin=b"const OLD = 1;\n")
    assert run.returncode == 2 and run.stdout == b"const OLD = 1;\n"
    assert len(err(run)) == 1


def test_stdin_diff(project):
    path = project / "amplify" / "backend.ts"
    run = amplint(
        "check",
        "--diff",
        "--stdin-filename",
        str(path),
        fixes=("OLD=>NEW@AMP501",),
        cwd=project,
        stdin=BACKEND.encode(),
    )
    assert run.returncode == 1
    assert out(run)[:2] == ["--- amplify/backend.ts", "+++ amplify/backend.ts"] and "+const NEW = 1;" in out(run)


# -- configuration: fixable / unfixable ----------------------------------------------------------------


@pytest.mark.parametrize(
    "config", ['unfixable = ["AMP5"]\n', 'fixable = ["AMP1"]\n', 'fixable = ["AMP"]\nunfixable = ["AMP501"]\n']
)
def test_unfixable_rules_are_neither_fixed_nor_offered(project, config):
    (project / "amplint.toml").write_text(config)
    fixes = ("OLD = 1=>NEW = 1@AMP501", "OLD_DATA=>NEW_DATA@AMP101")
    run = amplint("check", "--fix", "--output-format", "concise", fixes=fixes, cwd=project)
    assert (project / "amplify" / "backend.ts").read_text() == BACKEND  # AMP501 is not fixable here
    assert (project / "amplify" / "data.ts").read_text() == "export const NEW_DATA = 'OLD';\n"
    assert out(run) == [
        "amplify/backend.ts:3:7: error AMP501 `OLD = 1` should be `NEW = 1`",
        "Found 1 error in 1 file (2 files linted); fixed 1 finding in 1 file.",
    ]
    document = json.loads(amplint("check", "--output-format", "json", fixes=fixes, cwd=project).stdout)
    assert [(d["code"], d["fix"]) for d in document["diagnostics"]] == [("AMP501", None)]


def test_show_settings_lists_the_fixable_rules(project):
    (project / "amplint.toml").write_text('fixable = ["AMP5"]\nunfixable = ["AMP501"]\n')
    settings = out(amplint("check", "--show-settings", cwd=project))
    fixable = next(line for line in settings if line.startswith("  fixable: "))
    codes = fixable.removeprefix("  fixable: ").split(", ")
    assert "AMP502" in codes and all(c.startswith("AMP5") and c != "AMP501" for c in codes)
    (project / "amplint.toml").write_text('unfixable = ["AMP9"]\n')
    assert amplint("check", cwd=project).returncode == 2  # an unknown selector is a configuration error


# -- fixes in the machine formats ----------------------------------------------------------------------


def test_json_fix_edits_have_positions_and_validate(tmp_path):
    write_backend(tmp_path, ("\ufeff// é😀\n" + BACKEND).replace("\n", "\r\n").encode())
    run = amplint("check", "--output-format", "json", fixes=("😀=>a\\nb@AMP501",), cwd=tmp_path)
    document = json.loads(run.stdout)
    schema = json.loads((REPO / "amplint" / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(document)
    (finding,) = document["diagnostics"]
    assert finding["fix"]["applicability"] == "safe"
    (edit,) = finding["fix"]["edits"]
    # after the byte order mark, `// é` is 4 code points and 4 UTF-16 units; the emoji is 1 and 2
    assert edit["start"] == {"line": 1, "column": 5, "utf16Column": 5}
    assert edit["end"] == {"line": 1, "column": 6, "utf16Column": 7}
    assert (edit["startByte"], edit["endByte"]) == (8, 12)
    assert edit["replacement"] == "a\r\nb"  # in the file's line endings


def test_sarif_fixes_validate_and_locate_the_edit(project):
    sarif_schema = TESTS / "schemas" / "sarif-schema-2.1.0.json"
    run = amplint(
        "check", "--output-format", "sarif", fixes=("OLD = 1=>NEW = 1@AMP501", "OLD_DATA=>@AMP101!"), cwd=project
    )
    document = json.loads(run.stdout)
    jsonschema.Draft4Validator(json.loads(sarif_schema.read_text())).validate(document)
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    (fix,) = results["AMP501"]["fixes"]
    assert fix["properties"] == {"applicability": "safe"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"].endswith("amplify/backend.ts")
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 3, "startColumn": 7, "endLine": 3, "endColumn": 14},
            "insertedContent": {"text": "NEW = 1"},
        }
    ]
    (deletion,) = results["AMP101"]["fixes"]
    assert deletion["properties"] == {"applicability": "unsafe"}
    assert deletion["artifactChanges"][0]["replacements"] == [
        {"deletedRegion": {"startLine": 1, "startColumn": 14, "endLine": 1, "endColumn": 22}}
    ]


# -- what --fix leaves alone -----------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_read_only_file_is_an_error_naming_it_as_findings_do(project):
    """Exit 2, the path relative to the working directory (as in the findings), the others fixed."""
    backend = project / "amplify" / "backend.ts"
    backend.chmod(0o444)
    run = amplint("check", "--fix", "--output-format", "concise", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert run.returncode == 2
    assert backend.read_text() == BACKEND
    assert (project / "amplify" / "data.ts").read_text() == "export const NEW_DATA = 'NEW';\n"
    assert out(run)[0] == "amplify/backend.ts:3:7: error AMP501 [*] `OLD` should be `NEW`"
    assert err(run) == [
        "amplint: error: amplify/backend.ts: cannot write the fixed file: Permission denied (the file is read-only)"
    ]


def test_a_file_that_does_not_parse_is_neither_fixed_nor_offered_a_fix(project):
    data = project / "amplify" / "data.ts"
    data.write_text("export const OLD_DATA = 'OLD';\nconst = ;\n")
    run = amplint("check", "--fix", "--output-format", "concise", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert (project / "amplify" / "backend.ts").read_text() == BACKEND.replace("OLD", "NEW")
    assert data.read_text() == "export const OLD_DATA = 'OLD';\nconst = ;\n"
    shown = out(run)
    assert "amplify/data.ts:1:14: error AMP501 `OLD` should be `NEW`" in shown  # no [*]
    assert not any("[*]" in line for line in shown)
    diff = amplint("check", "--diff", fixes=("OLD=>NEW@AMP501",), cwd=project)
    assert diff.returncode == 0 and diff.stdout == b""  # backend.ts is fixed now; data.ts offers nothing
    document = json.loads(amplint("check", "--output-format", "json", fixes=("OLD=>NEW@AMP501",), cwd=project).stdout)
    assert {d["code"]: d["fix"] for d in document["diagnostics"] if d["code"] == "AMP501"} == {"AMP501": None}


def test_the_fix_loop_error_names_files_as_findings_do(project, tmp_path_factory, monkeypatch):
    """Relative to the working directory even outside it (`../`), as every report shows paths."""
    from fix_injection import growing

    from amplint.api import LintOptions
    from amplint.checks import CHECKS
    from amplint.fixer import FixLoopError, fix
    from amplint.reporters import display_path

    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    with pytest.raises(FixLoopError) as raised:
        fix([project], LintOptions(cache=False), checks=[*CHECKS, growing()], passes=2)
    shown = display_path(project / "amplify" / "backend.ts")
    assert shown.startswith("../") and f" of {shown} after 2 passes" in str(raised.value)
