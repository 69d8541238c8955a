"""amplint's records: built faster than `typing.NamedTuple`, and behaving as it does."""

from __future__ import annotations

import pickle
import typing

import pytest

from amplint.records import NamedTuple


class Point(NamedTuple):
    x: int
    y: int = 0
    label: str = "origin"

    @property
    def norm(self) -> int:
        return abs(self.x) + abs(self.y)


class TypingPoint(typing.NamedTuple):
    x: int
    y: int = 0
    label: str = "origin"


def test_a_record_behaves_as_typing_named_tuple_does() -> None:
    ours, theirs = Point(3, y=-4), TypingPoint(3, y=-4)
    assert tuple(ours) == tuple(theirs) == (3, -4, "origin")
    assert ours == theirs and hash(ours) == hash(theirs)  # both are plain tuples underneath
    assert repr(ours) == repr(theirs).replace("TypingPoint", "Point")
    assert Point._fields == TypingPoint._fields
    assert Point._field_defaults == TypingPoint._field_defaults
    assert Point.__match_args__ == TypingPoint.__match_args__
    assert ours._asdict() == theirs._asdict()
    assert ours._replace(label="p") == Point(3, -4, "p")
    assert Point._make([1, 2, "z"]) == Point(1, 2, "z")
    assert ours.norm == 7 and ours.x == ours[0] == 3
    assert isinstance(ours, tuple) and not hasattr(ours, "__dict__")
    assert Point.__qualname__ == "Point" and Point.__module__ == __name__


def test_records_pickle_and_match() -> None:
    point = Point(1, 2)
    assert pickle.loads(pickle.dumps(point)) == point
    match point:
        case Point(1, y):
            assert y == 2
        case _:
            pytest.fail("a record's fields match by position")


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: Point(), "missing 1 required positional argument: 'x'"),
        (lambda: Point(1, 2, "a", "b"), "takes from 2 to 4 positional arguments but 5 were given"),
        (lambda: Point(1, z=2), "unexpected keyword argument 'z'"),
        (lambda: Point(1)._replace(z=2), "unexpected field names: ['z']"),
        (lambda: Point._make([1]), "Expected 3 arguments, got 1"),
    ],
)
def test_wrong_calls_fail_as_they_do_for_typing_named_tuple(call: typing.Callable[[], object], error: str) -> None:
    with pytest.raises(TypeError, match=error.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        call()


def test_a_field_without_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="cannot follow"):

        class Wrong(NamedTuple):
            a: int = 1
            b: int


def test_a_record_that_defines_eq_keeps_the_tuple_hash_as_typing_does() -> None:
    class Named(NamedTuple):
        name: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Named) and self.name.lower() == other.name.lower()

    class TypingNamed(typing.NamedTuple):
        name: str

        def __eq__(self, other: object) -> bool:
            return isinstance(other, TypingNamed) and self.name.lower() == other.name.lower()

    assert hash(Named("a")) == hash(TypingNamed("a")) == hash(("a",))
    assert Named("A") == Named("a")


def test_what_typing_refuses_is_refused() -> None:
    with pytest.raises(AttributeError, match="cannot overwrite NamedTuple attribute _replace"):

        class Overwrites(NamedTuple):
            a: int

            def _replace(self, **changes: object) -> Overwrites:
                return self

    with pytest.raises(TypeError, match="only base"):

        class Mixed(NamedTuple, typing.Generic[typing.TypeVar("T")]):  # type: ignore[misc]
            a: int

    with pytest.raises(TypeError, match="written as classes"):
        NamedTuple("Called", [("a", int)])  # type: ignore[call-overload]


def test_a_record_without_a_docstring_is_described_by_its_fields() -> None:
    class Bare(NamedTuple):
        a: int
        b: int

    class TypingBare(typing.NamedTuple):
        a: int
        b: int

    assert Bare.__doc__ == "Bare(a, b)" and TypingBare.__doc__ == "TypingBare(a, b)"
