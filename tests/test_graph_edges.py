"""`amplint graph` at its edges: a host without a time-zone database, time zones AMP404 rejects, instants
at the ends of the calendar, a backend that does not parse; and the layering the picture keeps (it
reads the model only; hover reads the picture only)."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pytest
from test_graph import run

from amplint.model.schedules.runs import next_runs
from amplint.model.schedules.timing import cron_spec

REPO = Path(__file__).resolve().parents[1]
ZONED = """import { defineFunction } from '@aws-amplify/backend';

export const report = defineFunction({
  name: 'report',
  schedule: [{ cron: '0 9 ? * 2 *', timezone: 'Europe/Berlin' }, 'every day'],
});
"""
BACKEND = """import { defineBackend } from '@aws-amplify/backend';
import { report } from './functions/report/resource';

defineBackend({ report });
"""


def project(root: Path, backend: str = BACKEND) -> Path:
    (root / "amplify" / "functions" / "report").mkdir(parents=True)
    (root / "amplify" / "backend.ts").write_text(backend, encoding="utf-8")
    (root / "amplify" / "functions" / "report" / "resource.ts").write_text(ZONED, encoding="utf-8")
    (root / "amplify" / "functions" / "report" / "handler.ts").write_text(
        "export const handler = async () => {};\n", encoding="utf-8"
    )
    return root


def test_a_host_without_a_time_zone_database_draws_and_says_why_runs_are_missing(tmp_path):
    root = project(tmp_path / "app")
    empty = tmp_path / "emptytz"
    empty.mkdir()
    result = run(".", "--now", "2025-01-06T08:00Z", cwd=root, env={"PYTHONTZPATH": str(empty)})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    berlin = next(i for i, line in enumerate(lines) if "0 9 ? * 2 *" in line)
    assert "next runs: not known: time zone `Europe/Berlin` is not known on this host" in lines[berlin + 1]
    # UTC needs no database: the other schedule still has its runs.
    assert "next 2025-01-07 00:00 UTC" in result.stdout
    # With the database, the same project has Berlin's runs.
    known = run(".", "--now", "2025-01-06T08:00Z", cwd=root)
    assert known.returncode == 0 and "(09:00 Europe/Berlin, UTC+01:00)" in known.stdout


@pytest.mark.parametrize("zone", ["localtime", "utc", "europe/berlin", "Mars/Base"])
def test_time_zones_amp404_rejects_are_usage_errors(tmp_path, zone):
    root = project(tmp_path / "app")
    result = run(".", "--tz", zone, cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"amplint: error: --time-zone: `{zone}` is not a time zone known on this host (use an IANA name such as "
        "`Europe/Berlin`, as a schedule's `timezone` must be)\n"
    )


def test_time_zones_amp404_accepts_are_shown(tmp_path):
    root = project(tmp_path / "app")
    for zone in ("UTC", "Asia/Tokyo"):
        result = run(".", "--tz", zone, "--now", "2025-01-06T08:00Z", cwd=root)
        assert result.returncode == 0 and result.stderr == ""
    assert "(09:00 Asia/Tokyo, UTC+09:00)" in result.stdout


@pytest.mark.parametrize("now", ["9999-12-31T23:59Z", "0001-01-01T00:00+01:00", "1969-12-31T23:59Z", "2200-01-01"])
def test_now_outside_the_years_a_cron_can_name_is_a_usage_error(tmp_path, now):
    root = project(tmp_path / "app")
    result = run(".", "--now", now, cwd=root)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == (
        f"amplint: error: --now: `{now}` is outside the years schedules can run in (1970 to 2199)\n"
    )


def test_now_at_the_ends_of_the_range_is_drawn(tmp_path):
    root = project(tmp_path / "app")
    for now in ("1970-01-01T00:00Z", "2199-12-31T23:59-05:00"):
        result = run(".", "--now", now, cwd=root)
        assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.parametrize("cron", ["0 0 * * ? *", "0 0 L * ? *", "0 0 ? * 6L *"])
def test_next_runs_stop_at_the_end_of_the_calendar(cron):
    spec = cron_spec(tuple(cron.split()))
    assert spec is not None
    after = datetime.datetime(9999, 12, 30, 12, 0, tzinfo=datetime.timezone.utc)
    runs = next_runs(spec, datetime.timezone.utc, after)
    assert [run.date() for run in runs] == [datetime.date(9999, 12, 31)]


def test_a_backend_that_does_not_parse_is_drawn_with_a_warning(tmp_path):
    broken = BACKEND.replace("defineBackend({ report });", "defineBackend({ report ;\nconst = ;\n")
    root = project(tmp_path / "app", broken)
    result = run(".", cwd=root)
    assert result.returncode == 0
    assert result.stderr == "amplint: warning: amplify/backend.ts does not parse; the picture may be incomplete\n"
    clean = project(tmp_path / "clean")
    assert run(".", cwd=clean).stderr == ""


def _imports(path: Path) -> set[str]:
    """The amplint modules a file imports at run time (not under `if TYPE_CHECKING:`), absolute."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(REPO).with_suffix("").parts[:-1])
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in ast.walk(block)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and id(node) not in typing_only:
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return found


def test_the_picture_reads_the_model_only_and_hover_the_picture_only():
    picture = _imports(REPO / "amplint" / "picture.py")
    assert not [name for name in picture if name.startswith("amplint.checks")], picture
    hover = _imports(REPO / "amplint" / "server" / "hover.py")
    assert not [name for name in hover if name.startswith("amplint.model")], hover


def test_cycles_are_a_model_fact_and_amplify_defaults_have_one_home():
    from amplint import amplify
    from amplint.model import stacks

    assert callable(stacks.stack_cycles) and callable(stacks.cycle_advice) and stacks.StackCycle
    assert (amplify.DEFAULT_RUNTIME, amplify.DEFAULT_TIMEOUT_SECONDS, amplify.DEFAULT_MEMORY_MB) == (22, 3, 512)
    import amplint.checks.stack_cycle as check
    import amplint.picture as picture

    assert "stack_cycles" not in vars(check) or check.stack_cycles is stacks.stack_cycles
    assert not hasattr(picture, "DEFAULT_TIMEOUT_SECONDS") and not hasattr(picture, "time_zone")
