"""Forms of the Data API from before Amplify Gen 2's release that current packages no longer have:
`.authorization([...])` with an array of rules, the `a.allow` namespace, and the
`allowListedRoleNames` option of `authorizationModes`."""

from __future__ import annotations

from functools import partial
from typing import Literal

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import ByteRange, NamePath, byte_range, call_arguments, name_path, text, unwrap
from .backend import AMPLIFY_BACKEND, Backend, is_amplify_api
from .modules import Module, calls_named, members_named
from .values import External, resolve_path

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
    # The option is found by its name, written in some file (a computed key is not read as one).
    named = any(module.file.mentions(b"allowListedRoleNames") for module in backend.modules.values())
    for resource in backend.resources if named else ():
        if resource.kind != "data":
            continue
        modes = resource.prop("authorizationModes")
        shape = modes.object_shape() if modes is not None else None
        key = shape.keys.get("allowListedRoleNames") if shape is not None else None
        if modes is not None and key is not None:
            found.append(PrereleaseUse("allowListedRoleNames", modes.module, modes.module.file.location_at(key)))
    return found


def _module_uses(module: Module) -> list[PrereleaseUse]:
    """The module's pre-release forms: its candidates (a per-file fact) whose names resolve to
    @aws-amplify/backend's schema builder, read through the module's imports."""
    arrays, members = module.fact(_candidates)
    found = []
    inside = []  # the arrays found: an `a.allow` in one is the same mistake
    for array in arrays:
        if any(_is_schema_builder(module, path) for path in array.chain):
            inside.append(array.at)
            found.append(PrereleaseUse("authorization-array", module, array.location))
    for member in members:
        if any(start <= member.at[0] < end for start, end in inside):
            continue  # the array's use says it: one mistake, one finding
        found_at = resolve_path(module, member.path)
        if is_amplify_api(found_at, "a.allow"):
            found.append(PrereleaseUse("a.allow", module, member.location, member.read))
    return found


class _AuthorizationArray(NamedTuple):
    """`<chain>.authorization([...])` with one array (a per-file candidate): the array (unwrapped),
    where the argument is written, and the name path of the callee of each call of the chain before
    it, outermost first (None where a callee is not one), as far as the chain is calls."""

    at: ByteRange
    location: Location
    chain: tuple[NamePath | None, ...]


class _AllowMember(NamedTuple):
    """`<name>.allow` (a per-file candidate): where, `allow`'s location, the name path, and the member
    read from it, if any (`owner` in `a.allow.owner()`)."""

    at: ByteRange
    location: Location
    path: NamePath
    read: str | None


def _candidates(module: Module) -> tuple[tuple[_AuthorizationArray, ...], tuple[_AllowMember, ...]]:
    arrays = []
    for call, callee, _ in calls_named(module, (b"authorization",), members_only=True):
        args = call_arguments(call)
        if len(args) != 1 or unwrap(args[0]).type != "array":
            continue
        chain = _callee_chain(callee.child_by_field_name("object"))
        arrays.append(_AuthorizationArray(byte_range(unwrap(args[0])), module.file.location(args[0]), chain))
    members = []
    for member in members_named(module, b"allow"):
        prop = member.child_by_field_name("property")
        obj = member.child_by_field_name("object")
        path = name_path(member)
        if prop is None or obj is None or obj.type != "identifier" or path is None:
            continue  # not `<name>.allow`: `resolve` gives the member itself, no import
        after = member.parent
        read = (
            text(after.child_by_field_name("property"))
            if after is not None and after.type == "member_expression"
            else None
        )
        members.append(_AllowMember(byte_range(member), module.file.location(prop), path, read))
    return tuple(arrays), tuple(members)


def _callee_chain(node: Node | None) -> tuple[NamePath | None, ...]:
    """The name path of the callee of each call of a chain (`a.model({...}).identifier([...])`),
    outermost first, as far as the chain is calls (at most 64)."""
    chain: list[NamePath | None] = []
    for _ in range(64):
        node = unwrap(node) if node is not None else None
        if node is None or node.type != "call_expression":
            break
        callee = node.child_by_field_name("function")
        chain.append(name_path(callee) if callee is not None else None)
        node = (
            callee.child_by_field_name("object") if callee is not None and callee.type == "member_expression" else None
        )
    return tuple(chain)


def _is_schema_builder(module: Module, path: NamePath | None) -> bool:
    """Whether a callee of a chain is an `a.*` function of @aws-amplify/backend (`a.schema`, `a.model`,
    `a.string`...)."""
    found = resolve_path(module, path) if path is not None else None
    return isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name.startswith("a.")
