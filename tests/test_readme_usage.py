"""The README's usage snippets work as written: the configuration examples load, the CI and
pre-commit snippets name real options and files, and the VS Code problem matcher reads real output."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from amplint.api import lint

README = Path(__file__).parents[1] / "README.md"
HOOKS = Path(__file__).parents[1] / ".pre-commit-hooks.yaml"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def blocks(title: str, language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(section(title)) if lang == language]


def run_command(command: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    args = shlex.split(command, comments=True)
    assert args[0] == "amplint", command
    return subprocess.run(
        [sys.executable, "-m", "amplint", *args[1:]], cwd=cwd, capture_output=True, text=True, timeout=120, input=stdin
    )


@pytest.fixture
def backend(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURES / "core-data", tmp_path / "app"))


def test_configuration_examples_load(backend):
    (toml,) = blocks("Configuration", "toml")
    (backend / "amplint.toml").write_text(toml)
    result = lint([backend])
    settings = result.settings[backend]
    assert "AMP104" not in settings.codes and settings.require_reason
    assert settings.fail_on.value == "warning"
    (package,) = blocks("Configuration", "json")
    (backend / "amplint.toml").unlink()
    (backend / "package.json").write_text(package)
    assert "AMP104" not in lint([backend]).settings[backend].codes


def test_configuration_error_examples_are_real(backend):
    (errors,) = blocks("Configuration", "text")
    (backend / "amplint.toml").write_text('selct = ["AMP5"]\n')
    run = run_command("amplint check", backend)
    assert run.stderr.strip() == errors.splitlines()[0]
    (backend / "amplint.toml").unlink()
    (backend / "pyproject.toml").write_text('[tool.amplint]\nselect = ["AMP999"]\n')
    assert run_command("amplint check", backend).stderr.strip() == errors.splitlines()[1]


def test_usage_and_output_commands_work(backend):
    (several,) = blocks("Output formats", "sh")
    run = run_command(several, backend)
    assert run.returncode == 1 and run.stderr == ""
    assert (backend / "amplint.sarif").is_file() and (backend / "reports" / "amplint.xml").is_file()
    (usage,) = blocks("Usage", "sh")
    for command in usage.splitlines():
        if command.startswith("amplint check "):
            continue  # paths of an example project
        assert run_command(command, backend).returncode == 0, command
    help_text = run_command("amplint check --help", backend).stdout
    for option in re.findall(r"^\| `(-[-\w]+)", section("Usage"), re.M):
        assert option in help_text


def test_github_actions_workflow(backend):
    (workflow,) = blocks("CI (GitHub Actions, GitLab)", "yaml")[:1]
    steps = yaml.safe_load(workflow)["jobs"]["amplint"]["steps"]
    (command,) = [s["run"] for s in steps if s.get("run", "").startswith("amplint ")]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    run = run_command(command, backend)
    assert run.returncode == 1
    assert run.stdout.startswith("::error file=amplify/")
    sarif = json.loads((backend / upload["with"]["sarif_file"]).read_text())
    assert sarif["runs"][0]["results"]
    assert upload["if"] == "success() || failure()"
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"  # v3 is deprecated in December 2026
    permissions = yaml.safe_load(workflow)["permissions"]
    assert permissions == {"contents": "read", "security-events": "write", "actions": "read"}


def test_gitlab_ci_job(backend):
    gitlab = yaml.safe_load(blocks("CI (GitHub Actions, GitLab)", "yaml")[1])["amplint"]
    (command,) = [line for line in gitlab["script"] if line.startswith("amplint ")]
    assert run_command(command, backend).returncode == 1
    for kind, path in gitlab["artifacts"]["reports"].items():
        assert (backend / path).is_file(), kind
    assert json.loads((backend / gitlab["artifacts"]["reports"]["codequality"]).read_text())


def test_pre_commit_snippet_names_the_published_hook():
    (config,) = blocks("pre-commit", "yaml")
    (repo,) = yaml.safe_load(config)["repos"]
    published = {hook["id"] for hook in yaml.safe_load(HOOKS.read_text())}
    assert {hook["id"] for hook in repo["hooks"]} <= published
    assert repo["repo"] == "https://github.com/amplint/amplint"


def test_editor_stdin_command(backend):
    (block,) = blocks("Editors", "sh")
    command, _, buffer_file = block.strip().partition(" < ")
    assert buffer_file == "buffer.ts"
    buffer = "import { Duration } from 'aws-cdk-lib/aws-events';\nexport const t = Duration.minutes(1);\n"
    (backend / "amplify" / "functions" / "sync-todos").mkdir(parents=True)
    run = run_command(command, backend, stdin=buffer)
    assert run.returncode == 1, run.stderr
    (finding,) = json.loads(run.stdout)["diagnostics"]
    assert (finding["file"], finding["code"]) == ("amplify/functions/sync-todos/handler.ts", "AMP501")


def test_vs_code_problem_matcher_reads_concise_output(backend):
    (tasks,) = blocks("Editors", "json")
    (task,) = json.loads(tasks)["tasks"]
    matcher = task["problemMatcher"]
    pattern = re.compile(matcher["pattern"]["regexp"])  # the same syntax in JavaScript and Python here
    run = run_command(task["command"], backend)
    lines = run.stdout.splitlines()
    expected = json.loads(run_command("amplint check --output-format json", backend).stdout)["diagnostics"]
    assert len(lines) == len(expected) > 0
    groups = matcher["pattern"]
    for line, diagnostic in zip(lines, expected):
        match = pattern.match(line)
        assert match, line
        assert match.group(groups["file"]) == diagnostic["file"]
        assert int(match.group(groups["line"])) == diagnostic["start"]["line"]
        assert int(match.group(groups["column"])) == diagnostic["start"]["column"]
        assert match.group(groups["code"]) == diagnostic["code"]
        assert match.group(groups["severity"]) == diagnostic["severity"]  # VS Code's names: error, warning, info
        assert match.group(groups["message"]) == diagnostic["message"]


def test_monorepo_example_extends_the_root_configuration(tmp_path):
    root_config, admin_config = blocks("Monorepos", "toml")
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "core-data", repo / "apps" / "shop")
    shutil.copytree(FIXTURES / "core-duration", repo / "apps" / "admin")
    (repo / "amplint.toml").write_text(root_config)
    (repo / "apps" / "admin" / "amplint.toml").write_text(admin_config)
    settings = lint([repo]).settings
    shop, admin = settings[repo / "apps" / "shop"], settings[repo / "apps" / "admin"]
    assert shop.fail_on.value == "warning" and admin.fail_on.value == "error"  # nearest wins, key by key
    assert not any(code.startswith("AMP3") for code in shop.codes)
    assert "AMP301" in admin.codes and "AMP302" not in admin.codes  # extend-select adds to the root's ignore
    legacy = repo / "apps" / "admin" / "amplify" / "functions" / "reports" / "handler.ts"
    assert admin.ignores("AMP601", legacy) and not admin.ignores("AMP501", legacy)
    generated = repo / "apps" / "admin" / "amplify" / "generated" / "client.ts"
    assert admin.excludes(generated)  # the root's glob, relative to the root's folder


def test_the_pypi_example_is_what_the_bundled_example_prints_from_its_folder(tmp_path):
    """docs/pypi.md shows `amplint check` run inside the example backend's folder."""
    text = (Path(__file__).parents[1] / "docs" / "pypi.md").read_text(encoding="utf-8")
    example = text[text.index("```console\n$ amplint check") :]
    shown = example[len("```console\n") : example.index("\n```")].splitlines()[1:]
    gap = shown.index("...")
    root = shutil.copytree(Path(__file__).parents[1] / "examples" / "scheduled-backend", tmp_path / "example")
    run = run_command("amplint check --output-format text --color never --no-cache", root)
    printed = run.stdout.splitlines()
    assert shown[:gap] == printed[:gap]
    assert printed[-len(shown[gap + 1 :]) :] == shown[gap + 1 :]


def test_the_fixing_example_is_what_diff_prints_in_the_bundled_example(tmp_path):
    """README "Fixing" shows `amplint check --diff` run in the example backend's folder: the diff on
    stdout, then the count on stderr."""
    text = README.read_text(encoding="utf-8")
    example = text[text.index("```console\n$ amplint check --diff\n") :]
    shown = example[len("```console\n") : example.index("\n```")].splitlines()[1:]
    root = shutil.copytree(Path(__file__).parents[1] / "examples" / "scheduled-backend", tmp_path / "example")
    run = run_command("amplint check --diff --no-cache", root)
    assert run.returncode == 1
    assert shown == run.stdout.splitlines() + run.stderr.splitlines()


def test_opening_example_is_what_the_bundled_example_prints():
    text = README.read_text(encoding="utf-8")
    example = text[text.index("```console\n$ amplint check ") :]
    example = example[len("```console\n") : example.index("\n```")].splitlines()
    command, shown = example[0].removeprefix("$ "), example[1:]
    gap = shown.index("...")
    run = run_command(f"{command} --output-format text --color never", Path(__file__).parents[1])
    assert run.returncode == 1, run.stderr
    printed = run.stdout.splitlines()
    assert shown[:gap] == printed[:gap]  # the first findings, as printed (a terminal gets the text format)
    tail = shown[gap + 1 :]  # the summary (and, when findings have fixes, the line saying how to apply them)
    assert printed[-len(tail) :] == tail and any(line.startswith("Found ") for line in tail)
