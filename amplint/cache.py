"""The caches under `.amplint_cache/`. The result cache: what linting an Amplify root found, stored
as JSON and reused while nothing it depends on has changed, so that `amplint check` on an unchanged
project costs little more than reading its files. Behind it, the facts cache (`FactsPack`): each
file's per-file facts, reused while that file's text is unchanged.

One entry a root, keyed by a hash of amplint's own code (version, and the size and time of every file
of the installed package), the root's settings, and the path and content of every file linted and of
every project file read beside `amplify/`. An entry is data, never code (a cache folder may come from
an untrusted checkout): one that cannot be read, is of another format or key, or holds anything but
well-formed diagnostics is ignored, and rewritten by the run that ignored it."""

from __future__ import annotations

import enum
import functools
import json
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .diagnostics import Applicability, Diagnostic, Edit, Fix, Location, RelatedLocation, Severity, Span

try:  # the BLAKE2 module itself: `hashlib` loads OpenSSL first, about 4 ms of every run
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b

__all__ = ["DEFAULT_FOLDER", "FORMAT", "Entry", "FactsPack", "entry", "facts_pack"]

FORMAT = 1  # changes whenever the shape of an entry does
DEFAULT_FOLDER = ".amplint_cache"  # in the root's folder, beside amplify/
GITIGNORE = "# Created by amplint: this folder is amplint's cache, never commit it.\n*\n"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by amplint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


class Entry:
    """Where the cached result of one root lives, and the key it must carry to be used."""

    __slots__ = ("folder", "path", "root", "key")

    def __init__(self, folder: Path, root: Path, key: str) -> None:
        self.folder = folder
        self.root = root
        self.key = key
        self.path = folder / f"{_root_name(root)}.json"

    def __repr__(self) -> str:
        return f"Entry({self.path}, root={self.root}, key={self.key[:12]}...)"

    def load(self, codes: frozenset[str]) -> list[Diagnostic] | None:
        """The diagnostics stored for this key, or None when there is no usable entry. `codes` are
        those the root checks: a stored diagnostic of another code makes the whole entry unusable."""
        try:
            with open(self.path, "rb") as file:
                document = json.loads(file.read())
            if (
                not isinstance(document, dict)
                or document.get("format") != FORMAT
                or document.get("key") != self.key
                or document.get("root") != str(self.root)
                or not isinstance(document.get("diagnostics"), list)
            ):
                return None
            diagnostics = [_diagnostic(item) for item in document["diagnostics"]]
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None  # absent, unreadable, not JSON, or not shaped as written: a miss
        if any(d.code not in codes for d in diagnostics):
            return None
        return diagnostics

    def save(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Store `diagnostics` for this key, atomically; a folder that cannot be written is no error
        (the cache is then simply not written)."""
        document = {
            "format": FORMAT,
            "amplint": __version__,
            "root": str(self.root),
            "key": self.key,
            "diagnostics": [_encode_diagnostic(d) for d in diagnostics],
        }
        data = json.dumps(document, separators=(",", ":")).encode("ascii")  # ASCII: lone surrogates survive
        _write(self.folder, self.path, data)


class FactsPack:
    """The per-file facts of one root's files (`model.stored`), kept beside its result entry and
    used when the result entry is not: each file's facts are reused while its text is unchanged, so
    a run after one file changed reads that file again, not the others. One file a root holds, for
    each path linted, the hash of the text the facts were read from and the facts as bytes; and the
    findings of the checks that read the backend's definitions only, with a digest of what they read
    (reused while that is the same, as a `Session` does). A pack written by other code (another key)
    is not read at all."""

    __slots__ = ("folder", "path", "header", "entries", "definitions", "_loaded", "_loaded_definitions", "_hashes")

    def __init__(self, folder: Path, root: Path) -> None:
        self.folder = folder
        self.path = folder / f"{_root_name(root)}.facts"
        key = blake2b(f"{FORMAT}\0{_code_fingerprint()}".encode("utf-8", "surrogateescape"), digest_size=32)
        self.header = b"amplint facts " + key.hexdigest().encode("ascii") + b"\n"
        self.entries: dict[str, tuple[bytes, bytes]] = {}  # path -> (hash of the text, facts)
        # (digest of what they read, the findings of each check as JSON), see `reused_definitions`
        self.definitions: tuple[bytes, bytes] | None = None
        self._loaded: dict[str, tuple[bytes, bytes]] = {}
        self._loaded_definitions: tuple[bytes, bytes] | None = None
        self._hashes: dict[Path, tuple[bytes, bytes]] = {}

    def load(self) -> None:
        """Read the pack; one that is absent, unreadable, of another key or not shaped as written is
        an empty one."""
        try:
            with open(self.path, "rb") as file:
                data = file.read()
            if not data.startswith(self.header):
                return
            entries, definitions = _data_only_loads()(memoryview(data)[len(self.header) :])
        except Exception:  # absent, unreadable, or not what `save` writes: a miss
            return
        if isinstance(entries, dict) and all(
            isinstance(path, str) and _bytes_pair(entry) for path, entry in entries.items()
        ):
            self._loaded = entries
            self._loaded_definitions = definitions if _bytes_pair(definitions) else None

    def get(self, path: Path, text: bytes) -> bytes | None:
        """The facts stored for this file's text, if any."""
        entry = self._loaded.get(str(path))
        return entry[1] if entry is not None and entry[0] == self._hash(path, text) else None

    def put(self, path: Path, text: bytes, facts: bytes) -> None:
        self.entries[str(path)] = (self._hash(path, text), facts)

    def _hash(self, path: Path, text: bytes) -> bytes:
        """`text_hash(text)`, computed once for the text a run read of each file."""
        known = self._hashes.get(path)
        if known is None or known[0] is not text:
            known = self._hashes[path] = (text, text_hash(text))
        return known[1]

    def reused_definitions(self, digest: bytes, checks: Mapping[str, frozenset[str]]) -> dict[str, list[Diagnostic]]:
        """The stored findings of the checks that read definitions only, by check name (`checks`: each
        one's codes), when they were found for this `digest` of what they read; a check whose stored
        findings are not well-formed findings of its own codes gets none (it runs again)."""
        if self._loaded_definitions is None or self._loaded_definitions[0] != digest:
            return {}
        try:
            document = json.loads(self._loaded_definitions[1])
        except (ValueError, RecursionError):
            return {}
        reused = {}
        for name, items in document.items() if isinstance(document, dict) else ():
            try:
                diagnostics = [_diagnostic(item) for item in _list(items)]
            except (ValueError, TypeError, KeyError, RecursionError):
                continue
            if name in checks and all(d.code in checks[name] for d in diagnostics):
                reused[name] = diagnostics
        return reused

    def keep_definitions(self, digest: bytes, found: Mapping[str, Iterable[Diagnostic]]) -> None:
        """Store the findings of the checks that read definitions only (by check name) for `digest`."""
        document = {name: [_encode_diagnostic(d) for d in diagnostics] for name, diagnostics in found.items()}
        self.definitions = digest, json.dumps(document, separators=(",", ":")).encode("ascii")

    def definitions_digest(
        self,
        read: Iterable[tuple[Path, bytes]],
        value_imports: Iterable[object],
        files: Iterable[Path],
        project: Mapping[Path, bytes],
    ) -> bytes:
        """A digest of what the checks that read definitions only read: the files they read (path,
        text: hashed once a run, as for the facts), the value imports of definitions across the
        workspace, the set of files (what an import resolves to), and the project files."""
        digest = blake2b(digest_size=32)
        for label, texts in ((b"read", sorted(read)), (b"project", sorted(project.items()))):
            _feed(digest, label + b"%d" % len(texts))
            for path, text in texts:
                _feed(digest, os.fsencode(path))
                _feed(digest, self._hash(path, text))
        _feed(digest, repr(sorted(map(repr, value_imports))).encode("utf-8", "surrogateescape"))
        _feed(digest, "\0".join(sorted(map(str, files))).encode("utf-8", "surrogateescape"))
        return digest.digest()

    def save(self) -> None:
        """Write what was `put` and kept, atomically, when it differs from what was loaded: the pack then
        holds the files of this run only."""
        if self.entries != self._loaded or self.definitions != self._loaded_definitions:
            import pickle  # not on the import path of a run the result cache answers

            data = pickle.dumps((self.entries, self.definitions), protocol=5)
            _write(self.folder, self.path, self.header + data)


def _bytes_pair(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and all(isinstance(part, bytes) for part in value)


def facts_pack(cache_dir: Path | None, root: Path) -> FactsPack:
    """The facts pack of a root (in the cache folder `entry` uses), loaded."""
    pack = FactsPack(_folder(cache_dir, root), root)
    pack.load()
    return pack


def _folder(cache_dir: Path | None, root: Path) -> Path:
    """The cache folder: `cache_dir` (shared by every root, relative to the working directory), or by
    default `.amplint_cache` in the root's folder."""
    return Path(os.path.abspath(cache_dir)) if cache_dir is not None else root / DEFAULT_FOLDER


def text_hash(text: bytes) -> bytes:
    return blake2b(text, digest_size=16).digest()


def _root_name(root: Path) -> str:
    """The name of a root's files in the cache folder: one per root, whatever the key, so that a new
    result replaces the old one instead of piling up."""
    return blake2b(os.fsencode(root), digest_size=10).hexdigest()


@functools.cache
def _data_only_loads() -> Callable[[bytes | memoryview], Any]:
    """`pickle.loads` for plain data only: no class or function is ever looked up."""
    import io
    import pickle

    class DataOnly(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            raise pickle.UnpicklingError(f"not data: {module}.{name}")

    def loads(data: bytes | memoryview) -> Any:
        return DataOnly(io.BytesIO(data)).load()

    return loads


def _write(folder: Path, path: Path, data: bytes) -> None:
    """Write `data` to `path` in the cache `folder`, atomically; a folder that cannot be written is no
    error (the cache is then simply not written)."""
    # Beside the entry, so that os.replace never crosses file systems; created as any file is (umask).
    temporary = folder / f".entry-{os.getpid()}-{os.urandom(6).hex()}.tmp"  # not `secrets`: it loads OpenSSL
    try:
        _prepare_folder(folder)
        with open(temporary, "xb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _prepare_folder(folder: Path) -> None:
    """Create the folder with a `.gitignore` that keeps it out of git, and a CACHEDIR.TAG for backup
    tools. A folder the user chose that already exists is left as it is: it may not be amplint's."""
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        if folder.name != DEFAULT_FOLDER or (folder / ".gitignore").exists():
            return
    for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        try:
            with open(folder / name, "x", encoding="utf-8") as file:
                file.write(text)
        except FileExistsError:
            pass


def entry(
    cache_dir: Path | None,
    root: Path,
    settings: object,
    sources: Iterable[tuple[Path, bytes]],
    project_files: Mapping[Path, bytes],
) -> Entry | None:
    """The cache entry of a root linted with `settings` over `sources` (path, text) and the project
    files it read; None when the settings hold something that has no stable form to hash. The cache
    folder is `cache_dir` (shared by every root, relative to the working directory), or by default
    `.amplint_cache` in the root's folder."""
    digest = blake2b(digest_size=32)
    try:
        canonical = json.dumps(_canonical(settings), sort_keys=True, separators=(",", ":"))
    except _Unhashable:
        return None
    for part in (str(FORMAT), _code_fingerprint(), str(root), canonical):
        _feed(digest, part.encode("utf-8", "surrogateescape"))
    for label, files in ((b"linted", list(sources)), (b"project", sorted(project_files.items()))):
        _feed(digest, label + b"%d" % len(files))
        for path, text in files:
            _feed(digest, os.fsencode(path))
            _feed(digest, text)
    return Entry(_folder(cache_dir, root), root, digest.hexdigest())


def _feed(digest: Any, data: bytes) -> None:
    """Length-prefixed, so that no two different sequences of parts hash alike."""
    digest.update(b"%d:" % len(data))
    digest.update(data)


@functools.cache
def _code_fingerprint() -> str:
    """amplint's version and every file of the installed package (path and size, and outside
    `site-packages` its modification time too), so that an editable install under development never
    reads an entry written by other code, while a release installed again (as a CI job does on each
    run: pip gives every file the time of the install) still reads its own; with the versions of
    Python and of the parser it runs on (found, not imported: a hit never loads them)."""
    from importlib.util import find_spec

    parts = [__version__, sys.version]
    packages = [Path(__file__).parent]
    for name in ("tree_sitter", "tree_sitter_typescript"):
        spec = find_spec(name)
        if spec is not None and spec.origin is not None:
            packages.append(Path(spec.origin).parent)
    for package in packages:
        edited_in_place = not {"site-packages", "dist-packages"} & set(package.parts)
        for folder, subfolders, names in os.walk(package):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    status = os.stat(path)
                except OSError:
                    continue
                parts.append(f"{path}\0{status.st_size}\0{status.st_mtime_ns if edited_in_place else ''}")
    return blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()


class _Unhashable(Exception):
    """A value with no stable canonical form."""


def _canonical(value: object) -> object:
    """A JSON value that is equal for equal settings in every process: sets sorted, enums and paths as
    text, records (NamedTuple or slotted class) as their type and fields."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, enum.Enum):
        return [type(value).__name__, _canonical(value.value)]
    if isinstance(value, Path):
        return ["Path", str(value)]
    if isinstance(value, Mapping):
        return ["map", sorted(([_canonical(k), _canonical(v)] for k, v in value.items()), key=_sort_key)]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted((_canonical(item) for item in value), key=_sort_key)]
    fields = _record_fields(value)
    if fields is not None:
        try:
            return [type(value).__qualname__, {name: _canonical(getattr(value, name)) for name in fields}]
        except AttributeError:  # a slot never set
            raise _Unhashable(type(value).__qualname__) from None
    if isinstance(value, (tuple, list)):
        return [_canonical(item) for item in value]
    raise _Unhashable(type(value).__qualname__)


def _record_fields(value: object) -> tuple[str, ...] | None:
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return tuple(value._fields)
    slots = [name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())]
    if slots and not isinstance(value, (tuple, list)):
        return tuple(dict.fromkeys(name for name in slots if not name.startswith("__")))
    return None


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True)


# -- diagnostics to JSON and back, field by field ---------------------------------------------------


def _encode_diagnostic(d: Diagnostic) -> dict[str, object]:
    return {
        "code": d.code,
        "message": d.message,
        "location": _encode_location(d.location),
        "severity": None if d.severity is None else d.severity.value,
        "related": [{"location": _encode_location(r.location), "message": r.message} for r in d.related],
        "fix": None
        if d.fix is None
        else {
            "message": d.fix.message,
            "edits": [
                {"path": str(e.path), "start_byte": e.start_byte, "end_byte": e.end_byte, "replacement": e.replacement}
                for e in d.fix.edits
            ],
            "applicability": d.fix.applicability,
        },
        "suppressed_by": d.suppressed_by,
    }


def _encode_location(location: Location) -> dict[str, object]:
    s = location.span
    return {
        "path": str(location.path),
        "span": [s.start_line, s.start_column, s.end_line, s.end_column, s.start_byte, s.end_byte],
    }


def _diagnostic(item: Any) -> Diagnostic:
    severity = item["severity"]
    fix = item["fix"]
    return Diagnostic(
        code=_text(item["code"]),
        message=_text(item["message"]),
        location=_location(item["location"]),
        severity=None if severity is None else Severity(_text(severity)),
        related=tuple(
            RelatedLocation(location=_location(r["location"]), message=_text(r["message"]))
            for r in _list(item["related"])
        ),
        fix=None
        if fix is None
        else Fix(
            message=_text(fix["message"]),
            edits=tuple(
                Edit(
                    path=_path(e["path"]),
                    start_byte=_number(e["start_byte"]),
                    end_byte=_number(e["end_byte"]),
                    replacement=_text(e["replacement"]),
                )
                for e in _list(fix["edits"])
            ),
            applicability=_applicability(fix["applicability"]),
        ),
        suppressed_by=None if item["suppressed_by"] is None else _text(item["suppressed_by"]),
    )


def _location(item: Any) -> Location:
    start_line, start_column, end_line, end_column, start_byte, end_byte = (_number(n) for n in _list(item["span"]))
    return Location(
        path=_path(item["path"]),
        span=Span(
            start_line=start_line,
            start_column=start_column,
            end_line=end_line,
            end_column=end_column,
            start_byte=start_byte,
            end_byte=end_byte,
        ),
    )


def _text(value: object) -> str:
    if type(value) is not str:
        raise TypeError("not a string")
    return value


def _applicability(value: object) -> Applicability:
    if value == "safe" or value == "unsafe":
        return value
    raise TypeError("not a fix applicability")


def _number(value: object) -> int:
    if type(value) is not int or value < 0:
        raise TypeError("not a count")
    return value


def _list(value: object) -> list[Any]:
    if type(value) is not list:
        raise TypeError("not a list")
    return value


def _path(value: object) -> Path:
    if not os.path.isabs(_text(value)):
        raise ValueError("not an absolute path")
    return Path(_text(value))
