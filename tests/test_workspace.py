"""Which roots and files a run covers, from the paths a user gives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, copy

from amplint.api import lint


def test_a_folder_above_several_roots_lints_each(tmp_path):
    copy("core-duration", tmp_path / "apps" / "shop")
    copy("core-cycle", tmp_path / "apps" / "admin")
    result = lint([tmp_path])
    assert [r.path.name for r in result.roots] == ["admin", "shop"]
    assert {d.code for d in result.reported} == {"AMP203", "AMP501", "AMP509"}


def test_a_single_file_lints_its_whole_root(tmp_path):
    root = copy("core-data", tmp_path / "app")
    handler = root / "amplify" / "functions" / "ungranted" / "handler.ts"
    result = lint([handler])
    assert [r.path for r in result.roots] == [root]
    # the finding for this handler's function sits in data/resource.ts: the whole root was analysed
    assert any(d.code == "AMP201" and "`ungranted`" in d.message for d in result.reported)


def test_node_modules_and_hidden_folders_are_skipped(tmp_path):
    root = copy("core-handler-return", tmp_path / "app")
    for skipped in ("node_modules/pkg", ".amplify/generated"):
        folder = root / "amplify" / skipped
        folder.mkdir(parents=True)
        (folder / "broken.ts").write_text("export const = ;\n")
    result = lint([root])
    assert not any(d.code == "AMP001" for d in result.reported)


def test_tsx_files_use_the_tsx_grammar(tmp_path):
    root = copy("core-handler-return", tmp_path / "app")
    (root / "amplify" / "view.tsx").write_text("export const View = () => <div className='x'>hi</div>;\n")
    (root / "amplify" / "cast.ts").write_text("export const n = <number>(1 as unknown);\n")
    assert not any(d.code == "AMP001" for d in lint([root]).reported)


def test_running_with_no_path_uses_the_current_directory():
    run = subprocess.run(
        [sys.executable, "-m", "amplint", "check", "--output-format", "concise"],
        cwd=FIXTURES / "core-duration",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stdout.count(": error AMP501 ") == 6
    assert "amplify/backend.ts:4:10: error AMP501" in run.stdout


# -- file selection: .gitignore, --exclude / --extend-exclude, quoted globs -------------------------

BROKEN = "export const = ;\n"  # a syntax error (AMP001) wherever it is linted


def amplint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amplint", "check", "--output-format", "concise", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def monorepo(tmp_path: Path) -> Path:
    """A git repository with two apps; the shop's generated client is gitignored and would not parse."""
    repo = tmp_path / "repo"
    copy("core-data", repo / "apps" / "shop")
    copy("core-duration", repo / "apps" / "admin")
    (repo / ".git").mkdir()
    (repo / ".gitignore").write_text("node_modules/\n*.gen.ts\n")
    generated = repo / "apps" / "shop" / "amplify" / "generated" / "client.gen.ts"
    generated.parent.mkdir()
    generated.write_text(BROKEN)
    return repo


def found(repo: Path, **options) -> set[tuple[str, str]]:
    """(path from the repository, code) of each finding."""
    from amplint.api import LintOptions

    return {
        (d.location.path.relative_to(repo).as_posix(), d.code) for d in lint([repo], LintOptions(**options)).reported
    }


GENERATED = ("apps/shop/amplify/generated/client.gen.ts", "AMP001")


def test_files_git_ignores_are_not_linted(tmp_path):
    repo = monorepo(tmp_path)
    assert GENERATED not in found(repo)
    assert ("apps/admin/amplify/backend.ts", "AMP501") in found(repo)  # the rest is linted as before
    listed = amplint("--show-files", cwd=repo)
    assert listed.returncode == 0 and "apps/shop/amplify/data/resource.ts" in listed.stdout.splitlines()
    assert "gen.ts" not in listed.stdout
    # --no-respect-gitignore, or `respect-gitignore = false`, lints it again
    assert GENERATED in found(repo, respect_gitignore=False)
    assert "apps/shop/amplify/generated/client.gen.ts:1:" in amplint("--no-respect-gitignore", cwd=repo).stdout
    (repo / "amplint.toml").write_text("respect-gitignore = false\n")
    assert GENERATED in found(repo)
    assert "respect-gitignore: false" in amplint("--show-settings", cwd=repo).stdout
    assert "gen.ts" not in amplint("--show-files", "--respect-gitignore", cwd=repo).stdout  # the flag wins


def test_nested_gitignores_negation_and_info_exclude(tmp_path):
    repo = monorepo(tmp_path)
    amplify = repo / "apps" / "shop" / "amplify"
    for relative in ("legacy/old.ts", "legacy/keep.ts", "scratch/try.ts", "generated/kept.gen.ts"):
        (amplify / relative).parent.mkdir(exist_ok=True)
        (amplify / relative).write_text(BROKEN)
    (amplify / ".gitignore").write_text("legacy/*\n!legacy/keep.ts\n!kept.gen.ts\n")  # deeper wins
    (repo / ".git" / "info").mkdir()
    (repo / ".git" / "info" / "exclude").write_text("scratch/\n")
    broken = {path for path, code in found(repo) if code == "AMP001"}
    assert broken == {"apps/shop/amplify/legacy/keep.ts", "apps/shop/amplify/generated/kept.gen.ts"}


def test_gitignore_lines_git_cannot_use_are_left_out_not_fatal(tmp_path):
    """A lone `!`, a trailing backslash or a reversed range matches nothing for git; the other
    lines of the file still apply."""
    repo = monorepo(tmp_path)
    (repo / ".gitignore").write_text("!\n[z-a].ts\nfoo\\\n*.gen.ts\n")
    run = amplint(cwd=repo)
    assert run.returncode == 1 and run.stderr == "", run.stderr
    assert GENERATED not in found(repo)


def test_a_gitignored_file_named_on_the_command_line_is_linted(tmp_path):
    repo = monorepo(tmp_path)
    generated = repo / "apps" / "shop" / "amplify" / "generated" / "client.gen.ts"
    assert GENERATED in {(d.location.path.relative_to(repo).as_posix(), d.code) for d in lint([generated]).reported}
    assert "client.gen.ts" in amplint("--show-files", "apps/shop/amplify/generated/client.gen.ts", cwd=repo).stdout


def test_outside_a_git_repository_gitignore_files_are_not_read(tmp_path):
    repo = monorepo(tmp_path)
    (repo / ".git").rmdir()
    assert GENERATED in found(repo)


def test_gitignored_folders_are_not_searched_for_backends(tmp_path):
    repo = monorepo(tmp_path)
    copy("core-cycle", repo / "build" / "copy")
    (repo / ".gitignore").write_text("build/\n")
    assert [r.path.name for r in lint([repo]).roots] == ["admin", "shop"]
    assert "copy" in [r.path.name for r in lint([repo / "build"]).roots]  # a folder named is searched


def test_exclude_and_extend_exclude_on_the_command_line(tmp_path):
    repo = monorepo(tmp_path)
    (repo / "amplint.toml").write_text('exclude = ["apps/admin/amplify/types.ts"]\n')
    admin = "apps/admin/amplify/"

    def duration_files(*args: str, cwd: Path = repo) -> set[str]:
        run = amplint(*args, cwd=cwd)
        assert run.returncode in (0, 1), run.stderr
        return {line.split(":")[0] for line in run.stdout.splitlines() if " AMP501 " in line}

    assert duration_files() == {admin + "backend.ts"}
    # --extend-exclude adds to the configuration's exclude; --exclude replaces it
    assert duration_files("--extend-exclude", admin + "backend.ts") == set()
    assert duration_files("--exclude", admin + "backend.ts") == {admin + "types.ts"}
    # comma-separated, repeatable, and names without `/` match anywhere
    assert duration_files("--exclude", "backend.ts,data", "--exclude", "nothing") == {admin + "types.ts"}
    assert duration_files("--exclude", "") == {admin + "backend.ts", admin + "types.ts"}
    # globs are relative to the working directory, as in Ruff
    assert duration_files("--extend-exclude", "amplify/backend.ts", cwd=repo / "apps" / "admin") == set()
    assert duration_files("--extend-exclude", "amplify/backend.ts") == {admin + "backend.ts"}
    settings = amplint("--show-settings", "--extend-exclude", "**/generated/**", cwd=repo / "apps" / "admin")
    assert "  exclude: apps/admin/amplify/types.ts, **/generated/** (in .)" in settings.stdout.splitlines()
    files = amplint("--show-files", "--extend-exclude", "functions", cwd=repo).stdout
    assert "apps/shop/amplify/backend.ts" in files and "functions" not in files


def test_quoted_globs_are_expanded(tmp_path):
    repo = monorepo(tmp_path)
    run = amplint("apps/*/amplify", cwd=repo)
    assert run.returncode == 1 and run.stderr == ""
    assert "apps/admin/amplify/backend.ts" in run.stdout and "apps/shop/amplify/data/resource.ts" in run.stdout
    listed = amplint("--show-settings", "apps/sh*", cwd=repo).stdout
    assert "backend: apps/shop" in listed and "apps/admin" not in listed
    listed = amplint("--show-settings", "apps/**/ungranted/handler.ts", cwd=repo).stdout
    assert "backend: apps/shop" in listed and "apps/admin" not in listed


def test_a_glob_matching_nothing_is_a_usage_error(tmp_path):
    repo = monorepo(tmp_path)
    run = amplint("apps/*/amplfy", cwd=repo)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == "amplint: error: apps/*/amplfy: no file or folder matches this glob\n"


def test_two_app_monorepo_with_gitignore_extend_and_per_file_ignores(tmp_path):
    repo = monorepo(tmp_path)
    (repo / "amplint.toml").write_text('ignore = ["AMP202"]\n')
    (repo / "apps" / "admin" / "amplint.toml").write_text(
        'extend = "../../amplint.toml"\nper-file-ignores = { "amplify/types.ts" = ["AMP501"] }\n'
    )
    run = amplint(cwd=repo)
    assert run.returncode == 1, run.stderr
    assert {
        (line.split(":")[0], re.search(r" (AMP\d{3}) ", line).group(1))
        for line in run.stdout.splitlines()
        if re.search(r" AMP\d{3} ", line)
    } == {("apps/admin/amplify/backend.ts", "AMP501"), ("apps/shop/amplify/data/resource.ts", "AMP201")}
    again = amplint("--no-respect-gitignore", cwd=repo).stdout
    assert "apps/shop/amplify/generated/client.gen.ts:1:" in again and "AMP202" not in again
    settings = amplint("--show-settings", "apps/*", cwd=repo).stdout.splitlines()
    assert "  extends: amplint.toml" in settings
    assert "  per-file-ignores: amplify/types.ts = AMP501" in settings


def test_the_walk_for_the_files_finds_the_package_files_the_project_files_walk_does(tmp_path):
    """The walk for the source files collects the `package.json` files under `amplify/` on the way,
    those of the folders it passes over (excluded, gitignored) too, and none reached only through a
    symlinked folder, which the walk of `project_files` does not enter: the same list as that walk."""
    from amplint.api import LintOptions, plan
    from amplint.workspace import project_files

    repo = tmp_path / "repo"
    root = copy("core-data", repo / "app")
    (repo / ".git").mkdir()
    (repo / ".gitignore").write_text("ignored/\n")
    (root / "amplint.toml").write_text('extend-exclude = ["amplify/legacy"]\n')
    amplify = root / "amplify"
    for folder in ("", "functions/a", "legacy", "legacy/deep", "ignored", "node_modules/x", ".hidden", "shared"):
        (amplify / folder).mkdir(parents=True, exist_ok=True)
        (amplify / folder / "package.json").write_text("{}\n")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text("{}\n")
    (amplify / "linked").symlink_to(outside, target_is_directory=True)
    (amplify / "shared-again").symlink_to(amplify / "shared", target_is_directory=True)
    ((planned, _),) = plan([root], LintOptions())
    assert planned.packages is not None  # the walk for the files found them
    below = sorted(path.relative_to(amplify).as_posix() for path in planned.packages)
    assert below == [
        "functions/a/package.json",
        "ignored/package.json",
        "legacy/deep/package.json",
        "legacy/package.json",
        "package.json",
        "shared/package.json",
    ]
    assert planned.project_files == project_files(root)  # what the walk of `project_files` finds alone
    assert amplify / "linked" / "package.json" not in planned.project_files
