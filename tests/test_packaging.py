"""What a release ships: the sdist holds everything the test suite reads (it must pass from the
unpacked sdist), the wheel built from that sdist holds the package, the rule pages and the report
schema but no tests, and the metadata is what PyPI shows: license, links, classifiers, keywords and
a description that starts with `pip install`, not with commands for a clone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis"}


def files_under(folder: str) -> set[str]:
    """Files of the source tree under `folder`, relative to the project, without caches."""
    return {
        path.relative_to(REPO).as_posix()
        for path in (REPO / folder).rglob("*")
        if path.is_file() and not SKIPPED_PARTS & set(path.parts) and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def dists(tmp_path_factory) -> dict[str, Path]:
    """`python -m build`: the sdist, then the wheel built from the unpacked sdist, as a release does.
    No isolation: the backend comes from the test extras, so nothing is downloaded."""
    out = tmp_path_factory.mktemp("dist")
    build = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (sdist,) = out.glob("amplint-*.tar.gz")
    (wheel,) = out.glob("amplint-*.whl")
    return {"sdist": sdist, "wheel": wheel}


@pytest.fixture(scope="module")
def sdist_files(dists) -> set[str]:
    with tarfile.open(dists["sdist"]) as archive:
        names = {member.name for member in archive.getmembers() if member.isfile()}
    prefix = f"amplint-{VERSION}/"
    assert all(name.startswith(prefix) for name in names)
    return {name[len(prefix) :] for name in names}


@pytest.fixture(scope="module")
def wheel_files(dists) -> set[str]:
    with zipfile.ZipFile(dists["wheel"]) as archive:
        return set(archive.namelist())


@pytest.fixture(scope="module")
def metadata(dists) -> Message:
    with zipfile.ZipFile(dists["wheel"]) as archive:
        return Parser().parsestr(archive.read(f"amplint-{VERSION}.dist-info/METADATA").decode("utf-8"))


def test_the_two_versions_agree():
    init = (REPO / "amplint" / "__init__.py").read_text(encoding="utf-8")
    (package_version,) = re.findall(r'^__version__ = "([^"]+)"$', init, re.M)
    assert package_version == VERSION, "amplint/__init__.py and pyproject.toml must carry the same version"


@pytest.mark.slow
def test_sdist_holds_what_the_test_suite_reads(sdist_files):
    for name in (".pre-commit-hooks.yaml", "LICENSE", "README.md", "pyproject.toml", "docs/pypi.md", "PKG-INFO"):
        assert name in sdist_files, name
    for folder in ("amplint", "rules", "tests", "examples", "benchmarks"):
        missing = (
            files_under(folder)
            - sdist_files
            - {name for name in files_under(folder) if name.startswith("benchmarks/_generated/")}
        )
        assert not missing, f"left out of the sdist: {sorted(missing)[:10]}"
    assert {f"rules/{path.name}" for path in (REPO / "rules").glob("AMP*.md")} <= sdist_files
    assert any(name.startswith("tests/fixtures/") for name in sdist_files)
    assert "tests/schemas/sarif-schema-2.1.0.json" in sdist_files
    assert not [
        name
        for name in sdist_files
        if name.startswith(("benchmarks/_generated/", ".venv/", ".git/")) or "__pycache__" in name
    ]


@pytest.mark.slow
def test_wheel_holds_the_package_rule_pages_and_schema_but_no_tests(wheel_files):
    rules = {f"amplint/_rules/{path.name}" for path in (REPO / "rules").glob("AMP*.md")}
    assert rules and rules <= wheel_files
    assert "amplint/schemas/report.schema.json" in wheel_files
    assert "amplint/cli.py" in wheel_files and "amplint/__main__.py" in wheel_files
    assert f"amplint-{VERSION}.dist-info/licenses/LICENSE" in wheel_files
    tops = {name.split("/")[0] for name in wheel_files}
    assert tops == {"amplint", f"amplint-{VERSION}.dist-info"}, tops  # no tests, examples or benchmarks
    assert not [name for name in wheel_files if "__pycache__" in name or name.endswith(".pyc")]


@pytest.mark.slow
def test_wheel_metadata_is_what_pypi_shows(metadata):
    assert metadata["Name"] == "amplint" and metadata["Version"] == VERSION
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["Requires-Python"] == ">=3.10"
    urls = dict(entry.split(", ", 1) for entry in metadata.get_all("Project-URL"))
    assert {"Homepage", "Repository", "Issues", "Documentation"} <= set(urls)
    assert all(url.startswith("https://github.com/amplint/amplint") for url in urls.values()), urls
    classifiers = metadata.get_all("Classifier")
    for classifier in (
        "Environment :: Console",
        "Intended Audience :: Developers",
        "Operating System :: OS Independent",
        "Topic :: Software Development :: Quality Assurance",
        *(f"Programming Language :: Python :: 3.{minor}" for minor in (10, 11, 12, 13)),
    ):
        assert classifier in classifiers
    assert any(c.startswith("Development Status :: ") for c in classifiers)
    # PEP 639: a license expression supersedes License classifiers, and PyPI rejects the two together
    assert not [c for c in classifiers if c.startswith("License ::")]
    if "Typing :: Typed" in classifiers:
        assert (REPO / "amplint" / "py.typed").is_file()
    keywords = set(metadata["Keywords"].split(","))
    assert {"aws", "amplify", "amplify-gen2", "linter", "static-analysis"} <= keywords


@pytest.mark.slow
def test_pypi_description_starts_with_pip_install(metadata):
    assert metadata["Description-Content-Type"] == "text/markdown"
    description = metadata.get_payload()
    assert description == (REPO / "docs" / "pypi.md").read_text(encoding="utf-8")
    first_block = description.split("```sh\n", 1)[1].split("```", 1)[0]
    assert first_block.startswith("pip install amplint\n"), first_block
    assert "git clone" not in description and ".venv/bin/" not in description
    # PyPI resolves no relative link: every link is absolute
    links = re.findall(r"\]\(([^)]+)\)", description) + re.findall(r"<(https?://[^>]+)>", description)
    assert links and all(link.startswith("https://") for link in links), links
    assert "https://github.com/amplint/amplint/tree/main/rules" in links


def test_pypi_description_matches_the_cli():
    from amplint.cli import main

    description = (REPO / "docs" / "pypi.md").read_text(encoding="utf-8")
    for command in re.findall(r"^amplint (\w+)", description, re.M):
        assert command in main.commands, f"docs/pypi.md uses `amplint {command}`, which does not exist"
    (output_format,) = [param for param in main.commands["check"].params if param.name == "output_format"]
    for name in output_format.type.choices:
        assert f"`{name}`" in description, f"docs/pypi.md does not list the output format `{name}`"
    hook = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: amplint" in hook and "- id: amplint" in description
    assert f"rev: v{VERSION}" in description


@pytest.mark.slow
def test_the_wheel_alone_lints_the_example(dists, tmp_path):
    with zipfile.ZipFile(dists["wheel"]) as archive:
        archive.extractall(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    where = subprocess.run(
        [sys.executable, "-c", "import amplint, amplint.ruledocs as r; print(amplint.__file__); print(r.docs_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.stdout.splitlines() == [
        str(tmp_path / "site" / "amplint" / "__init__.py"),
        str(tmp_path / "site" / "amplint" / "_rules"),
    ], where.stderr
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "amplint",
            "check",
            str(REPO / "examples" / "scheduled-backend"),
            "--output-format",
            "concise",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert " AMP501 " in run.stdout
