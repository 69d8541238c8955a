"""The text report's code frame shows the line the finding is on, whatever separators the file holds."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from rich.console import Console

from amplint.api import lint
from amplint.reporters.text import render_to

FIXTURES = Path(__file__).parent / "fixtures"


def test_code_frame_counts_lines_as_positions_do(tmp_path):
    root = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-duration", root)
    # A form feed and a U+2028 inside a string start no new line for positions (only `\n` does).
    (root / "amplify" / "odd.ts").write_bytes(
        b"// one\x0ctwo\r\nexport const s = 'a\xe2\x80\xa8b';\nimport { Duration } from 'aws-cdk-lib/aws-events';\n")
    result = lint([root])
    result.diagnostics = [d for d in result.diagnostics if d.location.path.name == "odd.ts"]
    out = io.StringIO()
    render_to(Console(file=out, width=200, color_system=None), result)
    lines = out.getvalue().split("\n")
    # backend.ts never loads odd.ts: only Amplify's type-check fails on it.
    assert lines[0].endswith("odd.ts:3:10: error AMP501 `Duration` is imported from `aws-cdk-lib/aws-events`, "
                             "which does not export it (tsc TS2305); import it from 'aws-cdk-lib'")
    assert lines[2] == " 3 | import { Duration } from 'aws-cdk-lib/aws-events';"
    assert lines[3] == "   |          ^^^^^^^^"
