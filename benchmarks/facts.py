"""How far the engine is from per-file facts without tree nodes: lint the roots the paths lead to, keep
their models, and say, for each kind of per-file fact the lint worked out (`Module.fact`) and for each
module's imports, exports and bindings, in how many modules it holds a tree-sitter node.

    python benchmarks/facts.py examples/scheduled-backend tests/fixtures/*/

A kind that holds none can be cached on disk by content hash as it is; one that holds nodes keeps its
file's tree alive for as long as the fact lives. It reads each module's facts (`Module._facts`): this
measures the engine, it is no API."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tree_sitter import Node

from amplint.api import Session
from amplint.model.modules import Module

_DEPTH = 8  # records nest a few levels: a fact of tuples of records of tuples


def holds_node(value: object, depth: int = 0) -> bool:
    """Whether `value` holds a tree-sitter node, looking inside containers and records (not inside
    another module: what it holds is counted there)."""
    if isinstance(value, Node):
        return True
    if depth > _DEPTH or isinstance(value, (Module, str, bytes, int, float, Path)) or value is None:
        return False
    if isinstance(value, dict):
        return any(holds_node(k, depth + 1) or holds_node(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(holds_node(item, depth + 1) for item in value)
    return any(holds_node(field, depth + 1) for field in _fields(value))


def _fields(record: object) -> Iterator[object]:
    for cls in type(record).__mro__:
        for name in getattr(cls, "__slots__", ()):
            yield getattr(record, name, None)
    yield from getattr(record, "__dict__", {}).values()


def facts_of(module: Module) -> Iterator[tuple[str, object]]:
    yield "Module.imports", module.imports
    yield "Module.exports", module.exports
    yield "Module.bindings", module.bindings
    for key, value in module._facts.items():
        compute = key[0] if isinstance(key, tuple) else key
        yield getattr(compute, "__qualname__", repr(compute)), value


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [Path("examples/scheduled-backend")]
    with_nodes: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for path in paths:
        session = Session()
        session.lint([path])
        for backend in session.backends.values():
            for module in backend.modules.values():
                for kind, value in facts_of(module):
                    seen[kind] += 1
                    with_nodes[kind] += holds_node(value)
    width = max(map(len, seen), default=4)
    print(f"{'fact':<{width}}  modules  with nodes")
    for kind in sorted(seen, key=lambda k: (with_nodes[k] > 0, k)):
        print(f"{kind:<{width}}  {seen[kind]:7d}  {with_nodes[kind]:10d}")
    free = sum(1 for kind in seen if not with_nodes[kind])
    print(f"{free} of {len(seen)} kinds hold no node in any module")


if __name__ == "__main__":
    main()
