"""Re-lint latency through the language server, as an editor sees it.

    python benchmarks/server.py                       # 100 functions, medians of 30 edits
    python benchmarks/server.py --functions 1000 --repeat 10

`amplint server` runs in a child process (LSP over stdio); a client opens one handler and
backend.ts of a synthetic backend (benchmarks/generate.py), then times, for each edit, from sending
`textDocument/didChange` (an incremental change: a comment added at the end) until the answer to a
`textDocument/diagnostic` request sent right after it, which the server gives once the root is
linted with that edit. So each figure is one re-lint of the whole root in the server's Session plus
two messages each way, JSON encoding included. For comparison it prints the same re-lint measured
inside one process (benchmarks/inprocess.py's `handler_edit` and `backend_edit`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

REPO = HERE.parent
HANDLER_TARGET = 0.020  # seconds, at 100 functions (the targets)
BACKEND_TARGET = 0.060


async def measure(root: Path, repeat: int) -> dict[str, float]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("amplint-benchmark", "1")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    await client.start_io(sys.executable, "-m", "amplint", "server", env=env)
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root.as_uri())
    )
    client.initialized(types.InitializedParams())
    handler = next(p for p in sorted((root / "amplify" / "functions").rglob("handler.ts")))
    backend = root / "amplify" / "backend.ts"
    figures = {}
    for name, path in (("handler_edit", handler), ("backend_edit", backend)):
        text = path.read_text(encoding="utf-8")
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(path.as_uri(), "typescript", 1, text))
        )
        document = types.TextDocumentIdentifier(path.as_uri())
        await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(document))  # the first lint
        lines = text.count("\n")
        times = []
        for i in range(repeat):
            change = types.TextDocumentContentChangePartial(
                range=types.Range(types.Position(lines + i, 0), types.Position(lines + i, 0)), text=f"// edit {i}\n"
            )
            start = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(i + 2, path.as_uri()), [change])
            )
            await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(document))
            times.append(time.perf_counter() - start)
        figures[name] = statistics.median(times)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--functions", type=int, default=100, help="functions in the backend (default: 100)")
    parser.add_argument("--repeat", type=int, default=30, help="edits per measurement (default: 30)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = generate(Path(folder) / f"backend-{args.functions}", args.functions)
        server = asyncio.run(measure(root, args.repeat))
        run = subprocess.run(
            [sys.executable, str(HERE / "inprocess.py"), str(root), str(args.repeat)],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            check=True,
        )
        inprocess = json.loads(run.stdout)
    print(f"re-lint after one edit, {args.functions} functions, median of {args.repeat} (milliseconds)")
    print(f"{'edit':<14}{'server':>10}{'in-process':>12}{'target':>9}")
    for name, target in (("handler_edit", HANDLER_TARGET), ("backend_edit", BACKEND_TARGET)):
        verdict = "met" if server[name] <= target else "missed"
        print(f"{name:<14}{server[name] * 1000:>10.1f}{inprocess[name] * 1000:>12.1f}{target * 1000:>9.0f}  {verdict}")


if __name__ == "__main__":
    main()
