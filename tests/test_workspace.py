"""Which roots and files a run covers, from the paths a user gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from amplint.api import lint

FIXTURES = Path(__file__).parent / "fixtures"


def copy(fixture: str, target: Path) -> Path:
    shutil.copytree(FIXTURES / fixture, target)
    return target


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
    run = subprocess.run([sys.executable, "-m", "amplint", "check", "--output-format", "concise"],
                         cwd=FIXTURES / "core-duration", capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stdout.count(": AMP501 ") == 6
    assert "amplify/backend.ts:4:10: AMP501" in run.stdout
