"""AMP504-AMP507: CDK code in backend files that CDK or CloudFormation rejects."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, RelatedLocation, Severity
from ..model.backend import Backend
from ..model.cdk import construct_creations, duration_at, event_targets, module_scope_this, schedule_calls
from ..model.values import UNKNOWN, evaluate, resolve
from ..syntax import text
from .registry import check, rule

RATE_NOT_WHOLE_MINUTES = rule(
    "AMP504", "cdk-rate-not-whole-minutes", Severity.ERROR,
    "A schedule rate that is not a whole number of minutes, or an event age that is not whole seconds")
EVENT_TARGET_LIMITS = rule(
    "AMP505", "event-target-limits", Severity.ERROR,
    "`retryAttempts` or `maxEventAge` of an EventBridge or Scheduler target outside what AWS accepts")
DUPLICATE_CONSTRUCT_ID = rule(
    "AMP506", "duplicate-construct-id", Severity.ERROR,
    "Two constructs created with the same id in the same scope")
THIS_AT_MODULE_SCOPE = rule(
    "AMP507", "this-at-module-scope", Severity.ERROR,
    "`new X(this, ...)` outside a class or function, where `this` is undefined")

MAX_RETRY_ATTEMPTS = 185
MIN_EVENT_AGE, MAX_EVENT_AGE = 60, 86400
_SERVICE = {"events": "EventBridge rule", "scheduler": "EventBridge Scheduler"}


@check(RATE_NOT_WHOLE_MINUTES)
def cdk_rate_not_whole_minutes(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for schedule in schedule_calls(module):
            if schedule.kind != "rate" or schedule.argument is None:
                continue
            duration = duration_at(module, schedule.argument)
            if duration is None or duration.seconds is UNKNOWN:
                continue
            if duration.seconds == 0:
                message = "A rate of 0 fails synth (CDK: \"Duration cannot be 0\")"
            elif duration.seconds % 60:
                message = (f"A rate of {duration.cdk_text} fails synth (CDK: \"{duration.cdk_text} cannot be "
                           "converted into a whole number of minutes.\"); EventBridge rates are whole minutes")
            else:
                continue
            yield Diagnostic(RATE_NOT_WHOLE_MINUTES.code, message + _minute_hint(duration.seconds),
                             module.file.location(schedule.argument))
        for target in event_targets(module):
            age = _prop_duration(target, "maxEventAge")
            if age is None or age.seconds is UNKNOWN or float(age.seconds).is_integer():
                continue
            yield Diagnostic(
                RATE_NOT_WHOLE_MINUTES.code,
                f"`maxEventAge` of {age.cdk_text} fails synth (CDK: \"{age.cdk_text} cannot be converted into a "
                "whole number of seconds.\"); use whole seconds",
                module.file.location(age.node))


def _minute_hint(seconds: float) -> str:
    if seconds <= 0:
        return "; use at least `Duration.minutes(1)`"
    return f"; use `Duration.minutes({max(1, round(seconds / 60))})`" if seconds % 60 else ""


def _prop_duration(target, key: str):
    if target.props is None:
        return None
    expr = target.props.entries.get(key)
    return duration_at(expr.module, expr.node) if expr is not None else None


@check(EVENT_TARGET_LIMITS)
def event_target_limits(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for target in event_targets(module):
            if target.props is None:
                continue
            outcome = ("synth fails" if target.service == "scheduler"
                       else "synth passes but the deployment fails")
            service = _SERVICE[target.service]
            retries = target.props.entries.get("retryAttempts")
            value = evaluate(retries.module, retries.node) if retries is not None else UNKNOWN
            if isinstance(value, (int, float)) and not isinstance(value, bool) and \
                    not 0 <= value <= MAX_RETRY_ATTEMPTS:
                quoted = ""
                if target.service == "scheduler":
                    quoted = (" (CDK: \"Number of retry attempts should be less or equal than 185\")" if value > 0
                              else " (CDK: \"Number of retry attempts should be greater or equal than 0\")")
                yield Diagnostic(
                    EVENT_TARGET_LIMITS.code,
                    f"`retryAttempts: {text(retries.node)}` is outside the 0 to {MAX_RETRY_ATTEMPTS} that an "
                    f"{service} target accepts: {outcome}{quoted}",
                    retries.location)
            age = _prop_duration(target, "maxEventAge")
            if age is None or age.seconds is UNKNOWN or not float(age.seconds).is_integer():
                continue
            if age.seconds < MIN_EVENT_AGE or age.seconds > MAX_EVENT_AGE:
                quoted = ""
                if target.service == "scheduler":
                    quoted = (" (CDK: \"Minimum event age is 1 minute\")" if age.seconds < MIN_EVENT_AGE
                              else " (CDK: \"Maximum event age is 1 day\")")
                yield Diagnostic(
                    EVENT_TARGET_LIMITS.code,
                    f"`maxEventAge` of {age.cdk_text} is outside the 1 minute to 24 hours that an {service} "
                    f"target accepts: {outcome}{quoted}",
                    module.file.location(age.node))


@check(DUPLICATE_CONSTRUCT_ID)
def duplicate_construct_id(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        first: dict[tuple[str, str], object] = {}
        for creation in construct_creations(module):
            key = (_scope_key(module, creation.scope), creation.construct_id)
            if key[0] is None:
                continue
            earlier = first.setdefault(key, creation)
            if earlier is creation:
                continue
            yield Diagnostic(
                DUPLICATE_CONSTRUCT_ID.code,
                f"A construct with id '{creation.construct_id}' already exists in `{text(creation.scope)}`: synth "
                f"fails (CDK: \"There is already a Construct with name '{creation.construct_id}'\"); give each "
                "construct in a scope its own id",
                module.file.location(creation.id_node),
                related=(RelatedLocation(module.file.location(earlier.id_node), "first created here"),))


def _scope_key(module, scope) -> str | None:
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


@check(THIS_AT_MODULE_SCOPE)
def this_at_module_scope(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for new in module_scope_this(module):
            yield Diagnostic(
                THIS_AT_MODULE_SCOPE.code,
                f"`this` is undefined at the top level of a module, so `{text(new.child_by_field_name('constructor'))}` "
                "gets no scope and synth fails; pass a stack instead, e.g. `backend.createStack('MyStack')` or "
                "`Stack.of(backend.<function>.resources.lambda)`",
                module.file.location(new.child_by_field_name("arguments").named_children[0]))
