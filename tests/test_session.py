"""A long-running `Session` (editor server, watch loop) gives what a fresh `lint` gives, while
re-parsing only the files whose text changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, fixture_roots

from amplint import syntax
from amplint.api import LintOptions, Session, lint


@pytest.fixture
def parsed(monkeypatch) -> list[Path]:
    """The files parsed from here on."""
    paths: list[Path] = []
    real = syntax.SourceFile

    def parse(path, text):
        paths.append(path)
        return real(path, text)

    monkeypatch.setattr(syntax, "SourceFile", parse)
    return paths


def findings(result) -> list[tuple]:
    return [(d.location.path, d.location.span, d.code, d.message) for d in result.diagnostics]


def test_a_session_finds_what_lint_finds_in_every_fixture():
    session = Session()
    for root in fixture_roots():
        expected = lint([root])
        first, again = session.lint([root]), session.lint([root])
        assert findings(first) == findings(again) == findings(expected), root.name
        assert first.files == expected.files and first.errors == expected.errors == []


def test_an_edited_buffer_is_linted_like_the_saved_file_and_only_it_is_parsed_again(tmp_path, parsed):
    root = shutil.copytree(FIXTURES / "core-duration", tmp_path / "project")
    backend = root / "amplify" / "backend.ts"
    session = Session()
    before = session.lint([root])
    assert "AMP501" in {d.code for d in before.diagnostics} and len(parsed) == before.files
    edited = backend.read_bytes().replace(b"from 'aws-cdk-lib/aws-events'; // expect", b"from 'aws-cdk-lib'; //")
    parsed.clear()
    after = session.lint([root], {backend: edited})
    assert parsed == [backend]
    backend.write_bytes(edited)
    assert findings(after) == findings(lint([root])) != findings(before)
    parsed.clear()
    assert findings(session.lint([root])) == findings(after) and parsed == []  # the saved file: same text


def test_files_created_or_deleted_count_after_a_rescan(tmp_path):
    root = shutil.copytree(FIXTURES / "core-duration", tmp_path / "project")
    session = Session(LintOptions(select=("AMP501",)))
    count = len(session.lint([root]).diagnostics)
    extra = root / "amplify" / "extra.ts"
    extra.write_text("export { Duration } from 'aws-cdk-lib/aws-lambda';\n", encoding="utf-8")
    assert len(session.lint([root]).diagnostics) == count  # the scan is kept until asked for again
    assert len(session.lint([root], rescan=True).diagnostics) == count + 1
    extra.unlink()
    assert len(session.lint([root], rescan=True).diagnostics) == count


def test_a_buffer_of_a_file_not_yet_on_disk_is_linted(tmp_path):
    root = shutil.copytree(FIXTURES / "core-duration", tmp_path / "project")
    session = Session(LintOptions(select=("AMP501",)))
    count = len(session.lint([root]).diagnostics)
    unsaved = root / "amplify" / "unsaved.ts"
    result = session.lint([root], {unsaved: b"export { Duration } from 'aws-cdk-lib/aws-lambda';\n"})
    assert [d.location.path for d in result.diagnostics].count(unsaved) == 1
    assert len(result.diagnostics) == count + 1
    assert len(session.lint([root]).diagnostics) == count  # the buffer was closed without saving
