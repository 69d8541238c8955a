"""Every rule has a page in `rules/` whose front matter matches the rule, whose sections are all
there, and whose examples are real: the Example project triggers the rule, the Use-instead one
does not. The page is what `amplint rule CODE` prints, from the package and from the wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest

from amplint.api import lint
from amplint.checks import RULES

REPO = Path(__file__).parents[1]
RULES_DIR = REPO / "rules"
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## References")
BACKEND_FILES = tuple(f"amplify/backend{ext}" for ext in (".ts", ".js", ".mjs", ".cjs", ".mts", ".cts"))
# A fenced block that is a file of the example project: ```ts amplify/backend.ts (also js, tsx, json...)
FILE_BLOCK = re.compile(r"^```[a-z]+[ \t]+(\S+)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
USE_INSTEAD = re.compile(r"^Use instead:[ \t]*$", re.M)


@dataclass(frozen=True)
class RulePage:
    front_matter: dict[str, str]
    body: str  # everything after the front matter

    def section(self, heading: str) -> str:
        """The text under `heading`, up to the next `## ` heading."""
        start = self.body.index(heading + "\n") + len(heading) + 1
        end = self.body.find("\n## ", start)
        return self.body[start:] if end < 0 else self.body[start:end]

    def example_files(self) -> tuple[dict[str, str], dict[str, str]]:
        """(files of the Example project, files the Use-instead blocks replace or add)."""
        parts = USE_INSTEAD.split(self.section("## Example"), maxsplit=1)
        assert len(parts) == 2, "the Example section needs a `Use instead:` line"
        return _files(parts[0]), _files(parts[1])


def _files(markdown: str) -> dict[str, str]:
    files = {}
    for path, content in FILE_BLOCK.findall(markdown):
        relative = PurePosixPath(path)
        assert not relative.is_absolute() and ".." not in relative.parts, f"example path {path} leaves the project"
        assert path not in files, f"two blocks for {path} in one project"
        files[path] = content
    return files


def read_page(code: str) -> RulePage:
    path = RULES_DIR / f"{code}.md"
    assert path.is_file(), f"rule {code} has no documentation: write rules/{code}.md"
    raw = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    assert match, f"rules/{code}.md must start with front matter between `---` lines"
    front = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        assert sep, f"rules/{code}.md: front matter line `{line}` is not `key: value`"
        front[key.strip()] = value.strip()
    return RulePage(front, raw[match.end() :])


def write_project(root: Path, files: dict[str, str]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    if not any((root / name).exists() for name in BACKEND_FILES):
        (root / "amplify").mkdir(parents=True, exist_ok=True)
        (root / "amplify" / "backend.ts").write_text("export {};\n", encoding="utf-8")


def findings(root: Path) -> list[str]:
    root = root.resolve()
    result = lint([root])
    assert not result.errors, [e.message for e in result.errors]
    return [
        f"{d.location.path.relative_to(root).as_posix()}:{d.location.span.start_line}: {d.code} {d.message}"
        for d in result.reported
    ]


CODES = sorted(RULES)


@pytest.mark.parametrize("code", CODES)
def test_front_matter_matches_the_rule(code):
    page = read_page(code)
    rule = RULES[code]
    assert page.front_matter == {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "fixable": {"safe": "safe", "unsafe": "unsafe", None: "no"}[rule.fix_safety],
    }
    assert page.body.lstrip("\n").startswith(f"# {rule.name} ({rule.code})\n"), (
        f"rules/{code}.md: the title must be `# {rule.name} ({rule.code})`"
    )


@pytest.mark.parametrize("code", CODES)
def test_page_has_every_section(code):
    page = read_page(code)
    headings = re.findall(r"^## .*$", page.body, re.M)
    assert [h for h in headings if h in SECTIONS] == list(SECTIONS), (
        f"rules/{code}.md needs the sections {SECTIONS} in that order"
    )
    assert USE_INSTEAD.search(page.section("## Example")), "`Use instead:` belongs in the Example section"
    assert re.search(r"\]\(https?://", page.section("## References")), "References needs at least one link"


@pytest.mark.parametrize("code", CODES)
def test_examples_trigger_the_rule_and_the_fix_does_not(code, tmp_path):
    bad, good = read_page(code).example_files()
    assert bad, f"rules/{code}.md: the Example needs fenced blocks like ```ts amplify/backend.ts"
    assert good, f"rules/{code}.md: `Use instead:` needs fenced blocks like ```ts amplify/backend.ts"
    write_project(tmp_path, bad)
    before = findings(tmp_path)
    assert any(f": {code} " in line for line in before), f"the Example does not trigger {code}; found: {before}"
    write_project(tmp_path, good)
    after = findings(tmp_path)
    assert not any(f": {code} " in line for line in after), f"the Use-instead code still triggers {code}: {after}"


def test_every_page_belongs_to_a_rule():
    pages = {path.stem for path in RULES_DIR.glob("*.md")}
    assert sorted(pages - set(RULES)) == [], "rules/ holds pages for codes no check registers"


def amplint(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "amplint", *args], capture_output=True, text=True, timeout=60, **kwargs
    )


def test_rule_command_prints_the_page(tmp_path):
    run = amplint("rule", "AMP501", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    title, _, rest = (read_page("AMP501").body.strip() + "\n").partition("\n")
    fix_line = run.stdout.splitlines()[2]
    assert run.stdout == f"{title}\n\n{fix_line}\n\n{rest.lstrip()}"
    assert run.stdout.startswith("# duration-from-wrong-module (AMP501)\n")
    # the page's own `fixable:` decides the line
    assert fix_line.startswith(
        {"safe": "Fix: safe", "unsafe": "Fix: unsafe", "no": "Fix: none"}[read_page("AMP501").front_matter["fixable"]]
    )


def test_rule_command_rejects_an_unknown_code(tmp_path):
    run = amplint("rule", "AMP999", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "AMP999" in run.stderr


@pytest.mark.slow
def test_wheel_ships_the_pages(tmp_path):
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--quiet", "-w", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if build.returncode != 0 and "hatchling" in build.stderr and "No matching distribution" in build.stderr:
        pytest.skip("the build backend (hatchling) cannot be downloaded here")
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("amplint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if name.startswith("amplint/_rules/")}
        assert "amplint/_rules/AMP501.md" in shipped
        assert shipped == {f"amplint/_rules/{p.name}" for p in RULES_DIR.glob("*.md")}
        archive.extractall(tmp_path / "site")
    # The unpacked wheel comes first on the path: `amplint rule` must read the page it ships.
    run = amplint("rule", "AMP501", cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path / "site")})
    assert run.returncode == 0, run.stderr
    assert run.stdout == amplint("rule", "AMP501", cwd=tmp_path).stdout  # the page, as the checkout prints it
