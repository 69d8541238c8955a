"""The language server's parts without a client: positions in each encoding, the next runs of a
schedule, and the suppression comment a code action writes."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

pytest.importorskip("lsprotocol")

from lsprotocol import types  # noqa: E402

from amplint.diagnostics import UTF8, UTF16, UTF32, Span  # noqa: E402
from amplint.fixer import apply_edits  # noqa: E402
from amplint.model.schedules.runs import next_runs  # noqa: E402
from amplint.model.schedules.timing import cron_spec  # noqa: E402
from amplint.server.actions import disable_edit  # noqa: E402
from amplint.server.positions import Lines  # noqa: E402

TEXT = "const a = 1;\nconst s = '😀 日本語'; const x = y;\n".encode()


@pytest.mark.parametrize(
    ("encoding", "character"),
    [
        (UTF16, len("const s = '😀 日本語'; const ") + 1),
        (UTF8, len(b"const s = '") + 4 + 1 + 9 + len("'; const ")),
        (UTF32, len("const s = '😀 日本語'; const ")),
    ],
)
def test_a_column_after_an_emoji_and_cjk_in_each_encoding(encoding, character):
    lines = Lines(TEXT, encoding)
    column = len("const s = '😀 日本語'; const ") + 1  # amplint's: 1-based code points
    start = TEXT.index(b"x = y")
    span = Span(2, column, 2, column + 1, start, start + 1)
    assert lines.range(span) == types.Range(types.Position(1, character), types.Position(1, character + 1))
    assert lines.position_at_byte(start) == types.Position(1, character)
    assert lines.byte_at(types.Position(1, character)) == start
    assert lines.byte_at(types.Position(1, 999)) == TEXT.index(b"\n", start)  # past the end: the line's end


def test_a_byte_order_mark_is_not_a_column():
    text = "\ufeffconst x = 1;\n".encode()
    lines = Lines(text, UTF16)
    assert lines.position(1, 7) == types.Position(0, 6)
    assert lines.byte_at(types.Position(0, 6)) == text.index(b"x")
    assert lines.position_at_byte(text.index(b"x")) == types.Position(0, 6)


def test_next_runs_of_a_weekly_cron_across_daylight_saving():
    from zoneinfo import ZoneInfo

    monday_nine = cron_spec(("0", "9", "?", "*", "2", "*"))
    after = datetime(2025, 3, 20, 12, 0, tzinfo=timezone.utc)
    # Berlin moves to summer time on 30 March 2025: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    assert next_runs(monday_nine, ZoneInfo("Europe/Berlin"), after) == [
        datetime(2025, 3, 24, 8, 0, tzinfo=timezone.utc),
        datetime(2025, 3, 31, 7, 0, tzinfo=timezone.utc),
        datetime(2025, 4, 7, 7, 0, tzinfo=timezone.utc),
    ]
    assert next_runs(monday_nine, timezone.utc, after)[0] == datetime(2025, 3, 24, 9, 0, tzinfo=timezone.utc)
    # The 31st: months without one are skipped.
    assert [r.month for r in next_runs(cron_spec(("0", "0", "31", "*", "?", "*")), timezone.utc, after)] == [3, 5, 7]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("  run();\n", "  // amplint-disable-next-line AMP501\n  run();\n"),
        ("x;\r\n  run();\r\n", "x;\r\n  // amplint-disable-next-line AMP501\r\n  run();\r\n"),
        # A directive above already: the code joins it (two stacked, the upper would cover the lower).
        (
            "// amplint-disable-next-line AMP101 -- why\n  run();\n",
            "// amplint-disable-next-line AMP101, AMP501 -- why\n  run();\n",
        ),
        ("  // amplint-disable-next-line\n  run();\n", None),  # covers every rule already
    ],
)
def test_the_suppression_comment_for_a_line(before, after):
    path = Path("/p/amplify/backend.ts")
    text = before.encode()
    line = before[: before.index("run();")].count("\n") + 1
    edit = disable_edit(path, "AMP501", line, Lines(text))
    if after is None:
        assert edit is None
    else:
        assert edit is not None and apply_edits(text, [edit]).decode() == after


def test_the_readme_editor_set_ups_start_amplint_server():
    import json
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Language server\n")[1].split("\n## ")[0]
    blocks = dict(re.findall(r"```(\w+)\n(.*?)```", section, re.S))
    helix = tomllib.loads(blocks["toml"])
    assert helix["language-server"]["amplint"] == {"command": "amplint", "args": ["server"]}
    assert all("amplint" in language["language-servers"] for language in helix["language"])
    vscode = json.loads(blocks["json"])
    assert (vscode["glspc.server.command"], vscode["glspc.server.commandArguments"]) == ("amplint", ["server"])
    assert "cmd = { 'amplint', 'server' }" in blocks["lua"]
    assert '("amplint" "server")' in blocks["elisp"]


@pytest.mark.parametrize("encoding", [UTF8, UTF16, UTF32])
def test_the_server_and_the_reporters_count_a_byte_offset_alike(tmp_path, encoding):
    """One conversion for both: a byte order mark and a CRLF's `\r` are no column, in every encoding."""
    from amplint.api import LintResult
    from amplint.reporters.positions import SourceText, units

    text = "\ufeffconst é = '😀';\r\nx;\r\n".encode()
    path = tmp_path / "a.ts"
    source = SourceText(LintResult([], [], 0, [], {}, frozenset(), sources={path: text}))
    lines = Lines(text, encoding)
    for offset in (3, text.index("é".encode()), text.index(b"'"), text.index(b"\r"), text.index(b"\n"), len(text)):
        line, column = source.point(path, offset)
        expected = types.Position(line - 1, units(lines.line(line - 1)[: column - 1], encoding))
        assert lines.position_at_byte(offset) == expected, offset
