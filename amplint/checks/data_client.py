"""AMP204, AMP305: a function's Data client set up from the wrong value, without `await`, or used
before `Amplify.configure` has run."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Location, RelatedLocation
from ..model.backend import Backend, FunctionDef
from ..model.handlers import ClientRead

DATA_CLIENT_CONFIG_ENV = "AMP204"
DATA_CLIENT_BEFORE_CONFIGURE = "AMP305"


def data_client_config_env(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for call in backend.handler_facts(module).config_calls:
            if call.argument_kind not in ("value", "missing"):
                continue
            owners = set(backend.functions_of_module.get(module.path, []))
            names = {fn.name for fn in owners if isinstance(fn.name, str)}
            shim = (
                f"'$amplify/env/{names.pop()}'"
                if len(owners) == 1 and len(names) == 1
                else "'$amplify/env/<function-name>'"
            )
            given = (
                f"not `{' '.join(call.argument_text.split())}`"
                if call.argument_text is not None
                else "and is called without it"
            )
            yield Diagnostic(
                DATA_CLIENT_CONFIG_ENV,
                f"`getAmplifyDataClientConfig` takes the function's environment object, {given}: tsc rejects "
                "it (TS2345, not assignable to `DataClientEnv`) and at runtime it finds no `AMPLIFY_DATA_*` "
                f"variables in it; pass `env` from `import {{ env }} from {shim}`",
                call.argument_location or call.location,
            )


def data_client_before_configure(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for call in backend.handler_facts(module).config_calls:
            if call.awaited is False:
                yield Diagnostic(
                    DATA_CLIENT_BEFORE_CONFIGURE,
                    "`getAmplifyDataClientConfig` returns a promise: read without `await`, `resourceConfig` and "
                    "`libraryOptions` are undefined and `Amplify.configure` gets no Data configuration (tsc "
                    "TS2339); write `await getAmplifyDataClientConfig(env)`",
                    call.location,
                )
    seen: set[Location] = set()
    for fn in backend.deployable_functions:
        if fn.handler is None or fn.custom:
            continue
        yield from _never_configured(backend, fn, seen)
        graph = backend.load_graph(fn.handler)
        configures = [(m, c) for m in graph.order for c in backend.handler_facts(m).configures]
        if not configures or any(c.runs == "unknown" for _, c in configures):
            continue  # no configuration here, or one amplint cannot place in time
        on_load = sorted(
            ((graph.position(m, c.location), m, c) for m, c in configures if c.runs == "load"), key=lambda p: p[0]
        )
        first = on_load[0][0] if on_load else None
        configure = on_load[0][2] if on_load else configures[0][1]
        for used_in in graph.order:
            for read in backend.handler_facts(used_in).client_reads:
                if (
                    read.runs != "load"
                    or read.location in seen
                    or (first is not None and graph.position(used_in, read.location) > first)
                ):
                    continue
                seen.add(read.location)
                when = "later, as its module loads" if first is not None else "only inside the handler"
                yield Diagnostic(
                    DATA_CLIENT_BEFORE_CONFIGURE,
                    f"`{read.expression}` {'runs' if read.expression.endswith('(...)') else 'is read'} as the module "
                    f"loads, before `Amplify.configure` (which runs {when}): "
                    f"the client has no Data configuration yet and throws {_unconfigured_error(read)} at cold start; "
                    "use the client inside the handler, after `Amplify.configure`",
                    read.location,
                    related=(RelatedLocation(configure.location, "Amplify is configured here"),),
                )


def _unconfigured_error(read: ClientRead) -> str:
    """What aws-amplify 6.22.1 throws for this read without a configuration (measured)."""
    if read.member == "graphql":
        return '"NoAmplifyContextError: No AmplifyContext available. Call Amplify.configure() ..."'
    return (
        '"Client could not be generated. This is likely due to `Amplify.configure()` not being called prior '
        'to `generateClient()`..."'
    )


def _never_configured(backend: Backend, fn: FunctionDef, seen: set[Location]) -> Iterator[Diagnostic]:
    """A Data client the function reads while nothing it runs calls `Amplify.configure`."""
    reads = backend.data_client_reads(fn)
    if not reads or backend.data_signing(fn)[0] != "none":
        return
    _, read = reads[0]
    if read.location in seen:
        return
    seen.add(read.location)
    granted = any(
        ref.kind == "allow.resource" and ref.level == "schema" and ref.function is fn for ref in backend.references
    )
    grant = "" if granted else f", and grant it `allow.resource({fn.binding or 'fn'})` in the schema"
    yield Diagnostic(
        DATA_CLIENT_BEFORE_CONFIGURE,
        f"{fn.label} uses a Data client (`{read.expression}`), but nothing it runs calls `Amplify.configure`: "
        f"the client throws {_unconfigured_error(read)}; call `Amplify.configure(resourceConfig, libraryOptions)` with "
        f"`await getAmplifyDataClientConfig(env)` before using it{grant}",
        read.location,
    )
