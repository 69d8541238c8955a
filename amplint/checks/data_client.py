"""AMP204, AMP305: a function's Data client set up from the wrong value, without `await`, or used
before `Amplify.configure` has run."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic, RelatedLocation
from ..model.backend import Backend, FunctionDef
from ..model.handlers import ClientRead
from ..model.loading import runs_on_load
from ..syntax import member_chain_end, text

DATA_CLIENT_CONFIG_ENV = "AMP204"
DATA_CLIENT_BEFORE_CONFIGURE = "AMP305"


def data_client_config_env(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for call in backend.handler_facts(module).config_calls:
            if call.argument_kind not in ("value", "missing"):
                continue
            owners = {id(fn): fn for fn in backend.functions_of_module.get(module.path, [])}
            names = {fn.name for fn in owners.values() if isinstance(fn.name, str)}
            shim = (
                f"'$amplify/env/{names.pop()}'"
                if len(owners) == 1 and len(names) == 1
                else "'$amplify/env/<function-name>'"
            )
            given = (
                f"not `{' '.join(text(call.argument).split())}`"
                if call.argument is not None
                else "and is called without it"
            )
            yield Diagnostic(
                DATA_CLIENT_CONFIG_ENV,
                f"`getAmplifyDataClientConfig` takes the function's environment object, {given}: tsc rejects "
                "it (TS2345, not assignable to `DataClientEnv`) and at runtime it finds no `AMPLIFY_DATA_*` "
                f"variables in it; pass `env` from `import {{ env }} from {shim}`",
                module.file.location(call.argument if call.argument is not None else call.node),
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
                    module.file.location(call.node),
                )
    seen: set[tuple[str, int]] = set()
    for fn in backend.deployable_functions:
        if fn.handler is None or fn.custom:
            continue
        yield from _never_configured(backend, fn, seen)
        graph = backend.load_graph(fn.handler)
        configures = [(m, c) for m in graph.order for c in backend.handler_facts(m).configures]
        if not configures or any(c.runs == "unknown" for _, c in configures):
            continue  # no configuration here, or one amplint cannot place in time
        on_load = sorted((graph.position(m, c.node), m, c) for m, c in configures if c.runs == "load")
        first = on_load[0][0] if on_load else None
        module, configure = (on_load[0][1], on_load[0][2]) if on_load else configures[0]
        for used_in in graph.order:
            for read in backend.handler_facts(used_in).client_reads:
                key = (str(used_in.path), read.node.start_byte)
                if (
                    not runs_on_load(read.node)
                    or key in seen
                    or (first is not None and graph.position(used_in, read.node) > first)
                ):
                    continue
                seen.add(key)
                when = "later, as its module loads" if first is not None else "only inside the handler"
                yield Diagnostic(
                    DATA_CLIENT_BEFORE_CONFIGURE,
                    f"`{_shown(read.node)}` {'runs' if _shown(read.node).endswith('(...)') else 'is read'} as the module "
                    f"loads, before `Amplify.configure` (which runs {when}): "
                    f"the client has no Data configuration yet and throws {_unconfigured_error(read)} at cold start; "
                    "use the client inside the handler, after `Amplify.configure`",
                    used_in.file.location(read.node),
                    related=(RelatedLocation(module.file.location(configure.node), "Amplify is configured here"),),
                )


def _shown(read_node: Node) -> str:
    """`client.models.Todo.list(...)` or `client.models.Todo`: the read as far as it goes."""
    end, call = member_chain_end(read_node)
    return " ".join(text(end).split()) + ("(...)" if call is not None else "")


def _unconfigured_error(read: ClientRead) -> str:
    """What aws-amplify 6.22.1 throws for this read without a configuration (measured)."""
    if text(read.node.child_by_field_name("property")) == "graphql":
        return '"NoAmplifyContextError: No AmplifyContext available. Call Amplify.configure() ..."'
    return (
        '"Client could not be generated. This is likely due to `Amplify.configure()` not being called prior '
        'to `generateClient()`..."'
    )


def _never_configured(backend: Backend, fn: FunctionDef, seen: set[tuple[str, int]]) -> Iterator[Diagnostic]:
    """A Data client the function reads while nothing it runs calls `Amplify.configure`."""
    reads = backend.data_client_reads(fn)
    if not reads or backend.data_signing(fn)[0] != "none":
        return
    module, read = reads[0]
    key = (str(module.path), read.node.start_byte)
    if key in seen:
        return
    seen.add(key)
    granted = any(
        ref.kind == "allow.resource" and ref.level == "schema" and ref.function is fn for ref in backend.references
    )
    grant = "" if granted else f", and grant it `allow.resource({fn.binding or 'fn'})` in the schema"
    yield Diagnostic(
        DATA_CLIENT_BEFORE_CONFIGURE,
        f"{fn.label} uses a Data client (`{_shown(read.node)}`), but nothing it runs calls `Amplify.configure`: "
        f"the client throws {_unconfigured_error(read)}; call `Amplify.configure(resourceConfig, libraryOptions)` with "
        f"`await getAmplifyDataClientConfig(env)` before using it{grant}",
        module.file.location(read.node),
    )
