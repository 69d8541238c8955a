"""The floor for amplint's design: find the same files and parse each once with tree-sitter,
in one process, with nothing else (no model, no checks, no report)."""

from __future__ import annotations

import sys
from pathlib import Path

from amplint.syntax import SourceFile
from amplint.workspace import discover

if __name__ == "__main__":
    for root in discover([Path(p) for p in sys.argv[1:]]):
        for path in root.files:
            # Parsed on first use of the tree; neither is kept (as before the tree was lazy).
            if SourceFile(path, path.read_bytes()).tree is None:
                raise SystemExit(f"{path}: no tree")
