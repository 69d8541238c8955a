"""Inline suppressions beyond the `suppress-*` fixtures: what a directive is, what it covers, and
when an unused one is (and is not) reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from amplint.api import LintOptions, lint

BACKEND_HEAD = "import { defineBackend } from '@aws-amplify/backend';\n"
WRONG_IMPORT = "import { Duration } from 'aws-cdk-lib/aws-events';\n"  # AMP501 at column 10


def backend(folder: Path, body: str, name: str = "backend.ts") -> Path:
    (folder / "amplify").mkdir(parents=True, exist_ok=True)
    (folder / "amplify" / name).write_bytes(body.encode())
    if name != "backend.ts":
        (folder / "amplify" / "backend.ts").write_text(BACKEND_HEAD + "defineBackend({});\n")
    return folder


def findings(folder: Path, **options) -> list[tuple[int, str]]:
    return [(d.location.span.start_line, d.code) for d in lint([folder], LintOptions(**options)).reported]


def test_suppressed_findings_stay_in_the_result_marked_with_their_directive(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD
        + "// amplint-disable-next-line AMP501 -- fork re-exports it\n"
        + WRONG_IMPORT
        + "defineBackend({});\n",
    )
    result = lint([root])
    assert result.reported == []
    (suppressed,) = result.diagnostics
    assert suppressed.code == "AMP501" and suppressed.location.span.start_line == 3
    assert suppressed.suppressed_by == "amplint-disable-next-line AMP501 -- fork re-exports it"


def test_a_directive_must_begin_its_comment_and_be_a_comment(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD
        + WRONG_IMPORT.rstrip("\n")
        + " // TODO: amplint-disable-line AMP501\n"
        + "export const note = '// amplint-disable-next-line AMP501';\n"
        + WRONG_IMPORT.replace("Duration }", "Duration as D2 }")
        + "defineBackend({});\n",
    )
    assert findings(root) == [(2, "AMP501"), (4, "AMP501")]


def test_codes_are_case_insensitive_and_may_be_separated_by_spaces(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD + WRONG_IMPORT.rstrip("\n") + " // amplint-disable-line amp501 AMP101\n" + "defineBackend({});\n",
    )
    # AMP101 is unused: the finding names it, and only it
    (finding,) = lint([root]).reported
    assert finding.code == "AMP002"
    assert finding.message == (
        "`amplint-disable-line amp501, AMP101`: no AMP101 finding on this line; remove AMP101 from it"
    )


def test_next_line_means_the_line_after_the_comment_ends(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD + "/* amplint-disable-next-line AMP501 --\n"
        "   the reason may take several lines */\n" + WRONG_IMPORT + "defineBackend({});\n",
    )
    assert findings(root) == []
    assert (
        lint([root]).diagnostics[0].suppressed_by
        == "amplint-disable-next-line AMP501 -- the reason may take several lines"
    )


def test_crlf_files_and_tsx_comments(tmp_path):
    root = backend(
        tmp_path,
        (BACKEND_HEAD + "// amplint-disable-next-line AMP501\n" + WRONG_IMPORT + "defineBackend({});\n").replace(
            "\n", "\r\n"
        ),
    )
    assert findings(root) == []
    view = tmp_path / "amplify" / "view.tsx"
    view.write_text(
        "export const View = () => (\n  <div>\n    {/* amplint-disable-next-line AMP001 */}\n"
        "    <span>{1 +}</span>\n  </div>\n);\n"
    )
    assert findings(root) == []  # the syntax error on line 4 is suppressed
    assert [(d.location.path.name, d.location.span.start_line, d.code) for d in lint([root]).diagnostics] == [
        ("backend.ts", 3, "AMP501"),
        ("view.tsx", 4, "AMP001"),
    ]


def test_unused_is_not_reported_for_rules_that_did_not_run(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD
        + "// amplint-disable-next-line AMP501\nexport const x = 1;\n"
        + "// amplint-disable-next-line -- every rule\nexport const y = 2;\ndefineBackend({});\n",
    )
    assert findings(root) == [(2, "AMP002"), (4, "AMP002")]
    assert findings(root, select=("AMP1", "AMP0")) == []  # AMP501 did not run, so neither can be called unused
    assert findings(root, ignore=("AMP002",)) == []


def test_unused_is_not_reported_in_a_file_with_a_syntax_error(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD
        + "// amplint-disable-next-line AMP501\nexport const x = 1;\n"
        + "export const = ;\ndefineBackend({});\n",
    )
    assert findings(root) == [(4, "AMP001")]


def test_unused_suppressions_follow_the_configured_severity(tmp_path):
    backend(
        tmp_path, BACKEND_HEAD + "// amplint-disable-next-line AMP501\nexport const x = 1;\n" + "defineBackend({});\n"
    )
    (tmp_path / "amplint.toml").write_text('[severity]\nAMP002 = "error"\n')
    run = subprocess.run(
        [sys.executable, "-m", "amplint", "check"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 1
    assert run.stdout.startswith(
        "amplify/backend.ts:2:1: error AMP002 [*] `amplint-disable-next-line AMP501` suppresses "
        "nothing: no AMP501 finding on the next line; remove it\n"
    )


def test_a_blanket_range_with_one_code_enabled_again(tmp_path):
    root = backend(
        tmp_path,
        BACKEND_HEAD
        + "/* amplint-disable */\n"
        + WRONG_IMPORT
        + "/* amplint-enable AMP501 */\n"
        + WRONG_IMPORT.replace("Duration }", "Duration as D2 }")
        + "/* amplint-enable */\ndefineBackend({});\n",
    )
    assert findings(root) == [(5, "AMP501")]
    root = backend(
        tmp_path / "again",
        BACKEND_HEAD
        + "/* amplint-disable */\n/* amplint-enable AMP501 */\n"
        + "/* amplint-disable -- AMP501 too, again */\n"
        + WRONG_IMPORT
        + "/* amplint-enable */\n"
        + "defineBackend({});\n",
    )
    assert findings(root) == [(2, "AMP002")]  # the second disable covers AMP501 again; the first, nothing


def test_a_suppression_in_an_unsaved_buffer_applies(tmp_path):
    root = backend(tmp_path, BACKEND_HEAD + WRONG_IMPORT + "defineBackend({});\n")
    buffer = BACKEND_HEAD + "// amplint-disable-next-line AMP501 -- editing\n" + WRONG_IMPORT + "defineBackend({});\n"
    stdin = (root / "amplify" / "backend.ts", buffer.encode())
    assert findings(root) == [(2, "AMP501")]
    assert findings(root, stdin=stdin) == []


def test_require_reason_on_the_command_line(tmp_path):
    backend(
        tmp_path,
        BACKEND_HEAD
        + "// amplint-disable-next-line AMP501\n"
        + WRONG_IMPORT
        + "// amplint-disable-next-line AMP501 -- the fork re-exports it\n"
        + WRONG_IMPORT.replace("Duration }", "Duration as D2 }")
        + "defineBackend({});\n",
    )
    run = subprocess.run(
        [sys.executable, "-m", "amplint", "check", "--require-reason"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert run.stdout.splitlines()[0] == (
        "amplify/backend.ts:2:1: error AMP004 `amplint-disable-next-line AMP501` gives no reason; say why after "
        "` -- `, e.g. `amplint-disable-next-line AMP501 -- <why this is safe>`"
    )
    assert (
        "AMP004"
        not in subprocess.run(
            [sys.executable, "-m", "amplint", "check"], cwd=tmp_path, capture_output=True, text=True, timeout=60
        ).stdout
    )
