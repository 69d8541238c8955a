"""Applying fixes: the pure core of `--fix`, `--diff` and the editor's quick fixes (`apply_fixes`),
the loop `amplint check --fix` runs (`fix`: lint, apply, lint again until nothing changes), and the
safe write of a fixed file (`write_file`).

A fix is a set of byte edits, possibly in several files, applied all together or not at all. Fixes
are taken in the order given; a fix any of whose edits overlaps (or touches the same insertion point
as) an edit already taken waits for the next pass, when the files have been linted again and the
fix recomputed against the new text. A fix's replacement text uses `\n`; in a file whose lines end
with CRLF it is written with CRLF, and a byte order mark is never replaced or preceded."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .api import Fixing, KeptRoot
from .diagnostics import BOM, Diagnostic, Edit, Fix
from .records import NamedTuple
from .reporters import display_path

if TYPE_CHECKING:
    from .api import LintOptions, LintResult
    from .checks import Check
    from .config import Settings
    from .workspace import Root

PASSES = 10  # fix passes before a fix that keeps changing the code is an error


class Applied(NamedTuple):
    contents: dict[Path, bytes]  # every file an applied fix changed, with its new content
    fixes: list[Fix]  # the fixes applied
    waiting: list[Fix]  # the fixes left for another pass (overlapping, or naming an unknown file)


def _overlaps(edit: Edit, taken: list[tuple[int, int]]) -> bool:
    for start, end in taken:
        # Two insertions at one point, or an insertion inside a replaced range, are ambiguous too.
        if edit.start_byte < end and start < edit.end_byte:
            return True
        if edit.start_byte == edit.end_byte and start <= edit.start_byte <= end:
            return True
        if start == end and edit.start_byte <= start <= edit.end_byte:
            return True
    return False


def apply_fixes(sources: Mapping[Path, bytes], fixes: Iterable[Fix]) -> Applied:
    """Apply the non-overlapping `fixes` to `sources` (path -> the bytes the fixes were computed on),
    each edit in the file's own line endings and after its byte order mark (`native_edit`)."""
    taken: dict[Path, list[tuple[int, int]]] = {}
    edits: dict[Path, list[Edit]] = {}
    applied: list[Fix] = []
    waiting: list[Fix] = []
    for fix in fixes:
        if not fix.edits or any(
            edit.path not in sources or not 0 <= edit.start_byte <= edit.end_byte <= len(sources[edit.path])
            for edit in fix.edits
        ):
            waiting.append(fix)
            continue
        native = [native_edit(edit, sources[edit.path]) for edit in fix.edits]
        if any(_overlaps(edit, taken.get(edit.path, [])) for edit in native):
            waiting.append(fix)
            continue
        own: dict[Path, list[tuple[int, int]]] = {}
        malformed = False
        for edit in native:
            malformed = malformed or _overlaps(edit, own.get(edit.path, []))
            own.setdefault(edit.path, []).append((edit.start_byte, edit.end_byte))
        if malformed:
            waiting.append(fix)  # a fix whose own edits overlap can never be applied as meant
            continue
        for edit in native:
            taken.setdefault(edit.path, []).append((edit.start_byte, edit.end_byte))
            edits.setdefault(edit.path, []).append(edit)
        applied.append(fix)
    contents = {path: apply_edits(sources[path], path_edits) for path, path_edits in edits.items()}
    return Applied({path: text for path, text in contents.items() if text != sources[path]}, applied, waiting)


def apply_edits(source: bytes, edits: Iterable[Edit]) -> bytes:
    """`source` with non-overlapping `edits` applied (from the end, so earlier offsets stay valid)."""
    text = source
    for edit in sorted(edits, key=lambda e: (e.start_byte, e.end_byte), reverse=True):
        text = text[: edit.start_byte] + edit.replacement.encode() + text[edit.end_byte :]
    return text


def native_edit(edit: Edit, source: bytes) -> Edit:
    """`edit` as it is written into `source`: its newlines made CRLF when the file's first line ends
    with CRLF, and moved past a byte order mark it would replace or precede."""
    replacement = edit.replacement
    if "\n" in replacement and line_ending(source) == "\r\n":
        replacement = replacement.replace("\r\n", "\n").replace("\n", "\r\n")
    start, end = edit.start_byte, edit.end_byte
    if source.startswith(BOM) and start < len(BOM):
        start, end = len(BOM), max(end, len(BOM))
    if (start, end, replacement) == (edit.start_byte, edit.end_byte, edit.replacement):
        return edit
    return Edit(edit.path, start, end, replacement)


def line_ending(source: bytes) -> str:
    """The line ending of a file: that of its first line (LF for a file of one line)."""
    newline = source.find(b"\n")
    return "\r\n" if newline > 0 and source[newline - 1 : newline] == b"\r" else "\n"


def changes_text(fix: Fix, sources: Mapping[Path, bytes]) -> bool:
    """Whether applying `fix` changes anything (a fix that rewrites text as it is fixes nothing)."""
    return any(
        sources[e.path][e.start_byte : e.end_byte] != native_edit(e, sources[e.path]).replacement.encode()
        for e in fix.edits
        if e.path in sources
    )


# -- the fix loop ------------------------------------------------------------------------------


def available(fix: Fix | None, unsafe: bool) -> bool:
    """Whether `fix` is applied: a safe one always, an unsafe one only when asked for."""
    return fix is not None and (unsafe or fix.applicability == "safe")


class FixLoopError(Exception):
    """Fixes that still change the code after the last pass (a fix that undoes or redoes itself)."""

    def __init__(self, codes: Sequence[str], passes: int, files: Sequence[Path] = ()) -> None:
        from .checks import RULES

        names = ", ".join(f"{code} ({RULES[code].name})" if code in RULES else code for code in codes)
        where = f" of {', '.join(display_path(path) for path in files)}" if files else ""
        super().__init__(
            f"the fixes of {names} still change the code{where} after {passes} passes; no file was written"
        )
        self.codes = tuple(codes)
        self.files = tuple(files)


class FileChanged(Exception):
    """A file's content on disk is no longer the text its fixes were computed on."""


class Fixed(NamedTuple):
    """What `fix` did. `result` is the lint of the fixed files (of what is on disk, for a file that
    was not written); `original` and `contents` hold each fixed file's text before and after."""

    result: LintResult
    original: dict[Path, bytes]
    contents: dict[Path, bytes]
    fixed: int  # findings whose fix was applied (and written, when writing)
    written: tuple[Path, ...] = ()
    changed_on_disk: tuple[Path, ...] = ()  # not written: changed since amplint read them


def fix(
    paths: Iterable[Path | str],
    options: LintOptions | None = None,
    *,
    unsafe: bool = False,
    write: bool = True,
    checks: Sequence[Check] | None = None,
    passes: int = PASSES,
) -> Fixed:
    """Lint the backends the paths lead to, apply the available fixes (safe ones, and unsafe ones
    when `unsafe`), lint the changed backends again with the fixed text and apply again, until no
    fix changes anything; then, when `write`, write each changed file (`write_file`). With
    `options.stdin`, only the fixes of that buffer are applied and nothing is written (the fixed
    text is `contents[path]`). Raises what `lint` raises, and FixLoopError when fixes still change
    the code after `passes` passes (then nothing is written)."""
    from .api import LintOptions, lint_planned, plan

    options = options or LintOptions()
    planned = plan(paths, options)
    only = Path(os.path.abspath(options.stdin[0])) if options.stdin is not None else None
    kept: dict[Path, KeptRoot] = {}  # what a session keeps: a file is parsed again only when a pass changed it

    def lint_root(root: Root, settings: Settings, buffers: Mapping[Path, bytes] | None = None) -> LintResult:
        return lint_planned([(root, settings)], options, checks=checks, buffers=buffers, kept=kept)

    results = {root.path: lint_root(root, settings) for root, settings in planned}
    original: dict[Path, bytes] = {}
    current: dict[Path, bytes] = {}
    # Files one fix changed together are written together or not at all: a group of files, by file,
    # and the findings fixed in each group.
    group: dict[Path, Path] = {}
    fixed_in: dict[Path, int] = {}
    todo = list(planned)
    for number in range(passes + 1):
        changed: list[tuple[Root, Settings]] = []
        pending: set[str] = set()
        looping: set[Path] = set()
        for root, settings in todo:
            result = results[root.path]
            sources = result.sources if only is None else {p: t for p, t in result.sources.items() if p == only}
            by_fix = _available_fixes(result.reported, unsafe)
            applied = apply_fixes(sources, by_fix)
            if not applied.contents:
                continue
            if number == passes:
                pending.update(code for f in applied.fixes if changes_text(f, sources) for code in by_fix[f])
                looping.update(applied.contents)
                continue
            for done in applied.fixes:
                if not changes_text(done, sources):
                    continue
                files = sorted({edit.path for edit in done.edits})
                joined = {_find(group, path) for path in files}
                leader = _union(group, files)
                fixed_in[leader] = sum(fixed_in.pop(each, 0) for each in joined) + len(by_fix[done])
            for path, content in applied.contents.items():
                original.setdefault(path, sources[path])
                current[path] = content
            changed.append((root, settings))
        if pending:
            raise FixLoopError(sorted(pending), passes, sorted(looping))
        if not changed:
            break
        for root, settings in changed:
            buffers = {path: text for path, text in current.items() if path in results[root.path].sources}
            results[root.path] = lint_root(root, settings, buffers)
        todo = changed
    contents = {path: text for path, text in current.items() if text != original[path]}
    groups: dict[Path, list[Path]] = {}
    for path in contents:
        groups.setdefault(_find(group, path), []).append(path)
    fixed = sum(fixed_in.get(leader, 0) for leader in groups)
    if not write or only is not None:
        result = _combined(list(results.values()))
        result.fixing = Fixing(unsafe, fixed, tuple(contents))
        return Fixed(result, original, contents, fixed)
    written: list[Path] = []
    stale: list[Path] = []
    failures: list[tuple[Path, str]] = []
    for leader, files in groups.items():
        problem = _write_group(files, original, contents, written)
        if problem is None:
            continue
        fixed -= fixed_in.get(leader, 0)
        if isinstance(problem[1], FileChanged):
            stale.append(problem[0])
        else:
            error = problem[1]
            failures.append((problem[0], (error.strerror if isinstance(error, OSError) else None) or str(error)))
    unwritten = {path for path in contents if path not in written}
    if unwritten:  # lint what is on disk, not the fixed text that was not written
        for root, settings in planned:
            if any(path in results[root.path].sources for path in unwritten):
                results[root.path] = lint_root(root, settings)
    final = _combined(list(results.values()))
    final.fixing = Fixing(unsafe, fixed, tuple(written))
    from .api import InternalError

    final.errors.extend(InternalError(f"cannot write the fixed file: {reason}", path) for path, reason in failures)
    return Fixed(final, original, contents, fixed, tuple(written), tuple(stale))


def _available_fixes(diagnostics: Iterable[Diagnostic], unsafe: bool) -> dict[Fix, list[str]]:
    """Each distinct available fix, in the order of the findings, with the codes of the findings it
    fixes (two findings can offer the same fix: it is applied once and fixes both)."""
    by_fix: dict[Fix, list[str]] = {}
    for d in diagnostics:
        if d.fix is not None and available(d.fix, unsafe):
            by_fix.setdefault(d.fix, []).append(d.code)
    return by_fix


def _find(group: dict[Path, Path], path: Path) -> Path:
    while group.get(path, path) != path:
        path = group[path]
    return path


def _union(group: dict[Path, Path], files: list[Path]) -> Path:
    """Join the groups of `files`; the leader of the joined group."""
    leaders = sorted({_find(group, path) for path in files})
    for path in leaders[1:]:
        group[path] = leaders[0]
    group.setdefault(leaders[0], leaders[0])
    return leaders[0]


def _write_group(
    files: list[Path], original: Mapping[Path, bytes], contents: Mapping[Path, bytes], written: list[Path]
) -> tuple[Path, Exception] | None:
    """Write a group of files one fix links, all or none: none when one of them changed on disk since
    it was read, and the ones already written put back when a write fails. None when all were
    written, else (the file at fault, what went wrong)."""
    for path in files:
        try:
            if _read(path) != original[path]:
                return path, FileChanged(f"{path}: changed since amplint read it")
            _check_writable(Path(os.path.realpath(path)))
        except OSError as error:
            return path, error
    done: list[Path] = []
    for path in files:
        try:
            write_file(path, contents[path], expected=original[path])
        except (OSError, FileChanged) as error:
            for back in reversed(done):  # put the group back as it was: no fix half-written
                try:
                    write_file(back, original[back], expected=contents[back])
                except (OSError, FileChanged):
                    pass
            return path, error
        done.append(path)
    written.extend(done)
    return None


def _read(path: Path) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def write_file(path: Path, content: bytes, expected: bytes) -> None:
    """Replace the content of `path` with `content`, atomically, when it is still `expected`: a
    temporary file in the same folder, with the file's permission bits, flushed to disk, then
    renamed over the file (through a symbolic link, the file it points to). Raises FileChanged when
    the file no longer holds `expected` (then it is left as it is), and OSError when it cannot be
    written (the file is left whole: either as it was or as `content`), is read-only
    (`_check_writable`) or has other hard links."""
    import stat
    import tempfile

    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(_check_writable(target).st_mode)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".amplint-fix")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        if _read(target) != expected:  # as late as possible: an editor may have saved meanwhile
            raise FileChanged(f"{path}: changed since amplint read it")
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    _sync_folder(target.parent)


def _check_writable(target: Path) -> os.stat_result:
    """The file's status, when a fix may replace it; else raises PermissionError. A rename needs
    only the folder's permission, so the file's own is checked first: a file the user may not
    write, or one nobody may write (`chmod a-w`: read-only on purpose, refused even to root, which
    the system would let write it), is not fixed. Neither is a file with other hard links: the
    new file renamed over this name would leave the other names with the old text."""
    import errno
    import stat

    status = os.stat(target)
    if not os.access(target, os.W_OK) or not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise PermissionError(errno.EACCES, "Permission denied (the file is read-only)", str(target))
    if status.st_nlink > 1:
        raise OSError(errno.EMLINK, f"it has {status.st_nlink} hard links, which replacing it would break", str(target))
    return status


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); where a folder cannot be opened (Windows), there is nothing to do."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _combined(results: list[LintResult]) -> LintResult:
    """One result of several roots' results."""
    from .api import LintResult
    from .checks import RULES

    if len(results) == 1:
        return results[0]
    combined = LintResult(
        sorted((d for r in results for d in r.diagnostics), key=lambda d: d.sort_key),
        [root for r in results for root in r.roots],
        sum(r.files for r in results),
        [error for r in results for error in r.errors],
        results[0].rules if results else RULES,
        frozenset().union(*(r.codes for r in results)),
        {path: s for r in results for path, s in r.settings.items()},
        {path: text for r in results for path, text in r.sources.items()},
    )
    return combined


# -- showing fixes -----------------------------------------------------------------------------


def unified_diff(original: Mapping[Path, bytes], contents: Mapping[Path, bytes], name: dict[Path, str]) -> bytes:
    """A unified diff (as `diff -u` writes it: `patch -p0` applies it) of each changed file, in path
    order, labelled with `name[path]`; the files' bytes as they are (line endings included)."""
    import difflib

    out: list[bytes] = []
    for path in sorted(contents):
        label = name[path].encode("utf-8", "surrogateescape")
        for line in difflib.diff_bytes(
            difflib.unified_diff, _lines(original[path]), _lines(contents[path]), label, label, n=3
        ):
            out.append(line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n")
    return b"".join(out)


def _lines(text: bytes) -> list[bytes]:
    """Lines split at `\n` only, each with its ending (a CRLF's `\r` stays on its line)."""
    lines = text.split(b"\n")
    last = lines.pop()
    return [line + b"\n" for line in lines] + ([last] if last else [])
