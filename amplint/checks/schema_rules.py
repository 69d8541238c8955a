"""AMP701, AMP706, AMP707, AMP708: mistakes in `a.schema({...})` that TypeScript lets through (or
reports obscurely) and that only synth or deploy reveal. The quoted errors are those of
@aws-amplify/data-schema 1.26.2 (`schema.transform()`) and of the GraphQL transformers behind
`AmplifyGraphqlApi` at synth, measured."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.modules import Module
from ..model.schema import (
    Chain,
    Schema,
    SchemaField,
    SchemaModel,
    read_chain,
    read_fields,
    secondary_indexes,
    string_list,
)
from ..model.values import UNKNOWN
from ..syntax import string_value, text, unwrap

KEY_NOT_DECLARED = "AMP701"
UNDEFINED_TYPE = "AMP706"
MODEL_WITHOUT_AUTHORIZATION = "AMP707"
INCOMPLETE_CUSTOM_OPERATION = "AMP708"


def key_not_declared(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        identifier = model.chain.methods.get("identifier")
        for name, node in string_list(model.chain.module, identifier[0] if identifier else None) or ():
            if model.has_field(name) is False:
                yield _undeclared(
                    model,
                    name,
                    node,
                    "`.identifier([...])`",
                    "TS2322",
                    "at synth the identifier is dropped and the model keeps the default `id`",
                )
        indexes = secondary_indexes(model)
        if indexes is UNKNOWN:
            continue
        for (partition, partition_node), sort_keys in indexes:
            if model.has_field(partition) is False:
                yield _undeclared(
                    model,
                    partition,
                    partition_node,
                    f"`index('{partition}')`",
                    "TS2345",
                    "at synth the index is dropped without a word",
                )
            for name, node in sort_keys:
                if model.has_field(name) is False:
                    yield _undeclared(
                        model,
                        name,
                        node,
                        "`.sortKeys([...])`",
                        "TS2322",
                        f"synth fails with \"Can't find field '{name}' in {model.name}, but it was "
                        "specified in index '...'\"",
                    )


def _undeclared(model: SchemaModel, name: str, node: Node, where: str, code: str, consequence: str) -> Diagnostic:
    implicit = name in ("createdAt", "updatedAt")
    fix = (
        f"Amplify adds `{name}` to every model but an index can use it only when it is declared: add "
        f"`{name}: a.datetime()` to the model"
        if implicit
        else f"declare `{name}` in the model or fix the name"
    )
    return Diagnostic(
        KEY_NOT_DECLARED,
        f"`{name}` in {where} is not a field of `{model.name}`: Amplify's type-check fails (tsc {code}, not "
        f"assignable to the model's field names) and {consequence}; {fix}",
        model.chain.module.file.location(node),
    )


def undefined_type(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    holders: list[tuple[str, Module, Iterable[SchemaField]]] = [
        (m.name, m.chain.module, m.fields.values()) for m in schema.models.values()
    ]
    for name, (_, chain) in schema.custom_types.items():
        holders.append((name, chain.module, _fields_of(chain)))
    for owner, module, fields in holders:
        for field in fields:
            target = field.target
            if target is None:
                continue
            yield from _check_target(schema, owner, field.kind, module, *target)
    for operation in schema.operations.values():
        for argument in operation.chain.methods.get("returns") or ():
            yield from _refs_in(schema, operation.name, operation.chain.module, argument)


def _fields_of(chain: Chain) -> list[SchemaField]:
    read = read_fields(chain)
    return [] if read is None else list(read[0].values())


def _refs_in(schema: Schema, owner: str, module: Module, node: Node) -> Iterator[Diagnostic]:
    chain = read_chain(module, node)
    if chain is not None and chain.root == "ref" and chain.args:
        name = string_value(unwrap(chain.args[0]))
        if name is not None:
            yield from _check_target(schema, owner, "ref", chain.module, name, chain.args[0])


def _check_target(schema: Schema, owner: str, kind: str, module: Module, name: str, node: Node) -> Iterator[Diagnostic]:
    defined = schema.defines(name)
    if defined is False:
        yield Diagnostic(
            UNDEFINED_TYPE,
            f'`{name}` is not defined in the schema, so synth fails with "Invalid ref. {owner} is referring to '
            f'{name} which is not defined in the schema"; define `{name}` or fix the name',
            module.file.location(node),
        )
    elif defined and kind in ("hasMany", "hasOne", "belongsTo") and name not in schema.models:
        what = "an enum" if name in schema.enums else "a custom type"
        yield Diagnostic(
            UNDEFINED_TYPE,
            f"`a.{kind}('{name}', ...)` needs a model, but `{name}` is {what}: synth fails with \"Expected to find "
            f"model type with name {name}\"; relate to a model, or use `a.ref('{name}')` for an embedded value",
            module.file.location(node),
        )


def model_without_authorization(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for model in schema.models.values():
        if model.authorization is not None or model.schema_rules.covers() is not False:
            continue  # its own rules, schema-level rules that apply to it, or rules amplint cannot read
        only_resource = (
            " (a schema-level `allow.resource(...)` does not count: it grants functions, not models)"
            if model.schema_rules.call is not None
            else ""
        )
        yield Diagnostic(
            MODEL_WITHOUT_AUTHORIZATION,
            f"`{model.name}` has no authorization rules and the schema gives none{only_resource}, so synth fails with "
            f'"Model `{model.name}` is missing authorization rules. Add global rules to the schema or ensure every '
            'model has its own rules."; add `.authorization((allow) => [...])` to the model or to the schema',
            model.chain.module.file.location(model.key),
        )


def incomplete_custom_operation(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for operation in schema.operations.values():
        chain = operation.chain
        if chain.root not in ("query", "mutation"):
            continue
        location = chain.module.file.location(operation.key)
        has_handler = "handler" in chain.methods
        if "authorization" in chain.methods:
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
                if not has_authorization and operation.schema_rules.call is not None
                else ""
            )
            yield Diagnostic(
                INCOMPLETE_CUSTOM_OPERATION,
                f'Custom {chain.root} `{operation.name}` has no {missing}{note}, so synth fails with "Custom operation '
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
        if "returns" not in chain.methods and _async_handler(chain) is False:
            kind = chain.root.capitalize()
            yield Diagnostic(
                INCOMPLETE_CUSTOM_OPERATION,
                f'Custom {chain.root} `{operation.name}` has no `.returns(...)`, so synth fails with "Invalid Custom {kind} '
                f"definition. A Custom {kind} must include a return type. {operation.name} has no return type "
                'specified."; add `.returns(...)` (only an `.async()` function handler needs none)',
                location,
            )


def _async_handler(chain: Chain) -> bool | None:
    """Whether the handler is `a.handler.function(fn).async()`; None when amplint cannot tell."""
    args: tuple[Node, ...] = chain.methods.get("handler") or ()
    if len(args) != 1:
        return None
    node = unwrap(args[0])
    handlers = [unwrap(n) for n in node.named_children] if node.type == "array" else [node]
    result = False
    for handler in handlers:
        if handler.type != "call_expression":
            return None
        callee = handler.child_by_field_name("function")
        if (
            callee is not None
            and callee.type == "member_expression"
            and text(callee.child_by_field_name("property")) == "async"
        ):
            result = True
        elif callee is None or not text(callee).replace(" ", "").endswith(
            ("handler.function", "handler.custom", "handler.inlineSql", "handler.sqlReference")
        ):
            return None
    return result
