"""AMP203: a function and the data (or auth) stack depend on each other across nested stacks."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, RelatedLocation, Severity
from ..model.backend import Backend
from ..syntax import text
from .registry import check, rule

FUNCTION_STACK_CYCLE = rule(
    "AMP203", "function-stack-cycle", Severity.ERROR,
    "A function and the data or auth stack reference each other: a circular dependency at deploy")

_EDGE_WORDS = {
    "allow.resource": "the schema grants it `allow.resource`",
    "a.handler.function": "the schema uses it as a handler (`a.handler.function`)",
    "functions": "`defineData({ functions })` lists it",
    "trigger": "auth lists it as a trigger",
    "access": "auth grants it `access`",
}


@check(FUNCTION_STACK_CYCLE)
def function_stack_cycle(backend: Backend) -> Iterator[Diagnostic]:
    flows = backend.stack_flows
    if not flows:
        return
    for fn in backend.functions:
        if not isinstance(fn.resource_group, str):
            continue
        fn_key = backend.backend_key(fn)
        if fn_key is None:
            continue
        for resource in backend.resources:
            if resource.kind not in ("data", "auth") or fn.resource_group == resource.kind:
                continue
            refs = [ref for ref in backend.references if ref.function is fn and ref.resource == resource.kind
                    and (ref.kind != "allow.resource" or ref.level in ("schema", "auth"))]
            resource_key = backend.backend_key(resource)
            back = [flow for flow in flows if flow.dependent == fn_key and flow.dependency == resource_key]
            if not refs or not back:
                continue
            ref, flow = refs[0], back[0]
            yield Diagnostic(
                FUNCTION_STACK_CYCLE.code,
                f"{fn.label} is in the '{fn.resource_group}' stack, but the '{resource.kind}' stack depends "
                f"on it ({_EDGE_WORDS[ref.kind]}) and it depends on '{resource.kind}' through "
                f"`{_short(flow.call)}` in {flow.module.path.name}: the deployment fails with a circular "
                f"dependency between nested stacks; add `resourceGroupName: '{resource.kind}'` to its "
                "`defineFunction`",
                fn.location,
                related=(RelatedLocation(ref.expr.location, f"'{resource.kind}' depends on the function here"),
                         RelatedLocation(flow.module.file.location(flow.call),
                                         f"the function depends on '{resource.kind}' here")))


def _short(node) -> str:
    callee = node.child_by_field_name("function")
    return f"{text(callee)}(...)" if callee is not None else text(node)[:60]
