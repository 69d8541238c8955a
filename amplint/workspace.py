"""Find Amplify roots and their source files from the paths a user gives."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from fnmatch import fnmatchcase
from pathlib import Path

from .amplify import BACKEND_FILE_NAMES, SOURCE_SUFFIXES
from .config import CONFIG_FILES
from .globs import GitignorePattern, gitignore_patterns

SKIPPED_DIRS = frozenset({"node_modules"})


class WorkspaceError(Exception):
    """A path the user gave cannot be linted (missing, or holds no Amplify backend)."""


class Root:
    """A folder holding `amplify/backend.*`, the files under `amplify/`, and what was asked for.
    Filled in as the paths given are mapped to roots and the roots are walked."""

    __slots__ = ("path", "backend_file", "files", "requested", "unreadable", "packages", "_project_files")

    def __init__(
        self,
        path: Path,
        backend_file: Path,
        files: list[Path] | None = None,
        requested: set[Path] | None = None,
        unreadable: list[tuple[Path, str]] | None = None,
    ) -> None:
        self.path = path
        self.backend_file = backend_file
        self.files: list[Path] = [] if files is None else files
        # Files the user named (pre-commit, editors); None means the whole root was asked for.
        self.requested = requested
        self.unreadable: list[tuple[Path, str]] = [] if unreadable is None else unreadable
        # The `package.json` files under `amplify/`, found by the walk for the files (None before it).
        self.packages: list[Path] | None = None
        self._project_files: list[Path] | None = None

    @property
    def project_files(self) -> list[Path]:
        """The project's configuration files (`project_files`), looked for once per scan: a session
        that keeps the scan finds a new one when it scans again."""
        if self._project_files is None:
            self._project_files = project_files(self.path, self.packages)
        return self._project_files

    def __repr__(self) -> str:
        return (
            f"Root(path={self.path!r}, backend_file={self.backend_file!r}, files=<{len(self.files)} paths>, "
            f"requested={self.requested!r}, unreadable={self.unreadable!r})"
        )

    @property
    def amplify_dir(self) -> Path:
        return self.path / "amplify"


class GitIgnore:
    """What git ignores: the `.gitignore` files of each repository from its top down to a path, and its
    `.git/info/exclude`, as git reads them (a deeper file overrides a shallower one, `!` re-includes).
    Each file is read once per run; outside a git repository nothing is ignored, as for git."""

    def __init__(self) -> None:
        # Plain strings, not Paths: a lint asks about every folder and source file it walks.
        self._tops: dict[str, str | None] = {}
        self._patterns: dict[str, list[GitignorePattern]] = {}
        # folder -> (length of its repository's top, [(where the path from a pattern file's folder
        # starts in the path from the top, that file's patterns, those of them that match a file)]
        # deepest file first, info/exclude last); None outside a repository
        self._folders: dict[str, tuple[int, list[_PatternFile]] | None] = {}
        # folder -> which of `.git` and `.gitignore` a walk's listing of it showed: what the listing
        # says is not asked of the file system again (a walk lists every folder it enters).
        self._listed: dict[str, frozenset[str]] = {}

    def listed(self, folder: str, names: Iterable[str]) -> None:
        """Tell what a walk's listing of `folder` showed (`names`: its entries' names)."""
        self._listed[folder] = _GIT_NAMES.intersection(names)

    def ignores(self, path: Path | str, is_dir: bool = False) -> bool:
        """Whether git ignores `path` itself (a path, or the string of one: a walk need not build a
        `Path` for each entry). As git, the caller walks top down and prunes the folders ignored: what
        is in them is ignored too, whatever the lines deeper say."""
        full = os.fspath(path)
        folder = os.path.dirname(full)
        known = self._folders[folder] if folder in self._folders else self._folder(folder)
        if known is None or not known[1] or len(full) <= known[0]:
            return False
        relative = _git_path(full[known[0] :])
        for start, patterns, file_patterns in known[1]:  # a deeper file first; in each, the last line that matches
            for pattern in reversed(patterns if is_dir else file_patterns):
                if pattern.matches(relative[start:], is_dir):
                    return pattern.ignores
        return False

    def _folder(self, folder: str) -> tuple[int, list[_PatternFile]] | None:
        """The pattern files that apply in `folder`, filling in the folders above it on the way."""
        top = self._top(folder)
        if top is None:
            self._folders[folder] = None
            return None
        missing = [folder]  # from `folder` up to the first one known, or the top
        while missing[-1] != top and os.path.dirname(missing[-1]) not in self._folders:
            missing.append(os.path.dirname(missing[-1]))
        for current in reversed(missing):
            own = self._read(os.path.join(current, ".gitignore"), in_tree=True)
            if current == top:
                exclude = self._read(os.path.join(top, ".git", "info", "exclude"))
                files = [_pattern_file(0, patterns) for patterns in (own, exclude) if patterns]
            else:
                above = self._folders[os.path.dirname(current)]
                assert above is not None  # inside the same repository
                start = len(_git_path(current[len(top) :])) + 1
                files = [_pattern_file(start, own), *above[1]] if own else above[1]
            self._folders[current] = (len(top), files)
        return self._folders[folder]

    def _top(self, folder: str) -> str | None:
        walked: list[str] = []
        top = None
        current = folder
        while True:
            if current in self._tops:
                top = self._tops[current]
                break
            walked.append(current)
            listing = self._listed.get(current)
            if ".git" in listing if listing is not None else os.path.lexists(os.path.join(current, ".git")):
                top = current
                break
            above = os.path.dirname(current)
            if above == current:
                break
            current = above
        for current in walked:
            self._tops[current] = top
        return top

    def _read(self, file: str, in_tree: bool = False) -> list[GitignorePattern]:
        if file not in self._patterns:
            listing = self._listed.get(os.path.dirname(file)) if in_tree else None
            if listing is not None and ".gitignore" not in listing:
                self._patterns[file] = []  # the folder's listing had none
                return self._patterns[file]
            try:
                # git does not follow a `.gitignore` that is a symbolic link (it warns and reads nothing)
                if in_tree and os.path.islink(file):
                    raise OSError
                with open(file, "rb") as stream:
                    text = stream.read()
            except OSError:  # absent, a folder, unreadable: ignores nothing
                text = b""
            self._patterns[file] = gitignore_patterns(text)
        return self._patterns[file]


_GIT_NAMES = frozenset({".git", ".gitignore"})

# A pattern file as `GitIgnore` matches with it: where the path from its folder starts in the path
# from the top, its patterns, and those that can match a file (not `dir/` only), in order.
_PatternFile = tuple[int, list[GitignorePattern], list[GitignorePattern]]


def _pattern_file(start: int, patterns: list[GitignorePattern]) -> _PatternFile:
    return start, patterns, [pattern for pattern in patterns if not pattern.directory_only]


def _git_path(below_top: str) -> bytes:
    """The part of a path below its repository's top as git matches it: bytes, `/`-separated."""
    relative = below_top.lstrip(os.sep)
    return os.fsencode(relative if os.sep == "/" else relative.replace(os.sep, "/"))


def backend_file(folder: Path) -> Path | None:
    amplify = folder / "amplify"
    for name in BACKEND_FILE_NAMES:
        candidate = amplify / name
        if candidate.is_file():
            return candidate
    return None


def _root_above(path: Path) -> Path | None:
    for folder in (path, *path.parents):
        if backend_file(folder) is not None:
            return folder
    return None


def root_of(path: Path) -> Path | None:
    """The Amplify root a file belongs to: under its `amplify/`, or beside `amplify/` (the project
    files); None for any other file (the frontend's sources, a file outside every root)."""
    root = _root_above(path.parent)
    if root is None or not (path.parent == root or path.is_relative_to(root / "amplify")):
        return None
    return root


def _roots_below(folder: Path, gitignore: GitIgnore | None = None) -> list[Path]:
    """Every root under `folder` (monorepos), without following symlinks or entering skipped dirs,
    nor folders git ignores (with `gitignore`)."""
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
        if gitignore is not None:
            gitignore.listed(str(current), [entry.name for entry in entries])
        for entry in entries:
            if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False) and not (
                    gitignore is not None and gitignore.ignores(Path(entry.path), is_dir=True)
                ):
                    stack.append(Path(entry.path))
            except OSError:
                continue
    return sorted(found)


def source_files(
    amplify_dir: Path,
    *,
    excluded: Callable[[Path], bool] | None = None,
    gitignore: GitIgnore | None = None,
    packages: list[Path] | None = None,
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Source files under `amplify/`, sorted, and what could not be read, with the reason. Files and
    folders that `excluded` accepts, or that `gitignore` ignores, are passed over without being read.
    With `packages`, the walk also adds to it the `package.json` files `package_files` finds under
    `amplify/` (those of the folders it passes over too, and none through a symlinked folder).

    Symlinked folders are followed after the real ones, each folder once: loops are cut, and a
    folder reachable both ways keeps its real path."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[tuple[int, int]] = set()  # (device, inode) of each folder walked
    top = os.path.join(os.path.realpath(amplify_dir), "")
    found_packages: list[Path] = packages if packages is not None else []
    folders: list[tuple[str, bool]] = [(str(amplify_dir), False)]  # (folder, reached through a symlink)
    linked: list[tuple[str, bool]] = []
    while folders or linked:
        is_link = not folders
        current, through_link = linked.pop() if is_link else folders.pop()
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
        if gitignore is not None:
            gitignore.listed(current, [entry.name for entry in entries])
        keep_packages = packages is not None and not through_link
        for entry in entries:
            name = entry.name
            if name in SKIPPED_DIRS or name.startswith("."):
                continue
            if keep_packages and name == "package.json" and _is_file(entry):
                found_packages.append(Path(entry.path))
            if excluded is not None and excluded(Path(entry.path)):
                if keep_packages and _is_real_folder(entry):
                    found_packages.extend(package_files(entry.path))
                continue
            is_source = os.path.splitext(name)[1] in SOURCE_SUFFIXES
            try:
                if (
                    gitignore is not None
                    and (is_source or entry.is_dir())
                    and gitignore.ignores(entry.path, is_dir=entry.is_dir())
                ):
                    if keep_packages and _is_real_folder(entry):
                        found_packages.extend(package_files(entry.path))
                    continue
                if entry.is_dir():
                    is_symlink = entry.is_symlink()
                    (linked if is_symlink else folders).append((entry.path, through_link or is_symlink))
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


def is_config_file(name: str) -> bool:
    """Whether a file of this name configures a root: a configuration amplint reads its settings from
    (`config.CONFIG_FILES`) or a project file some rules read (`PROJECT_FILE_PATTERNS`). When one
    changes, the roots, their files and their settings are looked for again."""
    return name in CONFIG_FILES or any(fnmatchcase(name, pattern) for pattern in PROJECT_FILE_PATTERNS)


def project_files(root: Path, packages: Iterable[Path] | None = None) -> list[Path]:
    """The project's configuration files beside `amplify/` (not linted, read by some rules), the
    `package.json` files under `amplify/` (`packages` when the walk for the files found them, else
    `package_files`), and those of the folders above (a monorepo's)."""
    found: set[Path] = set(package_files(str(root / "amplify")) if packages is None else packages)
    for pattern in PROJECT_FILE_PATTERNS:
        found.update(p for p in root.glob(pattern) if p.is_file())
    for parent in list(root.parents)[:4]:
        if (parent / "package.json").is_file():
            found.add(parent / "package.json")
    return sorted(found)


def package_files(folder: str) -> list[Path]:
    """The `package.json` files in and under `folder`, without node_modules or hidden folders, and
    not through a symlinked folder."""
    found = []
    stack = [folder]  # strings, not Paths: the walk lists every folder of the backend
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = list(scan)
        except OSError:
            continue
        for entry in entries:
            if entry.name in SKIPPED_DIRS or entry.name.startswith("."):
                continue
            if entry.name == "package.json" and _is_file(entry):
                found.append(Path(entry.path))
            elif _is_real_folder(entry):
                stack.append(entry.path)
    return found


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def discover(
    paths: list[Path], *, walk: bool = True, gitignore: GitIgnore | None = None, skip_outside: bool = False
) -> list[Root]:
    """Map the given paths to Amplify roots. Raises WorkspaceError for a path that does not exist or
    that holds no Amplify backend, unless `skip_outside` (pre-commit), which passes over them. With
    `walk` False, the roots' files are left for `collect`; with `gitignore`, folders git ignores are
    not searched for roots (a folder named is searched)."""
    roots: dict[Path, Root] = {}
    for given in paths:
        path = Path(os.path.abspath(given))
        if not path.exists():
            if skip_outside:
                continue
            raise WorkspaceError(f"{given}: no such file or directory")
        if path.is_file():
            root_path = _root_above(path.parent)
            if root_path is None and skip_outside:
                continue
            if root_path is None:
                raise WorkspaceError(f"{given}: not inside an Amplify project (no amplify/backend.ts above it)")
            root = _root(roots, root_path)
            if root.requested is not None:
                root.requested.add(path)
            continue
        above = _root_above(path)
        below = [above] if above is not None else _roots_below(path, gitignore)
        if not below and skip_outside:
            continue
        if not below:
            hint = " (amplify/ has no backend.ts)" if (path / "amplify").is_dir() else ""
            raise WorkspaceError(f"{given}: no Amplify backend found{hint}")
        for root_path in below:
            _root(roots, root_path).requested = None
    result = sorted(roots.values(), key=lambda r: r.path)
    if walk:
        for root in result:
            root.files, root.unreadable = source_files(root.amplify_dir)
    return result


_GLOB_MAGIC = frozenset("*?[")  # what makes a path a glob (`glob.has_magic`)


def expand_globs(paths: list[Path]) -> list[Path]:
    """Expand the globs the shell left quoted (`amplint check 'apps/*/amplify'`), `**` crossing folders.
    A path that exists as written is kept as it is. Raises WorkspaceError for a glob matching nothing."""
    expanded: list[Path] = []
    for path in paths:
        text = str(path)
        if not _GLOB_MAGIC.intersection(text) or os.path.lexists(text):
            expanded.append(path)
            continue
        import glob  # only a path with a glob in it loads the module

        matches = sorted(glob.glob(text, recursive=True))
        if not matches:
            raise WorkspaceError(f"{text}: no file or folder matches this glob")
        expanded.extend(Path(match) for match in matches)
    return expanded


def collect(root: Root, excluded: Callable[[Path], bool] | None = None, gitignore: GitIgnore | None = None) -> None:
    """Fill in the root's files. A source file the user named is linted even if git ignores it (as
    with Ruff); `excluded` applies to it all the same, so that pre-commit and editors honour `exclude`."""
    root.packages = []
    root.files, root.unreadable = source_files(
        root.amplify_dir, excluded=excluded, gitignore=gitignore, packages=root.packages
    )
    if gitignore is not None and root.requested:
        named = [
            path
            for path in root.requested
            if path.is_relative_to(root.amplify_dir)
            and path.suffix in SOURCE_SUFFIXES
            and not any(
                part in SKIPPED_DIRS or part.startswith(".") for part in path.relative_to(root.amplify_dir).parts
            )
            and not (excluded is not None and excluded(path))
        ]
        root.files = sorted({*root.files, *named})


def _root(roots: dict[Path, Root], path: Path) -> Root:
    if path not in roots:
        backend = backend_file(path)
        assert backend is not None
        roots[path] = Root(path, backend, requested=set())
    return roots[path]
