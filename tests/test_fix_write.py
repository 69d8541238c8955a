"""Writing fixed files loses nothing: each file is replaced atomically, keeps its permission bits,
line endings and byte order mark, and is never written when it changed after amplint read it; a
write that fails leaves the file whole, and the files one fix links are written all or none."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from fix_injection import replacing, write_backend

from amplint import fixer
from amplint.api import LintOptions
from amplint.checks import CHECKS, Check
from amplint.diagnostics import Diagnostic, Edit, Fix, Location, Span
from amplint.fixer import FileChanged, fix, write_file

BACKEND = "import { defineBackend } from '@aws-amplify/backend';\n\nconst OLD = 1;\n\ndefineBackend({});\n"
NO_CACHE = LintOptions(cache=False)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".amplint-fix"))


def fixing_both(backend: Path, other: Path) -> Check:
    """A check whose one fix edits two files: `OLD` in `backend`, and `OTHER` in `other`."""

    def both(b):
        text = b.modules[backend].file.text
        start = text.find(b"OLD")
        if start >= 0:
            edits = (Edit(backend, start, start + 3, "NEW"), Edit(other, 13, 18, "THING"))
            yield Diagnostic(
                "AMP501", "both", Location(backend, Span(3, 7, 3, 10, start, start + 3)), fix=Fix("both", edits)
            )

    return Check(frozenset({"AMP501"}), both)


def error_messages(fixed) -> list[tuple[Path | None, str]]:
    return [(e.path, e.message) for e in fixed.result.errors]


# -- write_file --------------------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_write_keeps_the_permission_bits(tmp_path):
    path = tmp_path / "handler.ts"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    write_file(path, b"new\n", expected=b"old\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_file_changed_since_it_was_read_is_not_written(tmp_path):
    path = tmp_path / "handler.ts"
    path.write_bytes(b"saved by the editor\n")
    with pytest.raises(FileChanged):
        write_file(path, b"fixed\n", expected=b"what amplint read\n")
    assert path.read_bytes() == b"saved by the editor\n"
    assert leftovers(tmp_path) == []


def test_a_failing_write_leaves_the_original_whole(tmp_path, monkeypatch):
    path = tmp_path / "handler.ts"
    path.write_bytes(b"original\n")

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixer.os, "replace", no_space)
    with pytest.raises(OSError):
        write_file(path, b"fixed\n", expected=b"original\n")
    assert path.read_bytes() == b"original\n"
    assert leftovers(tmp_path) == []  # the temporary file is gone too


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_symbolic_link_keeps_pointing_at_the_fixed_file(tmp_path):
    real = tmp_path / "real.ts"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.ts"
    link.symlink_to(real)
    write_file(link, b"new\n", expected=b"old\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"


# -- line endings and byte order marks, through the fix loop -------------------------------------------


def test_crlf_file_gets_crlf_in_the_replacement(tmp_path):
    path = write_backend(tmp_path, BACKEND.replace("\n", "\r\n"))
    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, replacing("const OLD = 1;", "// one\nconst NEW = 1;")])
    assert fixed.fixed == 1 and fixed.written == (path,)
    text = path.read_bytes()
    assert b"// one\r\nconst NEW = 1;\r\n" in text
    assert text.count(b"\n") == text.count(b"\r\n")  # no bare LF anywhere


def test_lf_file_stays_lf(tmp_path):
    path = write_backend(tmp_path, BACKEND)
    fix([tmp_path], NO_CACHE, checks=[*CHECKS, replacing("const OLD = 1;", "// one\nconst NEW = 1;")])
    assert b"\r" not in path.read_bytes() and b"// one\nconst NEW = 1;\n" in path.read_bytes()


def test_byte_order_mark_is_kept_even_by_an_edit_at_the_start(tmp_path):
    path = write_backend(tmp_path, b"\xef\xbb\xbf" + BACKEND.encode())

    def at_start(backend):
        for p, module in backend.modules.items():
            if b"// header" not in module.file.text:
                # An insertion at byte 0 (before the mark), as a careless check could compute it.
                yield Diagnostic(
                    "AMP501",
                    "header",
                    Location(p, Span(1, 1, 1, 1, 0, 0)),
                    fix=Fix("add", (Edit(p, 0, 0, "// header\n"),)),
                )

    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, Check(frozenset({"AMP501"}), at_start), replacing("OLD", "NEW")])
    assert fixed.fixed == 2
    assert path.read_bytes() == b"\xef\xbb\xbf// header\n" + BACKEND.replace("OLD", "NEW").encode()


# -- what is not written -------------------------------------------------------------------------------


def test_a_file_an_editor_saved_during_the_lint_is_left_as_saved(tmp_path):
    path = write_backend(tmp_path, BACKEND)
    saved = BACKEND.replace("defineBackend({});", "defineBackend({}); // saved in the editor")

    def editor_saves(backend):  # runs after amplint read the file, before it writes the fix
        if path.read_text() == BACKEND:
            path.write_text(saved)
        return []

    fixed = fix(
        [tmp_path], NO_CACHE, checks=[*CHECKS, replacing("OLD", "NEW"), Check(frozenset({"AMP102"}), editor_saves)]
    )
    assert path.read_text() == saved
    assert fixed.changed_on_disk == (path,) and fixed.written == () and fixed.fixed == 0
    # The findings reported are those of what is on disk now, not of the fixed text never written.
    assert [d.message for d in fixed.result.reported] == ["`OLD` should be `NEW`"]


def test_files_one_fix_changes_together_are_written_together_or_not_at_all(tmp_path):
    backend = write_backend(tmp_path, BACKEND)
    other = tmp_path / "amplify" / "other.ts"
    other.write_text("export const OTHER = 2;\n")

    def both(b):
        if b"OLD" in backend.read_bytes():
            text = b.modules[backend].file.text
            start = text.find(b"OLD")
            edits = (Edit(backend, start, start + 3, "NEW"), Edit(other, 13, 18, "THING"))
            yield Diagnostic(
                "AMP501", "both", Location(backend, Span(3, 7, 3, 10, start, start + 3)), fix=Fix("both", edits)
            )

    def editor_saves_other(b):
        if other.read_text() == "export const OTHER = 2;\n":
            other.write_text("export const OTHER = 3;\n")
        return []

    fixed = fix(
        [tmp_path],
        NO_CACHE,
        checks=[*CHECKS, Check(frozenset({"AMP501"}), both), Check(frozenset({"AMP102"}), editor_saves_other)],
    )
    assert backend.read_text() == BACKEND  # not half a fix
    assert other.read_text() == "export const OTHER = 3;\n"
    assert fixed.changed_on_disk == (other,) and fixed.written == ()


def test_a_failed_write_puts_back_the_files_of_the_same_fix(tmp_path, monkeypatch):
    backend = write_backend(tmp_path, BACKEND)
    other = tmp_path / "amplify" / "other.ts"
    other.write_text("export const OTHER = 2;\n")

    real_replace = os.replace

    def fail_on_other(source, target):
        if Path(target).name == "other.ts":
            raise OSError(13, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(fixer.os, "replace", fail_on_other)
    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, fixing_both(backend, other)])
    assert backend.read_text() == BACKEND and other.read_text() == "export const OTHER = 2;\n"
    assert fixed.written == () and fixed.fixed == 0
    assert error_messages(fixed) == [(other, "cannot write the fixed file: Permission denied")]
    assert leftovers(tmp_path / "amplify") == []


# -- files a fix may not replace -----------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_read_only_file_is_not_fixed_even_by_root(tmp_path):
    """A rename needs only the folder's permission: the file's own is checked (tests run as root here,
    whom the system lets write anything; a file nobody may write is refused to root too)."""
    path = write_backend(tmp_path, BACKEND)
    path.chmod(0o444)
    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, replacing("OLD", "NEW")])
    assert path.read_text() == BACKEND and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert fixed.written == () and fixed.fixed == 0
    assert error_messages(fixed) == [(path, "cannot write the fixed file: Permission denied (the file is read-only)")]
    assert [d.message for d in fixed.result.reported] == ["`OLD` should be `NEW`"]  # what is on disk
    assert leftovers(path.parent) == []
    with pytest.raises(PermissionError):
        write_file(path, b"new\n", expected=BACKEND.encode())
    assert path.read_text() == BACKEND


def test_a_file_the_user_may_not_write_is_not_fixed(tmp_path, monkeypatch):
    """A writable-looking file (0644) the user may not write (another user's): what `os.access` says,
    simulated, since root may write anything."""
    path = write_backend(tmp_path, BACKEND)
    real_access = os.access
    monkeypatch.setattr(fixer.os, "access", lambda p, mode: False if Path(p) == path else real_access(p, mode))
    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, replacing("OLD", "NEW")])
    assert path.read_text() == BACKEND and fixed.written == ()
    assert error_messages(fixed) == [(path, "cannot write the fixed file: Permission denied (the file is read-only)")]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_read_only_file_keeps_the_other_files_of_its_fix_unwritten(tmp_path):
    backend = write_backend(tmp_path, BACKEND)
    other = tmp_path / "amplify" / "other.ts"
    other.write_text("export const OTHER = 2;\n")
    other.chmod(0o444)

    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, fixing_both(backend, other)])
    assert backend.read_text() == BACKEND and other.read_text() == "export const OTHER = 2;\n"
    assert fixed.written == () and fixed.fixed == 0
    assert error_messages(fixed) == [(other, "cannot write the fixed file: Permission denied (the file is read-only)")]


@pytest.mark.skipif(sys.platform == "win32", reason="hard links")
def test_a_file_with_other_hard_links_is_not_fixed(tmp_path):
    """Renaming the fixed file over one name would leave the other with the old text: refused."""
    path = write_backend(tmp_path, BACKEND)
    twin = tmp_path / "twin.ts"
    os.link(path, twin)
    fixed = fix([tmp_path], NO_CACHE, checks=[*CHECKS, replacing("OLD", "NEW")])
    assert path.read_text() == BACKEND and twin.read_text() == BACKEND
    assert os.path.samefile(path, twin)  # still one file
    assert fixed.written == ()
    assert error_messages(fixed) == [
        (path, "cannot write the fixed file: it has 2 hard links, which replacing it would break")
    ]


# -- files that do not parse -----------------------------------------------------------------------------


def test_a_file_that_does_not_parse_gets_no_fix(tmp_path):
    """Tree-sitter's recovery can misplace nodes: no fix is offered or applied in such a file, nor a
    fix of several files one of which does not parse; the other files are fixed."""
    from amplint.api import lint

    backend = write_backend(tmp_path, BACKEND)
    broken = tmp_path / "amplify" / "broken.ts"
    broken.write_text("export const OLD_BROKEN = (;\n")
    other = tmp_path / "amplify" / "other.ts"
    other.write_text("export const TOUCHED = 2;\n")

    def with_broken(b):  # a fix of other.ts that also edits the broken file
        text = b.modules[other].file.text
        if b"TOUCHED" in text:
            edits = (Edit(other, 13, 20, "CHANGED"), Edit(broken, 0, 0, "// x\n"))
            yield Diagnostic("AMP502", "both", Location(other, Span(1, 14, 1, 21, 13, 20)), fix=Fix("both", edits))

    checks = [*CHECKS, replacing("OLD", "NEW"), Check(frozenset({"AMP502"}), with_broken)]
    found = lint([tmp_path], NO_CACHE, checks=checks).reported
    assert sorted((d.location.path.name, d.code, d.fix is not None) for d in found) == [
        ("backend.ts", "AMP501", True),
        ("broken.ts", "AMP001", False),
        ("broken.ts", "AMP501", False),
        ("other.ts", "AMP502", False),
    ]
    fixed = fix([tmp_path], NO_CACHE, checks=checks)
    assert fixed.written == (backend,) and backend.read_text() == BACKEND.replace("OLD", "NEW")
    assert broken.read_text() == "export const OLD_BROKEN = (;\n"
    assert other.read_text() == "export const TOUCHED = 2;\n"
