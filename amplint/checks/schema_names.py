"""AMP709, AMP711, AMP712: schema names GraphQL rejects, owner and group fields whose declared
type conflicts with the rule, and relationship fields marked required. Errors measured with
@aws-amplify/data-schema 1.26.2 and a synth of @aws-amplify/backend 1.25.1."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.modules import Module
from ..model.schema import string_list
from ..model.values import evaluate
from ..syntax import call_arguments, text, unwrap

INVALID_GRAPHQL_NAME = "AMP709"
OWNER_FIELD_TYPE_CONFLICT = "AMP711"
REQUIRED_RELATIONSHIP = "AMP712"

_GRAPHQL_NAME = r"[_A-Za-z][_0-9A-Za-z]*"  # compiled by `re` on first use


def invalid_graphql_name(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for name, (_key, chain) in schema.enums.items():
        values = string_list(chain.module, chain.args[0] if chain.args else None) or ()
        for value, node in values:
            if re.search(r"\s", value):
                yield Diagnostic(
                    INVALID_GRAPHQL_NAME,
                    f"The value '{value}' of enum `{name}` holds whitespace, so synth fails with \"Values of the enum "
                    f'type {name} should not contain any whitespace."; use `{_suggest(value)}`',
                    chain.module.file.location(node),
                )
            else:
                yield from _name(value, f"The value '{value}' of enum `{name}`", chain.module, node)
    names = [(n, m.chain.module, m.key, "model") for n, m in schema.models.items()]
    names += [(n, chain.module, key, "custom type") for n, (key, chain) in schema.custom_types.items()]
    names += [(n, o.chain.module, o.key, f"custom {o.chain.root}") for n, o in schema.operations.items()]
    for name, module, key, what in names:
        yield from _name(name, f"The {what} name `{name}`", module, key)
    for model in schema.models.values():
        for field in model.fields.values():
            yield from _name(field.name, f"The field name `{model.name}.{field.name}`", model.chain.module, field.key)


def _name(name: str, subject: str, module: Module, node: Node) -> Iterator[Diagnostic]:
    """A name with a hyphen or a leading digit: the GraphQL parser reads a number there."""
    if re.fullmatch(_GRAPHQL_NAME, name):
        return
    match = re.match(r"[0-9]+([A-Za-z])", name) or re.search(r"-([A-Za-z])", name)
    if match is None:
        return  # another shape: the parser's message is not one amplint has measured
    yield Diagnostic(
        INVALID_GRAPHQL_NAME,
        f"{subject} is not a GraphQL name (letters, digits and `_`, not starting with a digit): synth fails with "
        f'"Syntax Error: Invalid number, expected digit but got: \\"{match.group(1)}\\"."; use `{_suggest(name)}`',
        module.file.location(node),
    )


def _suggest(name: str) -> str:
    words = re.split(r"[\s\-]+", name.strip())
    suggestion = "_".join(w for w in words if w)
    return f"_{suggestion}" if suggestion[:1].isdigit() else suggestion


# Rules that read the owner or groups from a field: (rule, default field, whether the field is a list).
_FIELD_RULES: dict[str, tuple[str | None, bool]] = {
    "owner": ("owner", False),
    "ownerDefinedIn": (None, False),
    "ownersDefinedIn": (None, True),
    "groupDefinedIn": (None, False),
    "groupsDefinedIn": (None, True),
}
# Measured: these field types hold an owner or group; these conflict with one (an Int, a Float, ...).
_STRING_LIKE = frozenset({"string", "id", "email", "datetime", "url", "phone", "ipAddress", "date", "time"})
_CONFLICTING = frozenset({"integer", "float", "boolean", "json", "timestamp"})


def owner_field_type_conflict(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        call = model.authorization
        if call is None:
            continue
        module = model.chain.module
        for strategy, field_name, as_list in _field_rules(module, call):
            field = model.fields.get(field_name)
            if field is None or field.chain is None:
                continue
            is_list = "array" in field.chain.methods
            if field.kind in _STRING_LIKE and is_list == as_list or field.kind not in _STRING_LIKE | _CONFLICTING:
                continue  # a type that holds it, or one amplint has not measured
            wanted = "a list of strings (`a.string().array()`)" if as_list else "a string (`a.string()`)"
            yield Diagnostic(
                OWNER_FIELD_TYPE_CONFLICT,
                f"`allow.{strategy}(...)` keeps {'owners' if 'owner' in strategy else 'groups'} in `{field_name}`, which "
                f'must be {wanted}, but `{model.name}.{field_name}` is declared otherwise: synth fails with "Implicit '
                f'field {field_name} conflicts with the explicit field definition."; declare it as {wanted} or '
                "remove the declaration",
                module.file.location(field.key),
            )


def _field_rules(module: Module, call: Node) -> Iterator[tuple[str, str, bool]]:
    """(strategy, field, field is a list) for the owner and group rules of an authorization callback."""
    args = call_arguments(call)
    callback = unwrap(args[0]) if len(args) == 1 else None
    if callback is None:
        return
    for inner in module.file.index.calls:
        if not (callback.start_byte <= inner.start_byte < callback.end_byte):
            continue
        callee = inner.child_by_field_name("function")
        if callee is None or callee.type != "member_expression":
            continue
        strategy = text(callee.child_by_field_name("property"))
        if strategy not in _FIELD_RULES:
            continue
        default, as_list = _FIELD_RULES[strategy]
        rule_args = call_arguments(inner)
        field = default if default is not None else (evaluate(module, rule_args[0]) if rule_args else None)
        if isinstance(field, str):
            yield strategy, field, as_list


def _method_name(call: Node) -> Node:
    """`required` in `a.hasOne(...).required()`."""
    callee = call.child_by_field_name("function")
    name = callee.child_by_field_name("property") if callee is not None else None
    return name or call


def required_relationship(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        for field in model.fields.values():
            chain = field.chain
            target = field.target
            if chain is None or target is None:
                continue
            if field.kind == "hasMany" and "valueRequired" in chain.methods:
                before, after, method = f"[{target[0]}!]", f"[{target[0]}]", "valueRequired"
            elif field.kind == "hasOne" and "required" in chain.methods:
                before, after, method = f"{target[0]}!", target[0], "required"
            else:
                continue
            yield Diagnostic(
                REQUIRED_RELATIONSHIP,
                f"`a.{field.kind}(...).{method}()` makes `{model.name}.{field.name}` required, which the GraphQL transformer "
                f"rejects at synth: \"@{field.kind} fields must not be required. Change '{model.name}.{field.name}: "
                f"{before}' to '{model.name}.{field.name}: {after}'\"; remove `.{method}()`",
                chain.module.file.location(_method_name(chain.calls[method])),
            )
