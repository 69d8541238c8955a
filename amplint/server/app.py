"""The language server: one `Session` for every Amplify root the editor touches, each root re-linted
as a whole when any of its files changes (open buffers from their unsaved text), and the findings
of every file of the root sent again when they changed, including an empty list for a file that no
longer has any.

Linting runs in one worker thread, so the server keeps reading messages meanwhile; edits that arrive
during a lint are linted together once it ends, and the result of the lint they overtook is not
shown (it is of texts the editor no longer has). Everything else runs on the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

from .. import __version__
from ..amplify import SOURCE_SUFFIXES
from ..api import LintResult, Session, describe_error
from ..checks import Check
from ..config import ConfigError
from ..diagnostics import UTF16, Diagnostic
from ..workspace import GitIgnore, WorkspaceError, discover, is_config_file, root_of
from . import actions, hover
from .convert import path_of, to_lsp
from .positions import Lines

WATCHED = "**/*.{ts,tsx,mts,cts,js,mjs,cjs,jsx,json,toml}"


class _Root:
    """One Amplify root: its last result, what the client was last shown of it, and its pending lint."""

    __slots__ = ("path", "result", "versions", "found", "shown", "ids", "dirty", "rescan", "task", "errors")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.result: LintResult | None = None
        self.versions: dict[Path, int] = {}  # the version of each open document the result was linted from
        # By file: the reported findings with their LSP form, and what the client was last sent.
        self.found: dict[Path, list[tuple[Diagnostic, types.Diagnostic]]] = {}
        self.shown: dict[Path, list[types.Diagnostic]] = {}
        self.ids: dict[Path, int] = {}  # pull diagnostics: a result id per file, bumped on change
        self.dirty = False
        self.rescan = False
        self.task: asyncio.Future[None] | None = None
        self.errors: list[str] = []


class _Protocol(LanguageServerProtocol):
    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Any:
        result = yield from super().lsp_initialize(params)
        server = self._server
        assert isinstance(server, AmplintServer)
        if not server.pull:  # diagnostics are pushed: a client that pulls too would show them twice
            result.capabilities.diagnostic_provider = None
        return result


class AmplintServer(LanguageServer):
    def __init__(self, checks: Sequence[Check] | None = None) -> None:
        super().__init__(
            "amplint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=_Protocol,
        )
        self.session = Session(checks=checks)
        self.roots: dict[Path, _Root] = {}
        self.pull = False  # `initializationOptions.diagnosticMode`: "pull" or "push" (the default)
        self.uris: dict[Path, str] = {}  # the URI the client opened each file by
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="amplint-lint")

    # -- logging ----------------------------------------------------------------------------

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=f"amplint: {message}"))
        except Exception:  # no client to tell (not connected yet, or gone)
            pass

    def report_server_error(self, error: Exception, source: Any) -> None:
        """pygls' errors (a malformed message, a handler that raised) go to the log, not to a popup."""
        self.log(f"{source.__name__}: {error}", types.MessageType.Error)

    # -- files and roots --------------------------------------------------------------------

    def uri(self, path: Path) -> str:
        return self.uris.get(path) or path.as_uri()

    def encoding(self) -> str:
        """The negotiated position encoding, as its plain name (`utf-16` ...): `str()` of pygls'
        default, an enum member, would be its Python name instead."""
        try:
            encoding = self.workspace.position_encoding or UTF16
        except RuntimeError:  # not initialized
            return UTF16
        return encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding

    def buffer(self, path: Path) -> bytes | None:
        """The unsaved text of an open document."""
        uri = self.uris.get(path)
        if uri is None:
            return None
        document = self.workspace.text_documents.get(uri)
        return document.source.encode("utf-8", "surrogatepass") if document is not None else None

    def document_version(self, path: Path) -> int | None:
        """The version of an open document, as the client numbers its edits."""
        uri = self.uris.get(path)
        document = self.workspace.text_documents.get(uri) if uri is not None else None
        return document.version if document is not None else None

    def current(self, path: Path) -> bytes | None:
        text = self.buffer(path)
        if text is not None:
            return text
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _buffers(self, root: Path) -> tuple[dict[Path, bytes], dict[Path, int]]:
        """The unsaved texts of the root's open source files, and their versions. Project files
        (tsconfig.json, package.json) are read from disk, as the build reads them."""
        found, versions = {}, {}
        for path in list(self.uris):
            if path.is_relative_to(root) and path.suffix in SOURCE_SUFFIXES:
                text = self.buffer(path)
                if text is not None:
                    found[path] = text
                    version = self.document_version(path)
                    if version is not None:
                        versions[path] = version
        return found, versions

    # -- linting ----------------------------------------------------------------------------

    def request_lint(self, root: Path, rescan: bool = False) -> _Root:
        """Lint the root again as soon as the worker is free."""
        state = self.roots.get(root)
        if state is None:
            state = self.roots[root] = _Root(root)
        state.dirty = True
        state.rescan = state.rescan or rescan
        if state.task is None or state.task.done():
            state.task = asyncio.ensure_future(self._lint_loop(state))
        return state

    async def settled(self, state: _Root) -> None:
        """Wait until the root's findings are those of the texts known now."""
        while state.task is not None and not state.task.done():
            await asyncio.shield(state.task)

    async def _lint_loop(self, state: _Root) -> None:
        loop = asyncio.get_running_loop()
        while state.dirty and state.path in self.roots:
            state.dirty = False
            rescan, state.rescan = state.rescan, False
            buffers, versions = self._buffers(state.path)
            try:
                result = await loop.run_in_executor(self._worker, self._lint, state.path, buffers, rescan)
            except (WorkspaceError, ConfigError) as error:
                self.log(f"{state.path}: {error}", types.MessageType.Error)
                if isinstance(error, WorkspaceError):  # the backend is gone: so are its findings
                    self._show(state, {})
                    self.roots.pop(state.path, None)
                continue
            except Exception as error:  # a bug in amplint: say so, keep serving
                self.log(
                    f"internal error while linting {state.path}: {describe_error(error, where=True)}",
                    types.MessageType.Error,
                )
                continue
            if state.dirty:  # edited meanwhile: these findings are of texts gone, the next lint shows its own
                continue
            try:
                self._take(state, result, versions)
            except Exception as error:
                self.log(
                    f"internal error while reporting {state.path}: {describe_error(error, where=True)}",
                    types.MessageType.Error,
                )

    def _lint(self, root: Path, buffers: dict[Path, bytes], rescan: bool) -> LintResult:
        return self.session.lint([root], buffers, rescan=rescan)

    def _take(self, state: _Root, result: LintResult, versions: dict[Path, int] | None = None) -> None:
        state.result = result
        state.versions = versions or {}
        errors = [f"{e.path}: {e.message}" if e.path else e.message for e in result.errors]
        if errors != state.errors:
            for error in errors:
                self.log(error, types.MessageType.Error)
            state.errors = errors
        encoding = self.encoding()
        lines: dict[Path, Lines] = {}

        def lines_of(path: Path) -> Lines:
            """The text the file was linted from: a source's (an open buffer's or the disk's), a
            project file's (from disk); any other file as it is now."""
            found = lines.get(path)
            if found is None:
                text = result.sources.get(path)
                if text is None:
                    text = result.project_sources.get(path)
                found = lines[path] = Lines(text if text is not None else self.current(path) or b"", encoding)
            return found

        found: dict[Path, list[tuple[Diagnostic, types.Diagnostic]]] = {}
        for diagnostic in result.reported:
            found.setdefault(diagnostic.location.path, []).append((diagnostic, to_lsp(diagnostic, lines_of, self.uri)))
        state.found = found
        self._show(state, {path: [shown for _, shown in pairs] for path, pairs in found.items()})

    def _show(self, state: _Root, now: dict[Path, list[types.Diagnostic]]) -> None:
        """Send what changed: push it, or (pull) ask the client to pull again."""
        changed = [path for path in {*state.shown, *now} if state.shown.get(path, []) != now.get(path, [])]
        state.shown = {path: items for path, items in now.items() if items}
        for path in changed:
            state.ids[path] = state.ids.get(path, 0) + 1
        if not changed:
            return
        if not self.pull:
            for path in sorted(changed):
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(
                        uri=self.uri(path), diagnostics=now.get(path, []), version=state.versions.get(path)
                    )
                )
        elif _capability(self, "workspace", "diagnostics", "refresh_support"):
            self.workspace_diagnostic_refresh(None)

    async def lint_workspace(self) -> None:
        """Lint every root under the workspace folders (findings in files not open show too). The
        folders are searched in the worker: a large one must not hold up the messages."""
        try:
            folders = [path_of(f.uri) for f in self.workspace.folders.values()]
            if not folders and self.workspace.root_uri:
                folders = [path_of(self.workspace.root_uri)]
        except RuntimeError:
            return
        loop = asyncio.get_running_loop()
        for folder in folders:
            if folder is None:
                continue
            try:
                roots = await loop.run_in_executor(self._worker, _roots_under, folder)
            except Exception as error:
                self.log(
                    f"cannot look for Amplify backends in {folder}: {describe_error(error, where=True)}",
                    types.MessageType.Error,
                )
                continue
            for root in roots:
                if root not in self.roots:
                    self.request_lint(root)

    # -- requests ---------------------------------------------------------------------------

    async def state_for(self, uri: str) -> tuple[Path, _Root] | None:
        """The file and its root's settled state; None for a file in no Amplify root."""
        path = path_of(uri)
        root = root_of(path) if path is not None else None
        if path is None or root is None:
            self.log(f"{uri}: not in an Amplify backend (no amplify/backend.ts above it)", types.MessageType.Log)
            return None
        state = self.roots.get(root) or self.request_lint(root)
        await self.settled(state)
        return path, state

    def texts(self, state: _Root) -> actions.Texts:
        result = state.result
        return actions.Texts(
            lambda path: result.sources.get(path) if result is not None else None,
            self.current,
            self.uri,
            self.encoding(),
        )


def _roots_under(folder: Path) -> list[Path]:
    try:
        return [root.path for root in discover([folder], walk=False, gitignore=GitIgnore())]
    except WorkspaceError:  # no backend there
        return []


def _capability(server: LanguageServer, *names: str) -> bool:
    value: Any = server.client_capabilities
    for name in names:
        value = getattr(value, name, None)
        if value is None:
            return False
    return bool(value)


def create_server(checks: Sequence[Check] | None = None) -> AmplintServer:
    """The server with its features; `checks` replaces the rule table's checks (tests)."""
    server = AmplintServer(checks)

    @server.feature(types.INITIALIZE)
    def initialize(ls: AmplintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options
        ls.pull = isinstance(options, dict) and options.get("diagnosticMode") == "pull"

    @server.feature(types.INITIALIZED)
    def initialized(ls: AmplintServer, params: types.InitializedParams) -> None:
        if _capability(ls, "workspace", "did_change_watched_files", "dynamic_registration"):
            ls.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="amplint-watched-files",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[types.FileSystemWatcher(glob_pattern=WATCHED)]
                            ),
                        )
                    ]
                )
            )
        asyncio.ensure_future(ls.lint_workspace())

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: AmplintServer, params: None) -> None:
        ls._worker.shutdown(wait=False, cancel_futures=True)

    def changed(ls: AmplintServer, uri: str, opened: bool = False) -> None:
        path = path_of(uri)
        root = root_of(path) if path is not None else None
        if path is None or root is None:
            if opened:
                ls.log(f"{uri}: not in an Amplify backend, not linted", types.MessageType.Log)
            return
        if opened:
            ls.uris[path] = uri
        ls.request_lint(root, rescan=opened and is_config_file(path.name))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AmplintServer, params: types.DidOpenTextDocumentParams) -> None:
        changed(ls, params.text_document.uri, opened=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AmplintServer, params: types.DidChangeTextDocumentParams) -> None:
        changed(ls, params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: AmplintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        root = root_of(path) if path is not None else None
        if path is not None and root is not None:
            ls.request_lint(root, rescan=is_config_file(path.name))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AmplintServer, params: types.DidCloseTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is None:
            return
        ls.uris.pop(path, None)
        root = root_of(path)
        if root is not None:  # its findings now come from the file on disk (or it is gone, unsaved)
            ls.request_lint(root, rescan=not path.exists())

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: AmplintServer, params: types.DidChangeWatchedFilesParams) -> None:
        rescan_all = False
        for change in params.changes:
            path = path_of(change.uri)
            if path is None:
                continue
            if is_config_file(path.name):
                rescan_all = True  # a configuration may apply to the roots below it
            root = root_of(path)
            if root is None:
                continue
            if root in ls.roots or path.parent.name == "amplify":  # a new backend.ts starts a root
                ls.request_lint(root, rescan=change.type != types.FileChangeType.Changed or is_config_file(path.name))
        if rescan_all:
            for root in list(ls.roots):
                ls.request_lint(root, rescan=True)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier="amplint", inter_file_dependencies=True, workspace_diagnostics=True),
    )
    async def pull(ls: AmplintServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
        found = await ls.state_for(params.text_document.uri)
        if found is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        path, state = found
        result_id = str(state.ids.get(path, 0))
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=state.shown.get(path, []), result_id=result_id)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def pull_workspace(
        ls: AmplintServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        if not ls.roots:
            await ls.lint_workspace()
        previous = {p.uri: p.value for p in params.previous_result_ids}
        items: list[types.WorkspaceDocumentDiagnosticReport] = []
        for state in list(ls.roots.values()):
            await ls.settled(state)
            for path in sorted(state.ids):
                uri, result_id = ls.uri(path), str(state.ids[path])
                if previous.get(uri) == result_id:
                    items.append(
                        types.WorkspaceUnchangedDocumentDiagnosticReport(
                            uri=uri, result_id=result_id, version=state.versions.get(path)
                        )
                    )
                else:
                    items.append(
                        types.WorkspaceFullDocumentDiagnosticReport(
                            uri=uri,
                            items=state.shown.get(path, []),
                            result_id=result_id,
                            version=state.versions.get(path),
                        )
                    )
        return types.WorkspaceDiagnosticReport(items=items)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=list(actions.KINDS)))
    async def code_action(ls: AmplintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        found = await ls.state_for(params.text_document.uri)
        if found is None:
            return None
        path, state = found
        return (
            actions.code_actions(path, state.found.get(path, []), params.range, params.context.only, ls.texts(state))
            or None
        )

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls: AmplintServer, params: types.HoverParams) -> types.Hover | None:
        found = await ls.state_for(params.text_document.uri)
        if found is None:
            return None
        path, state = found
        backend = ls.session.backends.get(state.path)
        text = state.result.sources.get(path) if state.result is not None else None
        if backend is None or text is None or text != ls.current(path):
            return None
        lines = Lines(text, ls.encoding())
        offset = lines.byte_at(params.position)
        content = hover.hover_at(backend, path, offset)
        if content is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=content))

    return server


def serve(checks: Sequence[Check] | None = None) -> None:
    """Speak LSP over stdin and stdout until the client says exit."""
    create_server(checks).start_io()
