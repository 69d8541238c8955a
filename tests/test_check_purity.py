"""Checks read the model, never the syntax tree: no check module imports tree-sitter or the syntax
helpers, or navigates a node (DESIGN: "a check reads the model; it never re-derives what the model
already knows"). What a check needs from the code is a fact the model offers, with its location."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CHECKS = Path(__file__).resolve().parent.parent / "amplint" / "checks"
# tree_sitter.Node's navigation and position API.
NODE_API = frozenset(
    {
        "child_by_field_name",
        "children_by_field_name",
        "children",
        "named_children",
        "child",
        "named_child",
        "child_count",
        "named_child_count",
        "parent",
        "next_sibling",
        "prev_sibling",
        "next_named_sibling",
        "prev_named_sibling",
        "descendant_for_byte_range",
        "named_descendant_for_byte_range",
        "walk",
        "type",
        "grammar_name",
        "start_byte",
        "end_byte",
        "start_point",
        "end_point",
        "byte_range",
        "is_named",
        "has_error",
    }
)
# SourceFile's ways to the tree: its nodes by kind, its root, and a node's location.
_FILE_API = frozenset({"index", "root", "tree", "location", "span"})
SYNTAX_MODULES = frozenset({"tree_sitter", "tree_sitter_typescript", "amplint.syntax"})


def _violations(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = ("amplint." if node.level else "") + (node.module or "")
            if node.level == 2 and node.module == "syntax" or module in SYNTAX_MODULES:
                found.append(f"{path.name}:{node.lineno}: imports {'.' * node.level}{node.module}")
        elif isinstance(node, ast.Import):
            found += [f"{path.name}:{node.lineno}: imports {a.name}" for a in node.names if a.name in SYNTAX_MODULES]
        elif isinstance(node, ast.Attribute) and node.attr in NODE_API:
            found.append(f"{path.name}:{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr in _FILE_API and isinstance(node.value, ast.Attribute):
            if node.value.attr == "file":  # module.file.index / .root / .location(node): the tree, or a node's place
                found.append(f"{path.name}:{node.lineno}: .file.{node.attr}")
    return found


@pytest.mark.parametrize("path", sorted(CHECKS.glob("*.py")), ids=lambda p: p.stem)
def test_check_reads_no_syntax_tree(path: Path) -> None:
    assert _violations(path) == []
