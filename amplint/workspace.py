"""Find Amplify roots and their source files from the paths a user gives."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

from .syntax import SOURCE_SUFFIXES

# ampx looks for backend.js, .mjs, .cjs, then .ts (platform-core BackendLocator: "Give preference to JS").
BACKEND_NAMES = tuple(f"backend{ext}" for ext in (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"))
SKIPPED_DIRS = frozenset({"node_modules"})


class WorkspaceError(Exception):
    """A path the user gave cannot be linted (missing, or holds no Amplify backend)."""


@dataclass(slots=True)
class Root:
    """A folder holding `amplify/backend.*`, the files under `amplify/`, and what was asked for."""

    path: Path
    backend_file: Path
    files: list[Path] = field(default_factory=list)
    # Files the user named (pre-commit, editors); None means the whole root was asked for.
    requested: set[Path] | None = None
    unreadable: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def amplify_dir(self) -> Path:
        return self.path / "amplify"


def backend_file(folder: Path) -> Path | None:
    amplify = folder / "amplify"
    for name in BACKEND_NAMES:
        candidate = amplify / name
        if candidate.is_file():
            return candidate
    return None


def _root_above(path: Path) -> Path | None:
    for folder in (path, *path.parents):
        if backend_file(folder) is not None:
            return folder
    return None


def _roots_below(folder: Path) -> list[Path]:
    """Every root under `folder` (monorepos), without following symlinks or entering skipped dirs."""
    found: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        if backend_file(current) is not None:
            found.append(current)
            continue
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
            except OSError:
                continue
    return sorted(found)


def holds_backend(folder: Path) -> bool:
    """Whether `folder` is in an Amplify root or holds one below it."""
    path = Path(os.path.abspath(folder))
    return path.is_dir() and (_root_above(path) is not None or bool(_roots_below(path)))


def source_files(amplify_dir: Path, exclude: tuple[str, ...] = (), base: Path | None = None
                 ) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Source files under `amplify/`, sorted, and what could not be read, with the reason.

    Symlinked folders are followed after the real ones, each folder once: loops are cut, and a
    folder reachable both ways keeps its real path."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[tuple[int, int]] = set()  # (device, inode) of each folder walked
    top = os.path.join(os.path.realpath(amplify_dir), "")
    folders: list[str] = [str(amplify_dir)]
    linked: list[str] = []
    base = base or amplify_dir.parent
    while folders or linked:
        is_link = not folders
        current = linked.pop() if is_link else folders.pop()
        try:
            info = os.stat(current)
        except OSError as error:
            problems.append((Path(current), f"cannot read folder: {_reason(error)}"))
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        if is_link and top.startswith(os.path.join(os.path.realpath(current), "")):
            continue  # a link up to `amplify/` or above it
        seen.add((info.st_dev, info.st_ino))
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda e: e.name, reverse=True)
        except OSError as error:
            problems.append((Path(current), f"cannot read folder: {_reason(error)}"))
            continue
        for entry in entries:
            name = entry.name
            if name in SKIPPED_DIRS or name.startswith("."):
                continue
            if exclude and _excluded(Path(entry.path), base, exclude):
                continue
            is_source = os.path.splitext(name)[1] in SOURCE_SUFFIXES
            try:
                if entry.is_dir():
                    (linked if entry.is_symlink() else folders).append(entry.path)
                elif not is_source:
                    continue
                elif entry.is_file():
                    files.append(Path(entry.path))
                elif entry.is_symlink():
                    os.stat(entry.path)  # raises for a broken or looping link: say why
            except OSError as error:
                if is_source:
                    link = "broken symbolic link: " if entry.is_symlink() else ""
                    problems.append((Path(entry.path), f"cannot read file: {link}{_reason(error)}"))
    files.sort()
    problems.sort()
    return files, problems


# Files beside amplify/ that decide how the frontend builds: what it type-checks, and how.
PROJECT_FILE_PATTERNS = ("tsconfig*.json", "package.json", "next.config.js", "next.config.mjs", "next.config.ts")


def project_files(root: Path) -> list[Path]:
    """The project's configuration files beside `amplify/` (not linted, read by some rules), the
    `package.json` files under `amplify/`, and those of the folders above (a monorepo's)."""
    found: set[Path] = set()
    for pattern in PROJECT_FILE_PATTERNS:
        found.update(p for p in root.glob(pattern) if p.is_file())
    amplify = root / "amplify"
    stack = [amplify]
    while stack:  # package.json under amplify/, without node_modules or hidden folders
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            if entry.name == "package.json" and entry.is_file():
                found.add(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
    for parent in list(root.parents)[:4]:
        if (parent / "package.json").is_file():
            found.add(parent / "package.json")
    return sorted(found)


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _excluded(path: Path, base: Path, patterns: tuple[str, ...]) -> bool:
    try:
        relative = path.relative_to(base).as_posix()
    except ValueError:
        relative = path.as_posix()
    return any(fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(path.name, pattern)
               for pattern in patterns)


def discover(paths: list[Path], exclude: tuple[str, ...] = ()) -> list[Root]:
    """Map the given paths to Amplify roots. Raises WorkspaceError for a path that
    does not exist or that holds no Amplify backend."""
    roots: dict[Path, Root] = {}
    for given in paths:
        path = Path(os.path.abspath(given))
        if not path.exists():
            raise WorkspaceError(f"{given}: no such file or directory")
        if path.is_file():
            root_path = _root_above(path.parent)
            if root_path is None:
                raise WorkspaceError(f"{given}: not inside an Amplify project (no amplify/backend.ts above it)")
            root = _root(roots, root_path)
            if root.requested is not None:
                root.requested.add(path)
            continue
        above = _root_above(path)
        below = [above] if above is not None else _roots_below(path)
        if not below:
            hint = " (amplify/ has no backend.ts)" if (path / "amplify").is_dir() else ""
            raise WorkspaceError(f"{given}: no Amplify backend found{hint}")
        for root_path in below:
            _root(roots, root_path).requested = None
    result = sorted(roots.values(), key=lambda r: r.path)
    for root in result:
        root.files, root.unreadable = source_files(root.amplify_dir, exclude, root.path)
    return result


def _root(roots: dict[Path, Root], path: Path) -> Root:
    if path not in roots:
        backend = backend_file(path)
        assert backend is not None
        roots[path] = Root(path, backend, requested=set())
    return roots[path]
