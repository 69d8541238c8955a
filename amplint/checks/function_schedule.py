"""AMP401-AMP404: `defineFunction({ schedule })` values Amplify rejects, or that run other than meant."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Fix, Severity
from ..model.backend import Backend
from ..model.edit_sites import schedule_literal
from ..model.values import is_number

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
    scheduled = [fn for fn in backend.deployable_functions if not fn.custom and fn.prop("schedule") is not None]
    if not scheduled:
        return
    from ..model.schedules import check_function_schedule  # only projects with schedules pay for it

    for fn in scheduled:
        timeout = fn.value("timeoutSeconds", None)
        if not is_number(timeout):
            timeout = None
        for entry in fn.schedules:
            value = entry.value
            if not isinstance(value, (str, dict)):
                continue
            for problem in check_function_schedule(value, timeout):
                found = _RULES.get(problem.kind)
                if found is None:
                    continue
                code, severity = found
                fix = None
                literal = schedule_literal(fn, entry, problem.field) if problem.replacement else None
                if literal is not None and problem.replacement is not None:
                    fix = Fix(f"Use `{problem.replacement}`", (literal.replace(problem.replacement),), "safe")
                yield Diagnostic(code, problem.message, entry.field_location(problem.field), severity=severity, fix=fix)
