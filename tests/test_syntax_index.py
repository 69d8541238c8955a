"""A file's node index is the same whether the tree is walked (small projects: no query to compile)
or queried (past the walking budget)."""

from __future__ import annotations

from pathlib import Path

import pytest

from amplint import syntax
from amplint.syntax import SourceFile, _queried_index, _walked_index

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = sorted(
    p for p in FIXTURES.rglob("*") if p.suffix in {".ts", ".tsx", ".js", ".mjs", ".cjs", ".jsx"} and p.is_file()
)


def _as_spans(index: syntax.NodeIndex) -> dict[str, list[tuple[int, int, str]]]:
    return {field: [(n.start_byte, n.end_byte, n.type) for n in getattr(index, field)] for field in index.__slots__}


def test_walking_and_querying_index_every_fixture_file_alike() -> None:
    assert len(SOURCES) > 100
    for path in SOURCES:
        file = SourceFile(path, path.read_bytes())
        assert _as_spans(_walked_index(file.root)) == _as_spans(_queried_index(file.root, file.tsx)), path


def test_nodes_that_start_together_come_enclosing_first() -> None:
    # The query returns `x.y` before `x.y(z).w` and `h()` before `f(g(h()))(1)`: both ways must give
    # document order, the enclosing node first.
    file = SourceFile(Path("order.ts"), b"a.b.c.d(); f(g(h()))(1); x.y(z).w; new A(new B())")
    for index in (_walked_index(file.root), _queried_index(file.root, file.tsx)):
        assert [n.text for n in index.members] == [b"a.b.c.d", b"a.b.c", b"a.b", b"x.y(z).w", b"x.y"]
        assert [n.text for n in index.calls] == [
            b"a.b.c.d()",
            b"f(g(h()))(1)",
            b"f(g(h()))",
            b"g(h())",
            b"h()",
            b"x.y(z)",
        ]
        assert [n.text for n in index.news] == [b"new A(new B())", b"new B()"]


@pytest.mark.parametrize("walked", [0, syntax._WALK_BUDGET])
def test_a_file_is_walked_within_the_budget_and_queried_past_it(monkeypatch: pytest.MonkeyPatch, walked: int) -> None:
    monkeypatch.setattr(syntax, "_walked", walked)
    used = []
    monkeypatch.setattr(syntax, "_walked_index", lambda root: used.append("walk") or _walked_index(root))
    monkeypatch.setattr(syntax, "_queried_index", lambda root, tsx: used.append("query") or _queried_index(root, tsx))
    text = b"export const handler = async () => fetch('https://example.com');"
    assert [n.text for n in SourceFile(Path("handler.ts"), text).index.calls] == [b"fetch('https://example.com')"]
    assert used == (["walk"] if walked == 0 else ["query"])
    assert syntax._walked == walked + (len(text) if walked == 0 else 0)
