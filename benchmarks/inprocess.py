"""In-process figures, measured in one child process (python benchmarks/inprocess.py ROOT REPEAT):
what an editor server or a watch loop pays, with the interpreter and imports already paid.

Prints one JSON object: medians in seconds of
- `parse`: every file of the root parsed by tree-sitter (the floor);
- `lint`: a whole `lint()` of the root, no cache;
- `handler_edit` / `backend_edit`: re-linting after an edit to one handler / to backend.ts, the way
  an editor server asks for it: a `Session` kept between runs, the edited text as an unsaved buffer."""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from amplint.api import Session, lint
from amplint.syntax import SourceFile
from amplint.workspace import discover


def median_time(run: Callable[[int], object], repeat: int) -> float:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    root, repeat = Path(sys.argv[1]).resolve(), int(sys.argv[2])
    files = [path for found in discover([root]) for path in found.files]
    texts = {path: path.read_bytes() for path in files}
    handler = next(p for p in sorted(files) if p.name == "handler.ts")
    backend = root / "amplify" / "backend.ts"

    def edited(path: Path, i: int) -> dict[Path, bytes]:
        return {path: texts[path] + f"\n// edit {i}\n".encode()}

    lint([root])  # warm: imports on first use, file system cache
    session = Session()
    session.lint([root])
    figures = {
        "parse": median_time(lambda i: [SourceFile(p, t).tree for p, t in texts.items()], repeat),
        "lint": median_time(lambda i: lint([root]), repeat),
        "handler_edit": median_time(lambda i: session.lint([root], edited(handler, i)), repeat),
        "backend_edit": median_time(lambda i: session.lint([root], edited(backend, i)), repeat),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
