"""`amplint check --watch`: lint, then lint again whenever a file of the backends changes, with one
`Session` (only the changed files are parsed again). Needs the `watch` extra (watchfiles)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from .amplify import SOURCE_SUFFIXES
from .api import ConfigError, LintOptions, LintResult, Session, WorkspaceError
from .workspace import SKIPPED_DIRS, is_config_file

# A change: (kind, path) with kind "added", "modified" or "deleted" (watchfiles' Change names).
Change = tuple[str, str]


def relevant(path: str, watched: Iterable[Path] = ()) -> bool:
    """A change amplint reads: a source file or a configuration, not in a folder it skips. Only the
    folders below the deepest watched path holding it count (.git, .amplify, node_modules): the project
    itself may well be in a hidden folder (`~/.worktrees/...`)."""
    changed = Path(path)
    below = min(
        (changed.relative_to(folder).parts for folder in watched if changed.is_relative_to(folder)),
        key=len,
        default=changed.parts[-1:],
    )
    if any(part in SKIPPED_DIRS or part.startswith(".") for part in below[:-1]):
        return False
    name = changed.name
    return is_config_file(name) or Path(name).suffix in SOURCE_SUFFIXES


def watched_paths(result: LintResult) -> list[Path]:
    """What to watch: each backend's folder (amplify/ and the project files beside it) and the
    configuration files its settings come from (a monorepo's may be above it)."""
    paths = {root.path for root in result.roots}
    for settings in result.settings.values():
        paths.update(settings.chain)
    return sorted(paths)


def watch(
    targets: list[Path],
    options: LintOptions,
    show: Callable[[LintResult], None],
    changes: Callable[[list[Path]], Iterable[set[Change]]],
    error: Callable[[str], None],
) -> None:
    """Lint `targets` and `show` the result; then for each batch of `changes(paths to watch)` that
    touches a file amplint reads, lint again and show it. Files added or deleted, and configuration
    changes, scan the backends again. A problem (a backend deleted, an invalid configuration) is
    reported through `error`, and the watch goes on. Returns when `changes` ends."""
    session = Session(options)
    result = _lint(session, targets, False, show, error)
    watching = watched_paths(result) if result is not None else [Path(os.path.abspath(t)) for t in targets]
    for batch in changes(watching):
        kept = [(kind, path) for kind, path in batch if relevant(path, watching)]
        if not kept:
            continue
        rescan = any(kind != "modified" or is_config_file(Path(path).name) for kind, path in kept)
        result = _lint(session, targets, rescan or result is None, show, error)


def _lint(
    session: Session,
    targets: list[Path],
    rescan: bool,
    show: Callable[[LintResult], None],
    error: Callable[[str], None],
) -> LintResult | None:
    try:
        result = session.lint(targets, rescan=rescan)
    except (WorkspaceError, ConfigError) as problem:
        error(str(problem))
        return None
    show(result)
    return result


def file_changes(paths: list[Path]) -> Iterable[set[Change]]:
    """Batches of changes under `paths` from watchfiles, until Ctrl-C."""
    import watchfiles

    for batch in watchfiles.watch(*paths, raise_interrupt=False):
        yield {(change.name, path) for change, path in batch}
