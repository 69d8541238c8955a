"""AMP702: field-level authorization on a required field that leaves out a role the model's rules
let read. Error measured with a synth of @aws-amplify/backend 1.25.1."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.schema import SchemaModel

FIELD_AUTH_ON_REQUIRED_FIELD = "AMP702"


def field_auth_on_required_field(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        if not model.has_rules or not model.fields_complete:
            continue
        model_roles = model.readers
        if model_roles is None:
            continue
        own_rules = _own_rules(model)
        if own_rules is None:
            continue
        failing: list[tuple[str, list[str]]] = []
        for name, roles in own_rules.items():
            if not model.fields[name].required:
                continue
            # A role counts when it can read some other field: one without rules of its own, or whose
            # rules name it (with none, data-schema drops the role from the model: measured).
            missing = [
                role
                for role in sorted(model_roles - roles)  # a stable message: sets have no order
                if _static(role)
                and any(
                    other != name and (other not in own_rules or role in own_rules[other]) for other in model.fields
                )
            ]
            if missing:
                failing.append((name, missing))
        if not failing:
            continue
        import json  # only for a finding

        names = [name for name, _ in failing]
        first, missing = failing[0]
        yield Diagnostic(
            FIELD_AUTH_ON_REQUIRED_FIELD,
            f"`{model.name}.{first}` is required but its own rules do not let {', '.join(f'`{r}`' for r in missing)} "
            "read it, while the model's rules do: synth fails with \"When using field-level authorization rules you "
            "need to add rules to all of the model's required fields with at least read permissions. Found model "
            f'\\"{model.name}\\" with required fields {json.dumps(names, separators=(",", ":"))} missing field-level '
            "authorization rules.\"; give those roles read access in the field's rules, or make the field optional",
            model.fields[first].location,
        )


# Rules the check covers: roles not tied to a field of the record (measured: a missing owner,
# `ownerDefinedIn` or `ownersDefinedIn` rule passes synth; authenticated, guest, groups and an API key fail).
_STATIC = frozenset({"authenticated", "guest", "groups", "publicApiKey", "custom"})


def _own_rules(model: SchemaModel) -> dict[str, frozenset[str]] | None:
    """The readers of each field with rules of its own, by field name; None when amplint cannot read them all."""
    rules: dict[str, frozenset[str]] = {}
    for name, field in model.fields.items():
        if not field.readable:
            return None
        if field.has_rules:
            roles = field.readers
            if roles is None:
                return None
            rules[name] = roles
    return rules


def _static(role: str) -> bool:
    match = re.match(r"[\w$]+\.(\w+)\(", role)
    return match is not None and match.group(1) in _STATIC
