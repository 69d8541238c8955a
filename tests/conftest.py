from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from amplint import syntax
from amplint.model import modules

FIXTURES = Path(__file__).parent / "fixtures"
EXPECT = re.compile(r"expect:\s*(AMP\d{3}(?:\s*,\s*AMP\d{3})*)")


def fixture_roots() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.is_dir() and (p / "amplify").is_dir())


def copy(fixture: str, target: Path) -> Path:
    """The fixture `fixture` copied to `target` (for tests that change it or run in it)."""
    shutil.copytree(FIXTURES / fixture, target)
    return target


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write each file (path relative to `root`: text), making its folders."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


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


@pytest.fixture
def parsed(monkeypatch) -> list[Path]:
    """The files parsed from here on (a cache hit or an unchanged file in a Session parses none; a
    file whose facts come from the facts cache is parsed only if the model needs its tree)."""
    paths: list[Path] = []
    real = syntax.SourceFile._parse

    def parse(self, old):
        paths.append(self.path)
        return real(self, old)

    monkeypatch.setattr(syntax.SourceFile, "_parse", parse)
    return paths


@pytest.fixture
def built(monkeypatch) -> list[Path]:
    """The files whose module is built from the tree from here on (not kept by a Session, nor read
    from the facts cache)."""
    paths: list[Path] = []
    real = modules.build_module

    def build(file):
        paths.append(file.path)
        return real(file)

    monkeypatch.setattr(modules, "build_module", build)
    return paths


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/fixtures/*.snapshot from the current findings (review the diff)",
    )


@pytest.fixture(scope="session", autouse=True)
def _no_cache_in_the_repository(tmp_path_factory):
    """`amplint check` caches by default beside each amplify/ folder: runs of the CLI in the tests (in this
    process or a child, which inherits the environment), module-scoped fixtures included, keep theirs
    out of tests/fixtures and examples/."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AMPLINT_CACHE_DIR", str(tmp_path_factory.mktemp("amplint-cache") / "session"))
        yield


@pytest.fixture(autouse=True)
def _cache_of_its_own(monkeypatch, tmp_path_factory):
    """Each test's runs get a cache folder of their own: no test reuses another's results (a test that
    breaks a check on purpose must see the break, not an earlier run's findings)."""
    monkeypatch.setenv("AMPLINT_CACHE_DIR", str(tmp_path_factory.mktemp("amplint-cache") / "cache"))


@pytest.fixture(autouse=True)
def verified_reuse(monkeypatch):
    """Every test that lints in a session checks that the findings it reuses are still right (see
    `amplint.api.VERIFY_REUSE`)."""
    from amplint import api

    monkeypatch.setattr(api, "VERIFY_REUSE", True)


@pytest.fixture(autouse=True)
def sessions_agree_with_fresh_lints(monkeypatch):
    """Every session run in the suite (sessions, the server, watch mode) is compared with a lint of the
    same texts from scratch, so that a fact or finding kept from an earlier run that went stale fails
    the test that showed it. Sessions given their own checks (which count or record their runs) are
    left alone."""
    from amplint import api
    from amplint.checks import CHECKS

    real, parse = api.Session.lint, syntax.SourceFile._parse  # autouse: set up before `parsed` counts parses

    def lint(self, paths, buffers=None, *, rescan=False):
        result = real(self, paths, buffers, rescan=rescan)
        if self.checks is CHECKS:
            key = tuple(Path(os.path.abspath(p)) for p in paths)
            counting = syntax.SourceFile._parse
            syntax.SourceFile._parse = parse  # the fresh lint's parses are not counted
            try:
                fresh = api._lint(self._plans[key], self.options, CHECKS, dict(buffers or {}), None, None)
            finally:
                syntax.SourceFile._parse = counting
            assert _compared(result) == _compared(fresh), "a session's findings differ from a fresh lint's"
        return result

    monkeypatch.setattr(api.Session, "lint", lint)


def _compared(result) -> list:
    return [(d.location, d.code, d.message, d.related, d.fix, d.suppressed_by) for d in result.diagnostics]
