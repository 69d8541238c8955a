"""The picture as one JSON document; its shape is amplint/schemas/graph.schema.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from . import root_text

if TYPE_CHECKING:
    from ..picture import BackendPicture

# Bump when the document's shape changes (tests/test_graph.py keeps the schema in step).
GRAPH_JSON_VERSION = "2"  # 2: schedules have `runsUnknown`


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def document_of(value: Any) -> Any:
    """A picture record as JSON values: NamedTuples become objects with camelCase keys, tuples lists."""
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {_camel(field): document_of(getattr(value, field)) for field in value._fields}
    if isinstance(value, (tuple, list)):
        return [document_of(item) for item in value]
    return value


def render(pictures: Sequence[BackendPicture], stacks_only: bool = False) -> str:
    backends = []
    for picture in pictures:
        backend = document_of(picture)
        backend["root"] = root_text(picture)
        if stacks_only:
            backend["functions"] = None
        backends.append(backend)
    document = {
        "version": GRAPH_JSON_VERSION,
        "tool": {"name": "amplint", "version": __version__},
        "columnUnit": "unicodeCodePoints",
        "backends": backends,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
