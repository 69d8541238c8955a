"""Schedules and targets written with CDK in backend.ts: `Schedule.cron` options, `Duration` rates, and a
target's `retryAttempts` and `maxEventAge`, checked against what CDK and EventBridge accept."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

from .cron_grammar import deploy_issue, eventbridge_issue, eventbridge_values
from .javascript import js_str
from .problems import (
    CDK_DAY_AND_WEEKDAY,
    CDK_DURATION_NEGATIVE,
    CDK_DURATION_NOT_WHOLE,
    CDK_DURATION_ZERO,
    CDK_EVERY_MINUTE,
    CDK_INVALID_FIELD,
    CDK_MAX_EVENT_AGE,
    CDK_RETRY_ATTEMPTS,
    ScheduleProblem,
)
from .timing import cron_spec
from .words import DAY_WORDS, NTH, describe

# --- events.Schedule.cron / scheduler.ScheduleExpression.cron options --------------------------------

CDK_BOTH_DAYS = "Cannot supply both 'day' and 'weekDay', use at most one"
_CDK_CRON_KEYS = (
    ("minute", "minutes"),
    ("hour", "hours"),
    ("day", "day-of-month"),
    ("month", "month"),
    ("weekDay", "day-of-week"),
    ("year", "year"),
)


def _both_days_message(day: str, week_day: str) -> str:
    fix = "; keep only one of them"
    weekdays = eventbridge_values(week_day, "day-of-week")
    span = re.fullmatch(r"([0-9]+)-([0-9]+)", day)
    if weekdays and len(weekdays) == 1 and span:
        first, last = int(span.group(1)), int(span.group(2))
        number = next(iter(weekdays))
        name = DAY_WORDS[number - 1]
        # The last <day> of a month always falls in its final seven days, the nth in days 7n-6..7n.
        if last == 31 and 22 <= first <= 25:
            fix = f"; for the last {name} of every month use `weekDay: '{number}L'` without `day`"
        elif last - first == 6 and first in (1, 8, 15, 22):
            nth = (first - 1) // 7 + 1
            fix = f"; for the {NTH[nth]} {name} of every month use `weekDay: '{number}#{nth}'` without `day`"
    return (
        f"`Schedule.cron` gets both `day: '{day}'` and `weekDay: '{week_day}'`, which CDK rejects at "
        "synth because EventBridge matches a day of the month or a day of the week, not both"
        f'{fix} (CDK: "{CDK_BOTH_DAYS}")'
    )


def _cdk_fields(options: Mapping[str, object], minute: str) -> tuple[str, ...] | None:
    """The six fields CDK builds from cron options (its fallbacks), or None if any is unknown."""
    values: dict[str, str | None] = {}
    for key, _ in _CDK_CRON_KEYS:
        value = options.get(key)
        if value is not None and not isinstance(value, str):
            return None
        values[key] = value
    if values["day"] is not None and values["weekDay"] is not None:
        return None

    def given(key: str, fallback: str) -> str:
        value = values[key]
        return fallback if value is None else value  # CDK's `??`: '' stays ''

    day = given("day", "?" if values["weekDay"] is not None else "*")
    return (minute, given("hour", "*"), day, given("month", "*"), given("weekDay", "?"), given("year", "*"))


def _every_minute_message(options: Mapping[str, object], zone: str | None) -> str:
    words = []
    for minute in ("*", "0"):
        fields = _cdk_fields(options, minute)
        spec = cron_spec(fields) if fields and deploy_issue(fields) is None else None
        words.append(describe(spec, zone) if spec else None)
    if words[0] and words[1]:
        return f"This cron has no `minute`, so it runs {words[0]}; add `minute: '0'` to run {words[1]} instead"
    return (
        "This cron has no `minute`, so it runs every minute of each hour it matches; add `minute` "
        "(e.g. `minute: '0'`) to run once in each of those hours"
    )


def check_cdk_cron(options: Mapping[str, object], *, timezone: str | None = "UTC") -> list[ScheduleProblem]:
    """Problems in CDK cron options (`minute`, `hour`, `day`, `month`, `weekDay`, `year`: strings).

    Non-string values are not statically known and are skipped. `timezone` only labels times in
    messages: UTC for `events.Schedule`, the `timeZone` of a scheduler cron, or None when unknown."""
    problems = []
    day, week_day = options.get("day"), options.get("weekDay")
    if isinstance(day, str) and isinstance(week_day, str):
        problems.append(ScheduleProblem(CDK_DAY_AND_WEEKDAY, _both_days_message(day, week_day), "day"))
    for key, part in _CDK_CRON_KEYS:
        value = options.get(key)
        if isinstance(value, str):
            issue = eventbridge_issue(value, part)
            if issue:
                problems.append(
                    ScheduleProblem(
                        CDK_INVALID_FIELD,
                        f"`{key}: '{value}'` is not valid in an EventBridge cron: {issue}; CDK synthesizes it "
                        "but the deploy fails",
                        key,
                    )
                )
    if options.get("minute") is None:
        problems.append(ScheduleProblem(CDK_EVERY_MINUTE, _every_minute_message(options, timezone)))
    return problems


# --- CDK durations: rates, retry attempts, maximum event age -----------------------------------------

CDK_DURATION_ZERO_TEXT = "Duration cannot be 0"


@functools.cache
def _unit_millis() -> dict[str, int]:
    """Milliseconds in one of each `Duration` unit, whole so that conversions are exact like CDK's."""
    # model/cdk.py, which found the Duration, is loaded already; importing it at the top would make
    # this tree-free package pull in tree-sitter.
    from ..cdk import DURATION_UNITS

    return {unit: round(seconds * 1000) for unit, seconds in DURATION_UNITS.items()}


def duration_seconds(unit: str, amount: float) -> float:
    """Seconds in `Duration.<unit>(amount)`; unit is millis, seconds, minutes, hours or days."""
    return amount * _unit_millis()[unit] / 1000


def _cdk_convert(unit: str, amount: float, target: str) -> tuple[float, str | None]:
    """CDK's `convert` with `integral: true`: the value and CDK's error text when it is not whole."""
    millis = _unit_millis()
    source, goal = millis[unit], millis[target]
    if source == goal:
        if not float(amount).is_integer():
            return amount, f"{js_str(amount)} must be a whole number of {target}."
        return amount, None
    value = amount * source / goal
    if not float(value).is_integer():
        return value, f"'{js_str(amount)} {unit}' cannot be converted into a whole number of {target}."
    return value, None


def _negative_duration(unit: str, amount: float) -> ScheduleProblem | None:
    if amount >= 0:
        return None
    return ScheduleProblem(
        CDK_DURATION_NEGATIVE,
        f"`Duration.{unit}({js_str(amount)})` is negative, which CDK rejects when it creates the duration; "
        f'use a positive amount (CDK: "Duration amounts cannot be negative. Received: {js_str(amount)}")',
    )


def check_duration_rate(unit: str, amount: float) -> ScheduleProblem | None:
    """`events.Schedule.rate` / `scheduler.ScheduleExpression.rate` with `Duration.<unit>(amount)`."""
    negative = _negative_duration(unit, amount)
    if negative:
        return negative
    minutes, error = _cdk_convert(unit, amount, "minutes")
    shown = f"Duration.{unit}({js_str(amount)})"
    if error:
        return ScheduleProblem(
            CDK_DURATION_NOT_WHOLE,
            f"A schedule rate of `{shown}` is not a whole number of minutes, which EventBridge rates need, so "
            f"synth fails; use `Duration.minutes({max(1, math.ceil(minutes))})` or another whole number of "
            f'minutes (CDK: "{error}")',
        )
    if minutes == 0:
        return ScheduleProblem(
            CDK_DURATION_ZERO,
            f"A schedule rate of `{shown}` is zero, which CDK rejects at synth; use a positive duration such "
            f'as `Duration.minutes(1)` (CDK: "{CDK_DURATION_ZERO_TEXT}")',
        )
    return None


def _target_service(service: str) -> bool:
    if service not in ("events", "scheduler"):
        raise ValueError(f"service must be 'events' or 'scheduler', not {service!r}")
    return service == "scheduler"


def check_max_event_age(unit: str, amount: float, *, service: str) -> ScheduleProblem | None:
    """`maxEventAge: Duration.<unit>(amount)` of an aws-events-targets (service "events") or
    aws-scheduler-targets (service "scheduler") target."""
    scheduler = _target_service(service)
    negative = _negative_duration(unit, amount)
    if negative:
        return negative
    seconds, error = _cdk_convert(unit, amount, "seconds")
    shown = f"Duration.{unit}({js_str(amount)})"
    if error:
        return ScheduleProblem(
            CDK_DURATION_NOT_WHOLE,
            f"`maxEventAge: {shown}` is not a whole number of seconds, so synth fails; use whole seconds "
            f'between 60 and 86400 (CDK: "{error}")',
        )
    if 60 <= seconds <= 86400:
        return None
    lead = f"`maxEventAge: {shown}` is outside the 1 minute to 1 day (60-86400 seconds) that EventBridge allows"
    if scheduler:
        text = "Maximum event age is 1 day" if seconds > 86400 else "Minimum event age is 1 minute"
        return ScheduleProblem(
            CDK_MAX_EVENT_AGE, f'{lead}, and CDK rejects it at synth; use a value in that range (CDK: "{text}")'
        )
    return ScheduleProblem(
        CDK_MAX_EVENT_AGE, f"{lead}; CDK passes it through and the deploy fails, so use a value in that range"
    )


def check_retry_attempts(value: float, *, service: str) -> ScheduleProblem | None:
    """`retryAttempts` of an aws-events-targets ("events") or aws-scheduler-targets ("scheduler") target."""
    scheduler = _target_service(service)
    if 0 <= value <= 185:
        return None
    lead = f"`retryAttempts: {js_str(value)}` is outside the 0-185 that EventBridge allows"
    if scheduler:
        text = (
            "Number of retry attempts should be greater or equal than 0"
            if value < 0
            else "Number of retry attempts should be less or equal than 185"
        )
        return ScheduleProblem(
            CDK_RETRY_ATTEMPTS, f'{lead}, and CDK rejects it at synth; use a value in that range (CDK: "{text}")'
        )
    return ScheduleProblem(
        CDK_RETRY_ATTEMPTS, f"{lead}; CDK passes it through and the deploy fails, so use a value in that range"
    )
