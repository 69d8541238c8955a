"""AMP502-AMP507: CDK code in backend files that CDK or CloudFormation rejects."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from ..diagnostics import Diagnostic, RelatedLocation
from ..model.backend import Backend
from ..model.cdk import (
    ConstructCreation,
    Duration,
    construct_creations,
    duration_at,
    event_targets,
    module_scope_this,
    schedule_calls,
)
from ..model.modules import Module
from ..model.values import UNKNOWN, ObjectShape, evaluate, is_number, resolve
from ..syntax import text

INVALID_CRON = "AMP502"
CRON_RUNS_EVERY_MINUTE = "AMP503"
RATE_NOT_WHOLE_MINUTES = "AMP504"
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
        options = {key: evaluate(value.module, value.node) for key, value in shape.entries.items()}
        if not shape.complete:
            options.setdefault("minute", UNKNOWN)  # a spread may hold it
        zone = options.pop("timeZone", None)
        timezone = "UTC" if schedule.service == "events" or zone is None else None
        for problem in check_cdk_cron(options, timezone=timezone):
            code = CRON_RUNS_EVERY_MINUTE if problem.kind == "cdk-every-minute" else INVALID_CRON
            where = shape.entries.get(problem.field) if problem.field else None
            yield Diagnostic(
                code,
                problem.message,
                where.location if where is not None else schedule.module.file.location(schedule.call),
            )


def cdk_rate_not_whole_minutes(backend: Backend) -> Iterator[Diagnostic]:
    rates = [
        (m, c.argument)
        for m in backend.modules.values()
        for c in schedule_calls(m)
        if c.kind == "rate" and c.argument is not None
    ]
    if not rates:
        return
    from ..model.schedules import check_duration_rate

    for module, argument in rates:
        duration = duration_at(module, argument)
        if duration is None or duration.seconds is UNKNOWN or not is_number(duration.amount):
            continue
        problem = check_duration_rate(duration.unit, duration.amount)
        if problem is not None:
            yield Diagnostic(RATE_NOT_WHOLE_MINUTES, problem.message, module.file.location(argument))


def _prop_duration(props: ObjectShape, key: str) -> Duration | None:
    expr = props.entries.get(key)
    return duration_at(expr.module, expr.node) if expr is not None else None


def event_target_limits(backend: Backend) -> Iterator[Diagnostic]:
    targets = [(t, t.props) for m in backend.modules.values() for t in event_targets(m) if t.props is not None]
    if not targets:
        return
    from ..model.schedules import CDK_DURATION_NOT_WHOLE, check_max_event_age, check_retry_attempts

    for target, props in targets:
        retries = props.entries.get("retryAttempts")
        if retries is not None and is_number(value := evaluate(retries.module, retries.node)):
            problem = check_retry_attempts(value, service=target.service)
            if problem is not None:
                yield Diagnostic(EVENT_TARGET_LIMITS, problem.message, retries.location)
        age = _prop_duration(props, "maxEventAge")
        if age is None or age.seconds is UNKNOWN or not is_number(age.amount):
            continue
        problem = check_max_event_age(age.unit, age.amount, service=target.service)
        if problem is not None:
            code = RATE_NOT_WHOLE_MINUTES if problem.kind == CDK_DURATION_NOT_WHOLE else EVENT_TARGET_LIMITS
            yield Diagnostic(code, problem.message, target.module.file.location(age.node))


def duplicate_construct_id(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        first: dict[tuple[str, str], ConstructCreation] = {}
        for creation in construct_creations(module):
            scope = _scope_key(module, creation.scope)
            if scope is None:
                continue
            earlier = first.setdefault((scope, creation.construct_id), creation)
            if earlier is creation:
                continue
            yield Diagnostic(
                DUPLICATE_CONSTRUCT_ID,
                f"A construct with id '{creation.construct_id}' already exists in `{text(creation.scope)}`: synth "
                f"fails (CDK: \"There is already a Construct with name '{creation.construct_id}'\"); give each "
                "construct in a scope its own id",
                module.file.location(creation.id_node),
                related=(RelatedLocation(module.file.location(earlier.id_node), "first created here"),),
            )


def _scope_key(module: Module, scope: Node) -> str | None:
    """Scopes compare by what they resolve to; `this` and unknown scopes do not compare."""
    if scope.type == "this":
        return None
    found = resolve(module, scope)
    node = getattr(found, "node", None)
    if node is None:
        return None
    if node.type == "call_expression" and not text(node.child_by_field_name("function")).endswith("Stack.of"):
        return None  # each call may make a new scope (`backend.createStack(...)`)
    return "".join(text(node).split())


def this_at_module_scope(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for new in module_scope_this(module):
            arguments = new.child_by_field_name("arguments")
            if arguments is None:  # module_scope_this found `this` among them
                continue
            yield Diagnostic(
                THIS_AT_MODULE_SCOPE,
                f"`this` is undefined at the top level of a module, so `{text(new.child_by_field_name('constructor'))}` "
                "gets no scope and synth fails; pass a stack instead, e.g. `backend.createStack('MyStack')` or "
                "`Stack.of(backend.<function>.resources.lambda)`",
                module.file.location(arguments.named_children[0]),
            )
