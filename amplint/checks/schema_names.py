"""AMP709, AMP711, AMP712: schema names GraphQL rejects, owner and group fields whose declared
type conflicts with the rule, and relationship fields marked required. Errors measured with
@aws-amplify/data-schema 1.26.2 and a synth of @aws-amplify/backend 1.25.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol

from ..diagnostics import Diagnostic, Location
from ..model.backend import Backend

INVALID_GRAPHQL_NAME = "AMP709"
OWNER_FIELD_TYPE_CONFLICT = "AMP711"
REQUIRED_RELATIONSHIP = "AMP712"

_GRAPHQL_NAME = r"[_A-Za-z][_0-9A-Za-z]*"  # compiled by `re` on first use


class _Named(Protocol):
    """A model fact written somewhere: its location is computed only for a finding."""

    @property
    def location(self) -> Location: ...


def invalid_graphql_name(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    if schema is None:
        return
    for name, enum in schema.enums.items():
        for value in enum.values or ():
            if re.search(r"\s", value.value):
                yield Diagnostic(
                    INVALID_GRAPHQL_NAME,
                    f"The value '{value.value}' of enum `{name}` holds whitespace, so synth fails with \"Values of the "
                    f'enum type {name} should not contain any whitespace."; use `{_suggest(value.value)}`',
                    value.location,
                )
            else:
                yield from _name(value.value, f"The value '{value.value}' of enum `{name}`", value)
    names: list[tuple[str, _Named, str]] = [(n, m, "model") for n, m in schema.models.items()]
    names += [(n, t, "custom type") for n, t in schema.custom_types.items()]
    names += [(n, o, f"custom {o.kind}") for n, o in schema.operations.items()]
    for name, written, what in names:
        yield from _name(name, f"The {what} name `{name}`", written)
    for model in schema.models.values():
        for field in model.fields.values():
            yield from _name(field.name, f"The field name `{model.name}.{field.name}`", field)


def _name(name: str, subject: str, written: _Named) -> Iterator[Diagnostic]:
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
        written.location,
    )


def _suggest(name: str) -> str:
    words = re.split(r"[\s\-]+", name.strip())
    suggestion = "_".join(w for w in words if w)
    return f"_{suggestion}" if suggestion[:1].isdigit() else suggestion


# Measured: these field types hold an owner or group; these conflict with one (an Int, a Float, ...).
_STRING_LIKE = frozenset({"string", "id", "email", "datetime", "url", "phone", "ipAddress", "date", "time"})
_CONFLICTING = frozenset({"integer", "float", "boolean", "json", "timestamp"})


def owner_field_type_conflict(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        for strategy, field_name, as_list in model.field_rules:
            field = model.fields.get(field_name)
            if field is None or not field.readable:
                continue
            is_list = field.is_list
            if field.kind in _STRING_LIKE and is_list == as_list or field.kind not in _STRING_LIKE | _CONFLICTING:
                continue  # a type that holds it, or one amplint has not measured
            wanted = "a list of strings (`a.string().array()`)" if as_list else "a string (`a.string()`)"
            yield Diagnostic(
                OWNER_FIELD_TYPE_CONFLICT,
                f"`allow.{strategy}(...)` keeps {'owners' if 'owner' in strategy else 'groups'} in `{field_name}`, which "
                f'must be {wanted}, but `{model.name}.{field_name}` is declared otherwise: synth fails with "Implicit '
                f'field {field_name} conflicts with the explicit field definition."; declare it as {wanted} or '
                "remove the declaration",
                field.location,
            )


def required_relationship(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        for field in model.fields.values():
            target = field.target
            if target is None:
                continue
            if field.kind == "hasMany" and field.value_required:
                before, after, method = f"[{target.value}!]", f"[{target.value}]", "valueRequired"
            elif field.kind == "hasOne" and field.required:
                before, after, method = f"{target.value}!", target.value, "required"
            else:
                continue
            location = field.method_location(method)
            if location is None:
                continue  # never: a method amplint read has its call
            yield Diagnostic(
                REQUIRED_RELATIONSHIP,
                f"`a.{field.kind}(...).{method}()` makes `{model.name}.{field.name}` required, which the GraphQL transformer "
                f"rejects at synth: \"@{field.kind} fields must not be required. Change '{model.name}.{field.name}: "
                f"{before}' to '{model.name}.{field.name}: {after}'\"; remove `.{method}()`",
                location,
            )
