"""AMP106, AMP304: a function's entry file is missing or not JS/TS, or exports no `handler`."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, RelatedLocation
from ..model.backend import Backend
from ..model.modules import Module

ENTRY_FILE_MISSING = "AMP106"
HANDLER_NOT_EXPORTED = "AMP304"


def entry_file_missing(backend: Backend) -> Iterator[Diagnostic]:
    for fn in backend.deployable_functions:
        status = backend.entry_status(fn)
        entry = fn.entry
        if status not in ("missing", "unsupported") or entry is None:  # a missing or unsupported entry is known
            continue
        given = fn.prop("entry")
        written = f"`{given.text}`" if given is not None else None
        if status == "unsupported" and entry.suffix == ".handler":
            message = (
                f'{written} is a Gen 1 handler string, not a file: synth fails ("Only JavaScript or '
                'TypeScript entry files are supported."); point `entry` at the handler file, e.g. '
                "'./handler.ts'"
            )
        elif status == "unsupported":
            message = (
                f'The entry {written} is not a JavaScript or TypeScript file, so synth fails ("Only '
                'JavaScript or TypeScript entry files are supported."); give the file with its extension, '
                "e.g. './handler.ts'"
            )
        elif given is None:
            message = (
                f"No `entry` is given, so Amplify looks for `{backend.relative(entry)}` next to the "
                'file that calls `defineFunction`, and it does not exist (synth: "Cannot find entry '
                'file"); create it or set `entry`'
            )
        else:
            message = (
                f"The entry {written} resolves to `{backend.relative(entry)}`, which does not exist "
                '(synth: "Cannot find entry file"); `entry` is relative to the file that calls '
                "`defineFunction` and names the file on disk"
            )
        yield Diagnostic(ENTRY_FILE_MISSING, message, fn.entry_location)


def handler_not_exported(backend: Backend) -> Iterator[Diagnostic]:
    seen: set[Module] = set()
    for fn in backend.deployable_functions:
        module = fn.handler
        if module is None or fn.custom or module in seen:
            continue
        export = backend.handler_export(module)
        if export is None:
            continue  # a file with syntax errors may export it in the part that does not parse
        seen.add(module)
        if export.state not in ("missing", "default-only"):
            continue
        if export.state == "default-only":
            message = (
                f"`{module.path.name}` has only a default export, but Lambda calls the export named "
                "`handler` (Runtime.HandlerNotFound: index.handler is undefined or not exported); "
                "export it as `export const handler = ...`"
            )
        else:
            message = (
                f"`{module.path.name}` is the entry of {fn.label} but exports no `handler`, the name "
                "Lambda calls (Runtime.HandlerNotFound: index.handler is undefined or not exported); add "
                "`export const handler = async (event) => { ... }`"
            )
        yield Diagnostic(
            HANDLER_NOT_EXPORTED,
            message,
            export.location,
            related=(RelatedLocation(fn.entry_location, "the function's entry is set here"),),
        )
