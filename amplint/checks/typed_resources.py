"""AMP508, AMP509: what `backend.<key>.resources` really holds: only the schema's models have
tables, and the resources are typed by interfaces that lack some methods of their classes."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.backend_resources import resource_member_reads, table_reads

TABLE_NOT_A_MODEL = "AMP508"
MEMBER_NOT_ON_RESOURCE_TYPE = "AMP509"

# Members the classes have and the interfaces Amplify types its resources with do not (read from
# aws-cdk-lib's .d.ts; @aws-amplify/plugin-types: FunctionResources.lambda is `IFunction`,
# AuthResources.userPool is `IUserPool`).
TYPED_RESOURCES = {
    "lambda": ("IFunction", frozenset({"addEnvironment", "addLayers", "addAlias", "currentVersion"})),
    "userPool": ("IUserPool", frozenset({"addTrigger"})),
}


def table_not_a_model(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    models = backend.schema_models
    if define is None or models is None:
        return
    data_key = backend.backend_key(backend.data_resource) if backend.data_resource is not None else None
    for table in table_reads(define):
        if table.backend_key != data_key or table.model in models:
            continue  # another resource's, or a model
        known = ", ".join(f"'{m}'" for m in sorted(models)) or "none"
        when = "synth fails" if table.runs_on_load else "synth fails when this code runs"
        yield Diagnostic(
            TABLE_NOT_A_MODEL,
            f"The schema has no model `{table.model}`, so `{table.text}` is undefined and {when} with "
            f"\"TypeError: Cannot read properties of undefined (reading '{table.read}')\" (only models get tables; "
            f"the schema's models: {known})",
            table.location,
        )


def member_not_on_resource_type(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    if define is None or define.binding is None:
        return
    for read in resource_member_reads(define):
        typed = TYPED_RESOURCES.get(read.resource)
        if typed is None or read.member not in typed[1]:
            continue
        interface, prop = typed[0], read.member
        if prop == "addEnvironment":
            fix = (
                f"use `{define.binding}.{read.backend_key}.addEnvironment(...)`, which Amplify's function resource has"
            )
        else:
            fix = f"cast it to the class it is (`({read.resource_text} as ...).{prop}`)"
        yield Diagnostic(
            MEMBER_NOT_ON_RESOURCE_TYPE,
            f"`{read.resource_text}` is typed `{interface}`, which has no `{prop}` (tsc TS2339 \"Property '{prop}' "
            f"does not exist on type '{interface}'.\"): synth would run it, but Amplify's type-check fails first; "
            f"{fix}",
            read.location,
        )
