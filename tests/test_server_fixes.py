"""The language server's quick fixes write what `--fix` writes: each edit in the file's own line
endings and after its byte order mark (`fixer.native_edit`), and none in a file that does not parse."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("lsprotocol")

from fix_injection import replacing, write_backend  # noqa: E402
from lsprotocol import types  # noqa: E402

from amplint.api import LintOptions, lint  # noqa: E402
from amplint.checks import CHECKS  # noqa: E402
from amplint.server.actions import FIX_ALL, Texts, code_actions  # noqa: E402
from amplint.server.positions import Lines  # noqa: E402

BACKEND = "import { defineBackend } from '@aws-amplify/backend';\n\nconst OLD = 1;\n\ndefineBackend({});\n"


def actions_for(root: Path, path: Path, text: bytes) -> list[types.CodeAction]:
    """The code actions the server offers over the whole file, from a lint with an injected fix
    (`OLD` → two lines)."""
    result = lint([root], LintOptions(cache=False), checks=[*CHECKS, replacing("OLD", "// one\nconst NEW")])
    lines = Lines(text)
    found = [(d, types.Diagnostic(lines.range(d.location.span), d.message)) for d in result.reported]
    texts = Texts(result.sources.get, result.sources.get, lambda p: p.as_uri(), "utf-16")
    everything = types.Range(types.Position(0, 0), types.Position(lines.line_count, 0))
    return code_actions(path, found, everything, None, texts)


def new_texts(action: types.CodeAction) -> list[str]:
    assert action.edit is not None and action.edit.changes is not None
    return [edit.new_text for edits in action.edit.changes.values() for edit in edits]


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_quick_fixes_use_the_files_line_endings(tmp_path, newline):
    text = BACKEND.replace("\n", newline).encode()
    path = write_backend(tmp_path, text)
    by_title = {action.title: action for action in actions_for(tmp_path, path, text)}
    assert new_texts(by_title["Write `// one\nconst NEW`"]) == [f"// one{newline}const NEW"]
    assert new_texts(by_title["Fix all safe amplint findings"]) == [f"// one{newline}const NEW"]
    assert by_title["Fix all safe amplint findings"].kind == FIX_ALL
    assert new_texts(by_title["Disable AMP501 for this line"]) == [f"// amplint-disable-next-line AMP501{newline}"]


def test_a_file_whose_first_line_ends_with_crlf_gets_crlf_on_every_line(tmp_path):
    """One rule for the whole file, as `--fix` writes it: that of its first line."""
    text = BACKEND.replace("\n", "\r\n", 1).encode()
    path = write_backend(tmp_path, text)
    by_title = {action.title: action for action in actions_for(tmp_path, path, text)}
    assert new_texts(by_title["Disable AMP501 for this line"]) == ["// amplint-disable-next-line AMP501\r\n"]


def test_no_quick_fix_in_a_file_that_does_not_parse(tmp_path):
    text = (BACKEND + "const = ;\n").encode()
    path = write_backend(tmp_path, text)
    titles = [action.title for action in actions_for(tmp_path, path, text)]
    assert "Write `// one\nconst NEW`" not in titles and "Fix all safe amplint findings" not in titles
    assert "Disable AMP501 for this line" in titles
