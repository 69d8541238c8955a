"""Forms of the Data API from before Amplify Gen 2's release that current packages no longer have:
`.authorization([...])` with an array of rules, the `a.allow` namespace, and the
`allowListedRoleNames` option of `authorizationModes`."""

from __future__ import annotations

from functools import partial
from typing import Literal

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import call_arguments, text, unwrap
from .backend import AMPLIFY_BACKEND, Backend
from .modules import Module, calls_named, members_named
from .values import External, object_at, resolve

# `.authorization([...])` on a schema builder; `a.allow`; `authorizationModes.allowListedRoleNames`.
PrereleaseForm = Literal["authorization-array", "a.allow", "allowListedRoleNames"]


class PrereleaseUse(NamedTuple):
    """One use of a pre-release form."""

    form: PrereleaseForm
    module: Module
    location: Location  # the array, `allow` of `a.allow`, or the option's key
    read: str | None = None  # for `a.allow`: the member read from it (`owner` in `a.allow.owner()`), if any


def prerelease_uses(backend: Backend) -> list[PrereleaseUse]:
    """Every use of a pre-release form: by module, the `.authorization([...])` arrays then the
    `a.allow` outside them; then the data resources' `allowListedRoleNames`."""
    found: list[PrereleaseUse] = []
    for module in backend.modules.values():
        if module.file.mentions(b"allow"):
            # Read through the module's imports: a session keeps it while they are unchanged.
            found += module.carried("prerelease uses", partial(_module_uses, module))
    for resource in backend.resources:
        if resource.kind != "data":
            continue
        modes = resource.prop("authorizationModes")
        shape = object_at(modes.module, modes.node) if modes is not None else None
        key = shape.keys.get("allowListedRoleNames") if shape is not None else None
        if modes is not None and key is not None:
            found.append(PrereleaseUse("allowListedRoleNames", modes.module, modes.module.file.location_at(key)))
    return found


def _module_uses(module: Module) -> list[PrereleaseUse]:
    found = []
    arrays = []
    for call, callee, _ in calls_named(module, (b"authorization",), members_only=True):
        args = call_arguments(call)
        if len(args) != 1 or unwrap(args[0]).type != "array":
            continue
        if _on_schema_builder(module, callee.child_by_field_name("object")):
            arrays.append(unwrap(args[0]))
            found.append(PrereleaseUse("authorization-array", module, module.file.location(args[0])))
    for member in members_named(module, b"allow"):
        prop = member.child_by_field_name("property")
        obj = member.child_by_field_name("object")
        if prop is None or obj is None or obj.type != "identifier":
            continue
        if any(a.start_byte <= member.start_byte < a.end_byte for a in arrays):
            continue  # the array's use says it: one mistake, one finding
        found_at = resolve(module, member)
        if not (isinstance(found_at, External) and found_at.source == AMPLIFY_BACKEND and found_at.name == "a.allow"):
            continue
        after = member.parent
        read = (
            text(after.child_by_field_name("property"))
            if after is not None and after.type == "member_expression"
            else None
        )
        found.append(PrereleaseUse("a.allow", module, module.file.location(prop), read))
    return found


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
