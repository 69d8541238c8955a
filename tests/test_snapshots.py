"""Each fixture project's whole report, stored beside it as `<fixture>.snapshot` and compared line by
line: position, severity, code, message and related locations, duplicates included. Markers
(`test_fixtures.py`) say which findings must exist; snapshots hold what they say, so a reworded
message or a shifted column is a reviewed change. After a reviewed change:
`python -m pytest tests/test_snapshots.py --update-snapshots`."""

from __future__ import annotations

import pytest
from conftest import fixture_roots

from amplint.api import lint


def report(root) -> str:
    result = lint([root])
    lines = [f"error: {e.path.relative_to(root).as_posix() if e.path else ''}: {e.message}" for e in result.errors]
    for d in result.reported:
        span = d.location.span
        lines.append(
            f"{d.location.path.relative_to(root).as_posix()}:{span.start_line}:{span.start_column}"
            f"-{span.end_line}:{span.end_column}: {d.severity.value} {d.code} {d.message}"
        )
        for related in d.related:
            where = related.location.path
            where = where.relative_to(root).as_posix() if where.is_relative_to(root) else where.name
            lines.append(
                f"    note: {where}:{related.location.span.start_line}:"
                f"{related.location.span.start_column}: {related.message}"
            )
    return "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("root", fixture_roots(), ids=lambda p: p.name)
def test_fixture_report_matches_its_snapshot(root, request):
    snapshot = root.with_name(root.name + ".snapshot")
    actual = report(root)
    if request.config.getoption("--update-snapshots"):
        snapshot.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert snapshot.is_file(), f"no snapshot for {root.name}: run with --update-snapshots and review it"
    assert snapshot.read_text(encoding="utf-8").splitlines() == actual.splitlines()


def test_every_snapshot_has_its_fixture():
    roots = {root.name for root in fixture_roots()}
    stale = [p.name for p in fixture_roots()[0].parent.glob("*.snapshot") if p.stem not in roots]
    assert stale == [], "snapshots of fixtures that no longer exist"


def test_a_finding_reported_twice_is_reported_twice(tmp_path):
    """Reports are count-sensitive: nothing merges equal findings, so a check that reports one thing
    twice shows in every snapshot (and every output) instead of going unseen."""
    from amplint.checks import Check
    from amplint.diagnostics import Diagnostic, Location, Span

    (tmp_path / "amplify").mkdir()
    backend_file = tmp_path / "amplify" / "backend.ts"
    backend_file.write_text("import { defineBackend } from '@aws-amplify/backend';\ndefineBackend({});\n")

    def twice(backend):
        found = Diagnostic("AMP501", "twice", Location(backend_file, Span(2, 1, 2, 14, 54, 67)))
        return [found, found]

    result = lint([tmp_path], checks=[Check(frozenset({"AMP501"}), twice)])
    assert [d.message for d in result.reported] == ["twice", "twice"]
