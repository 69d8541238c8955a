"""AMP701, AMP706, AMP707, AMP708: mistakes in `a.schema({...})` that TypeScript lets through (or
reports obscurely) and that only synth or deploy reveal. The quoted errors are those of
@aws-amplify/data-schema 1.26.2 (`schema.transform()`) and of the GraphQL transformers behind
`AmplifyGraphqlApi` at synth, measured."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.schema import Schema, SchemaField, SchemaModel, SchemaName, secondary_indexes
from ..model.values import UNKNOWN

INDEX_KEY_NOT_DECLARED = "AMP701"
UNDEFINED_SCHEMA_TYPE = "AMP706"
MODEL_WITHOUT_AUTHORIZATION = "AMP707"
INCOMPLETE_CUSTOM_OPERATION = "AMP708"


def key_not_declared(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        for name in model.identifier or ():
            if model.has_field(name.value) is False:
                yield _undeclared(
                    model,
                    name,
                    "`.identifier([...])`",
                    "TS2322",
                    "at synth the identifier is dropped and the model keeps the default `id`",
                )
        indexes = secondary_indexes(model)
        if indexes is UNKNOWN:
            continue
        for partition, sort_keys in indexes:
            if model.has_field(partition.value) is False:
                yield _undeclared(
                    model,
                    partition,
                    f"`index('{partition.value}')`",
                    "TS2345",
                    "at synth the index is dropped without a word",
                )
            for name in sort_keys:
                if model.has_field(name.value) is False:
                    yield _undeclared(
                        model,
                        name,
                        "`.sortKeys([...])`",
                        "TS2322",
                        f"synth fails with \"Can't find field '{name.value}' in {model.name}, but it was "
                        "specified in index '...'\"",
                    )


def _undeclared(model: SchemaModel, written: SchemaName, where: str, code: str, consequence: str) -> Diagnostic:
    name = written.value
    implicit = name in ("createdAt", "updatedAt")
    fix = (
        f"Amplify adds `{name}` to every model but an index can use it only when it is declared: add "
        f"`{name}: a.datetime()` to the model"
        if implicit
        else f"declare `{name}` in the model or fix the name"
    )
    return Diagnostic(
        INDEX_KEY_NOT_DECLARED,
        f"`{name}` in {where} is not a field of `{model.name}`: Amplify's type-check fails (tsc {code}, not "
        f"assignable to the model's field names) and {consequence}; {fix}",
        written.location,
    )


def undefined_type(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    holders: list[tuple[str, Iterable[SchemaField]]] = [(m.name, m.fields.values()) for m in schema.models.values()]
    for name, custom_type in schema.custom_types.items():
        holders.append((name, custom_type.fields))
    for owner, fields in holders:
        for field in fields:
            target = field.target
            if target is None:
                continue
            yield from _check_target(schema, owner, field.kind, target)
    for operation in schema.operations.values():
        for ref in operation.returned_refs:
            yield from _check_target(schema, operation.name, "ref", ref)


def _check_target(schema: Schema, owner: str, kind: str, target: SchemaName) -> Iterator[Diagnostic]:
    name = target.value
    defined = schema.defines(name)
    if defined is False:
        yield Diagnostic(
            UNDEFINED_SCHEMA_TYPE,
            f'`{name}` is not defined in the schema, so synth fails with "Invalid ref. {owner} is referring to '
            f'{name} which is not defined in the schema"; define `{name}` or fix the name',
            target.location,
        )
    elif defined and kind in ("hasMany", "hasOne", "belongsTo") and name not in schema.models:
        what = "an enum" if name in schema.enums else "a custom type"
        yield Diagnostic(
            UNDEFINED_SCHEMA_TYPE,
            f"`a.{kind}('{name}', ...)` needs a model, but `{name}` is {what}: synth fails with \"Expected to find "
            f"model type with name {name}\"; relate to a model, or use `a.ref('{name}')` for an embedded value",
            target.location,
        )


def model_without_authorization(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for model in schema.models.values():
        if model.has_rules or model.schema_rules.covers() is not False:
            continue  # its own rules, schema-level rules that apply to it, or rules amplint cannot read
        only_resource = (
            " (a schema-level `allow.resource(...)` does not count: it grants functions, not models)"
            if model.schema_rules.declared
            else ""
        )
        yield Diagnostic(
            MODEL_WITHOUT_AUTHORIZATION,
            f"`{model.name}` has no authorization rules and the schema gives none{only_resource}, so synth fails with "
            f'"Model `{model.name}` is missing authorization rules. Add global rules to the schema or ensure every '
            'model has its own rules."; add `.authorization((allow) => [...])` to the model or to the schema',
            model.location,
        )


def incomplete_custom_operation(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for operation in schema.operations.values():
        if operation.kind not in ("query", "mutation"):
            continue
        location = operation.location
        has_handler = operation.has_handler
        if operation.has_rules:
            has_authorization = True
        else:
            covered = operation.schema_rules.covers()
            if covered is None:
                continue  # schema-level rules amplint cannot read may cover it
            has_authorization = covered
        if not has_handler and not has_authorization:
            continue  # data-schema accepts an operation with neither (measured): nothing to quote
        if not has_handler or not has_authorization:
            missing = " and no ".join(
                w for w, ok in (("handler", has_handler), ("authorization rule", has_authorization)) if not ok
            )
            note = (
                " (a schema-level `allow.resource(...)` does not count)"
                if not has_authorization and operation.schema_rules.declared
                else ""
            )
            yield Diagnostic(
                INCOMPLETE_CUSTOM_OPERATION,
                f'Custom {operation.kind} `{operation.name}` has no {missing}{note}, so synth fails with "Custom operation '
                f'{operation.name} requires both an authorization rule and a handler reference"; add '
                + " and ".join(
                    f
                    for f, ok in (
                        (".handler(a.handler.function(fn))", has_handler),
                        (".authorization((allow) => [...])", has_authorization),
                    )
                    if not ok
                ),
                location,
            )
            continue
        if not operation.has_returns and operation.async_handler is False:
            kind = operation.kind.capitalize()
            yield Diagnostic(
                INCOMPLETE_CUSTOM_OPERATION,
                f'Custom {operation.kind} `{operation.name}` has no `.returns(...)`, so synth fails with "Invalid Custom {kind} '
                f"definition. A Custom {kind} must include a return type. {operation.name} has no return type "
                'specified."; add `.returns(...)` (only an `.async()` function handler needs none)',
                location,
            )
