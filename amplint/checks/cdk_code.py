"""AMP502-AMP507: CDK code in backend files that CDK or CloudFormation rejects."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..diagnostics import Diagnostic, RelatedLocation
from ..model.backend import Backend
from ..model.cdk import (
    ConstructCreation,
    construct_creations,
    duration_of,
    event_targets,
    module_scope_this,
    schedule_calls,
)
from ..model.values import UNKNOWN, is_number

CDK_INVALID_CRON = "AMP502"
CDK_CRON_RUNS_EVERY_MINUTE = "AMP503"
CDK_RATE_NOT_WHOLE_MINUTES = "AMP504"
EVENT_TARGET_LIMITS = "AMP505"
DUPLICATE_CONSTRUCT_ID = "AMP506"
THIS_AT_MODULE_SCOPE = "AMP507"


def cdk_cron(backend: Backend) -> Iterator[Diagnostic]:
    calls = [c for m in backend.modules.values() for c in schedule_calls(m) if c.kind == "cron"]
    if not calls:
        return
    from ..model.schedules import check_cdk_cron  # only projects with CDK crons pay for it

    for schedule in calls:
        shape = schedule.options
        if shape is None:
            continue
        options = {key: value.evaluate() for key, value in shape.entries.items()}
        if not shape.complete:
            options.setdefault("minute", UNKNOWN)  # a spread may hold it
        zone = options.pop("timeZone", None)
        timezone = "UTC" if schedule.service == "events" or zone is None else None
        for problem in check_cdk_cron(options, timezone=timezone):
            code = CDK_CRON_RUNS_EVERY_MINUTE if problem.kind == "cdk-every-minute" else CDK_INVALID_CRON
            where = shape.entries.get(problem.field) if problem.field else None
            yield Diagnostic(
                code,
                problem.message,
                where.location if where is not None else schedule.location,
            )


def cdk_rate_not_whole_minutes(backend: Backend) -> Iterator[Diagnostic]:
    rates = [c for m in backend.modules.values() for c in schedule_calls(m) if c.kind == "rate"]
    if not rates:
        return
    from ..model.schedules import check_duration_rate

    for schedule in rates:
        duration = schedule.rate
        if duration is None or duration.seconds is UNKNOWN or not is_number(duration.amount):
            continue
        problem = check_duration_rate(duration.unit, duration.amount)
        if problem is not None and schedule.argument_location is not None:
            yield Diagnostic(CDK_RATE_NOT_WHOLE_MINUTES, problem.message, schedule.argument_location)


def event_target_limits(backend: Backend) -> Iterator[Diagnostic]:
    targets = [(t, t.props) for m in backend.modules.values() for t in event_targets(m) if t.props is not None]
    if not targets:
        return
    from ..model.schedules import CDK_DURATION_NOT_WHOLE, check_max_event_age, check_retry_attempts

    for target, props in targets:
        retries = props.entries.get("retryAttempts")
        if retries is not None and is_number(value := retries.evaluate()):
            problem = check_retry_attempts(value, service=target.service)
            if problem is not None:
                yield Diagnostic(EVENT_TARGET_LIMITS, problem.message, retries.location)
        age_expr = props.entries.get("maxEventAge")
        age = duration_of(age_expr) if age_expr is not None else None
        if age is None or age.seconds is UNKNOWN or not is_number(age.amount):
            continue
        problem = check_max_event_age(age.unit, age.amount, service=target.service)
        if problem is not None:
            code = CDK_RATE_NOT_WHOLE_MINUTES if problem.kind == CDK_DURATION_NOT_WHOLE else EVENT_TARGET_LIMITS
            yield Diagnostic(code, problem.message, age.location)


def duplicate_construct_id(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        creations = list(construct_creations(module))
        if len(creations) < 2:
            continue
        shared = {id for id, count in Counter(c.construct_id for c in creations).items() if count > 1}
        first: dict[tuple[str, str], ConstructCreation] = {}
        for creation in creations:
            scope_key = creation.scope_key() if creation.construct_id in shared else None
            if scope_key is None:
                continue
            earlier = first.setdefault((scope_key, creation.construct_id), creation)
            if earlier is creation:
                continue
            yield Diagnostic(
                DUPLICATE_CONSTRUCT_ID,
                f"A construct with id '{creation.construct_id}' already exists in `{creation.scope_text}`: synth "
                f"fails (CDK: \"There is already a Construct with name '{creation.construct_id}'\"); give each "
                "construct in a scope its own id",
                creation.id_location,
                related=(RelatedLocation(earlier.id_location, "first created here"),),
            )


def this_at_module_scope(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for use in module_scope_this(module):
            yield Diagnostic(
                THIS_AT_MODULE_SCOPE,
                f"`this` is undefined at the top level of a module, so `{use.constructor}` "
                "gets no scope and synth fails; pass a stack instead, e.g. `backend.createStack('MyStack')` or "
                "`Stack.of(backend.<function>.resources.lambda)`",
                use.location,
            )
