"""The benchmark runs with one command, on a synthetic backend amplint finds nothing wrong with."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from amplint.api import lint

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from generate import KINDS, generate  # noqa: E402


def test_the_synthetic_backend_is_clean(tmp_path):
    # Two of each kind of function: the benchmark measures correct code, as users mostly lint.
    result = lint([generate(tmp_path / "backend", 2 * len(KINDS))])
    assert result.errors == []
    assert result.reported == []
    assert result.files == 3 + 2 * (2 * len(KINDS)) + 2  # backend, auth, data; resource + handler; lib.ts


def test_the_benchmark_runs_on_the_smallest_size(tmp_path):
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--sizes", "1", "--repeat", "1", "--workdir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("machine: ")
    row = next(line.split() for line in lines if line.split()[:2] == ["1", "5"])
    assert row[-2].endswith("x") and row[-1].endswith("x")  # CPU / parse-only, wall / start-up
    assert any(line.startswith("  CPU at 1 function: ") for line in lines)
    assert any(line.startswith("  bundled example wall: ") for line in lines)


# Per-file facts that hold no tree node: each can be cached by content hash as it is, and lets its
# file's tree go. A node brought back into one of them fails here (see benchmarks/facts.py).
NODE_FREE = (
    "Module.imports",
    "_specifiers",
    "_load_imports",
    "_handler_function",
    "_read_fact_calls",
    "_read_variable_reads",
    "_read_operation_calls",
    "_read_member_reads",
    "_declared_exports",
    "_return_statements",
    "_duration_members",
    "_schedule_calls",
    "_constructions",
    "_creations",
    "_resource_members",
    "_read_members_off",
    "_field_rule_calls",
    "_define_calls",
    "_reference_calls",
    "_property_reads",
    "Module.exports",
    "Module.bindings",
)


def test_the_facts_measure_names_the_facts_that_hold_no_tree_node():
    roots = [
        BENCHMARKS.parent / "examples" / "scheduled-backend",
        *sorted(p for p in (BENCHMARKS.parent / "tests" / "fixtures").iterdir() if p.is_dir()),
    ]
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / "facts.py"), *map(str, roots)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    counts = {line.split()[0]: (int(line.split()[1]), int(line.split()[2])) for line in run.stdout.splitlines()[1:-1]}
    for kind in NODE_FREE:
        modules, with_nodes = counts[kind]
        assert modules > 0 and with_nodes == 0, kind
    assert counts["_new_expressions"][1] > 0  # and it sees a node where one is kept
    assert run.stdout.splitlines()[-1].endswith("kinds hold no node in any module")
