"""The language server's lint loop without a client: a server object whose published notifications
are recorded, the open buffers given by the test, and checks injected (one that waits to be let go,
so that edits arrive while a lint runs)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from conftest import copy  # noqa: E402
from lsprotocol import types  # noqa: E402

from amplint.checks import CHECKS, Check  # noqa: E402
from amplint.diagnostics import Diagnostic, Location, Span  # noqa: E402
from amplint.server.app import AmplintServer  # noqa: E402

MARK = b"marked"
BACKEND = b"import { defineBackend } from '@aws-amplify/backend';\n\ndefineBackend({});\n"


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "amplify").mkdir(parents=True)
    (root / "amplify" / "backend.ts").write_bytes(BACKEND)
    return root


class Recording(AmplintServer):
    """A server with no client: what it publishes is kept, the open buffers are the test's."""

    def __init__(self, checks, opened: dict[Path, tuple[bytes, int]]) -> None:
        super().__init__(checks)
        self.opened = opened
        self.published: list[types.PublishDiagnosticsParams] = []

    def text_document_publish_diagnostics(self, params):  # type: ignore[override]
        self.published.append(params)

    def buffer(self, path):
        found = self.opened.get(path)
        return found[0] if found is not None else None

    def document_version(self, path):
        found = self.opened.get(path)
        return found[1] if found is not None else None

    def uri(self, path):
        return path.as_uri()


def test_a_lint_overtaken_by_edits_is_not_published_and_the_next_one_carries_its_version(tmp_path):
    root = _project(tmp_path)
    backend = root / "amplify" / "backend.ts"
    running, go = threading.Event(), threading.Event()

    def marked(model):
        """AMP501 on each `marked`; the first lint waits until the test lets it go."""
        running.set()
        assert go.wait(30)
        for path, module in model.modules.items():
            text = module.file.text
            at = text.find(MARK)
            if at != -1:
                line = text.count(b"\n", 0, at) + 1
                column = at - (text.rfind(b"\n", 0, at) + 1) + 1
                span = Span(line, column, line, column + len(MARK), at, at + len(MARK))
                yield Diagnostic("AMP501", "marked", Location(path, span))

    server = Recording([Check(frozenset({"AMP501"}), marked)], {})
    server.uris[backend] = backend.as_uri()

    async def scenario() -> None:
        server.opened[backend] = (BACKEND + b"marked;\n", 2)  # line 4
        state = server.request_lint(root)
        await asyncio.get_running_loop().run_in_executor(None, running.wait, 30)
        # An edit while the lint runs: the finding moves to line 1.
        server.opened[backend] = (b"marked;\n" + BACKEND, 3)
        server.request_lint(root)
        go.set()
        await server.settled(state)

    asyncio.run(scenario())
    assert [(p.uri, p.version, [d.range.start.line for d in p.diagnostics]) for p in server.published] == [
        (backend.as_uri(), 3, [0])
    ]


def test_ranges_in_a_project_file_come_from_the_text_linted(tmp_path):
    """AMP113 is found in tsconfig.json as it is on disk (project files are read from there); an
    open, unsaved buffer of it with other lines (emoji: two UTF-16 units each) must not move the range."""
    root = copy("recall-frontend-tsconfig", tmp_path / "project")
    tsconfig = root / "tsconfig.json"
    on_disk = tsconfig.read_bytes()
    line = on_disk.split(b"\n").index(next(x for x in on_disk.split(b"\n") if b'"include"' in x))
    server = Recording(CHECKS, {tsconfig: ("😀😀😀😀\n".encode() * (line + 1) + on_disk, 7)})
    server.uris[tsconfig] = tsconfig.as_uri()

    async def scenario() -> None:
        await server.settled(server.request_lint(root))

    asyncio.run(scenario())
    (found,) = [p for p in server.published if p.uri == tsconfig.as_uri()]
    (diagnostic,) = found.diagnostics
    assert diagnostic.code == "AMP113"
    start = on_disk.split(b"\n")[line].index(b'"include"')
    assert diagnostic.range.start == types.Position(line=line, character=start)
    assert found.version is None  # linted from disk, not from the buffer of version 7
