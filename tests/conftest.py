from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"expect:\s*(AMP\d{3}(?:\s*,\s*AMP\d{3})*)")


def fixture_roots() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and (p / "amplify").is_dir())


def expected_findings(root: Path) -> set[tuple[str, int, str]]:
    """(file relative to the root, line, code) for every `expect: AMPxxx` marker under amplify/."""
    expected = set()
    for path in sorted((root / "amplify").rglob("*")):
        if not path.is_file() or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    expected.add((path.relative_to(root).as_posix(), number, code))
    return expected
