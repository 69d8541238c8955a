"""`amplint server` end to end: a real LSP client (pytest-lsp) drives the server in a child process
the way an editor does, on a small backend written for each test."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEST_SERVER = ROOT / "tests" / "lsp_test_server.py"
TIMEOUT = 30.0

GRANT = "  .authorization((allow) => [allow.resource(worker)]);\n"
NO_GRANT = "  .authorization((allow) => []);\n"
PROJECT = {
    "amplify/backend.ts": """\
import { defineBackend } from '@aws-amplify/backend';
import { data } from './data/resource';
import { worker } from './functions/worker/resource';

const backend = defineBackend({ data, worker });
backend.worker.addEnvironment('MODE', 'x');
""",
    "amplify/data/resource.ts": """\
import { type ClientSchema, a, defineData } from '@aws-amplify/backend';
import { worker } from '../functions/worker/resource';

const schema = a
  .schema({
    Todo: a.model({ content: a.string() }).authorization((allow) => [allow.publicApiKey()]),
  })
"""
    + GRANT
    + """
export type Schema = ClientSchema<typeof schema>;

export const data = defineData({ schema, authorizationModes: { defaultAuthorizationMode: 'apiKey' } });
""",
    "amplify/functions/worker/resource.ts": """\
import { defineFunction } from '@aws-amplify/backend';

export const worker = defineFunction({
  name: 'worker',
  timeoutSeconds: 30,
  schedule: ['every day', { cron: '0 9 ? * 2 *', timezone: 'Europe/Berlin' }],
});
""",
    "amplify/functions/worker/handler.ts": """\
import { Amplify } from 'aws-amplify';
import { generateClient } from 'aws-amplify/data';
import { getAmplifyDataClientConfig } from '@aws-amplify/backend/function/runtime';
import { env } from '$amplify/env/worker';
import type { Schema } from '../../data/resource';

const { resourceConfig, libraryOptions } = await getAmplifyDataClientConfig(env);
Amplify.configure(resourceConfig, libraryOptions);
const client = generateClient<Schema>();

export const handler = async () => {
  return client.models.Todo.list();
};
""",
}
# The handler without a Data client: the schema need not grant it anything.
PLAIN_HANDLER = "export const handler = async () => 'done';\n"
WRONG_IMPORT = "import { Duration } from 'aws-cdk-lib/aws-events';\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name, text in PROJECT.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def uri(path: Path) -> str:
    return path.as_uri()


def capabilities(encodings: list[str] | None = None) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
            diagnostics=types.DiagnosticWorkspaceClientCapabilities(refresh_support=True),
        ),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True),
            diagnostic=types.DiagnosticClientCapabilities(related_document_support=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                    )
                )
            ),
        ),
    )


@contextlib.asynccontextmanager
async def started(
    project: Path, *, encodings: list[str] | None = None, pull: bool = False, test_checks: bool = False
) -> AsyncIterator[tuple[pytest_lsp.LanguageClient, types.InitializeResult]]:
    client = pytest_lsp.make_test_lsp_client()
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(ls: pytest_lsp.LanguageClient, params: types.RegistrationParams) -> None:
        ls.registrations.extend(params.registrations)

    command = [sys.executable, str(TEST_SERVER)] if test_checks else [sys.executable, "-m", "amplint", "server"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    await client.start_io(*command, env=env, cwd=str(project))
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities(encodings),
            root_uri=uri(project),
            workspace_folders=[types.WorkspaceFolder(uri=uri(project), name="project")],
            initialization_options={"diagnosticMode": "pull"} if pull else None,
        )
    )
    try:
        yield client, result
    finally:
        await client.shutdown_session()
        await client.stop()


async def until(condition: Callable[[], object], what: str) -> None:
    """Wait for `condition()` to hold (notifications arrive on their own schedule)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + TIMEOUT
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def settle(client: pytest_lsp.LanguageClient, path: Path) -> None:
    """A request answered only once the root is linted with every change sent so far: the findings
    of that lint have been published before the answer arrives."""
    await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri(path)))
    )


def cleared(client: pytest_lsp.LanguageClient, path: Path) -> bool:
    """Whether the last findings sent for the file were an empty list (not merely none sent)."""
    return uri(path) in client.diagnostics and list(client.diagnostics[uri(path)]) == []


def codes(client: pytest_lsp.LanguageClient, path: Path) -> list[str]:
    return sorted(str(d.code) for d in client.diagnostics.get(uri(path), []))


def open_file(client: pytest_lsp.LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    text = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(path), language_id="typescript", version=version, text=text)
        )
    )
    return text


def replace(client: pytest_lsp.LanguageClient, path: Path, text: str, old: str, new: str, version: int) -> str:
    """An incremental change: `old` (once in `text`) replaced by `new`, in UTF-16 positions."""
    start = text.index(old)

    def position(offset: int) -> types.Position:
        before = text[:offset]
        line = before.count("\n")
        column = before[before.rfind("\n") + 1 :]
        return types.Position(line=line, character=len(column.encode("utf-16-le")) // 2)

    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=position(start), end=position(start + len(old))), text=new
                )
            ],
        )
    )
    return text[:start] + new + text[start + len(old) :]


@pytest.mark.asyncio
async def test_findings_follow_edits_into_the_files_they_concern(project):
    """An open buffer's unsaved edits: AMP201 is reported in data/resource.ts, whichever file the
    edit is in, and cleared (an empty list sent) when the edit is undone."""
    resource = project / "amplify/data/resource.ts"
    handler = project / "amplify/functions/worker/handler.ts"
    async with started(project) as (client, result):
        sync = result.capabilities.text_document_sync
        assert isinstance(sync, types.TextDocumentSyncOptions) and sync.change == types.TextDocumentSyncKind.Incremental
        assert result.capabilities.diagnostic_provider is None  # pushed: a pulling client would show them twice
        text = open_file(client, resource)
        await settle(client, resource)
        assert codes(client, resource) == []

        text = replace(client, resource, text, GRANT, NO_GRANT, 2)
        await until(lambda: codes(client, resource) == ["AMP201"], "AMP201 after the grant is removed")
        (finding,) = client.diagnostics[uri(resource)]
        assert finding.source == "amplint" and finding.severity == types.DiagnosticSeverity.Error
        assert finding.code_description.href.endswith("/rules/AMP201.md")
        assert finding.range.start == types.Position(line=7, character=3)
        assert {r.location.uri for r in finding.related_information} == {
            uri(handler),
            uri(project / "amplify/functions/worker/resource.ts"),
        }
        text = replace(client, resource, text, NO_GRANT, GRANT, 3)
        await until(lambda: cleared(client, resource), "an empty list once the grant is back")

        # An edit in the handler moves a finding into data/resource.ts, which is not even open.
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri(resource))))
        resource.write_text(PROJECT["amplify/data/resource.ts"].replace(GRANT, NO_GRANT), encoding="utf-8")
        handler.write_text(PLAIN_HANDLER, encoding="utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(uri=uri(resource), type=types.FileChangeType.Changed),
                    types.FileEvent(uri=uri(handler), type=types.FileChangeType.Changed),
                ]
            )
        )
        await settle(client, handler)
        assert codes(client, resource) == []
        handler_text = open_file(client, handler)
        replace(client, handler, handler_text, PLAIN_HANDLER, PROJECT["amplify/functions/worker/handler.ts"], 2)
        await until(lambda: codes(client, resource) == ["AMP201"], "AMP201 in data/resource.ts after the handler edit")


@pytest.mark.asyncio
async def test_save_close_created_deleted_and_configuration_files(project):
    backend = project / "amplify/backend.ts"
    async with started(project) as (client, _):
        await until(lambda: client.registrations, "the watched files registered")
        assert [r.method for r in client.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        text = open_file(client, backend)
        text = replace(client, backend, text, "\nconst backend", "\n" + WRONG_IMPORT + "const backend", 2)
        await until(lambda: codes(client, backend) == ["AMP501"], "AMP501 in the unsaved buffer")
        backend.write_text(text, encoding="utf-8")
        client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri(backend))))
        await settle(client, backend)
        assert codes(client, backend) == ["AMP501"]

        # Closed after the save: the file on disk still has the finding.
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri(backend))))
        await settle(client, backend)
        assert codes(client, backend) == ["AMP501"]

        # A new file with a finding, then deleted.
        extra = project / "amplify/extra.ts"
        extra.write_text("export { Duration } from 'aws-cdk-lib/aws-events';\n", encoding="utf-8")
        created = types.FileEvent(uri=uri(extra), type=types.FileChangeType.Created)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[created]))
        await until(lambda: codes(client, extra) == ["AMP501"], "AMP501 in a file created on disk")
        extra.unlink()
        deleted = types.FileEvent(uri=uri(extra), type=types.FileChangeType.Deleted)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[deleted]))
        await until(lambda: cleared(client, extra), "an empty list for the deleted file")

        # A configuration that ignores the rule: scanned again, the finding goes.
        config = project / "amplint.toml"
        config.write_text('ignore = ["AMP501"]\n', encoding="utf-8")
        event = types.FileEvent(uri=uri(config), type=types.FileChangeType.Created)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))
        await until(lambda: cleared(client, backend), "the finding ignored by amplint.toml")

        # Unsaved text closed without saving: back to the file on disk.
        text = open_file(client, backend)
        config.unlink()
        event = types.FileEvent(uri=uri(config), type=types.FileChangeType.Deleted)
        client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))
        await until(lambda: codes(client, backend) == ["AMP501"], "AMP501 again without amplint.toml")
        replace(client, backend, text, WRONG_IMPORT, "", 2)
        await until(lambda: codes(client, backend) == [], "no finding in the edited buffer")
        client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri(backend))))
        await until(lambda: codes(client, backend) == ["AMP501"], "the saved text's finding after closing unsaved")


@pytest.mark.asyncio
async def test_pull_diagnostics(project):
    resource = project / "amplify/data/resource.ts"
    handler = project / "amplify/functions/worker/handler.ts"
    resource.write_text(PROJECT["amplify/data/resource.ts"].replace(GRANT, NO_GRANT), encoding="utf-8")
    async with started(project, pull=True) as (client, result):
        provider = result.capabilities.diagnostic_provider
        assert isinstance(provider, types.DiagnosticOptions)
        assert provider.inter_file_dependencies and provider.workspace_diagnostics
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri(resource)))
        )
        assert [d.code for d in report.items] == ["AMP201"]
        again = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri(resource)), previous_result_id=report.result_id
            )
        )
        assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
        assert client.diagnostics == {}  # nothing pushed

        refreshes = client.diagnostic_refresh_count
        text = open_file(client, handler)
        replace(client, handler, text, text, PLAIN_HANDLER, 2)
        await until(lambda: client.diagnostic_refresh_count > refreshes, "a refresh request")
        workspace = await client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[]))
        by_uri = {item.uri: item for item in workspace.items}
        assert list(by_uri[uri(resource)].items) == []  # a file that had findings gets an empty report
        assert client.diagnostics == {}


def _column(line: str, word: str, encoding: str) -> int:
    before = line[: line.index(word)]
    return {"utf-8": len(before.encode("utf-8")), "utf-16": len(before.encode("utf-16-le")) // 2}.get(
        encoding, len(before)
    )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("offered", "chosen"),
    [(None, "utf-16"), (["utf-8", "utf-16"], "utf-8"), (["utf-32"], "utf-32"), (["utf-16", "utf-8"], "utf-16")],
)
async def test_position_encodings(project, offered, chosen):
    """Columns in the negotiated unit on a line with an emoji (two UTF-16 units, four UTF-8 bytes)
    and CJK characters (one UTF-16 unit, three UTF-8 bytes each)."""
    backend = project / "amplify/backend.ts"
    line = "/* 😀 日本語 */ import { Duration } from 'aws-cdk-lib/aws-events';"
    backend.write_text(PROJECT["amplify/backend.ts"] + line + "\n", encoding="utf-8")
    async with started(project, encodings=offered) as (client, result):
        assert result.capabilities.position_encoding == chosen
        open_file(client, backend)
        await until(lambda: codes(client, backend) == ["AMP501"], "AMP501")
        (finding,) = client.diagnostics[uri(backend)]
        start = _column(line, "Duration", chosen)
        assert finding.range.start == types.Position(line=6, character=start)
        assert finding.range.end == types.Position(line=6, character=start + len("Duration"))
        # Hover positions are read in the same unit: on `backend.worker` of a line with an emoji.
        text = backend.read_text(encoding="utf-8").replace(
            "backend.worker.addEnvironment", "/* 🚀 */ backend.worker.addEnvironment"
        )
        backend.write_text(text, encoding="utf-8")
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams([types.FileEvent(uri(backend), types.FileChangeType.Changed)])
        )
        hover_line = text.splitlines()[5]
        character = _column(hover_line, "worker.addEnvironment", chosen)
        # The buffer is open: the change on disk is not what the editor shows, so replace it there too.
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(backend), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(backend)), types.Position(line=5, character=character))
        )
        assert hover is not None and "`worker`" in hover.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_function_and_on_a_backend_key(project):
    resource = project / "amplify/functions/worker/resource.ts"
    backend = project / "amplify/backend.ts"
    async with started(project) as (client, _):
        open_file(client, resource)
        on_call = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(resource)), types.Position(line=2, character=25))
        )
        text = on_call.contents.value
        assert on_call.contents.kind == types.MarkupKind.Markdown
        assert "**Function** `worker` (`backend.worker`)" in text
        assert "Entry: `amplify/functions/worker/handler.ts`" in text
        assert "Runtime: Node.js 22" in text and "Timeout: 30 s" in text and "Nested stack: `function`" in text
        assert "Runs at 00:00 UTC every day" in text
        assert re.search(r"Runs at 09:00 Europe/Berlin on Mondays", text), text
        # Next runs: three each, in UTC, the zoned ones also in their zone's time.
        assert len(re.findall(r"^  - \d{4}-\d\d-\d\d 00:00 UTC$", text, re.M)) == 3
        assert (
            len(re.findall(r"^  - \d{4}-\d\d-\d\d 0[78]:00 UTC \(09:00 Europe/Berlin, UTC\+0[12]:00\)$", text, re.M))
            == 3
        )

        open_file(client, backend)
        on_key = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(backend)), types.Position(line=5, character=10))
        )
        assert on_key is not None and on_key.contents.value == text
        registered = await client.text_document_hover_async(  # `worker` in defineBackend({ data, worker })
            types.HoverParams(types.TextDocumentIdentifier(uri(backend)), types.Position(line=4, character=40))
        )
        assert registered is not None and registered.contents.value == text
        data = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(backend)), types.Position(line=4, character=33))
        )
        assert data is not None and data.contents.value.startswith("**defineData** (`backend.data`)")
        nothing = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(backend)), types.Position(line=0, character=3))
        )
        assert nothing is None


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions) to a text."""
    lines = text.splitlines(keepends=True)

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, character in enumerate(line):
            if units >= position.character:
                return before + index
            units += len(character.encode("utf-16-le")) // 2
        return before + len(line)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
        lines = text.splitlines(keepends=True)
    return text


@pytest.mark.asyncio
async def test_code_actions_fix_and_disable(project):
    backend = project / "amplify/backend.ts"
    original = PROJECT["amplify/backend.ts"].replace("\nconst backend", "\n" + WRONG_IMPORT + "const backend")
    backend.write_text(original, encoding="utf-8")
    async with started(project, test_checks=True) as (client, _):
        text = open_file(client, backend)
        await until(lambda: codes(client, backend) == ["AMP501"], "the injected AMP501")
        (finding,) = client.diagnostics[uri(backend)]
        found = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri(backend)),
                range=finding.range,
                context=types.CodeActionContext(diagnostics=[finding]),
            )
        )
        titles = [a.title for a in found]
        assert titles == [
            "Import `Duration` from 'aws-cdk-lib'",
            "Disable AMP501 for this line",
            "Fix all safe amplint findings",
        ]
        fix, disable, fix_all = found
        assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred and list(fix.diagnostics) == [finding]
        assert fix_all.kind == "source.fixAll.amplint"
        fixed = apply(text, fix.edit.changes[uri(backend)])
        assert "import { Duration } from 'aws-cdk-lib';\n" in fixed and "aws-events" not in fixed
        assert apply(text, fix_all.edit.changes[uri(backend)]) == fixed

        # Only what is asked for: the source action alone.
        only = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri(backend)),
                range=types.Range(types.Position(0, 0), types.Position(0, 0)),
                context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
            )
        )
        assert [a.kind for a in only] == ["source.fixAll.amplint"]

        # The suppression comment, applied to the buffer, silences the finding without AMP002.
        disabled = apply(text, disable.edit.changes[uri(backend)])
        assert "\n// amplint-disable-next-line AMP501\n" + WRONG_IMPORT in disabled
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(backend), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=disabled)],
            )
        )
        await until(lambda: cleared(client, backend), "no finding once disabled")

        # The fix applied: the finding goes.
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(backend), version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
            )
        )
        await settle(client, backend)
        assert codes(client, backend) == []


@pytest.mark.asyncio
async def test_the_server_survives_bad_input(project, tmp_path):
    outside = tmp_path / "elsewhere" / "notes.ts"
    outside.parent.mkdir()
    outside.write_text("export const x = 1;\n", encoding="utf-8")
    backend = project / "amplify/backend.ts"
    async with started(project, test_checks=True) as (client, _):
        # A file in no Amplify backend: answered, logged, nothing published.
        open_file(client, outside)
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(outside)), types.Position(line=0, character=3))
        )
        assert hover is None
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri(outside)))
        )
        assert list(report.items) == []
        assert uri(outside) not in client.diagnostics
        assert any("not in an Amplify backend" in m.message for m in client.log_messages)

        # A check that crashes: logged, the other checks' findings still shown.
        text = open_file(client, backend)
        text = replace(client, backend, text, "\nconst backend", "\n" + WRONG_IMPORT + "const backend", 2)
        await until(lambda: codes(client, backend) == ["AMP501"], "AMP501")
        text = replace(client, backend, text, "const backend", "// amplint-test-crash\nconst backend", 3)
        await until(
            lambda: any("a check crashed on purpose" in m.message for m in client.log_messages), "the crash logged"
        )
        crash_log = next(m for m in client.log_messages if "a check crashed on purpose" in m.message)
        assert crash_log.type == types.MessageType.Error and "internal error in check" in crash_log.message

        # Malformed messages: not JSON, then JSON of no LSP shape.
        def protocol_errors() -> int:
            return sum(1 for m in client.log_messages if m.message.startswith("amplint: JsonRpcException"))

        for body in (
            b"{not json",
            json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": 7}).encode(),
        ):
            client.protocol.writer.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        await until(lambda: protocol_errors() == 2, "both malformed messages logged")

        # Still serving.
        text = replace(client, backend, text, "// amplint-test-crash\n", "", 4)
        hover = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri(backend)), types.Position(line=6, character=10))
        )
        assert hover is not None and "`worker`" in hover.contents.value


@pytest.mark.asyncio
async def test_the_backends_of_the_workspace_are_linted_at_start(project):
    """Nothing open yet: the findings of every file of the workspace's backends are sent."""
    resource = project / "amplify/data/resource.ts"
    resource.write_text(PROJECT["amplify/data/resource.ts"].replace(GRANT, NO_GRANT), encoding="utf-8")
    async with started(project) as (client, _):
        await until(lambda: codes(client, resource) == ["AMP201"], "AMP201 without opening a file")
        assert list(client.diagnostics) == [uri(resource)]


@pytest.mark.asyncio
async def test_quick_fix_of_a_real_rule_clears_its_finding(project):
    """The rule's own fix (AMP501's, no injected check) as a quick fix: applied to the buffer, the
    finding goes."""
    backend = project / "amplify/backend.ts"
    original = PROJECT["amplify/backend.ts"].replace("\nconst backend", "\n" + WRONG_IMPORT + "const backend") + (
        "const minutes = Duration.minutes(5);\n"
    )
    backend.write_text(original, encoding="utf-8")
    async with started(project) as (client, _):
        text = open_file(client, backend)
        await until(lambda: "AMP501" in codes(client, backend), "AMP501")
        finding = next(d for d in client.diagnostics[uri(backend)] if d.code == "AMP501")
        found = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri(backend)),
                range=finding.range,
                context=types.CodeActionContext(diagnostics=[finding]),
            )
        )
        fix = next(
            a for a in found if a.kind == types.CodeActionKind.QuickFix and list(a.diagnostics or []) == [finding]
        )
        assert fix.is_preferred and not fix.title.startswith("Disable")
        fixed = apply(text, fix.edit.changes[uri(backend)])
        assert "import { Duration } from 'aws-cdk-lib';\n" in fixed and "aws-events" not in fixed
        assert "const minutes = Duration.minutes(5);\n" in fixed
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri(backend), version=2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
            )
        )
        await settle(client, backend)
        assert "AMP501" not in codes(client, backend)
