"""JSON Lines: one diagnostic object a line, shaped like the JSON document's `diagnostics` items."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .json import diagnostic_document
from .positions import SourceText

if TYPE_CHECKING:
    from ..api import LintResult


def render(result: LintResult, quiet: bool = False) -> str:
    text = SourceText(result)
    return "".join(
        json.dumps(diagnostic_document(d, result.rules, text), ensure_ascii=False) + "\n" for d in result.reported
    )
