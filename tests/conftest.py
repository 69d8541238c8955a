from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"expect:\s*(AMP\d{3}(?:\s*,\s*AMP\d{3})*)")


def fixture_roots() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and (p / "amplify").is_dir())


def expected_findings(root: Path) -> Counter:
    """(file relative to the root, line, code) for every `expect: AMPxxx` marker under amplify/,
    counted: `expect: AMP201, AMP201` is two findings on that line."""
    expected: Counter = Counter()
    for path in [*sorted(root.glob("tsconfig*.json")), *sorted((root / "amplify").rglob("*"))]:
        if not path.is_file() or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    expected[(path.relative_to(root).as_posix(), number, code)] += 1
    return expected


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/fixtures/*.snapshot from the current findings (review the diff)",
    )
