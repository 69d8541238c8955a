"""AMP610: `secret()` passed where Amplify never resolves it, so CDK receives the placeholder object."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.secrets import SecretDestination, secret_uses

SECRET_NOT_RESOLVED = "AMP610"


def secret_not_resolved(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        if module.path not in backend.definition_modules:
            continue  # runtime code is AMP302's
        for use in secret_uses(backend, module):
            if use.destination is None:
                continue
            what, typed = _described(use.destination)
            shown = use.text if len(use.text) <= 60 else "secret(...)"
            consequence = (
                (
                    'synth fails with "TypeError: Resolution error: ... Cannot read properties of '
                    "undefined (reading 'tryFindChild')\""
                )
                if backend.loads(module)
                else "synth would fail when this code runs"
            )
            typed_note = " (tsc also rejects it where a string is expected, TS2322/TS2345)" if typed else ""
            yield Diagnostic(
                SECRET_NOT_RESOLVED,
                f"`{shown}` is passed to {what}, where Amplify does not resolve it: CDK receives the placeholder "
                f"object and {consequence}{typed_note}; secrets reach a function only through `defineFunction({{ "
                "environment })` or `backend.<name>.addEnvironment(...)`, and auth takes them in its own props",
                use.location,
            )


def _described(destination: SecretDestination) -> tuple[str, bool]:
    """What takes the value, for the message, and whether its type says a string."""
    if destination.kind == "construct":
        return f"`new {destination.callee}(...)`", True
    if destination.kind == "override":
        return f"`{destination.callee}(...)`", False
    return f"`{destination.callee}(...)` of the CDK function", True
