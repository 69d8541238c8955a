"""A session reparses an edited file from its earlier tree (tree-sitter's incremental parsing): the
tree must be the one a fresh parse of the new text gives, whatever the edit."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from amplint.syntax import SourceFile, _common_length, _edited_tree

SOURCES = sorted(p for p in FIXTURES.rglob("*.ts") if "node_modules" not in p.parts)[:40]
PIECES = ["", "x", " ", "\n", "(", ")", "{", "}", "'", "`", "//", "/*", "é", "😀", "\r\n", "const a = 1;\n"]


def same_tree(a: SourceFile, b: SourceFile) -> bool:
    return str(a.root) == str(b.root) and a.root.has_error == b.root.has_error and a.root.end_byte == b.root.end_byte


@settings(max_examples=150, deadline=None)
@given(
    source=st.sampled_from(SOURCES),
    where=st.floats(0, 1),
    removed=st.integers(0, 40),
    inserted=st.lists(st.sampled_from(PIECES), max_size=4),
)
def test_an_incremental_reparse_gives_the_tree_of_a_fresh_parse(source: Path, where, removed, inserted) -> None:
    text = source.read_bytes()
    at = int(where * len(text))
    edited = text[:at] + "".join(inserted).encode() + text[at + removed :]
    earlier = SourceFile(source, text)
    assert same_tree(SourceFile(source, edited, earlier), SourceFile(source, edited))
    assert str(earlier.root) == str(SourceFile(source, text).root)  # the earlier tree is left as it was


def test_the_edit_spans_from_the_first_to_the_last_changed_byte() -> None:
    earlier = SourceFile(Path("a.ts"), b"const a = 1;\nconst b = 2;\n")
    assert _common_length(b"abcdef", b"abcxef", 6) == 3
    assert _common_length(b"abc", b"abc", 3) == 3 and _common_length(b"", b"", 0) == 0
    assert _edited_tree(earlier, b"const a = 1;\nconst bb = 2;\n") is not None
    assert _edited_tree(earlier, b"let a = 1;\n") is None  # nothing shared at the start: a fresh parse


def test_a_reparse_into_a_syntax_error_gives_the_fresh_parse_and_its_error() -> None:
    """tree-sitter's error recovery depends on the tree it starts from: here the incremental parse
    placed the error at a missing `}` where a fresh parse places it at a missing `;`. A text with a
    syntax error is therefore parsed whole, so a session reports what a fresh lint reports (AMP001)."""
    path = Path("handler.ts")
    before = b"    try {\n      if (errors) {\n      }\n      return summaryItems;\n    } catch (error) {\n}\n"
    after = b"    try {\n      if (errors) {\n    \n      return summaryItems;\n    } catch (error) {\n}\n"
    reparsed, fresh = SourceFile(path, after, SourceFile(path, before)), SourceFile(path, after)
    assert fresh.root.has_error
    assert same_tree(reparsed, fresh)
    assert reparsed.parse_errors == fresh.parse_errors
