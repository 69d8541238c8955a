"""A module's per-file facts as bytes, for the facts cache (`amplint.cache.FactsPack`): what
`build_module` read (imports, bindings, exports), whether and where the file has a syntax error, and
every `Module.fact` computed on it that `modules.storable_fact` allows (none that holds tree nodes).
A module built from them has no tree until something asks for one (`SourceFile.tree` parses then).

Bytes may come from a cache folder someone else wrote: `load` accepts only what `dump` writes (the
records, enums and slotted plain classes of amplint's own modules, plain data, and the module's own
file and path), and answers None for anything else, which the caller treats as a miss."""

from __future__ import annotations

import io
import pickle
from collections.abc import Hashable
from enum import Enum
from pathlib import Path, PurePath
from typing import Any

from ..diagnostics import Location
from ..syntax import ParseError, SourceFile
from .modules import Module, fact_name, storable_fact

PROTOCOL = 5


def dump(module: Module) -> bytes | None:
    """The module's per-file facts, or None when one of them cannot be stored (a value holding
    something other than records and plain data: not stored, computed again next time)."""
    facts: dict[Hashable, Any] = dict(module._stored or {})
    for key, value in module._facts.items():
        if storable_fact(key[0] if isinstance(key, tuple) else key):
            facts[fact_name(key)] = value
    file = module.file
    state = (module.imports, module.bindings, module.exports, module.star_exports, module.specifiers)
    buffer = io.BytesIO()
    try:
        errors = [(error.kind, error.token, error.location.span) for error in file.parse_errors]
        _Pickler(buffer, file).dump((state, file.has_error, errors, facts))
    except Exception:  # a value that is not plain data (or a bug in a fact): not stored
        return None
    return buffer.getvalue()


def grew(module: Module) -> bool:
    """Whether facts were computed on a module read from the cache that it did not hold (or the
    module was built from its tree)."""
    return module._stored is None or module._grew


def load(file: SourceFile, data: bytes) -> Module | None:
    """The module `dump` stored for this file's text, or None when `data` is not such a thing."""
    try:
        (state, has_error, errors, facts) = _Unpickler(data, file).load()
        module = Module(file)
        module.imports, module.bindings, module.exports, module.star_exports, module.specifiers = state
        file._has_error = bool(has_error)
        file._parse_errors = [ParseError(kind, token, Location(file.path, span)) for kind, token, span in errors]
        if not isinstance(facts, dict):
            return None
    except Exception:  # anything but what `dump` wrote: not trusted, a miss
        return None
    module._stored = facts
    return module


class _Pickler(pickle.Pickler):
    """Writes the module's own file and path as references (`_Unpickler.find_class` gives them back),
    and refuses anything else that is not plain data."""

    def __init__(self, buffer: io.BytesIO, file: SourceFile) -> None:
        super().__init__(buffer, protocol=PROTOCOL)
        self.file = file

    def reducer_override(self, obj: object) -> Any:
        # Called for every object but those of exact builtin types (str, int, tuple, ...).
        if isinstance(obj, tuple):
            return _record, (type(obj), tuple(obj))  # a record, built again by `tuple.__new__`
        if obj is self.file:
            return _own_file, ()
        if isinstance(obj, PurePath):
            if obj != self.file.path:
                raise TypeError(f"a per-file fact cannot hold another file's path: {obj}")
            return _own_path, ()
        if isinstance(obj, (SourceFile, Module)) or type(obj).__module__.startswith("tree_sitter"):
            raise TypeError(f"a per-file fact cannot hold {type(obj).__name__}")
        return NotImplemented


def _record(cls: type[tuple[Any, ...]], fields: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple.__new__(cls, fields)


def _own_file() -> SourceFile:
    raise AssertionError("stands for the module's file in stored facts: `_Unpickler` replaces it")


def _own_path() -> Path:
    raise AssertionError("stands for the module's path in stored facts: `_Unpickler` replaces it")


class _Unpickler(pickle.Unpickler):
    """Builds only amplint's records, enums and slotted plain classes (whose attributes are set, no
    code of theirs run): no other class or function is ever looked up, so stored bytes cannot make
    the load run code."""

    def __init__(self, data: bytes, file: SourceFile) -> None:
        super().__init__(io.BytesIO(data))
        self.file = file

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__:
            if name == "_record":
                return tuple.__new__  # what `_record` does, without a frame of Python
            if name in ("_own_file", "_own_path"):
                file = self.file
                return (lambda: file) if name == "_own_file" else (lambda: file.path)
        found = _CLASSES.get((module, name))
        if found is None and (module == "amplint" or module.startswith("amplint.")):
            found = super().find_class(module, name)
            if not _storable(found):
                raise pickle.UnpicklingError(f"not a record: {module}.{name}")
            _CLASSES[module, name] = found
        if found is None:
            raise pickle.UnpicklingError(f"not a record: {module}.{name}")
        return found


_CLASSES: dict[tuple[str, str], type] = {}  # (module, name) of each class found `_storable`


def _storable(found: object) -> bool:
    """amplint's records and enums, and its slotted plain classes."""
    return isinstance(found, type) and (
        (issubclass(found, tuple) and hasattr(found, "_fields"))
        or issubclass(found, Enum)
        or (
            found.__bases__ == (object,)
            and "__slots__" in vars(found)
            and not {"__setstate__", "__setattr__"} & vars(found).keys()  # attributes set, no code run
        )
    )
