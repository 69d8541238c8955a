"""How fast amplint is, against the physical limits of its design.

    python benchmarks/run.py                          # 1, 10, 100, 1,000 functions; medians of 5 runs
    python benchmarks/run.py --sizes 1,10 --repeat 3
    python benchmarks/run.py --profile 1000           # where the time goes, by function

For each synthetic backend (benchmarks/generate.py) it measures, in separate processes:
`amplint check` without the cache (wall, CPU, peak memory); the same files parsed by tree-sitter
alone in one process (the floor); interpreter start-up plus imports; and `amplint check` on the
bundled example, cold and from the cache. On the largest backend it also measures a run from the
cache (nothing changed), a run after one handler changed, a first run that writes the cache, and,
in one long-running process (benchmarks/inprocess.py), lint work against parsing and the re-lint
after an edit that an editor asks for. Machines are noisy: every figure is the median of interleaved runs, and the targets
compare ratios measured in the same run."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

REPO = HERE.parent
GENERATED = HERE / "_generated"
EXAMPLE = REPO / "examples" / "scheduled-backend"
STARTUP = [sys.executable, "-c", "import tree_sitter, tree_sitter_typescript, click"]
# The engine issue's targets, each a ratio of figures measured in the same run.
CPU_TARGET = 2.5  # amplint CPU / parse-only CPU, at 1,000 functions, cold
STARTUP_TARGET = 1.5  # amplint wall / start-up wall, on the bundled example
WARM_TARGET = 0.3  # nothing changed, from the cache / cold, wall
EDIT_TARGET = 0.4  # one handler changed / cold, wall
MEMORY_TARGET = 1.5  # amplint peak / parse-only peak
INPROCESS_TARGET = 3.0  # in-process lint work / in-process parse
HANDLER_EDIT_TARGET = 0.020  # seconds, re-lint after an edit to one handler, at 100 functions
BACKEND_EDIT_TARGET = 0.060  # seconds, re-lint after an edit to backend.ts, at 100 functions


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_mb: float  # peak resident set size


def child_env(workdir: Path) -> dict[str, str]:
    """Run children as an installed amplint runs: with bytecode cached (pip compiles on install).
    The cache goes under the work folder so the source tree stays clean."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


def measure(argv: list[str], env: dict[str, str]) -> Sample:
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own CPU time and peak memory
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):  # 1: findings
            stderr.seek(0)
            raise SystemExit(f"{' '.join(argv)} exited {process.returncode}:\n{stderr.read().decode()}")
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / per_mb)


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.wall for s in samples),
        statistics.median(s.cpu for s in samples),
        statistics.median(s.peak_mb for s in samples),
    )


def amplint(root: Path, cache: Path | None = None) -> list[str]:
    """`amplint check` without the cache (every run does the whole work), or with the cache in `cache`.
    No --output-format: stdout is not a terminal, so amplint prints concise (rich is never imported)."""
    where = ["--cache-dir", str(cache)] if cache is not None else ["--no-cache"]
    return [sys.executable, "-m", "amplint", "check", str(root), *where]


class EditOneHandler:
    """Before each run, change one handler's text (a new comment), so the run sees one changed file."""

    def __init__(self, root: Path) -> None:
        self.handler = sorted((root / "amplify" / "functions").rglob("handler.ts"))[0]
        self.original = self.handler.read_text()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.handler.write_text(f"{self.original}\n// edit {self.count}\n")


def parse_only(root: Path) -> list[str]:
    return [sys.executable, str(HERE / "parse_only.py"), str(root)]


def size_of(root: Path) -> tuple[int, int]:
    files = [p for p in (root / "amplify").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def benchmark(sizes: list[int], repeat: int, workdir: Path) -> None:
    env = child_env(workdir)
    roots = {}
    for n in sizes:
        root = workdir / f"backend-{n}"
        shutil.rmtree(root, ignore_errors=True)
        roots[n] = generate(root, n)
    largest = max(roots)
    commands = {
        "startup": STARTUP,
        "example": amplint(EXAMPLE),
        "example-warm": amplint(EXAMPLE, workdir / "cache-example"),
        "warm": amplint(roots[largest], workdir / "cache-warm"),
    }
    # A copy of the largest backend for the edit runs: the cache of the warm runs must stay valid.
    edited = generate(workdir / f"backend-{largest}-edited", largest)
    commands["edit"] = amplint(edited, workdir / "cache-edit")
    # A first run with the cache: it finds none, lints from scratch and writes the result and the facts.
    commands["first"] = amplint(roots[largest], workdir / "cache-first")
    before = {"edit": EditOneHandler(edited), "first": lambda: shutil.rmtree(workdir / "cache-first", True)}
    for n, root in roots.items():
        commands[f"amplint-{n}"], commands[f"parse-{n}"] = amplint(root), parse_only(root)
    for argv in commands.values():  # warm up: bytecode cache, file system cache, amplint's cache
        measure(argv, env)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(repeat):  # interleaved, so that a noisy moment hits every command alike
        for name, argv in commands.items():
            if name in before:
                before[name]()
            samples[name].append(measure(argv, env))
    result = {name: median(runs) for name, runs in samples.items()}
    # The re-lint targets are set at 100 functions: measured there when that size is run, else at the
    # largest size up to 100, else at the smallest.
    edited_size = max((n for n in roots if n <= 100), default=min(roots))
    inprocess = {n: in_process(roots[n], repeat, env) for n in sorted({edited_size, largest})}
    report(result, roots, repeat, inprocess)


def in_process(root: Path, repeat: int, env: dict[str, str]) -> dict[str, float]:
    run = subprocess.run(
        [sys.executable, str(HERE / "inprocess.py"), str(root), str(repeat)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(run.stdout)
    return figures


def report(
    result: dict[str, Sample], roots: dict[int, Path], repeat: int, inprocess: dict[int, dict[str, float]]
) -> None:
    from importlib.metadata import version

    startup, example = result["startup"], result["example"]
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"machine: {os.cpu_count()} CPUs ({usable} usable), "
        f"{platform.machine()} {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; tree-sitter {version('tree-sitter')}, "
        f"tree-sitter-typescript {version('tree-sitter-typescript')}; medians of {repeat} runs"
    )
    print()
    header = (
        "functions",
        "files",
        "MB",
        "wall s",
        "CPU s",
        "peak MB",
        "parse CPU s",
        "parse MB",
        "CPU / parse",
        "wall / start-up",
    )
    rows = []
    for n, root in roots.items():
        files, size = size_of(root)
        run, floor = result[f"amplint-{n}"], result[f"parse-{n}"]
        rows.append(
            (
                f"{n:,}",
                f"{files:,}",
                f"{size / 1e6:.2f}",
                f"{run.wall:.2f}",
                f"{run.cpu:.2f}",
                f"{run.peak_mb:.0f}",
                f"{floor.cpu:.2f}",
                f"{floor.peak_mb:.0f}",
                f"{run.cpu / floor.cpu:.2f}x",
                f"{run.wall / startup.wall:.1f}x",
            )
        )
    table([header, *rows])
    print()
    print(
        f"start-up + imports (python -c 'import tree_sitter, tree_sitter_typescript, click'): "
        f"wall {startup.wall:.3f} s, CPU {startup.cpu:.3f} s, peak {startup.peak_mb:.0f} MB"
    )
    print(
        f"bundled example (amplint check {EXAMPLE.relative_to(REPO)}): "
        f"wall {example.wall:.3f} s, CPU {example.cpu:.3f} s, peak {example.peak_mb:.0f} MB; "
        f"from the cache: wall {result['example-warm'].wall:.3f} s"
    )
    largest = max(roots)
    cold, warm, edit, first = result[f"amplint-{largest}"], result["warm"], result["edit"], result["first"]
    print(
        f"{largest:,} functions: cold wall {cold.wall:.2f} s (without the cache; {first.wall:.2f} s, "
        f"{first.wall / cold.wall:.2f}x, on a first run that writes it); from the cache {warm.wall:.2f} s; "
        f"one handler changed {edit.wall:.2f} s"
    )
    for n, figures in inprocess.items():
        print(
            f"in one process, {n:,} functions: parse {figures['parse'] * 1000:.1f} ms, "
            f"lint {figures['lint'] * 1000:.1f} ms, re-lint after a handler edit "
            f"{figures['handler_edit'] * 1000:.1f} ms, after a backend.ts edit {figures['backend_edit'] * 1000:.1f} ms"
        )
    print()
    print("targets:")
    largest = max(roots)
    run, floor = result[f"amplint-{largest}"], result[f"parse-{largest}"]
    ratio = run.cpu / floor.cpu
    print(
        f"  CPU at {largest:,} function{'s' if largest != 1 else ''}: {ratio:.2f}x parse-only "
        f"(target <= {CPU_TARGET}x at 1,000): {_verdict(ratio <= CPU_TARGET)}"
    )
    ratio, warm_ratio = example.wall / startup.wall, result["example-warm"].wall / startup.wall
    print(
        f"  bundled example wall: {ratio:.2f}x start-up + imports cold, {warm_ratio:.2f}x from the cache "
        f"(target <= {STARTUP_TARGET}x): cold {_verdict(ratio <= STARTUP_TARGET)}, "
        f"from the cache {_verdict(warm_ratio <= STARTUP_TARGET)}"
    )
    ratio = warm.wall / cold.wall
    print(f"  nothing changed: {ratio:.2f}x cold (target <= {WARM_TARGET}x): {_verdict(ratio <= WARM_TARGET)}")
    ratio = edit.wall / cold.wall
    print(f"  one handler changed: {ratio:.2f}x cold (target <= {EDIT_TARGET}x): {_verdict(ratio <= EDIT_TARGET)}")
    ratio = run.peak_mb / floor.peak_mb
    print(
        f"  memory at {largest:,} functions: {ratio:.2f}x parse-only "
        f"(target <= {MEMORY_TARGET}x): {_verdict(ratio <= MEMORY_TARGET)}"
    )
    figures = inprocess[largest]
    ratio = figures["lint"] / figures["parse"]
    print(
        f"  in-process lint at {largest:,} functions: {ratio:.2f}x in-process parse "
        f"(target <= {INPROCESS_TARGET}x): {_verdict(ratio <= INPROCESS_TARGET)}"
    )
    figures = inprocess[min(inprocess)]
    handler, backend = figures["handler_edit"], figures["backend_edit"]
    print(
        f"  re-lint at {min(inprocess):,} functions: {handler * 1000:.0f} ms after a handler edit "
        f"(target <= {HANDLER_EDIT_TARGET * 1000:.0f} ms): {_verdict(handler <= HANDLER_EDIT_TARGET)}, "
        f"{backend * 1000:.0f} ms after a backend.ts edit (target <= {BACKEND_EDIT_TARGET * 1000:.0f} ms): "
        f"{_verdict(backend <= BACKEND_EDIT_TARGET)}"
    )
    ordered = sorted(roots)
    if len(ordered) >= 3:
        slopes = []
        for small, large in zip(ordered[1:], ordered[2:]):
            grown = result[f"amplint-{large}"].peak_mb - result[f"amplint-{small}"].peak_mb
            slopes.append(f"{grown * 1024 / (large - small):.0f} KB per function from {small:,} to {large:,}")
        print(f"  memory: {'; '.join(slopes)} (linear when these agree)")


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for number, row in enumerate(rows):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


def profile(n: int, workdir: Path) -> None:
    """cProfile of one in-process `lint` of the n-function backend: the amplint functions by
    cumulative time, then everything by own time."""
    import cProfile
    import pstats

    sys.path.insert(0, str(REPO))
    from amplint.api import lint

    root = generate(workdir / f"backend-{n}", n)
    lint([root])  # warm the file system cache
    profiler = cProfile.Profile()
    profiler.runcall(lint, [root])
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"amplint/", 45)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,100,1000", help="function counts (default: 1,10,100,1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (default: 5)")
    parser.add_argument("--profile", type=int, metavar="FUNCTIONS", help="profile one size instead")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=GENERATED,
        help="where the backends are generated (default: benchmarks/_generated)",
    )
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, args.workdir)
        return
    benchmark([int(n) for n in args.sizes.split(",")], args.repeat, args.workdir)


if __name__ == "__main__":
    main()
