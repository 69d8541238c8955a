"""The command line as CI, pre-commit and editors use it: reports to stdout and files, the exit
policy, stdin buffers, rule documentation as JSON, and one-line usage errors that exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy, write_files

from amplint.checks import RULES


def amplint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amplint", *args], cwd=cwd, capture_output=True, text=True, timeout=120, input=stdin
    )


def warnings_only(folder: Path) -> Path:
    """A backend whose only findings are two warnings: functions nothing deploys (AMP102)."""
    for name in ("audit", "cleanup"):
        function = folder / "amplify" / "functions" / name
        function.mkdir(parents=True)
        (function / "resource.ts").write_text(
            "import { defineFunction } from '@aws-amplify/backend';\n"
            f"export const {name} = defineFunction({{ name: '{name}' }});\n"
        )
        (function / "handler.ts").write_text("export const handler = async () => {};\n")
    (folder / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n"
    )
    return folder


def one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.startswith("amplint: error: ")
    return line


# -- reports ---------------------------------------------------------------------------------------


def test_one_run_writes_sarif_to_a_file_and_annotations_to_stdout(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    run = amplint("check", "--output-format", "github", "--output", "sarif:reports/amplint.sarif", cwd=project)
    assert run.returncode == 1, run.stderr
    assert run.stdout.count("::error ") == 6
    sarif = json.loads((project / "reports" / "amplint.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 6
    # the same with --output for both
    again = amplint("check", "--output", "github", "--output", "sarif:again.sarif", cwd=project)
    assert again.stdout == run.stdout
    assert json.loads((project / "again.sarif").read_text()) == sarif


def test_output_file_takes_the_report_off_stdout(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    run = amplint("check", "--output-format", "json", "-o", "out.json", cwd=project)
    assert run.returncode == 1 and run.stdout == "" and run.stderr == ""
    assert len(json.loads((project / "out.json").read_text())["diagnostics"]) == 6


def test_an_extra_report_keeps_the_default_one_on_stdout(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    run = amplint("check", "--output", "junit:junit.xml", cwd=project)
    assert run.stdout.startswith("amplify/backend.ts:4:10: error AMP501 ")  # concise: stdout is not a terminal
    assert (project / "junit.xml").read_text().startswith("<?xml")


@pytest.mark.parametrize(
    "args, problem",
    [
        (["--output", "github", "--output", "json"], "only one report can go to stdout"),
        (["--output-format", "concise", "--output", "github"], "only one report can go to stdout"),
        (["--output", "yaml:out.yaml"], "unknown format `yaml`"),
        (["--output", "sarif:"], "names no file"),
        (["--output", "sarif:a.sarif", "--output", "json:a.sarif"], "same file"),
        (["--select", "AMP5,XYZ"], "--select: unknown rule code or prefix `XYZ`"),
        (["--ignore", "AMP9"], "--ignore: unknown rule code or prefix `AMP9`"),
        (["--extend-select", "AMP0001"], "--extend-select: unknown rule code or prefix `AMP0001`"),
        (["--config", "amplint.toml", "--isolated"], "--config and --isolated cannot be used together"),
        (["-"], "needs --stdin-filename"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(tmp_path, args, problem):
    project = copy("core-duration", tmp_path / "app")
    assert problem in one_error_line(amplint("check", *args, cwd=project))


# -- exit policy -----------------------------------------------------------------------------------


def test_warnings_alone_exit_0_and_fail_on_warning_makes_them_fail(tmp_path):
    project = warnings_only(tmp_path / "app")
    plain = amplint("check", cwd=project)
    assert plain.returncode == 0, plain.stdout
    assert "warning" in plain.stdout.splitlines()[-1]
    assert amplint("check", "--fail-on", "warning", cwd=project).returncode == 1
    assert amplint("check", "--fail-on", "error", cwd=project).returncode == 0


def test_fail_on_info_fails_on_any_finding(tmp_path):
    project = warnings_only(tmp_path / "app")
    assert amplint("check", "--fail-on", "info", cwd=project).returncode == 1


def test_max_warnings(tmp_path):
    project = warnings_only(tmp_path / "app")
    over = amplint("check", "--max-warnings", "1", cwd=project)
    assert over.returncode == 1
    assert over.stderr == "amplint: too many warnings: 2 (--max-warnings 1)\n"
    assert amplint("check", "--max-warnings", "2", cwd=project).returncode == 0
    assert amplint("check", "--max-warnings", "2", "--fail-on", "warning", cwd=project).returncode == 1


def test_exit_zero_passes_findings_but_not_errors(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    passed = amplint("check", "--exit-zero", cwd=project)
    assert passed.returncode == 0 and "AMP501" in passed.stdout
    assert amplint("check", "--exit-zero", "missing", cwd=project).returncode == 2
    (project / "amplify" / "gone.ts").symlink_to("nowhere.ts")  # an unreadable file: an error, not a finding
    run = amplint("check", "--exit-zero", cwd=project)
    assert run.returncode == 2 and "gone.ts" in run.stderr


# -- editors: stdin --------------------------------------------------------------------------------


def test_stdin_is_linted_as_the_named_file_with_the_rest_from_disk(tmp_path):
    project = copy("core-data", tmp_path / "app")
    handler = "amplify/functions/ungranted/handler.ts"
    # the unsaved buffer passes the wrong auth mode; on disk the handler is fine for AMP202
    buffer = (
        (project / handler)
        .read_text()
        .replace("generateClient<Schema>()", "generateClient<Schema>({ authMode: 'userPool' })")
    )
    run = amplint("check", "--stdin-filename", handler, "--output-format", "json", cwd=project, stdin=buffer)
    assert run.returncode == 1, run.stderr
    diagnostics = json.loads(run.stdout)["diagnostics"]
    assert {(d["file"], d["code"]) for d in diagnostics} == {(handler, "AMP202")}
    # the rest of the project was read from disk: without the buffer, this file has no findings
    on_disk = amplint("check", "--output-format", "json", cwd=project)
    assert not any(d["file"] == handler for d in json.loads(on_disk.stdout)["diagnostics"])


def test_stdin_frames_show_the_buffer_not_the_disk(tmp_path):
    project = copy("core-handler-return", tmp_path / "app")
    buffer = "import { Duration } from 'aws-cdk-lib/aws-lambda';\nexport const t = Duration.minutes(1);\n"
    run = amplint(
        "check", "--stdin-filename", "amplify/timeouts.ts", "--output-format", "text", "-", cwd=project, stdin=buffer
    )
    assert run.returncode == 1, run.stderr
    assert "amplify/timeouts.ts:1:10: error AMP501" in run.stdout  # a file that does not exist on disk yet
    assert "import { Duration } from 'aws-cdk-lib/aws-lambda';" in run.stdout


def test_stdin_of_an_excluded_file_has_no_findings(tmp_path):
    project = copy("core-handler-return", tmp_path / "app")
    (project / "amplint.toml").write_text('exclude = ["amplify/generated/**"]\n')
    buffer = "import { Duration } from 'aws-cdk-lib/aws-lambda';\n"
    run = amplint("check", "--stdin-filename", "amplify/generated/client.ts", cwd=project, stdin=buffer)
    assert run.returncode == 0 and run.stdout.startswith("No problems found"), run.stdout
    run = amplint("check", "--stdin-filename", "amplify/client.ts", cwd=project, stdin=buffer)
    assert run.returncode == 1 and "amplify/client.ts:1:10: error AMP501" in run.stdout


def test_stdin_outside_a_project_is_an_error(tmp_path):
    line = one_error_line(amplint("check", "--stdin-filename", "src/app.ts", cwd=tmp_path, stdin="export {};\n"))
    assert "src/app.ts: not inside an Amplify project" in line


def test_stdin_with_paths_is_a_usage_error(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    line = one_error_line(
        amplint("check", "--stdin-filename", "amplify/backend.ts", "amplify", cwd=project, stdin="export {};\n")
    )
    assert "--stdin-filename lints stdin only" in line


# -- pre-commit: files outside any backend -----------------------------------------------------------


def test_files_outside_projects_are_an_error_unless_skipped(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    legacy = tmp_path / "legacy" / "amplify" / "backend" / "function" / "x" / "index.js"
    legacy.parent.mkdir(parents=True)
    legacy.write_text("exports.handler = async () => {};\n")
    args = ("app/amplify/timeouts.ts", "legacy/amplify/backend/function/x/index.js")
    assert "not inside an Amplify project" in one_error_line(amplint("check", *args, cwd=tmp_path))
    run = amplint("check", "--skip-outside-projects", *args, cwd=tmp_path)
    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout.count(": error AMP501 ") == 6  # the whole backend of the one file inside a project
    only_outside = amplint("check", "--skip-outside-projects", args[1], cwd=tmp_path)
    assert only_outside.returncode == 0 and only_outside.stdout == "No problems found in 0 files.\n"
    assert project.is_dir()


# -- rules and introspection -----------------------------------------------------------------------


def test_rule_as_json(tmp_path):
    run = amplint("rule", "amp501", "--output-format", "json", cwd=tmp_path)
    assert run.returncode == 0
    document = json.loads(run.stdout)
    assert document["code"] == "AMP501" and document["name"] == "duration-from-wrong-module"
    assert document["severity"] == "error" and document["fixable"] == (RULES["AMP501"].fix_safety or "no")
    assert document["url"].endswith("/rules/AMP501.md")
    assert document["explanation"].startswith("# duration-from-wrong-module (AMP501)\n")


def test_rules_as_json_list_every_rule(tmp_path):
    run = amplint("rules", "--output-format", "json", cwd=tmp_path)
    listed = json.loads(run.stdout)
    assert [r["code"] for r in listed] == sorted(RULES)
    assert {k for r in listed for k in r} == {"code", "name", "severity", "summary", "fixable", "url"}
    assert {r["code"]: r["fixable"] for r in listed} == {c: r.fix_safety or "no" for c, r in RULES.items()}


def test_show_settings_and_files(tmp_path):
    project = copy("config-amplint-toml", tmp_path / "app")
    settings = amplint("check", "--show-settings", "--fail-on", "error", cwd=project)
    assert settings.returncode == 0, settings.stderr
    lines = settings.stdout.splitlines()
    assert lines[0] == "backend: ."
    assert "  configuration: amplint.toml" in lines
    assert "  severity: AMP102=error" in lines
    assert "  exclude: amplify/generated/**" in lines
    assert "  fail-on: error" in lines  # the command line wins over the file's `warning`
    select = next(line for line in lines if line.startswith("  select: "))
    assert "AMP104" not in select and "AMP101" in select
    files = amplint("check", "--show-files", cwd=project)
    assert files.returncode == 0
    assert "amplify/backend.ts" in files.stdout.splitlines()
    assert "generated" not in files.stdout


def test_quiet_drops_the_summary(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    run = amplint("check", "-q", cwd=project)
    assert run.stdout.count("\n") == 6 and "Found" not in run.stdout


def test_quiet_keeps_warnings_as_ruff_does(tmp_path):
    """`--quiet` hides the summary only; it is not ESLint's errors-only `--quiet`."""
    project = warnings_only(tmp_path / "app")
    run = amplint("check", "--quiet", cwd=project)
    assert run.returncode == 0 and run.stdout.count(": warning AMP102 ") == 2 and "Found" not in run.stdout
    assert amplint("check", cwd=project).stdout.endswith("\nFound 2 warnings in 2 files (5 files linted).\n")


# -- --color and the summary line ------------------------------------------------------------------


def run_with_env(*args: str, cwd: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in env}
    environ.update({k: v for k, v in env.items() if v is not None})
    return subprocess.run(
        [sys.executable, "-m", "amplint", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=environ
    )


def test_color_never_has_no_escape_sequences_even_with_force_color(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    run = run_with_env(
        "check",
        "--output-format",
        "text",
        "--color",
        "never",
        cwd=project,
        FORCE_COLOR="1",
        TTY_COMPATIBLE="1",
        NO_COLOR=None,
    )
    assert run.returncode == 1 and "^^^^^^^^" in run.stdout
    assert "\x1b" not in run.stdout


def test_color_always_styles_a_pipe(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    run = run_with_env(
        "check",
        "--output-format",
        "text",
        "--color",
        "always",
        cwd=project,
        NO_COLOR="1",
        FORCE_COLOR=None,
        TERM="dumb",
    )
    assert run.returncode == 1 and "\x1b[1;31merror" in run.stdout and "\x1b[1;31m^^^^^^^^" in run.stdout


def test_color_auto_in_a_pipe_is_plain_unless_forced(tmp_path):
    project = copy("core-duration", tmp_path / "app")
    plain = run_with_env("check", "--output-format", "text", cwd=project, FORCE_COLOR=None, NO_COLOR=None)
    assert "\x1b" not in plain.stdout and "^^^^^^^^" in plain.stdout
    forced = run_with_env("check", "--output-format", "text", cwd=project, FORCE_COLOR="1", NO_COLOR=None)
    assert "\x1b[" in forced.stdout
    # the concise format (the default in a pipe) is never styled
    concise = run_with_env("check", "--color", "always", cwd=project)
    assert "\x1b" not in concise.stdout and concise.stdout.endswith(
        "Found 6 errors in 2 files (3 files linted).\n[*] 6 fixable with the `--fix` option.\n"
    )


def test_help_shows_each_commands_line_in_full(tmp_path):
    from click.testing import CliRunner

    from amplint.cli import main

    for width in ("80", "100"):
        run = run_with_env("--help", cwd=tmp_path, COLUMNS=width)
        commands = run.stdout.split("Commands:\n", 1)[1]
        assert {"check", "rule", "rules"} <= {
            line.split()[0] for line in commands.splitlines() if line.startswith("  ") and not line.startswith("   ")
        }
        assert "..." not in commands and "(e.g." not in commands, commands
    text = CliRunner().invoke(main, ["--help"], terminal_width=80).output
    import re

    assert re.search(r"\n  rule +Print the documentation of rule CODE, such as AMP501.\n", text), text


def test_an_unexpected_error_exits_2_not_1(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import amplint.reporters.concise as concise
    from amplint.cli import main

    def broken(result, quiet=False):
        raise RuntimeError("reporter bug")

    monkeypatch.setattr(concise, "render", broken)
    monkeypatch.chdir(copy("core-duration", tmp_path / "app"))
    run = CliRunner().invoke(main, ["check", "--output-format", "concise"])
    assert run.exit_code == 2
    assert run.stderr == "amplint: error: internal error: RuntimeError: reporter bug\n"


@pytest.mark.parametrize(
    "args, code",
    [
        (["check", "{project}", "--show-settings"], 0),
        (["check", "{project}", "--show-files"], 0),
        (["rules"], 0),
        (["check", "{project}", "--output-format", "concise"], 1),
    ],
)
def test_a_reader_that_stops_early_gets_no_traceback(tmp_path, args, code):
    """`amplint ... | head -1`: the closed pipe ends the run quietly, with the exit code of what was found."""
    project = copy("core-cycle", tmp_path / "app")
    run = subprocess.Popen(
        [sys.executable, "-m", "amplint", *(a.format(project=project) for a in args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    run.stdout.close()
    assert run.wait(timeout=120) == code
    assert run.stderr.read() == b""
    run.stderr.close()


def test_the_command_collects_cycles_rarely(monkeypatch):
    """`run` (the `amplint` command) raises the cycle collector's thresholds as mypy does: with the
    defaults it walks every imported module's and every record's objects again and again."""
    import gc

    from amplint import cli

    before = gc.get_threshold()
    seen = []
    monkeypatch.setattr(cli, "main", lambda: seen.append(gc.get_threshold()))
    monkeypatch.setattr(cli.os, "_exit", lambda code: (_ for _ in ()).throw(SystemExit(code)))
    try:
        with pytest.raises(SystemExit):
            cli.run()
    finally:
        gc.set_threshold(*before)
    assert seen == [(200_000, 30, 30)]
    assert gc.isenabled()


@pytest.mark.parametrize(
    "files",
    [
        {
            "amplify/backend.ts": "import { defineBackend } from '@aws-amplify/backend';\nimport { x as } from 'y';\n"
            "defineBackend({});\n"
        },
        {
            "amplify/backend.ts": "import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n",
            "amplify/other.ts": "import * as events from 'aws-cdk-lib/aws-events';\nimport { x as } from 'y';\n"
            "events.Duration;\n",
        },
    ],
    ids=["loaded-by-backend", "with-a-finding-to-fix"],
)
def test_an_import_whose_name_the_parser_supplied_is_linted_not_looped_on(
    tmp_path: Path, files: dict[str, str]
) -> None:
    # `import { x as }` has a name the parser supplied, which is empty: searching the source for it
    # never moved on, and amplint hung (the timeout turns a hang into a failure).
    write_files(tmp_path, files)
    run = amplint("check", "--no-cache", ".", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert "error AMP001" in run.stdout
