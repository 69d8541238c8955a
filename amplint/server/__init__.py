"""`amplint server`: a language server (LSP over stdio) on the linting `Session`. Needs the `server`
extra (pygls, lsprotocol): nothing else in amplint imports this package."""

from __future__ import annotations

from .app import AmplintServer, create_server, serve

__all__ = ["AmplintServer", "create_server", "serve"]
