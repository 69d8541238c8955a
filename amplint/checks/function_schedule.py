"""AMP401-AMP404: `defineFunction({ schedule })` values Amplify rejects, or that run other than meant."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Location, Severity
from ..model.backend import Backend
from ..model.values import Expr, evaluate, is_number, object_at, resolve

INVALID_SCHEDULE = "AMP401"
SCHEDULE_SHORTER_THAN_TIMEOUT = "AMP402"
UNEVEN_RATE_STEP = "AMP403"
INVALID_TIMEZONE = "AMP404"

# problem kind (amplint/model/schedules/problems.py) -> (code, severity)
_RULES = {
    "invalid": (INVALID_SCHEDULE, Severity.ERROR),
    "shorter-than-timeout": (SCHEDULE_SHORTER_THAN_TIMEOUT, Severity.ERROR),
    "overlap": (SCHEDULE_SHORTER_THAN_TIMEOUT, Severity.WARNING),
    "uneven-step": (UNEVEN_RATE_STEP, Severity.WARNING),
    "invalid-timezone": (INVALID_TIMEZONE, Severity.ERROR),
}


def function_schedule(backend: Backend) -> Iterator[Diagnostic]:
    scheduled = [
        (fn, schedule)
        for fn in backend.deployable_functions
        if not fn.custom and (schedule := fn.prop("schedule")) is not None
    ]
    if not scheduled:
        return
    from ..model.schedules import check_function_schedule  # only projects with schedules pay for it

    for fn, schedule in scheduled:
        timeout = fn.value("timeoutSeconds", None)
        if not is_number(timeout):
            timeout = None
        for entry in _entries(schedule):
            value = evaluate(entry.module, entry.node)
            if not isinstance(value, (str, dict)):
                continue
            for problem in check_function_schedule(value, timeout):
                found = _RULES.get(problem.kind)
                if found is None:
                    continue
                code, severity = found
                yield Diagnostic(code, problem.message, _location(entry, problem.field), severity=severity)


def _entries(expr: Expr) -> Iterator[Expr]:
    """Each schedule of a `schedule` prop: the value itself, or the elements of an array literal."""
    found = resolve(expr.module, expr.node)
    if isinstance(found, Expr) and found.node.type == "array":
        for element in found.node.named_children:
            if element.type == "spread_element":
                inner = element.named_children[0] if element.named_child_count else None
                if inner is not None:
                    yield from _entries(Expr(found.module, inner))
            elif element.type != "comment":
                yield Expr(found.module, element)
    else:
        yield expr


def _location(entry: Expr, field: Any) -> Location:
    if field:
        shape = object_at(entry.module, entry.node)
        if shape is not None and field in shape.entries:
            entry = shape.entries[field]
    return entry.module.file.location(entry.node)
