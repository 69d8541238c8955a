"""AMP208: forms of the Data API from before Amplify Gen 2's release that current packages reject."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic
from ..model.backend import AMPLIFY_BACKEND, Backend
from ..model.modules import Module
from ..model.values import External, object_at, resolve
from ..syntax import call_arguments, text, unwrap

REMOVED_PRERELEASE_API = "AMP208"


def removed_prerelease_api(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        if not module.file.mentions(b"allow"):
            continue
        arrays = []
        for call in module.file.index.calls:
            callee = call.child_by_field_name("function")
            args = call_arguments(call)
            if (
                callee is None
                or callee.type != "member_expression"
                or len(args) != 1
                or text(callee.child_by_field_name("property")) != "authorization"
                or unwrap(args[0]).type != "array"
            ):
                continue
            if _on_schema_builder(module, callee.child_by_field_name("object")):
                arrays.append(unwrap(args[0]))
                yield Diagnostic(
                    REMOVED_PRERELEASE_API,
                    "`.authorization([...])` with an array (of `a.allow` rules) is the pre-release form; it takes a "
                    "callback now (tsc TS2345 \"Argument of type 'any[]' is not assignable to parameter of type "
                    "'(allow: ...) => ...'\"); write `.authorization((allow) => [allow.owner(), ...])`, and grant "
                    "functions with the schema-level `allow.resource(fn)`",
                    module.file.location(args[0]),
                )
        synth = backend.loads(module)
        for member in module.file.index.members:
            prop = member.child_by_field_name("property")
            obj = member.child_by_field_name("object")
            if prop is None or obj is None or text(prop) != "allow" or obj.type != "identifier":
                continue
            if any(a.start_byte <= member.start_byte < a.end_byte for a in arrays):
                continue  # the array's finding says it: one mistake, one finding
            found = resolve(module, member)
            if not (isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name == "a.allow"):
                continue
            after = member.parent
            called = (
                text(after.child_by_field_name("property"))
                if after is not None and after.type == "member_expression"
                else None
            )
            at_synth = (
                f'; synth fails: `a.allow` is undefined ("TypeError: Cannot read properties of undefined '
                f"(reading '{called}')\")"
                if synth and called
                else ""
            )
            yield Diagnostic(
                REMOVED_PRERELEASE_API,
                "`a.allow` is the pre-release authorization API, which `@aws-amplify/backend` no longer has (tsc "
                f"TS2339 \"Property 'allow' does not exist on type ...\"){at_synth}; write "
                "`.authorization((allow) => [allow.owner(), ...])` and grant functions with the schema-level "
                "`allow.resource(fn)`",
                module.file.location(prop),
            )
    for resource in backend.resources:
        if resource.kind != "data":
            continue
        modes = resource.prop("authorizationModes")
        shape = object_at(modes.module, modes.node) if modes is not None else None
        key = shape.keys.get("allowListedRoleNames") if shape is not None else None
        if modes is not None and key is not None:
            yield Diagnostic(
                REMOVED_PRERELEASE_API,
                "`allowListedRoleNames` is a pre-release option that `authorizationModes` no longer has (tsc TS2353 "
                "\"Object literal may only specify known properties, and 'allowListedRoleNames' does not exist in type "
                "'AuthorizationModes'.\"), and synth ignores it; grant functions with the schema-level "
                "`allow.resource(fn)`",
                modes.module.file.location(key),
            )


def _on_schema_builder(module: Module, node: Node | None) -> bool:
    """Whether `node` is a chain that starts with an `a.*(...)` call of `@aws-amplify/backend`
    (`a.schema(...)`, `a.model(...)`, `a.string()`...)."""
    for _ in range(64):
        if node is None:
            return False
        node = unwrap(node)
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            found = resolve(module, callee) if callee is not None else None
            if isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name.startswith("a."):
                return True
            node = (
                callee.child_by_field_name("object")
                if callee is not None and callee.type == "member_expression"
                else None
            )
        else:
            return False
    return False
