"""amplint's language server with two checks added for tests (`python tests/lsp_test_server.py`):

- AMP501 with a fix: `import { Duration } from 'aws-cdk-lib/aws-events'` is fixed to import from
  'aws-cdk-lib' (the real rule's check is left out, so each finding comes once). No rule had a fix
  when the server was written; this stands in for one.
- a check that raises when a file holds `amplint-test-crash`: the server must log it and go on."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amplint.checks import CHECKS, Check  # noqa: E402
from amplint.diagnostics import Diagnostic, Edit, Fix, Location, Span  # noqa: E402

WRONG = b"import { Duration } from 'aws-cdk-lib/aws-events';"
SOURCE = b"'aws-cdk-lib/aws-events'"


def _span(text: bytes, start: int, end: int) -> Span:
    line = text.count(b"\n", 0, start) + 1
    line_start = text.rfind(b"\n", 0, start) + 1
    column = len(text[line_start:start].decode()) + 1
    return Span(line, column, line, column + len(text[start:end].decode()), start, end)


def duration_with_fix(backend):
    for path, module in backend.modules.items():
        text = module.file.text
        at = text.find(WRONG)
        while at != -1:
            source = at + WRONG.index(SOURCE)
            name = at + WRONG.index(b"Duration")
            fix = Fix(
                "Import `Duration` from 'aws-cdk-lib'", (Edit(path, source, source + len(SOURCE), "'aws-cdk-lib'"),)
            )
            yield Diagnostic(
                "AMP501",
                "`Duration` is imported from `aws-cdk-lib/aws-events`, which does not export it",
                Location(path, _span(text, name, name + len(b"Duration"))),
                fix=fix,
            )
            at = text.find(WRONG, at + 1)


def crash(backend):
    if any(b"amplint-test-crash" in module.file.text for module in backend.modules.values()):
        raise RuntimeError("a check crashed on purpose")
    return []


CHECKS_FOR_TESTS = [c for c in CHECKS if "AMP501" not in c.codes] + [
    Check(frozenset({"AMP501"}), duration_with_fix),
    Check(frozenset({"AMP501"}), crash),
]

if __name__ == "__main__":
    from amplint.server import serve

    serve(CHECKS_FOR_TESTS)
