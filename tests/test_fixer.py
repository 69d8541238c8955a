"""The pure core of fixing: non-overlapping fixes are applied together, overlapping ones wait."""

from pathlib import Path

from amplint.diagnostics import Edit, Fix
from amplint.fixer import apply_edits, apply_fixes

A = Path("/p/a.ts")
B = Path("/p/b.ts")


def fix(*edits: tuple[Path, int, int, str]) -> Fix:
    return Fix("fix", tuple(Edit(*e) for e in edits))


def test_edits_apply_from_the_end_so_offsets_stay_valid() -> None:
    assert apply_edits(b"abcdef", [Edit(A, 0, 1, "XX"), Edit(A, 4, 6, "")]) == b"XXbcd"


def test_replacement_is_utf8() -> None:
    assert apply_edits("é = 1".encode(), [Edit(A, 2, 2, "ü")]) == "éü = 1".encode()


def test_fix_across_files_applies_whole() -> None:
    result = apply_fixes({A: b"one", B: b"two"}, [fix((A, 0, 3, "1"), (B, 0, 0, "2"))])
    assert result.contents == {A: b"1", B: b"2two"}
    assert len(result.fixes) == 1 and result.waiting == []


def test_overlapping_fix_waits_and_leaves_nothing_half_applied() -> None:
    first = fix((A, 0, 3, "X"))
    second = fix((B, 0, 0, "b"), (A, 2, 4, "Y"))
    result = apply_fixes({A: b"abcdef", B: b""}, [first, second])
    assert result.contents == {A: b"Xdef"}
    assert result.fixes == [first] and result.waiting == [second]


def test_two_insertions_at_one_point_are_ambiguous() -> None:
    result = apply_fixes({A: b"ab"}, [fix((A, 1, 1, "x")), fix((A, 1, 1, "y"))])
    assert result.contents == {A: b"axb"} and len(result.waiting) == 1


def test_adjacent_replacements_both_apply() -> None:
    result = apply_fixes({A: b"abcd"}, [fix((A, 0, 2, "X")), fix((A, 2, 4, "Y"))])
    assert result.contents == {A: b"XY"} and result.waiting == []


def test_out_of_range_unknown_file_or_self_overlapping_fix_never_applies() -> None:
    bad = [fix((A, 0, 9, "x")), fix((B, 0, 0, "x")), fix((A, 0, 2, "x"), (A, 1, 3, "y")), Fix("empty", ())]
    result = apply_fixes({A: b"abc"}, bad)
    assert result.contents == {} and result.fixes == [] and result.waiting == bad


def test_a_fix_that_changes_nothing_leaves_no_content() -> None:
    result = apply_fixes({A: b"abc"}, [fix((A, 0, 1, "a"))])
    assert result.contents == {} and len(result.fixes) == 1
