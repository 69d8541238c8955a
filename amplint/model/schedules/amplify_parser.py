"""Amplify's `schedule_parser.ts`, ported line for line: how `defineFunction({ schedule })` reads `every 5m`,
`every day` and cron strings, the errors (or crash) it gives, and the six cron fields it deploys."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

from ...amplify import DEFAULT_SCHEDULE_TIMEZONE
from ...records import NamedTuple
from .cron_grammar import RANGE, deploy_issue
from .javascript import js_number, js_str
from .problems import INVALID, ScheduleProblem

AMPLIFY_NO_SCHEDULE_TYPE = "Could not determine the function's schedule type"
AMPLIFY_RATE_NOT_WHOLE = "Function schedule rate must be set with a positive whole number"
AMPLIFY_UNKNOWN_RATE_UNIT = "Could not determine the schedule rate for the function"
AMPLIFY_BOTH_DAYS = (
    "Cron expressions cannot have both day-of-month and day-of-week defined, you must use a ? in one of the fields"
)
AMPLIFY_INIT_ERROR = "Failed to instantiate schedule for nodejs function"
DEFAULT_TIMEZONE = DEFAULT_SCHEDULE_TIMEZONE  # a schedule without `timezone` runs in UTC

_RATE_UNITS = ("m", "h", "day", "week", "month", "year")


@functools.cache
def _rate_value_pattern() -> re.Pattern[str]:
    return re.compile(r"-?[0-9]+\.?[0-9]*")


@functools.cache
def _rate_unit_pattern() -> re.Pattern[str]:
    return re.compile(r"[a-zA-Z]+")


class _AmplifyCrash(Exception):
    """The JavaScript TypeError Amplify's parser hits when it reads a property of `undefined`."""

    def __init__(self, prop: str) -> None:
        super().__init__(f"TypeError: Cannot read properties of undefined (reading '{prop}')")


class Zoned(NamedTuple):
    """A schedule after Amplify's `hydrateDefaults`; timezone None means not statically known."""

    rate: str | None
    cron: str | None
    has_rate: bool
    timezone: str | None


class Verdict(NamedTuple):
    """What Amplify does with one schedule: its errors, its crash, or the cron fields it deploys."""

    errors: tuple[str, ...] = ()
    crash: str | None = None
    is_rate: bool = False
    rate_value: float | None = None
    rate_unit: str | None = None
    fields: tuple[str, ...] | None = None


def _whole_between(test: float, low: int, high: int) -> bool:
    return low <= test <= high and test % 1 == 0


def _positive_whole(test: float) -> bool:
    return test > 0 and test % 1 == 0


def hydrate(schedule: object) -> Zoned | ScheduleProblem | None:
    """Amplify's `hydrateDefaults`; None when the value is not statically known."""
    if isinstance(schedule, str):
        # Amplify treats any string containing 'every' as a rate, wherever the word is.
        if "every" in schedule:
            return Zoned(schedule, None, True, DEFAULT_TIMEZONE)
        return Zoned(None, schedule, False, DEFAULT_TIMEZONE)
    if not isinstance(schedule, Mapping):
        return None
    zone = schedule.get("timezone")
    timezone = DEFAULT_TIMEZONE if zone is None else zone if isinstance(zone, str) else None
    rate, cron = schedule.get("rate"), schedule.get("cron")
    if "rate" in schedule:
        if not isinstance(rate, str) or (cron is not None and not isinstance(cron, str)):
            return None
        return Zoned(rate, cron, True, timezone)
    if "cron" in schedule:
        return Zoned(None, cron, False, timezone) if isinstance(cron, str) else None
    return ScheduleProblem(
        INVALID,
        "The schedule object has neither `rate` nor `cron`; add one, e.g. `rate: 'every day'` or "
        f"`cron: '0 9 ? * 2 *'` (Amplify: \"{AMPLIFY_NO_SCHEDULE_TYPE}\")",
    )


def _is_time_interval(zoned: Zoned) -> bool:
    parts = ((zoned.rate or "") if zoned.has_rate else "").split(" ")  # has_rate: rate is a string
    if parts[0] != "every":
        return False
    if len(parts) < 2:
        raise _AmplifyCrash("endsWith")
    return any(parts[1].endswith(unit) for unit in _RATE_UNITS) and len(parts) == 2


def _parse_time_interval(rate: str) -> tuple[float | None, str | None]:
    part = rate.split(" ")[1]
    value, unit = _rate_value_pattern().search(part), _rate_unit_pattern().search(part)
    return (float(value.group()) if value else None), (unit.group() if unit else None)


def _validate_cron(cron: str) -> list[tuple[str | None, str]]:
    """Amplify's `validateCron`: (part or None, message) for each error, in Amplify's order."""
    fields = cron.split(" ")
    minute, hour, dom, month, dow, year = (fields + [None] * 6)[:6]
    errors: list[tuple[str | None, str]] = [("minutes", e) for e in validate_part("minutes", minute)]
    errors += [("hours", e) for e in validate_part("hours", hour)]
    if dom != "?":
        errors += [("day-of-month", e) for e in validate_part("day-of-month", dom)]
    errors += [("month", e) for e in validate_part("month", month)]
    if dow != "?":
        errors += [("day-of-week", e) for e in validate_part("day-of-week", dow)]
    if year:
        errors += [("year", e) for e in validate_part("year", year)]
    if dom != "?" and dow != "?":
        errors.append((None, AMPLIFY_BOTH_DAYS))
    return errors


def validate_part(part: str, value: str | None) -> list[str]:
    """Amplify's `validateCronPart`: its messages for one field (None: the field is missing)."""
    if value is None:
        raise _AmplifyCrash("includes")
    low, high = RANGE[part]
    if value == "*":
        return []
    errors = []
    has_step, has_range, has_list = "/" in value, "-" in value, "," in value
    if has_list:
        if not all(_whole_between(js_number(item), low, high) for item in value.split(",")):
            errors.append(f"Cron list for {part} must contain whole numbers between {low} and {high}")
        for item in value.split(","):
            if "/" in item:
                errors += _validate_step(part, item)
            elif "-" in item:
                errors += _validate_range(part, item)
    elif has_step:
        errors += _validate_step(part, value)
    elif has_range:
        errors += _validate_range(part, value)
    if not (has_step or has_range or has_list) and not _whole_between(js_number(value), low, high):
        errors.append(f"Cron field for {part} must be a whole number between {low} and {high}")
    return errors


def _validate_step(part: str, value: str) -> list[str]:
    low, high = RANGE[part]
    pieces = value.split("/")
    base, step = js_number(pieces[0]), js_number(pieces[1])
    if pieces[0] == "*":
        if math.isnan(step) or not _positive_whole(step):
            return [f"Cron step values for {part} must be positive whole numbers"]
    elif math.isnan(base) or math.isnan(step) or not _whole_between(base, low, high) or step <= 0:
        return [f"Cron step values for {part} must be whole numbers between {low} and {high}"]
    return []


def _validate_range(part: str, value: str) -> list[str]:
    low, high = RANGE[part]
    start, end = (js_number(p) for p in value.split("-")[:2])
    if not _whole_between(start, low, high) or not _whole_between(end, low, high) or start > end:
        return [f"Cron range for {part} must be whole numbers between {low} and {high}"]
    return []


def translate_rate(value: float | None, unit: str | None) -> tuple[str, ...] | None:
    """The six EventBridge fields Amplify + CDK `ScheduleExpression.cron` produce for a rate."""
    shown = "undefined" if value is None else js_str(value)
    return {
        "m": (f"*/{shown}", "*", "*", "*", "?", "*"),
        "h": ("0", f"*/{shown}", "*", "*", "?", "*"),
        "day": ("0", "0", "*", "*", "?", "*"),
        "week": ("0", "0", "?", "*", "1", "*"),
        "month": ("0", "0", "1", "*", "?", "*"),
        "year": ("0", "0", "1", "1", "?", "*"),
    }.get(unit or "")


def translate_cron(cron: str) -> tuple[str, ...]:
    """The six EventBridge fields Amplify + CDK produce for a cron Amplify accepts."""
    fields = cron.split(" ")
    year = fields[5] if len(fields) == 6 else "*"
    # Amplify passes on only one day field; CDK then puts '?' in the other.
    if fields[2] == "?":
        return (fields[0], fields[1], "?", fields[3], fields[4], year)
    return (fields[0], fields[1], fields[2], fields[3], "?", year)


def amplify_verdict(zoned: Zoned, timeout: float | None) -> Verdict:
    """Run one hydrated schedule through Amplify's parser exactly as `defineFunction` would."""
    is_rate = False
    try:
        if _is_time_interval(zoned):
            is_rate = True
            value, unit = _parse_time_interval(zoned.rate or "")
            # `value &&` in Amplify: 0 (and a missing number) skip both checks.
            if value and not _positive_whole(value):
                return Verdict((AMPLIFY_RATE_NOT_WHOLE,), None, True, value, unit)
            if value and timeout and unit == "m" and value * 60 < timeout:
                message = (
                    "Function schedule rate must be greater than the function timeout of "
                    f"{js_str(timeout)} {'seconds' if timeout > 1 else 'second'}"
                )
                return Verdict((message,), None, True, value, unit)
            fields = translate_rate(value, unit)
            if fields is None:
                return Verdict((AMPLIFY_UNKNOWN_RATE_UNIT,), None, True, value, unit)
            return Verdict((), None, True, value, unit, fields)
        if zoned.cron is None:
            raise _AmplifyCrash("split")
        errors = _validate_cron(zoned.cron)
        if errors:
            return Verdict(tuple(message for _, message in errors))
        return Verdict(fields=translate_cron(zoned.cron))
    except _AmplifyCrash as crash:
        return Verdict(crash=str(crash), is_rate=is_rate)


def amplify_quote(verdict: Verdict) -> str:
    """Amplify's own words for a rejected schedule, to end a message with (empty when it accepts it)."""
    if verdict.crash:
        return f' (Amplify: "{AMPLIFY_INIT_ERROR}", caused by "{verdict.crash}")'
    if verdict.errors:
        return " (Amplify: " + "; ".join(f'"{e}"' for e in verdict.errors) + ")"
    return ""


def amplify_accepts(cron: str) -> bool:
    """True when Amplify accepts the cron and EventBridge will deploy what Amplify makes of it."""
    fields = cron.split(" ")
    if not 5 <= len(fields) <= 6:
        return False
    return not _validate_cron(cron) and deploy_issue(translate_cron(cron)) is None
