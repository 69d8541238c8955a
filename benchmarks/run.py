"""How fast amplint is, against the physical limits of its design.

    python benchmarks/run.py                          # 1, 10, 100, 1,000 functions; medians of 5 runs
    python benchmarks/run.py --sizes 1,10 --repeat 3
    python benchmarks/run.py --profile 1000           # where the time goes, by function

For each synthetic backend (benchmarks/generate.py) it measures, in separate processes:
`amplint check` (wall, CPU, peak memory); the same files parsed by tree-sitter alone in one
process (the floor); interpreter start-up plus imports; and `amplint check` on the bundled
example. Machines are noisy: every figure is the median of interleaved runs, and the targets
compare ratios measured in the same run."""

from __future__ import annotations

import argparse
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
CPU_TARGET = 2.0  # amplint CPU / parse-only CPU, at 1,000 functions
STARTUP_TARGET = 1.5  # amplint wall / start-up wall, on the bundled example


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


def amplint(root: Path) -> list[str]:
    # No --output-format: stdout is not a terminal, so amplint prints concise (rich is never imported).
    # --no-cache: every run does the whole work (the cache would turn every run after the first into a hit).
    return [sys.executable, "-m", "amplint", "check", "--no-cache", str(root)]


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
    commands = {"startup": STARTUP, "example": amplint(EXAMPLE)}
    for n, root in roots.items():
        commands[f"amplint-{n}"], commands[f"parse-{n}"] = amplint(root), parse_only(root)
    for argv in commands.values():  # warm up: bytecode cache, file system cache
        measure(argv, env)
    samples: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(repeat):  # interleaved, so that a noisy moment hits every command alike
        for name, argv in commands.items():
            samples[name].append(measure(argv, env))
    result = {name: median(runs) for name, runs in samples.items()}
    report(result, roots, repeat)


def report(result: dict[str, Sample], roots: dict[int, Path], repeat: int) -> None:
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
        f"wall {example.wall:.3f} s, CPU {example.cpu:.3f} s, peak {example.peak_mb:.0f} MB"
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
    ratio = example.wall / startup.wall
    print(
        f"  bundled example wall: {ratio:.2f}x start-up + imports "
        f"(target <= {STARTUP_TARGET}x): {_verdict(ratio <= STARTUP_TARGET)}"
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
