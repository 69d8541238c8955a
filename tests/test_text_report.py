"""The text report: its code frame shows the line the finding is on, whatever separators the file holds,
with a caret under the token's display cells in the finding's colour; its summary; `--color`."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from amplint.api import lint
from amplint.reporters.text import console, render_to, use_color

FIXTURES = Path(__file__).parent / "fixtures"


def test_code_frame_counts_lines_as_positions_do(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-duration", root)
    # A form feed and a U+2028 inside a string start no new line for positions (only `\n` does).
    (root / "amplify" / "odd.ts").write_bytes(
        b"// one\x0ctwo\r\nexport const s = 'a\xe2\x80\xa8b';\nimport { Duration } from 'aws-cdk-lib/aws-events';\n"
    )
    result = lint([root])
    result.diagnostics = [d for d in result.diagnostics if d.location.path.name == "odd.ts"]
    out = io.StringIO()
    render_to(Console(file=out, width=200, color_system=None), result)
    lines = out.getvalue().split("\n")
    # backend.ts never loads odd.ts: only Amplify's type-check fails on it.
    assert lines[0].endswith(
        "odd.ts:3:10: error AMP501 [*] `Duration` is imported from `aws-cdk-lib/aws-events`, "
        "which does not export it (tsc TS2305); import it from 'aws-cdk-lib'"
    )
    assert lines[2] == " 3 | import { Duration } from 'aws-cdk-lib/aws-events';"
    assert lines[3] == "   |          ^^^^^^^^"


# -- the caret sits under the token's display cells ----------------------------------------------------


def _frame_rows(out: str, source: str) -> tuple[str, str]:
    """The code-frame row that shows `source` and the caret row under it."""
    lines = out.split("\n")
    index = next(i for i, line in enumerate(lines) if line.endswith(source))
    return lines[index], lines[index + 1]


def test_caret_counts_display_cells_not_code_points(tmp_path):
    from rich.cells import cell_len

    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-duration", root)
    cjk = "const 名前 = \"日本語\"; import { Duration as D1 } from 'aws-cdk-lib/aws-events';"
    emoji = "const launch = '🚀🚀'; import { Duration as D2 } from 'aws-cdk-lib/aws-lambda';"
    tabbed = "\tconst t = 1;\timport { Duration as D3 } from 'aws-cdk-lib/aws-sqs';"
    (root / "amplify" / "wide.ts").write_text(f"{cjk}\n{emoji}\n{tabbed}\n", encoding="utf-8")
    result = lint([root])
    result.diagnostics = [d for d in result.diagnostics if d.location.path.name == "wide.ts"]
    assert [d.location.span.start_column for d in result.reported] == [40, 43, 36]  # code points: the alias is flagged
    out = io.StringIO()
    render_to(Console(file=out, width=200, color_system=None), result)
    text = out.getvalue()

    source, caret = _frame_rows(text, cjk)
    assert source == f" 1 | {cjk}"
    # `const 名前 = "日本語"; import { Duration as ` is 39 code points but 44 cells: 名前 and 日本語 take
    # two each.
    assert caret == "   | " + " " * 44 + "^^"
    source, caret = _frame_rows(text, emoji)
    assert caret == "   | " + " " * (42 + 2) + "^^"  # each rocket is two cells
    # a tab is shown as one space, and the caret counts it as one
    source, caret = _frame_rows(text, tabbed.replace("\t", " "))
    assert caret == "   | " + " " * 35 + "^^"
    for line, token in ((cjk, "D1"), (emoji, "D2")):
        source, caret = _frame_rows(text, line)
        assert caret.index("^") == cell_len(source[: source.index(token)])


def test_caret_under_a_wide_token_is_as_wide_as_the_token(tmp_path):
    from rich.cells import cell_len

    path = tmp_path / "amplify" / "x.ts"
    line = "const 日本 = defineFunction({ name: '名前🚀' });"
    start = line.index("'名前🚀'")
    result = _result(path, line, [("warning", start + 1, start + 1 + len("'名前🚀'"))])
    out = io.StringIO()
    render_to(Console(file=out, width=200, color_system=None), result)
    _, caret = _frame_rows(out.getvalue(), line)
    assert caret == "   | " + " " * cell_len(line[:start]) + "^" * 8  # quote, 2 + 2 + 2 cells, quote


# -- colour follows the severity -----------------------------------------------------------------------


def _result(path: Path, line: str, findings):
    from amplint.api import LintResult
    from amplint.diagnostics import Diagnostic, Location, Severity, Span

    diagnostics = [
        Diagnostic("AMP102", f"a {severity}", Location(path, Span(1, start, 1, end)), Severity(severity))
        for severity, start, end in findings
    ]
    return LintResult(diagnostics, [], 4, [], {}, frozenset(), sources={path: (line + "\n").encode()})


def test_a_warnings_caret_is_yellow_not_red(tmp_path):
    path = tmp_path / "amplify" / "backend.ts"
    line = "export const audit = defineFunction({ name: 'audit' });"
    for severity, colour in (("warning", "\x1b[1;33m"), ("info", "\x1b[1;34m"), ("error", "\x1b[1;31m")):
        out = io.StringIO()
        render_to(
            Console(file=out, width=200, force_terminal=True, color_system="standard"),
            _result(path, line, [(severity, 14, 19)]),
        )
        text = out.getvalue()
        caret = next(row for row in text.split("\n") if "^" in row)
        assert f"{colour}^^^^^" in caret, repr(caret)
        assert f"{colour}{severity}" in text  # the label has the caret's colour
        if severity != "error":
            assert "\x1b[1;31m" not in text and "31m" not in caret


# -- the summary names the files with findings and the files linted ------------------------------------


def test_summary_counts_files_with_findings_and_files_linted(tmp_path):
    from amplint.reporters import summary

    a, b = tmp_path / "a.ts", tmp_path / "b.ts"
    result = _result(a, "x", [("error", 1, 2), ("error", 1, 2), ("warning", 1, 2)])
    assert summary(result) == "Found 2 errors, 1 warning in 1 file (4 files linted)."
    result.diagnostics.append(
        result.diagnostics[0].__class__(
            "AMP101",
            "m",
            result.diagnostics[0].location.__class__(b, result.diagnostics[0].location.span),
            result.diagnostics[0].severity,
        )
    )
    assert summary(result) == "Found 3 errors, 1 warning in 2 files (4 files linted)."
    result.diagnostics.clear()
    assert summary(result) == "No problems found in 4 files."


# -- --color ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "choice, isatty, environ, expected",
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # empty means unset (no-color.org)
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": ""}, False),
        ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins, as in CPython
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),  # the command line wins over the environment
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color_decision(choice, isatty, environ, expected):
    assert use_color(choice, isatty, environ) is expected


@pytest.mark.parametrize("choice, styled", [("never", False), ("always", True)])
def test_console_obeys_color_over_the_environment(monkeypatch, choice, styled):
    monkeypatch.setenv("FORCE_COLOR" if choice == "never" else "NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    out = io.StringIO()  # not a terminal
    path = Path("/nowhere/amplify/backend.ts")
    render_to(console(choice, out), _result(path, "const x = 1;", [("error", 7, 8)]))
    assert ("\x1b[" in out.getvalue()) is styled


def test_a_file_report_is_never_styled(monkeypatch):
    from amplint.reporters.text import render

    monkeypatch.setenv("FORCE_COLOR", "1")
    text = render(_result(Path("/nowhere/amplify/backend.ts"), "const x = 1;", [("error", 7, 8)]))
    assert "\x1b" not in text and "^" in text


@pytest.mark.parametrize(
    "color, expected",
    [("always", "\x1b[1mNo problems found in {n} files.\x1b[0m\n"), ("never", "No problems found in {n} files.\n")],
)
def test_a_clean_run_prints_its_summary_without_importing_rich(color, expected):
    """Nothing to draw but the summary: it is written directly, styled as --color says."""
    import subprocess
    import sys

    root = FIXTURES / "core-cycle-fixed"
    script = (
        "import sys\nfrom amplint.cli import main\n"
        "try:\n    main()\nexcept SystemExit as stop:\n    code = stop.code\n"
        "print('rich' in sys.modules, code, file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, "check", str(root), "--output-format", "text", "--color", color],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.stderr.strip() == "False 0"
    assert run.stdout == expected.format(n=lint([root]).files)


def test_text_from_user_files_reaches_the_terminal_without_control_characters():
    from amplint.reporters import clean

    assert clean("a\x1b[31mb\x00c\x7f\x9bd\u2028e\u2029f") == "a\\x1b[31mb\\x00c\\x7f\\x9bd\\u2028e\\u2029f"
    kept = "tab\tnew\nline é 😀 \xa0 ~"
    assert clean(kept) == kept
    every = "".join(map(chr, range(0x2100)))
    escaped = [c for c in every if clean(c) != c]
    assert escaped == [chr(c) for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)]
