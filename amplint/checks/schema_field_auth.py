"""AMP702: field-level authorization on a required field that leaves out a role the model's rules
let read. Error measured with a synth of @aws-amplify/backend 1.25.1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.modules import Module
from ..model.schema import SchemaModel
from ..syntax import FUNCTION_KINDS, call_arguments, text, unwrap

FIELD_AUTH_ON_REQUIRED_FIELD = "AMP702"


def field_auth_on_required_field(backend: Backend) -> Iterator[Diagnostic]:
    schema = backend.deployed_schema
    for model in schema.models.values() if schema is not None else ():
        if model.authorization is None or not model.fields_complete:
            continue
        model_roles = _readers(model.chain.module, model.authorization)
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
                for role in model_roles - roles
                if _static(role)
                and any(
                    other != name and (other not in own_rules or role in own_rules[other]) for other in model.fields
                )
            ]
            if missing:
                failing.append((name, missing))
        if not failing:
            continue
        names = [name for name, _ in failing]
        first, missing = failing[0]
        yield Diagnostic(
            FIELD_AUTH_ON_REQUIRED_FIELD,
            f"`{model.name}.{first}` is required but its own rules do not let {', '.join(f'`{r}`' for r in missing)} "
            "read it, while the model's rules do: synth fails with \"When using field-level authorization rules you "
            "need to add rules to all of the model's required fields with at least read permissions. Found model "
            f'\\"{model.name}\\" with required fields {json.dumps(names, separators=(",", ":"))} missing field-level '
            "authorization rules.\"; give those roles read access in the field's rules, or make the field optional",
            model.chain.module.file.location(model.fields[first].key),
        )


# Rules the check covers: roles not tied to a field of the record (measured: a missing owner,
# `ownerDefinedIn` or `ownersDefinedIn` rule passes synth; authenticated, guest, groups and an API key fail).
_STATIC = frozenset({"authenticated", "guest", "groups", "publicApiKey", "custom"})


def _own_rules(model: SchemaModel) -> dict[str, set[str]] | None:
    """The readers of each field with rules of its own, by field name; None when amplint cannot read them all."""
    rules: dict[str, set[str]] = {}
    for name, field in model.fields.items():
        if field.chain is None:
            return None
        call = field.chain.calls.get("authorization")
        if call is not None:
            roles = _readers(field.chain.module, call)
            if roles is None:
                return None
            rules[name] = roles
    return rules


def _static(role: str) -> bool:
    match = re.match(r"[\w$]+\.(\w+)\(", role)
    return match is not None and match.group(1) in _STATIC


def _readers(module: Module, call: Node) -> set[str] | None:
    """The rules of an `.authorization((allow) => [...])` that can read, as `allow.x(args)` texts
    without their `.to(...)`; None when amplint cannot read them."""
    args = call_arguments(call)
    callback = unwrap(args[0]) if len(args) == 1 else None
    if callback is None or callback.type not in FUNCTION_KINDS:
        return None
    body = callback.child_by_field_name("body")
    body = unwrap(body) if body is not None else None
    if body is None or body.type != "array":
        return None
    readers: set[str] = set()
    for element in body.named_children:
        if element.type == "comment":
            continue
        node, operations = unwrap(element), None
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if (
                callee is not None
                and callee.type == "member_expression"
                and text(callee.child_by_field_name("property")) == "to"
            ):
                operations = text((call_arguments(node) or [callee])[0])
                target = callee.child_by_field_name("object")
                if target is None:
                    return None
                node = unwrap(target)
        if node.type != "call_expression":
            return None
        if operations is not None and not re.search(r"['\"]read['\"]", operations):
            continue  # a rule that cannot read
        readers.add(" ".join(text(node).split()))
    return readers
