"""AMP101, AMP102: functions and `defineBackend` registrations that do not line up."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Fix, RelatedLocation
from ..model.backend import BACKEND_BUILTINS, Backend, BackendUse, DefineBackend, FunctionDef
from ..model.edit_sites import function_name_in, is_identifier, registration_site, replace

BACKEND_KEY_NOT_REGISTERED = "AMP101"
FUNCTION_NEVER_DEPLOYED = "AMP102"


def backend_key_not_registered(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    if define is None or not define.complete:
        return
    registered = set(define.registrations)
    for use in define.uses:
        if use.key in registered or use.key in BACKEND_BUILTINS:
            continue
        candidates = [fn for fn in backend.functions if use.key in (fn.name, fn.binding)]
        related = tuple(RelatedLocation(fn.location, f"`{use.key}` is defined here") for fn in candidates)
        from difflib import get_close_matches  # only for a finding: difflib costs 1-2 ms to import

        close = get_close_matches(use.key, sorted(registered), n=1)
        registered_as = [
            backend.registered_functions[fn].key for fn in candidates if fn in backend.registered_functions
        ]
        if registered_as:
            hint = f"it is registered as `{registered_as[0]}`: use `{define.binding}.{registered_as[0]}`"
        elif candidates:
            hint = f"add `{use.key}` to `defineBackend({{ ... }})`"
        elif close:
            hint = f"did you mean `{define.binding}.{close[0]}`?"
        else:
            hint = f"register a resource as `{use.key}` in `defineBackend({{ ... }})` or fix the name"
        known = f"registers only {', '.join(sorted(registered))}" if registered else "registers nothing"
        yield Diagnostic(
            BACKEND_KEY_NOT_REGISTERED,
            f"`{define.binding}.{use.key}` is undefined: `defineBackend` {known}; {hint}",
            use.location,
            related=related,
            fix=_key_fix(define, use, registered_as[0])
            if registered_as and len(set(registered_as)) == 1
            else _registration_fix(backend, define, use.key, candidates[0])
            if len(candidates) == 1 and not registered_as
            else None,
        )


def _key_fix(define: DefineBackend, use: BackendUse, key: str) -> Fix:
    """Read the function under the key `defineBackend` registers it as."""
    return Fix(f"Use `{define.binding}.{key}`", (replace(use.location, key),), "unsafe")


def _registration_fix(backend: Backend, define: DefineBackend, key: str, fn: FunctionDef) -> Fix | None:
    """Register the function as `key` in the object literal given to `defineBackend`, importing it
    into the backend file when it is not imported there yet."""
    site = registration_site(define)
    if site is None or not is_identifier(key):
        return None
    named = function_name_in(define.module, fn, backend.modules, backend.function_at, site.opening)
    if named is None:
        return None
    entry = key if key == named.name else f"{key}: {named.name}"
    imported = f" (imported from '{named.specifier}')" if named.specifier else ""
    return Fix(
        f"Register `{entry}` in `defineBackend({{ ... }})`{imported}", site.add_last(entry) + named.edits, "unsafe"
    )


def function_never_deployed(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    if define is None or not define.complete:
        return
    for fn in backend.undeployed_functions:
        yield Diagnostic(
            FUNCTION_NEVER_DEPLOYED,
            f"{fn.label} is never deployed: it is not registered in `defineBackend`, nor used as a "
            "trigger, schema handler or `allow.resource`; add it to `defineBackend({ ... })`"
            + (" (its `schedule` never fires)" if fn.prop("schedule") is not None else ""),
            fn.location,
            related=(RelatedLocation(define.location, "`defineBackend` is called here"),),
        )
