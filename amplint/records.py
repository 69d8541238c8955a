"""`NamedTuple`, the base of amplint's records, built for start-up.

`typing.NamedTuple` costs about 0.2 ms per class (it compiles a `__new__` with `eval` and checks
every annotation), and amplint defines about a hundred records, so a plain `check` spent some 20 ms
creating classes before reading a file. This builds the same classes, tuples with named fields,
defaults, `_replace`, `_asdict`, `_make`, `_fields` and a `__repr__`, for about a seventh of that
(25 against 170 µs a class, measured): `__new__` is a per-arity template renamed to the fields,
compiled once per arity, not once per class.

Type checkers see `typing.NamedTuple` itself, so every record is typed exactly as before."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["NamedTuple"]

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from operator import itemgetter
    from types import FunctionType

    try:
        from _collections import _tuplegetter
    except ImportError:  # another interpreter: a property reads the field as well

        def _tuplegetter(index, doc):
            return property(itemgetter(index), doc=doc)

    _tuple_new = tuple.__new__
    # What a record class is made of: its body may not define these (typing.NamedTuple refuses them too).
    _RESERVED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )
    _new_templates = {}

    def _new_template(arity):
        """`def __new__(_cls, _0, ..., _n): return _tuple_new(_cls, (_0, ..., _n))`, compiled once."""
        template = _new_templates.get(arity)
        if template is None:
            names = "".join(f"_{i}, " for i in range(arity))
            scope = {}
            exec(f"def __new__(_cls, {names}): return _tuple_new(_cls, ({names}))", {"_tuple_new": _tuple_new}, scope)
            template = _new_templates[arity] = scope["__new__"]
        return template

    def _build(name, namespace):
        if "__annotations__" not in namespace and "__annotate__" in namespace:
            raise TypeError(f"{name}: a record's module needs `from __future__ import annotations`")
        fields = tuple(namespace.get("__annotations__", ()))
        for field in fields:
            if field.startswith("_"):
                raise ValueError(f"{name}: a field name cannot start with an underscore: {field!r}")
        defaults = tuple(namespace[field] for field in fields if field in namespace)
        if any(field not in namespace for field in fields[len(fields) - len(defaults) :]):
            raise TypeError(f"{name}: a field without a default cannot follow one with a default")
        template = _new_template(len(fields))
        new = FunctionType(
            template.__code__.replace(co_varnames=("_cls", *fields), co_name="__new__"),
            template.__globals__,
            "__new__",
            defaults or None,
        )
        new.__qualname__ = f"{namespace.get('__qualname__', name)}.__new__"
        body = {
            "__slots__": (),
            "__new__": new,
            "_fields": fields,
            "_field_defaults": dict(zip(fields[len(fields) - len(defaults) :], defaults)),
            "__match_args__": fields,
            "__getnewargs__": _getnewargs,
            "__repr__": _repr,
            "_make": _make,
            "_replace": _replace,
            "_asdict": _asdict,
        }
        for key, value in namespace.items():
            if key in _RESERVED:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {key}")
            if key not in fields and key not in ("__qualname__", "__orig_bases__"):
                body[key] = value
        if "__eq__" in namespace and "__hash__" not in namespace:
            body["__hash__"] = tuple.__hash__  # as typing's: the tuple hash stays
        body.setdefault("__doc__", f"{name}({', '.join(fields)})")
        for index, field in enumerate(fields):
            body[field] = _tuplegetter(index, f"Alias for field number {index}")
        cls = type(name, (tuple,), body)
        cls.__qualname__ = namespace.get("__qualname__", name)
        return cls

    def _repr(self):
        values = ", ".join(f"{field}={value!r}" for field, value in zip(self._fields, self))
        return f"{type(self).__name__}({values})"

    def _getnewargs(self):
        return tuple(self)

    @classmethod
    def _make(cls, iterable):
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **changes):
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise TypeError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _asdict(self):
        return dict(zip(self._fields, self))

    class _RecordMeta(type):
        """The metaclass of `NamedTuple` only: `class X(NamedTuple)` builds a tuple class (whose own
        metaclass is `type`, so subclassing a record is plain Python)."""

        def __new__(cls, name, bases, namespace):
            if bases != (NamedTuple,):
                raise TypeError(f"{name}: a record takes NamedTuple as its only base")
            return _build(name, namespace)

        def __call__(cls, *args, **kwargs):
            raise TypeError("records are written as classes: class Name(NamedTuple): ...")

    NamedTuple = type.__new__(_RecordMeta, "NamedTuple", (), {})
