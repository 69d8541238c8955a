"""Configuration: where it is found, how the command line overrides it, what each key does, and a
one-line error (exit 2) naming the file, the key and the problem for anything invalid."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

from amplint import config
from amplint.api import ConfigError, LintOptions, lint
from amplint.diagnostics import Severity

# core-duration has six AMP501 errors; wiring-placement and friends are not needed here.
DURATION = "core-duration"


def amplint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amplint", "check", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def project(folder: Path, fixture: str = DURATION) -> Path:
    shutil.copytree(FIXTURES / fixture, folder)
    return folder


def codes(root: Path, **options) -> list[str]:
    return [d.code for d in lint([root], LintOptions(**options)).reported]


def with_unused_function(root: Path) -> Path:
    """Add a function nothing deploys (AMP102, a warning) to a copied fixture."""
    folder = root / "amplify" / "functions" / "unused"
    folder.mkdir(parents=True)
    (folder / "resource.ts").write_text(
        "import { defineFunction } from '@aws-amplify/backend';\n"
        "export const unused = defineFunction({ name: 'unused' });\n"
    )
    (folder / "handler.ts").write_text("export const handler = async () => {};\n")
    return root


# -- where configuration comes from ---------------------------------------------------------------


def test_amplint_toml_in_the_root(tmp_path):
    root = project(tmp_path / "app")
    (root / "amplint.toml").write_text('ignore = ["AMP501"]\n')
    assert codes(root) == []


def test_found_by_walking_up_from_the_root(tmp_path):
    root = project(tmp_path / "repo" / "apps" / "shop")
    (tmp_path / "repo" / "pyproject.toml").write_text('[tool.amplint]\nignore = ["AMP5"]\n')
    assert codes(root) == []


def test_the_closest_file_wins_and_files_are_not_merged(tmp_path):
    root = with_unused_function(project(tmp_path / "repo" / "app"))
    (tmp_path / "repo" / "amplint.toml").write_text('ignore = ["AMP102"]\n')
    (root / "package.json").write_text(json.dumps({"name": "app", "amplint": {"ignore": ["AMP501"]}}))
    assert set(codes(root)) == {"AMP102"}


def test_in_one_folder_amplint_toml_beats_pyproject_beats_package_json(tmp_path):
    root = with_unused_function(project(tmp_path / "app"))
    (root / "package.json").write_text(json.dumps({"amplint": {"ignore": ["AMP5", "AMP1"]}}))
    (root / "pyproject.toml").write_text('[tool.amplint]\nignore = ["AMP102"]\n')
    assert set(codes(root)) == {"AMP501"}
    (root / "amplint.toml").write_text('ignore = ["AMP501"]\n')
    assert set(codes(root)) == {"AMP102"}


def test_files_that_do_not_configure_amplint_are_passed_over(tmp_path):
    root = project(tmp_path / "repo" / "app")
    (tmp_path / "repo" / "amplint.toml").write_text('ignore = ["AMP501"]\n')
    (root / "pyproject.toml").write_text('[project]\nname = "amplint"\n[tool.ruff]\nline-length = 100\n')
    (root / "package.json").write_text('{"name": "app", "devDependencies": {"amplint": "1"}}')
    assert codes(root) == []


def test_config_option_and_isolated(tmp_path):
    root = project(tmp_path / "app")
    (root / "amplint.toml").write_text('ignore = ["AMP501"]\n')
    (tmp_path / "ci.toml").write_text('select = ["AMP501"]\n')
    assert len(codes(root, config=tmp_path / "ci.toml")) == 6
    assert len(codes(root, isolated=True)) == 6
    run = amplint("--config", str(tmp_path / "ci.toml"), cwd=root)
    assert run.returncode == 1 and run.stdout.count(": error AMP501 ") == 6
    assert amplint("--isolated", "-q", cwd=root).stdout.count(": error AMP501 ") == 6
    assert amplint("-q", cwd=root).stdout == ""


def test_each_root_of_a_monorepo_uses_its_own_configuration(tmp_path):
    shop = project(tmp_path / "apps" / "shop")
    admin = with_unused_function(project(tmp_path / "apps" / "admin"))
    (shop / "amplint.toml").write_text('ignore = ["AMP501"]\n')
    (admin / "amplint.toml").write_text('select = ["AMP102"]\nfail-on = "warning"\n')
    result = lint([tmp_path])
    assert {(d.location.path.relative_to(tmp_path).parts[1], d.code) for d in result.reported} == {("admin", "AMP102")}
    assert result.failing == result.reported  # admin fails on warnings
    (admin / "amplint.toml").write_text('select = ["AMP102"]\n')
    assert lint([tmp_path]).failing == []


# -- what each key does ----------------------------------------------------------------------------


def test_select_extend_select_and_ignore_follow_ruff(tmp_path):
    root = with_unused_function(project(tmp_path / "app"))
    (root / "amplint.toml").write_text('select = ["AMP1"]\n')
    assert set(codes(root)) == {"AMP102"}
    # the command line's select replaces the file's; its extend-select and ignore adjust it
    assert set(codes(root, select=("AMP5",))) == {"AMP501"}
    assert set(codes(root, extend_select=("AMP501",))) == {"AMP102", "AMP501"}
    assert set(codes(root, extend_select=("AMP5",), ignore=("AMP1",))) == {"AMP501"}
    # within one layer the more specific selector wins
    (root / "amplint.toml").write_text('ignore = ["AMP5"]\nextend-select = ["AMP501"]\n')
    assert set(codes(root)) == {"AMP102", "AMP501"}


def test_severity_overrides_by_code_and_prefix(tmp_path):
    root = with_unused_function(project(tmp_path / "app"))
    (root / "amplint.toml").write_text('[severity]\nAMP1 = "info"\nAMP102 = "error"\nAMP5 = "warning"\n')
    result = lint([root])
    assert {(d.code, d.severity) for d in result.reported} == {("AMP102", Severity.ERROR), ("AMP501", Severity.WARNING)}
    assert {d.code for d in result.failing} == {"AMP102"}
    run = amplint("--output-format", "json", cwd=root)
    assert run.returncode == 1
    assert {(d["code"], d["severity"]) for d in json.loads(run.stdout)["diagnostics"]} == {
        ("AMP102", "error"),
        ("AMP501", "warning"),
    }


def test_exclude_globs_are_relative_to_the_configuration_file(tmp_path):
    root = project(tmp_path / "repo" / "app", "core-handler-return")
    for relative in ("amplify/generated/api.ts", "amplify/lib/client.gen.ts", "amplify/legacy/old/x.ts"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("export const = ;\n")  # a syntax error (AMP001) wherever it is linted
    assert sorted(codes(root)).count("AMP001") == 3
    (tmp_path / "repo" / "amplint.toml").write_text(
        'exclude = ["app/amplify/generated/**", "*.gen.ts", "app/amplify/legacy"]\n'
    )
    assert "AMP001" not in codes(root)
    (tmp_path / "repo" / "amplint.toml").write_text('exclude = ["amplify/generated/**"]\n')  # not from repo/
    assert sorted(codes(root)).count("AMP001") == 3


def test_fail_on_from_the_file_and_the_command_line(tmp_path):
    root = with_unused_function(project(tmp_path / "app"))
    (root / "amplint.toml").write_text('select = ["AMP102"]\nfail-on = "warning"\n')
    assert amplint(cwd=root).returncode == 1
    assert amplint("--fail-on", "error", cwd=root).returncode == 0


def test_require_reason_from_the_file(tmp_path):
    root = project(tmp_path / "app")
    for source in (root / "amplify" / "backend.ts", root / "amplify" / "types.ts"):
        source.write_text("// amplint-disable-file AMP501\n" + source.read_text())
    assert codes(root) == []
    (root / "amplint.toml").write_text("require-reason = true\n")
    assert codes(root) == ["AMP004", "AMP004"]
    assert codes(root, isolated=True, require_reason=True) == ["AMP004", "AMP004"]


# -- invalid configuration -------------------------------------------------------------------------

INVALID = [
    ("amplint.toml", 'selct = ["AMP5"]\n', "amplint.toml: `selct`: unknown key; did you mean `select`?"),
    (
        "amplint.toml",
        'extend_select = ["AMP5"]\n',
        "amplint.toml: `extend_select`: unknown key; did you mean `extend-select`?",
    ),
    (
        "amplint.toml",
        'colour = "red"\n',
        "amplint.toml: `colour`: unknown key; expected one of extend, select, "
        "extend-select, ignore, severity, exclude, extend-exclude, "
        "per-file-ignores, extend-per-file-ignores, respect-gitignore, fail-on, "
        "require-reason",
    ),
    ("amplint.toml", 'select = ["AMP999"]\n', "amplint.toml: `select`: unknown rule code or prefix `AMP999`"),
    (
        "amplint.toml",
        'ignore = "AMP501"\n',
        "amplint.toml: `ignore`: expected a list of rule codes or prefixes, got a string 'AMP501'",
    ),
    (
        "amplint.toml",
        'fail-on = "fatal"\n',
        "amplint.toml: `fail-on`: expected one of error, warning, info, got a string 'fatal'",
    ),
    ("amplint.toml", "fail-on = 2\n", "amplint.toml: `fail-on`: expected one of error, warning, info, got a number 2"),
    (
        "amplint.toml",
        '[severity]\nAMP102 = "high"\n',
        "amplint.toml: `severity.AMP102`: expected one of error, warning, info, got a string 'high'",
    ),
    (
        "amplint.toml",
        '[severity]\nAMP1O2 = "error"\n',
        "amplint.toml: `severity.AMP1O2`: unknown rule code or prefix `AMP1O2`",
    ),
    (
        "amplint.toml",
        'severity = "error"\n',
        "amplint.toml: `severity`: expected a table of rule code = level, got a string 'error'",
    ),
    (
        "amplint.toml",
        'exclude = "generated"\n',
        "amplint.toml: `exclude`: expected a list of glob patterns, got a string 'generated'",
    ),
    (
        "amplint.toml",
        'require-reason = "yes"\n',
        "amplint.toml: `require-reason`: expected true or false, got a string 'yes'",
    ),
    ("pyproject.toml", '[tool.amplint]\nselect = ["AMP5"\n', "pyproject.toml: not valid TOML: "),
    ("pyproject.toml", '\ufeff[tool.amplint]\nignore = ["AMP5"]\n', "pyproject.toml: not valid TOML: "),
    ("pyproject.toml", '[tool.amplint\r\nignore = ["AMP5"]\r\n', "pyproject.toml: not valid TOML: "),
    ("pyproject.toml", '[project]\nname = "app"\n[tool\namplint = {}\n', "pyproject.toml: not valid TOML: "),
    (
        "pyproject.toml",
        '[tool.amplint]\nfail_on = "warning"\n',
        "pyproject.toml: `tool.amplint.fail_on`: unknown key; did you mean `tool.amplint.fail-on`?",
    ),
    ("package.json", '{"amplint": {"ignore": ["AMP5"],}}', "package.json: not valid JSON: "),
    ("package.json", '{"amplint": ["AMP5"]}', "package.json: `amplint`: expected a table of settings"),
    (
        "package.json",
        '{"amplint": {"select": ["XYZ1"]}}',
        "package.json: `amplint.select`: unknown rule code or prefix `XYZ1`",
    ),
]


@pytest.mark.parametrize("name, content, problem", INVALID, ids=[p for _, _, p in INVALID])
def test_invalid_configuration_exits_2_with_one_line(tmp_path, name, content, problem):
    root = project(tmp_path / "app")
    (root / name).write_text(content)
    run = amplint(cwd=root)
    assert run.returncode == 2
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"amplint: error: {problem}")
    with pytest.raises(ConfigError):
        lint([root])


def test_a_missing_config_file_is_an_error(tmp_path):
    root = project(tmp_path / "app")
    run = amplint("--config", "nowhere.toml", cwd=root)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == "amplint: error: nowhere.toml: cannot read configuration file: No such file or directory\n"


def test_invalid_configuration_is_named_relative_to_the_working_directory(tmp_path):
    root = project(tmp_path / "repo" / "app")
    (tmp_path / "repo" / "amplint.toml").write_text("fail-on = 1\n")
    run = amplint("app", cwd=tmp_path / "repo")
    assert run.stderr.startswith("amplint: error: amplint.toml: `fail-on`")
    run = amplint(cwd=root)
    assert run.stderr.startswith("amplint: error: ../amplint.toml: `fail-on`")


# -- extend and per-file-ignores in a two-app monorepo ---------------------------------------------


def monorepo(tmp_path: Path) -> Path:
    """apps/shop (core-data: AMP201, AMP202) and apps/admin (core-duration: AMP501 in backend.ts and
    types.ts), each with its own amplint.toml extending the repository's."""
    repo = tmp_path / "repo"
    project(repo / "apps" / "shop", "core-data")
    project(repo / "apps" / "admin")
    (repo / "amplint.toml").write_text(
        'ignore = ["AMP202"]\nfail-on = "warning"\n[per-file-ignores]\n"apps/admin/amplify/types.ts" = ["AMP501"]\n'
    )
    return repo


def found(repo: Path, **options) -> set[tuple[str, str]]:
    return {
        (d.location.path.relative_to(repo).as_posix(), d.code) for d in lint([repo], LintOptions(**options)).reported
    }


SHOP = {("apps/shop/amplify/data/resource.ts", "AMP201")}
ADMIN_BACKEND = {("apps/admin/amplify/backend.ts", "AMP501")}
ADMIN_TYPES = {("apps/admin/amplify/types.ts", "AMP501")}


def test_per_file_ignores_drop_findings_in_matching_files(tmp_path):
    repo = monorepo(tmp_path)
    assert found(repo) == SHOP | ADMIN_BACKEND
    # a prefix, and a glob without `/` matching names anywhere
    (repo / "amplint.toml").write_text('[per-file-ignores]\n"backend.ts" = ["AMP5"]\n"**/data/**" = ["AMP201"]\n')
    assert found(repo) == ADMIN_TYPES | {
        ("apps/shop/amplify/functions/literal/handler.ts", "AMP202"),
        ("apps/shop/amplify/functions/outputs/handler.ts", "AMP202"),
        ("apps/shop/amplify/functions/user-pool/handler.ts", "AMP202"),
    }
    # the finding's own file decides, not the files it relates to
    (repo / "amplint.toml").write_text('per-file-ignores = { "apps/shop/amplify/functions/**" = ["AMP201"] }\n')
    assert SHOP <= found(repo)


def test_extend_merges_per_key_and_the_nearest_file_wins(tmp_path):
    repo = monorepo(tmp_path)
    admin = repo / "apps" / "admin"
    (admin / "amplint.toml").write_text('extend = "../../amplint.toml"\nfail-on = "error"\n')
    result = lint([repo])
    settings = {root.name: s for root, s in result.settings.items()}
    assert settings["admin"].fail_on is Severity.ERROR and settings["shop"].fail_on is Severity.WARNING
    assert settings["admin"].chain == (admin / "amplint.toml", repo / "amplint.toml")
    # the extended file's per-file-ignores still apply, its globs relative to its own folder
    assert found(repo) == SHOP | ADMIN_BACKEND
    # the nearer per-file-ignores replaces the farther one; extend-per-file-ignores adds to it
    (admin / "amplint.toml").write_text(
        'extend = "../../amplint.toml"\nper-file-ignores = { "amplify/backend.ts" = ["AMP501"] }\n'
    )
    assert found(repo) == SHOP | ADMIN_TYPES
    (admin / "amplint.toml").write_text(
        'extend = "../../amplint.toml"\nextend-per-file-ignores = { "amplify/backend.ts" = ["AMP501"] }\n'
    )
    assert found(repo) == SHOP


def test_extend_select_accumulates_and_select_replaces_across_files(tmp_path):
    repo = monorepo(tmp_path)
    admin = with_unused_function(repo / "apps" / "admin")
    (repo / "amplint.toml").write_text('select = ["AMP2"]\n')
    (admin / "amplint.toml").write_text('extend = "../../amplint.toml"\nextend-select = ["AMP102"]\n')
    assert {code for _, code in found(admin)} == {"AMP102"}  # AMP2 finds nothing in admin
    assert {code for _, code in found(repo / "apps" / "shop")} == {"AMP201", "AMP202"}
    (admin / "amplint.toml").write_text('extend = "../../amplint.toml"\nselect = ["AMP5"]\n')
    assert {code for _, code in found(admin)} == {"AMP501"}
    # the extended file's exclude stays relative to its folder; extend-exclude adds to it
    (repo / "amplint.toml").write_text('exclude = ["apps/admin/amplify/types.ts"]\n')
    (admin / "amplint.toml").write_text('extend = "../../amplint.toml"\nextend-exclude = ["functions"]\n')
    assert found(admin) == {("amplify/backend.ts", "AMP501")}


def test_extend_chains_and_other_configuration_files(tmp_path):
    repo = monorepo(tmp_path)
    (repo / "base.toml").write_text('[severity]\nAMP501 = "info"\n')
    (repo / "pyproject.toml").write_text('[tool.amplint]\nextend = "base.toml"\nignore = ["AMP2"]\n')
    (repo / "amplint.toml").unlink()
    admin = repo / "apps" / "admin"
    (admin / "package.json").write_text(json.dumps({"amplint": {"extend": "../../pyproject.toml"}}))
    result = lint([repo])
    assert {(d.code, d.severity) for d in result.reported} == {("AMP501", Severity.INFO)}
    run = amplint("--show-settings", cwd=admin)
    assert "  configuration: package.json" in run.stdout.splitlines()
    assert "  extends: ../../pyproject.toml -> ../../base.toml" in run.stdout.splitlines()


@pytest.mark.parametrize(
    "files, problem",
    [
        (
            {
                "apps/admin/amplint.toml": 'extend = "../../amplint.toml"\n',
                "amplint.toml": 'extend = "a.toml"\n',
                "a.toml": 'extend = "apps/admin/amplint.toml"\n',
            },
            "../../a.toml: `extend`: amplint.toml extends back to this file (a cycle)",
        ),
        (
            {"apps/admin/amplint.toml": 'extend = "amplint.toml"\n'},
            "amplint.toml: `extend`: amplint.toml extends back to this file (a cycle)",
        ),
        (
            {"apps/admin/amplint.toml": 'extend = "../../shared/amplint.toml"\n'},
            "amplint.toml: `extend`: no such configuration file ../../shared/amplint.toml",
        ),
        (
            {"apps/admin/amplint.toml": 'extend = ["../../amplint.toml"]\n'},
            "amplint.toml: `extend`: expected the path of a configuration file, got a list",
        ),
    ],
)
def test_a_cycle_or_a_missing_extended_file_is_one_line(tmp_path, files, problem):
    repo = monorepo(tmp_path)
    for name, content in files.items():
        (repo / name).write_text(content)
    run = amplint(cwd=repo / "apps" / "admin")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == f"amplint: error: {problem}\n"
    with pytest.raises(ConfigError):
        lint([repo])


@pytest.mark.parametrize(
    "content, problem",
    [
        (
            '[per-file-ignores]\n"legacy/**" = ["AMP9"]\n',
            '`per-file-ignores."legacy/**"`: unknown rule code or prefix `AMP9`',
        ),
        (
            '[per-file-ignores]\n"legacy/**" = "AMP104"\n',
            "`per-file-ignores.\"legacy/**\"`: expected a list of rule codes or prefixes, got a string 'AMP104'",
        ),
        (
            'per-file-ignores = ["legacy/**"]\n',
            "`per-file-ignores`: expected a table of glob = [rule codes or prefixes], got a list",
        ),
        (
            '[extend-per-file-ignores]\nlegacy = ["AMP1O4"]\n',
            "`extend-per-file-ignores.legacy`: unknown rule code or prefix `AMP1O4`",
        ),
        (
            'extend-exclude = "generated"\n',
            "`extend-exclude`: expected a list of glob patterns, got a string 'generated'",
        ),
        ('respect-gitignore = "no"\n', "`respect-gitignore`: expected true or false, got a string 'no'"),
    ],
)
def test_invalid_file_selection_keys(tmp_path, content, problem):
    root = project(tmp_path / "app")
    (root / "amplint.toml").write_text(content)
    run = amplint(cwd=root)
    assert run.returncode == 2
    assert run.stderr == f"amplint: error: amplint.toml: {problem}\n"


@pytest.mark.parametrize(
    "text",
    [
        '[tool.amplint]\nignore = ["AMP501"]\n',
        '[ "tool" . \'amplint\' ]\nignore = ["AMP501"]\n',
        '[tool.amplint.per-file-ignores]\n"amplify/**" = ["AMP501"]\n',
        '[tool]\namplint = { ignore = ["AMP501"] }\n',
        'tool.amplint.ignore = ["AMP501"]\n',
        'tool = { amplint = { ignore = ["AMP501"] } }\n',
        '["t\\u006fol".amplint]\nignore = ["AMP501"]\n',
    ],
)
def test_every_way_toml_writes_tool_amplint_is_found(tmp_path, text):
    root = project(tmp_path / "app")
    (root / "pyproject.toml").write_text(text)
    assert config.find(root) == root / "pyproject.toml"
    assert codes(root) == []


def test_a_pyproject_that_only_names_amplint_elsewhere_is_not_parsed(tmp_path, monkeypatch):
    root = project(tmp_path / "app")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "amplint"\n[project.scripts]\namplint = "amplint.cli:main"\n'
        '[tool.ruff]\nextend-exclude = ["amplint"]\n[tool.mypy]\npackages = ["amplint"]\n'
    )
    monkeypatch.setattr(config, "_toml", lambda raw, shown: pytest.fail("parsed"))
    assert config.find(root) is None
