"""Function schedules: Amplify's `defineFunction({ schedule })` parser ported line for line, plus what
amplint adds on top (Linux/Quartz crons, overlapping runs, uneven steps, time zones, CDK crons, durations)."""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Problem kinds. Rules map them: invalid -> AMP401, shorter-than-timeout / overlap -> AMP402,
# uneven-step -> AMP403, invalid-timezone -> AMP404, cdk-day-and-weekday / cdk-invalid-field -> AMP502,
# cdk-every-minute -> AMP503, cdk-duration-* -> AMP504, cdk-retry-attempts / cdk-max-event-age -> AMP505.
INVALID = "invalid"
SHORTER_THAN_TIMEOUT = "shorter-than-timeout"
OVERLAP = "overlap"
UNEVEN_STEP = "uneven-step"
INVALID_TIMEZONE = "invalid-timezone"
CDK_DAY_AND_WEEKDAY = "cdk-day-and-weekday"
CDK_INVALID_FIELD = "cdk-invalid-field"
CDK_EVERY_MINUTE = "cdk-every-minute"
CDK_DURATION_NOT_WHOLE = "cdk-duration-not-whole"
CDK_DURATION_ZERO = "cdk-duration-zero"
CDK_DURATION_NEGATIVE = "cdk-duration-negative"
CDK_RETRY_ATTEMPTS = "cdk-retry-attempts"
CDK_MAX_EVENT_AGE = "cdk-max-event-age"

FunctionSchedule = str | Mapping[str, object]


@dataclass(frozen=True, slots=True)
class ScheduleProblem:
    """One finding about a schedule.

    `field` is the key to point at: "rate", "cron" or "timezone" of the object form (for the string form
    the string itself is meant), a CDK cron option such as "hour", or None for the whole value."""

    kind: str
    message: str
    field: str | None = None


# --- Amplify's schedule_parser.ts, ported -----------------------------------------------------------

AMPLIFY_NO_SCHEDULE_TYPE = "Could not determine the function's schedule type"
AMPLIFY_RATE_NOT_WHOLE = "Function schedule rate must be set with a positive whole number"
AMPLIFY_UNKNOWN_RATE_UNIT = "Could not determine the schedule rate for the function"
AMPLIFY_BOTH_DAYS = (
    "Cron expressions cannot have both day-of-month and day-of-week defined, you must use a ? in one of the fields"
)
AMPLIFY_INIT_ERROR = "Failed to instantiate schedule for nodejs function"

_DEFAULT_TIMEZONE = "UTC"
_RATE_UNITS = ("m", "h", "day", "week", "month", "year")
_RATE_VALUE = re.compile(r"-?[0-9]+\.?[0-9]*")
_RATE_UNIT = re.compile(r"[a-zA-Z]+")
_JS_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_JS_RADIX = re.compile(r"0([xXoObB])([0-9a-zA-Z]+)")

PARTS = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
_RANGE = {
    "minutes": (0, 59),
    "hours": (0, 23),
    "day-of-month": (1, 31),
    "month": (1, 12),
    "day-of-week": (1, 7),
    "year": (1970, 2199),
}
_MONTH_ABBR = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAY_ABBR = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_MONTH_WORDS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAY_WORDS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
# EventBridge numbers months 1-12 and days 1=SUN..7=SAT; Linux crontab numbers days 0=SUN..6=SAT.
_NAMES = {
    "month": {n: i + 1 for i, n in enumerate(_MONTH_ABBR)},
    "day-of-week": {n: i + 1 for i, n in enumerate(_DAY_ABBR)},
}
_LINUX_DAYS = {n: i for i, n in enumerate(_DAY_ABBR)}


class _AmplifyCrash(Exception):
    """The JavaScript TypeError Amplify's parser hits when it reads a property of `undefined`."""

    def __init__(self, prop: str) -> None:
        super().__init__(f"TypeError: Cannot read properties of undefined (reading '{prop}')")


@dataclass(frozen=True, slots=True)
class _Zoned:
    """A schedule after Amplify's `hydrateDefaults`; timezone None means not statically known."""

    rate: str | None
    cron: str | None
    has_rate: bool
    timezone: str | None


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What Amplify does with one schedule: its errors, its crash, or the cron fields it deploys."""

    errors: tuple[str, ...] = ()
    crash: str | None = None
    is_rate: bool = False
    rate_value: float | None = None
    rate_unit: str | None = None
    fields: tuple[str, ...] | None = None


def _js_number(text: str) -> float:
    """JavaScript's `Number(text)`, which Amplify uses to read every cron field."""
    s = text.strip().strip("\ufeff")
    if s == "":
        return 0.0
    if _JS_DECIMAL.fullmatch(s):
        return float(s)
    radix = _JS_RADIX.fullmatch(s)
    if radix:
        try:
            return float(int(radix.group(2), {"x": 16, "o": 8, "b": 2}[radix.group(1).lower()]))
        except ValueError:
            return math.nan
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    return math.nan


def _js_str(value: float) -> str:
    """A number as JavaScript prints it in a template string (`120`, not `120.0`)."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if float(value).is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(float(value))
    if "e" in text and abs(value) >= 1e-6:
        from decimal import Decimal  # only for tiny fractions, where Python and JS print differently

        return format(Decimal(text), "f")
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)


def _whole_between(test: float, low: int, high: int) -> bool:
    return low <= test <= high and test % 1 == 0


def _positive_whole(test: float) -> bool:
    return test > 0 and test % 1 == 0


def _hydrate(schedule: object) -> _Zoned | ScheduleProblem | None:
    """Amplify's `hydrateDefaults`; None when the value is not statically known."""
    if isinstance(schedule, str):
        # Amplify treats any string containing 'every' as a rate, wherever the word is.
        if "every" in schedule:
            return _Zoned(schedule, None, True, _DEFAULT_TIMEZONE)
        return _Zoned(None, schedule, False, _DEFAULT_TIMEZONE)
    if not isinstance(schedule, Mapping):
        return None
    zone = schedule.get("timezone")
    timezone = _DEFAULT_TIMEZONE if zone is None else zone if isinstance(zone, str) else None
    rate, cron = schedule.get("rate"), schedule.get("cron")
    if "rate" in schedule:
        if not isinstance(rate, str) or (cron is not None and not isinstance(cron, str)):
            return None
        return _Zoned(rate, cron, True, timezone)
    if "cron" in schedule:
        return _Zoned(None, cron, False, timezone) if isinstance(cron, str) else None
    return ScheduleProblem(
        INVALID,
        "The schedule object has neither `rate` nor `cron`; add one, e.g. `rate: 'every day'` or "
        f"`cron: '0 9 ? * 2 *'` (Amplify: \"{AMPLIFY_NO_SCHEDULE_TYPE}\")",
    )


def _is_time_interval(zoned: _Zoned) -> bool:
    parts = (zoned.rate if zoned.has_rate else "").split(" ")
    if parts[0] != "every":
        return False
    if len(parts) < 2:
        raise _AmplifyCrash("endsWith")
    return any(parts[1].endswith(unit) for unit in _RATE_UNITS) and len(parts) == 2


def _parse_time_interval(rate: str) -> tuple[float | None, str | None]:
    part = rate.split(" ")[1]
    value, unit = _RATE_VALUE.search(part), _RATE_UNIT.search(part)
    return (float(value.group()) if value else None), (unit.group() if unit else None)


def _validate_cron(cron: str) -> list[tuple[str | None, str]]:
    """Amplify's `validateCron`: (part or None, message) for each error, in Amplify's order."""
    fields = cron.split(" ")
    minute, hour, dom, month, dow, year = (fields + [None] * 6)[:6]
    errors = [("minutes", e) for e in _validate_part("minutes", minute)]
    errors += [("hours", e) for e in _validate_part("hours", hour)]
    if dom != "?":
        errors += [("day-of-month", e) for e in _validate_part("day-of-month", dom)]
    errors += [("month", e) for e in _validate_part("month", month)]
    if dow != "?":
        errors += [("day-of-week", e) for e in _validate_part("day-of-week", dow)]
    if year:
        errors += [("year", e) for e in _validate_part("year", year)]
    if dom != "?" and dow != "?":
        errors.append((None, AMPLIFY_BOTH_DAYS))
    return errors


def _validate_part(part: str, value: str | None) -> list[str]:
    if value is None:
        raise _AmplifyCrash("includes")
    low, high = _RANGE[part]
    if value == "*":
        return []
    errors = []
    has_step, has_range, has_list = "/" in value, "-" in value, "," in value
    if has_list:
        if not all(_whole_between(_js_number(item), low, high) for item in value.split(",")):
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
    if not (has_step or has_range or has_list) and not _whole_between(_js_number(value), low, high):
        errors.append(f"Cron field for {part} must be a whole number between {low} and {high}")
    return errors


def _validate_step(part: str, value: str) -> list[str]:
    low, high = _RANGE[part]
    pieces = value.split("/")
    base, step = _js_number(pieces[0]), _js_number(pieces[1])
    if pieces[0] == "*":
        if math.isnan(step) or not _positive_whole(step):
            return [f"Cron step values for {part} must be positive whole numbers"]
    elif math.isnan(base) or math.isnan(step) or not _whole_between(base, low, high) or step <= 0:
        return [f"Cron step values for {part} must be whole numbers between {low} and {high}"]
    return []


def _validate_range(part: str, value: str) -> list[str]:
    low, high = _RANGE[part]
    start, end = (_js_number(p) for p in value.split("-")[:2])
    if not _whole_between(start, low, high) or not _whole_between(end, low, high) or start > end:
        return [f"Cron range for {part} must be whole numbers between {low} and {high}"]
    return []


def _translate_rate(value: float | None, unit: str | None) -> tuple[str, ...] | None:
    """The six EventBridge fields Amplify + CDK `ScheduleExpression.cron` produce for a rate."""
    shown = "undefined" if value is None else _js_str(value)
    return {
        "m": (f"*/{shown}", "*", "*", "*", "?", "*"),
        "h": ("0", f"*/{shown}", "*", "*", "?", "*"),
        "day": ("0", "0", "*", "*", "?", "*"),
        "week": ("0", "0", "?", "*", "1", "*"),
        "month": ("0", "0", "1", "*", "?", "*"),
        "year": ("0", "0", "1", "1", "?", "*"),
    }.get(unit or "")


def _translate_cron(cron: str) -> tuple[str, ...]:
    fields = cron.split(" ")
    year = fields[5] if len(fields) == 6 else "*"
    # Amplify passes on only one day field; CDK then puts '?' in the other.
    if fields[2] == "?":
        return (fields[0], fields[1], "?", fields[3], fields[4], year)
    return (fields[0], fields[1], fields[2], fields[3], "?", year)


def _amplify_verdict(zoned: _Zoned, timeout: float | None) -> _Verdict:
    """Run one hydrated schedule through Amplify's parser exactly as `defineFunction` would."""
    is_rate = False
    try:
        if _is_time_interval(zoned):
            is_rate = True
            value, unit = _parse_time_interval(zoned.rate or "")
            # `value &&` in Amplify: 0 (and a missing number) skip both checks.
            if value and not _positive_whole(value):
                return _Verdict((AMPLIFY_RATE_NOT_WHOLE,), None, True, value, unit)
            if value and timeout and unit == "m" and value * 60 < timeout:
                message = (
                    "Function schedule rate must be greater than the function timeout of "
                    f"{_js_str(timeout)} {'seconds' if timeout > 1 else 'second'}"
                )
                return _Verdict((message,), None, True, value, unit)
            fields = _translate_rate(value, unit)
            if fields is None:
                return _Verdict((AMPLIFY_UNKNOWN_RATE_UNIT,), None, True, value, unit)
            return _Verdict((), None, True, value, unit, fields)
        if zoned.cron is None:
            raise _AmplifyCrash("split")
        errors = _validate_cron(zoned.cron)
        if errors:
            return _Verdict(tuple(message for _, message in errors))
        return _Verdict(fields=_translate_cron(zoned.cron))
    except _AmplifyCrash as crash:
        return _Verdict(crash=str(crash), is_rate=is_rate)


def _amplify_quote(verdict: _Verdict) -> str:
    if verdict.crash:
        return f' (Amplify: "{AMPLIFY_INIT_ERROR}", caused by "{verdict.crash}")'
    if verdict.errors:
        return " (Amplify: " + "; ".join(f'"{e}"' for e in verdict.errors) + ")"
    return ""


def _amplify_accepts(cron: str) -> bool:
    """True when Amplify accepts the cron and EventBridge will deploy what Amplify makes of it."""
    fields = cron.split(" ")
    if not 5 <= len(fields) <= 6:
        return False
    return not _validate_cron(cron) and _deploy_issue(_translate_cron(cron)) is None


# --- EventBridge cron grammar -----------------------------------------------------------------------

_EB_ITEM = re.compile(r"(\*|([0-9]+|[A-Za-z]+)(?:-([0-9]+|[A-Za-z]+))?)(?:/([0-9]+))?")
_EB_DOM_SPECIAL = re.compile(r"L|LW|L-[0-9]+|([0-9]+)W")
_EB_DOW_SPECIAL = re.compile(r"([0-9]+|[A-Za-z]+)?L|([0-9]+|[A-Za-z]+)#([0-9]+)")


def _atom_value(atom: str, names: Mapping[str, int] | None) -> int | None:
    if atom.isdigit():
        return int(atom)
    return names.get(atom.upper()) if names else None


def _field_values(token: str, low: int, high: int, names: Mapping[str, int] | None = None) -> frozenset[int] | None:
    """Expand a cron field (numbers, names, `*`, ranges, lists, steps); None if it is anything else."""
    if token == "*":
        return frozenset(range(low, high + 1))
    values: set[int] = set()
    for item in token.split(","):
        match = _EB_ITEM.fullmatch(item)
        if not match:
            return None
        whole, first, last, step = match.groups()
        if whole == "*":
            start, end = low, high
        else:
            start = _atom_value(first, names)
            end = _atom_value(last, names) if last else (high if step else start)
            if start is None or end is None or not low <= start <= end <= high:
                return None
        stride = int(step) if step else 1
        if stride < 1:
            return None
        values.update(range(start, end + 1, stride))
    return frozenset(values)


def _eventbridge_values(token: str, part: str) -> frozenset[int] | None:
    return _field_values(token, *_RANGE[part], _NAMES.get(part))


def _eventbridge_issue(token: str, part: str) -> str | None:
    """Why EventBridge rejects this cron field, or None when it accepts it (or we cannot be sure)."""
    if token == "":
        return f"the {part} field is empty"
    if any(c.isspace() for c in token):
        return f"the {part} field `{token}` contains a space"
    if token == "?":
        return (
            None
            if part in ("day-of-month", "day-of-week")
            else f"`?` is only allowed in day-of-month and day-of-week, not in {part}"
        )
    items = token.split(",")
    if part == "day-of-week" and "#" in token and len(items) > 1:
        return f"a day-of-week with `#` must be a single expression, not the list `{token}`"
    for item in items:
        issue = _eventbridge_item_issue(item, part)
        if issue:
            return issue
    return None


def _eventbridge_item_issue(item: str, part: str) -> str | None:
    low, high = _RANGE[part]
    names = _NAMES.get(part)
    if item == "":
        return f"the {part} field has an empty list item"
    if item == "?":
        return f"`?` cannot be part of a {part} list"
    if part == "day-of-month":
        special = _EB_DOM_SPECIAL.fullmatch(item.upper())
        if special:
            day = special.group(1)
            if day is not None and not 1 <= int(day) <= 31:
                return f"day-of-month must be between 1 and 31, not `{day}` in `{item}`"
            return None
    if part == "day-of-week" and not (item.isdigit() or item.upper() in (names or {})):
        special = _EB_DOW_SPECIAL.fullmatch(item)
        if special:
            day = special.group(1) or special.group(2)
            if day is not None and _atom_value(day, names) not in range(1, 8):
                return f"`{day}` in `{item}` is not a day of the week (1-7 or SUN-SAT)"
            nth = special.group(3)
            if nth is not None and not 1 <= int(nth) <= 5:
                return f"`#{nth}` in `{item}` must be 1 to 5 (which occurrence in the month)"
            return None
    match = _EB_ITEM.fullmatch(item)
    if not match:
        return f"`{item}` is not valid {part} syntax"
    _, first, last, step = match.groups()
    for atom in (first, last):
        if atom is None:
            continue
        if atom.isdigit():
            if not low <= int(atom) <= high:
                return f"{part} must be between {low} and {high}, not `{atom}`"
        elif names is None:
            return f"{part} takes numbers, not names like `{atom}`"
        elif atom.upper() not in names:
            expected = "JAN-DEC" if part == "month" else "SUN-SAT"
            return f"`{atom}` is not a {part} name (use {expected})"
    if step is not None and int(step) == 0:
        return f"the step in `{item}` must be at least 1"
    return None


def _deploy_issue(fields: tuple[str, ...]) -> str | None:
    """What EventBridge Scheduler rejects in the six fields Amplify hands to CDK, if anything."""
    for token, part in zip(fields, PARTS):
        issue = _eventbridge_issue(token, part)
        if issue:
            return issue
    if fields[2] == "?" and fields[4] == "?":
        return "`?` in both day fields leaves EventBridge no day to run on"
    return None


def _render(values: Iterable[int], low: int, high: int) -> str:
    """The shortest field Amplify's parser accepts for exactly these values."""
    ordered = sorted(values)
    if len(ordered) == high - low + 1:
        return "*"
    if len(ordered) == 1:
        return str(ordered[0])
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]}"
    stride = ordered[1] - ordered[0]
    if len(ordered) >= 3 and ordered == list(range(ordered[0], high + 1, stride)):
        return f"*/{stride}" if ordered[0] == low else f"{ordered[0]}/{stride}"
    return ",".join(map(str, ordered))


# --- What a valid cron means: field sets, words, intervals -------------------------------------------


@dataclass(frozen=True, slots=True)
class _CronSpec:
    """The expanded fields of an EventBridge cron; days of the week use EventBridge's 1=Sunday."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int] | None
    days_of_week: frozenset[int] | None
    months: frozenset[int]
    years: frozenset[int] | None  # None: every year
    special_day: str | None = None  # an L / W / # day field, kept as written (words only)
    special_in_week: bool = False


def _spec(fields: tuple[str, ...]) -> _CronSpec | None:
    minute, hour, dom, month, dow, year = fields
    minutes, hours = _eventbridge_values(minute, "minutes"), _eventbridge_values(hour, "hours")
    months = _eventbridge_values(month, "month")
    years = None if year == "*" else _eventbridge_values(year, "year")
    if minutes is None or hours is None or months is None or (year != "*" and years is None):
        return None
    if years is not None and len(years) == 2199 - 1970 + 1:
        years = None
    if (dom == "?") == (dow == "?"):
        return None
    if dom != "?":
        if _EB_DOM_SPECIAL.fullmatch(dom.upper()):
            return _CronSpec(minutes, hours, None, None, months, years, dom.upper())
        days = _eventbridge_values(dom, "day-of-month")
        return None if days is None else _CronSpec(minutes, hours, days, None, months, years)
    days = _eventbridge_values(dow, "day-of-week")
    if days is None and _EB_DOW_SPECIAL.fullmatch(dow):
        return _CronSpec(minutes, hours, None, None, months, years, dow, True)
    return None if days is None else _CronSpec(minutes, hours, None, days, months, years)


def _join(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _runs(values: Iterable[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for value in sorted(values):
        if runs and value == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def _compact(values: Iterable[int], word=str, through: str = "-") -> str:
    parts = []
    for start, end in _runs(values):
        if end - start >= 2:
            parts.append(f"{word(start)}{through}{word(end)}")
        else:
            parts.extend(word(v) for v in range(start, end + 1))
    return _join(parts)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _even_step(values: frozenset[int], size: int) -> int | None:
    """n when the values are exactly 0, n, 2n, ... and n divides the cycle (60 minutes, 24 hours)."""
    if len(values) < 2 or 0 not in values:
        return None
    stride = min(values - {0})
    if size % stride == 0 and values == frozenset(range(0, size, stride)):
        return stride
    return None


def _time_words(minutes: frozenset[int], hours: frozenset[int], zone: str | None) -> tuple[str, bool]:
    """Words for the times of day, and whether they already repeat through the day on their own."""
    label = f" {zone}" if zone else ""
    minute_step = _even_step(minutes, 60)
    if len(hours) == 24:
        if len(minutes) == 60:
            return "every minute", True
        if minute_step:
            return f"every {minute_step} minutes", True
        if len(minutes) == 1:
            return f"every hour at :{min(minutes):02}", True
        return f"at {_join(f':{m:02}' for m in sorted(minutes))} past every hour", True
    hour_step = _even_step(hours, 24)
    if hour_step and len(minutes) == 1:
        return f"every {hour_step} hours at :{min(minutes):02}", True
    if len(minutes) * len(hours) <= 6:
        times = [f"{h:02}:{m:02}" for h in sorted(hours) for m in sorted(minutes)]
        return f"at {_join(times)}{label}", False
    runs = _runs(hours)
    lead = "every minute" if len(minutes) == 60 else f"every {minute_step} minutes" if minute_step else None
    if lead and len(runs) == 1:
        first, last = runs[0]
        return f"{lead} from {first:02}:{min(minutes):02} to {last:02}:{max(minutes):02}{label}", False
    return f"at minutes {_compact(minutes)} past hours {_compact(hours)}{label}", False


_NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _special_day_words(token: str, in_week: bool) -> str | None:
    if not in_week:
        if token == "L":
            return "on the last day"
        if token == "LW":
            return "on the last weekday"
        nearest = re.fullmatch(r"([0-9]+)W", token)
        return f"on the weekday nearest the {_ordinal(int(nearest.group(1)))}" if nearest else None
    match = _EB_DOW_SPECIAL.fullmatch(token)
    day = match.group(1) or match.group(2) if match else None
    number = _atom_value(day, _NAMES["day-of-week"]) if day else None
    if number is None or not 1 <= number <= 7:
        return None
    if match.group(3):
        nth = _NTH.get(int(match.group(3)))
        return f"on the {nth} {_DAY_WORDS[number - 1]}" if nth else None
    return f"on the last {_DAY_WORDS[number - 1]}"


def _day_words(spec: _CronSpec) -> str | None:
    if spec.special_day is not None:
        return _special_day_words(spec.special_day, spec.special_in_week)
    if spec.days_of_week is not None:
        days = spec.days_of_week
        if len(days) == 7:
            return ""
        if days == frozenset(range(2, 7)):
            return "on weekdays"
        if days == frozenset({1, 7}):
            return "on weekends"
        return "on " + _join(_DAY_WORDS[d - 1] + "s" for d in sorted(days))
    days = spec.days_of_month or frozenset()
    if len(days) == 31:
        return ""
    return "on the " + _compact(days, _ordinal, " to ")


def _describe(spec: _CronSpec, zone: str | None) -> str | None:
    times, repeating = _time_words(spec.minutes, spec.hours, zone)
    day = _day_words(spec)
    if day is None:
        return None
    words = [times]
    if day:
        words.append(day)
    elif not repeating:
        words.append("every day")
    if len(spec.months) < 12:
        months = _compact(spec.months, lambda m: _MONTH_WORDS[m - 1], " to ")
        words.append(("of " if day.startswith("on the") else "in ") + months)
    elif day.startswith("on the"):
        words.append("of every month")
    if spec.years is not None:
        words.append("in " + _compact(spec.years))
    return " ".join(words)


def _month_length(year: int, month: int) -> int:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.date(year, month, 1)).days


def _firing_days(spec: _CronSpec) -> tuple[bool, int | None]:
    """(whether any day fires, smallest gap in days between consecutive firing days)."""
    if spec.days_of_week is not None:
        # Every month has four full weeks, so the weekly pattern's closest pair always occurs.
        days = sorted(spec.days_of_week)
        return True, min([b - a for a, b in zip(days, days[1:])] + [days[0] + 7 - days[-1]])
    every_month = len(spec.months) == 12
    if every_month and spec.years is None and len(spec.days_of_month or ()) == 31:
        return True, 1
    # Walk months, not minutes: a leap year and a common year show every month-length transition;
    # with chosen months, two leap cycles also catch Feb 29 patterns.
    if spec.years is None:
        years: Iterable[int] = range(2024, 2026 if every_month else 2032)
    else:
        years = sorted(spec.years)[:40]
    ordinals: list[int] = []
    for year in years:
        for month in sorted(spec.months):
            length = _month_length(year, month)
            base = datetime.date(year, month, 1).toordinal() - 1
            ordinals.extend(base + d for d in sorted(spec.days_of_month or ()) if d <= length)
    gaps = [b - a for a, b in zip(ordinals, ordinals[1:])]
    return bool(ordinals), (min(gaps) if gaps else None)


def _smallest_gap(values: Iterable[int]) -> int | None:
    ordered = sorted(values)
    return min((b - a for a, b in zip(ordered, ordered[1:])), default=None)


def _smallest_interval(spec: _CronSpec) -> int | None:
    """Seconds between the two closest consecutive runs; None if it runs at most once (or never)."""
    if spec.special_day is not None:
        return None
    fires, day_gap = _firing_days(spec)
    if not fires:
        return None
    # Run times are every chosen minute of every chosen hour, so consecutive runs are either two
    # minutes of one hour, the last minute of an hour and the first of the next chosen hour, or the
    # last run of a day and the first of the next firing day.
    first_minute, last_minute = min(spec.minutes), max(spec.minutes)
    candidates = []
    minute_gap, hour_gap = _smallest_gap(spec.minutes), _smallest_gap(spec.hours)
    if minute_gap is not None:
        candidates.append(minute_gap)
    if hour_gap is not None:
        candidates.append(hour_gap * 60 - (last_minute - first_minute))
    if day_gap is not None:
        span = max(spec.hours) * 60 + last_minute - (min(spec.hours) * 60 + first_minute)
        candidates.append(day_gap * 1440 - span)
    return min(candidates) * 60 if candidates else None


def _interval_words(seconds: int) -> str:
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


# --- Linux and Quartz crons, and rewrites into the form Amplify accepts -------------------------------

_WRAPPED = re.compile(r"\s*(cron|rate)\((.*)\)\s*", re.IGNORECASE)
_MACROS = {
    "@yearly": "every year",
    "@annually": "every year",
    "@monthly": "every month",
    "@weekly": "every week",
    "@daily": "every day",
    "@midnight": "every day",
    "@hourly": "every 1h",
}
_EITHER_DAY = "either-day"


def _linux_to_eventbridge(fields: list[str]) -> str | None:
    """The EventBridge cron for a 5-field Linux crontab line, `_EITHER_DAY`, or None if not Linux."""
    minutes = _field_values(fields[0], 0, 59)
    hours = _field_values(fields[1], 0, 23)
    days = _field_values(fields[2], 1, 31)
    months = _field_values(fields[3], 1, 12, _NAMES["month"])
    weekdays = _field_values(fields[4], 0, 7, _LINUX_DAYS)
    if minutes is None or hours is None or days is None or months is None or weekdays is None:
        return None
    weekdays = frozenset(w % 7 + 1 for w in weekdays)  # Linux 0 and 7 are Sunday = EventBridge 1
    all_days, all_weekdays = len(days) == 31, len(weekdays) == 7
    # Vixie cron: a day field starting with '*' makes the two day fields AND; otherwise they OR.
    if fields[2].startswith("*") or fields[4].startswith("*"):
        if all_weekdays:
            day, weekday = _render(days, 1, 31), "?"
        elif all_days:
            day, weekday = "?", _render(weekdays, 1, 7)
        else:
            return _EITHER_DAY
    elif all_days or all_weekdays:
        day, weekday = "*", "?"
    else:
        return _EITHER_DAY
    return " ".join((_render(minutes, 0, 59), _render(hours, 0, 23), day, _render(months, 1, 12), weekday, "*"))


def _eventbridge_rewrite(fields: list[str]) -> str | None:
    """The same EventBridge schedule written so that Amplify's parser accepts it, if one exists."""
    if len(fields) not in (5, 6):
        return None
    fields = list(fields)
    if fields[2] != "?" and fields[4] != "?":
        if fields[2] == "*":
            fields[2] = "?"
        elif fields[4] == "*":
            fields[4] = "?"
        else:
            return None
    rendered = []
    for token, part in zip(fields, PARTS):
        if token == "?":
            rendered.append(token)
            continue
        values = _eventbridge_values(token, part)
        if values is None:
            return None
        rendered.append(_render(values, *_RANGE[part]))
    result = " ".join(rendered)
    return result if _amplify_accepts(result) else None


def _quartz_rewrite(fields: list[str]) -> tuple[str | None, bool]:
    """(EventBridge cron without the seconds field, whether seconds were zero) for a Quartz cron."""
    rest = fields[1:]
    if len(rest) == 5:
        rest.append("*")
    zero_seconds = fields[0] in ("0", "00")
    if len(rest) != 6 or not zero_seconds:
        return None, zero_seconds
    candidate = " ".join(rest)
    if _amplify_accepts(candidate):
        return candidate, True
    return _eventbridge_rewrite(rest), True


def _looks_quartz(fields: list[str]) -> bool:
    # Quartz (seconds first) puts its '?' in the 4th or 6th field, where EventBridge has month and year.
    return len(fields) in (6, 7) and "?" in (fields[3], fields[5])


def _cron_words(cron: str, zone: str | None) -> str:
    spec = _spec(_translate_cron(cron))
    words = _describe(spec, zone) if spec else None
    return f" ({words})" if words else ""


def _field_clause(part: str, token: str) -> str:
    """What is wrong with one cron field Amplify rejects, in words."""
    low, high = _RANGE[part]
    atoms = re.split(r"[,/-]", token)
    names = _NAMES.get(part)
    for atom in atoms:
        if names and atom.upper() in names:
            return f"Amplify's parser does not accept {part} names like `{atom}`"
    if part in ("day-of-month", "day-of-week") and re.search(r"[LW#]", token.upper()):
        return f"Amplify's parser does not accept EventBridge's `L`, `W` and `#` forms like `{token}`"
    if part == "day-of-week" and "0" in atoms:
        return (
            "day-of-week `0` is Sunday only in Linux cron; EventBridge and Amplify number the days "
            "1 (Sunday) to 7 (Saturday)"
        )
    if "," in token and not all(item.isdigit() for item in token.split(",")):
        return f"Amplify accepts only plain numbers in a {part} list, not `{token}`"
    if "/" in token and "-" in token.split("/")[0]:
        return f"Amplify does not accept a step on a range (`{token}`)"
    backwards = re.fullmatch(r"([0-9]+)-([0-9]+)", token)
    if backwards and int(backwards.group(1)) > int(backwards.group(2)):
        return f"the {part} range `{token}` runs backwards"
    if "/" in token:
        step = token.split("/", 1)[1]
        if not step.isdigit() or int(step) == 0:
            return f"the step in `{token}` must be a positive whole number"
    outside = [a for a in atoms if a.isdigit() and not low <= int(a) <= high]
    if outside:
        return f"{part} must be between {low} and {high}, not `{outside[0]}`"
    if token == "":
        return f"the {part} field is empty"
    return f"`{token}` is not a valid {part} value ({low}-{high})"


# --- defineFunction schedules --------------------------------------------------------------------------


def _rate_suggestion(text: str) -> tuple[str | None, str | None]:
    """(an Amplify rate with the same meaning, or advice when Amplify has none) for a malformed rate."""
    lowered = text.strip().lower()
    wrapped = re.fullmatch(r"rate\((.*)\)", lowered)
    if wrapped:
        lowered = wrapped.group(1).strip()
    single = {
        "daily": "every day",
        "everyday": "every day",
        "hourly": "every 1h",
        "weekly": "every week",
        "monthly": "every month",
        "yearly": "every year",
        "annually": "every year",
    }
    if lowered.replace("every ", "").replace("-", "") in single:
        return single[lowered.replace("every ", "").replace("-", "")], None
    match = re.fullmatch(r"(?:every)?\s*([0-9]+)?\s*([a-z]+)", lowered)
    if not match:
        return None, None
    count = int(match.group(1)) if match.group(1) else 1
    unit = match.group(2)
    if unit in ("m", "min", "mins", "minute", "minutes"):
        return f"every {count}m", None
    if unit in ("h", "hr", "hrs", "hour", "hours"):
        return f"every {count}h", None
    for words, name, days in (
        (("d", "day", "days"), "day", 1),
        (("w", "wk", "week", "weeks"), "week", 7),
        (("mo", "month", "months"), "month", 0),
        (("y", "yr", "year", "years"), "year", 0),
    ):
        if unit in words:
            if count == 1:
                return f"every {name}", None
            if days:
                return None, (
                    f"Amplify has no rate for every {count} {name}s (`every {count}{name}` runs "
                    f"every {name}); create an EventBridge Scheduler `rate({count * days} days)` "
                    "schedule with CDK in backend.ts instead"
                )
            if name == "month" and 12 % count == 0:
                return f"0 0 1 */{count} ? *", None
            return None, None
    return None, None


def _whole_rate_fix(verdict: _Verdict) -> str:
    value, unit = verdict.rate_value or 0, verdict.rate_unit
    if value <= 0:
        return f"use a positive number such as `every 1{unit}`"
    minutes = value * 60 if unit == "h" else value
    if unit == "h" and minutes.is_integer():
        if 60 % minutes == 0:
            return f"use `every {int(minutes)}m`"
        crons = _even_cycle_crons(int(minutes))
        if crons:
            return (
                f"for an exact {int(minutes)}-minute cycle use `schedule: [" + ", ".join(f"'{c}'" for c in crons) + "]`"
            )
    low, high = math.floor(value), math.ceil(value)
    return "use " + " or ".join(f"`every {n}{unit}`" for n in (low, high) if n >= 1)


def _rate_rejection(zoned: _Zoned, verdict: _Verdict, timeout: float | None) -> ScheduleProblem:
    rate = zoned.rate or ""
    quote = _amplify_quote(verdict)
    if verdict.crash:
        suggestion, advice = _rate_suggestion(rate)
        fix = f"; use `{suggestion}`" if suggestion else f"; {advice}" if advice else ""
        return ScheduleProblem(
            INVALID,
            f"Schedule `{rate}` is not one of Amplify's rate forms (`every <N>m`, `every <N>h`, "
            f"`every day|week|month|year`), so Amplify crashes on it{fix}{quote}",
            "rate",
        )
    error = verdict.errors[0]
    if error == AMPLIFY_RATE_NOT_WHOLE:
        return ScheduleProblem(
            INVALID,
            f"Rate `{rate}` must count a positive whole number of minutes or hours; {_whole_rate_fix(verdict)}{quote}",
            "rate",
        )
    if error == AMPLIFY_UNKNOWN_RATE_UNIT:
        return ScheduleProblem(
            INVALID,
            f"Rate `{rate}` has a unit Amplify does not know "
            f"(`{verdict.rate_unit}`); use `every <N>m`, `every <N>h` or "
            f"`every day|week|month|year`{quote}",
            "rate",
        )
    minutes_needed = math.ceil((timeout or 0) / 60)
    minutes = next((d for d in (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60) if d >= minutes_needed), minutes_needed)
    seconds = int((verdict.rate_value or 0) * 60)
    return ScheduleProblem(
        SHORTER_THAN_TIMEOUT,
        f"Rate `{rate}` starts a run every {seconds} seconds, less than the function's "
        f"{_js_str(timeout or 0)}-second timeout, so runs could overlap; use `every {minutes}m` or "
        f"longer, or lower `timeoutSeconds`{quote}",
        "rate",
    )


def _cron_rejection(zoned: _Zoned, verdict: _Verdict) -> ScheduleProblem:
    cron = zoned.cron or ""
    zone = zoned.timezone
    quote = _amplify_quote(verdict)
    fields = cron.split(" ")
    wrapped = _WRAPPED.fullmatch(cron)
    if wrapped and wrapped.group(1).lower() == "rate":
        suggestion, advice = _rate_suggestion(cron)
        fix = f"; use `{suggestion}`" if suggestion else f"; {advice}" if advice else ""
        return ScheduleProblem(
            INVALID,
            f"`{cron}` is an EventBridge rate expression, but Amplify's schedule takes "
            f"`every <N>m`, `every <N>h` or `every day|week|month|year`{fix}{quote}",
            "cron",
        )
    if wrapped:
        inner = wrapped.group(2).strip()
        usable = inner if _amplify_accepts(inner) else _eventbridge_rewrite(inner.split(" "))
        fix = f": use `{usable}`{_cron_words(usable, zone)}" if usable else ""
        return ScheduleProblem(
            INVALID,
            f"Cron schedule `{cron}` must be the bare fields without the `cron(...)` wrapper{fix}{quote}",
            "cron",
        )
    if cron.strip() in _MACROS:
        return ScheduleProblem(
            INVALID,
            f"`{cron}` is a Linux crontab shortcut that Amplify does not understand; use "
            f"`{_MACROS[cron.strip()]}`{quote}",
            "cron",
        )
    if cron != " ".join(cron.split()):
        tidy = " ".join(cron.split())
        fix = (
            f"; use `{tidy}`{_cron_words(tidy, zone)}"
            if _amplify_accepts(tidy)
            else "; separate the fields with single spaces"
        )
        return ScheduleProblem(
            INVALID,
            f"Cron schedule `{cron}` has extra spaces, and Amplify splits on every single space, "
            f"so it sees empty fields{fix}{quote}",
            "cron",
        )
    if verdict.crash:
        count = len(fields)
        return ScheduleProblem(
            INVALID,
            f"Cron schedule `{cron}` has {count} field{'' if count == 1 else 's'}, but Amplify "
            "needs five or six (minute hour day-of-month month day-of-week [year]) and crashes on "
            f"fewer; add the missing fields, e.g. `0 9 ? * 2 *` runs at 09:00 UTC on Mondays{quote}",
            "cron",
        )
    if _looks_quartz(fields):
        return _quartz_problem(cron, fields, zone, quote)
    if len(fields) > 6:
        return _extra_fields_problem(cron, fields, zone, quote)
    if len(fields) == 5 and "?" not in cron:
        linux = _linux_to_eventbridge(fields)
        if linux is not None:
            lead = (
                f"Cron schedule `{cron}` is written for Linux crontab, but Amplify expects EventBridge's "
                "fields (minute hour day-of-month month day-of-week year, with `?` in one day field and "
                "days of the week numbered 1=Sunday to 7=Saturday, not 0=Sunday)"
            )
            if linux == _EITHER_DAY:
                fix = (
                    "; Linux runs it when either the day of the month or the day of the week matches, "
                    "which one EventBridge cron cannot express, so keep one day field and put `?` in the "
                    "other"
                )
            else:
                fix = f"; use `{linux}`{_cron_words(linux, zone)}"
            return ScheduleProblem(INVALID, lead + fix + quote, "cron")
    clauses = []
    for token, part in zip(fields, PARTS):
        if (part == "day-of-month" or part == "day-of-week") and token == "?":
            continue
        if part == "year" and not token:
            continue
        if _validate_part(part, token):
            clauses.append(_field_clause(part, token))
    if fields[2] != "?" and fields[4] != "?":
        clauses.append("day-of-month and day-of-week are both set, and EventBridge needs `?` in one of them")
    rewrite = _eventbridge_rewrite(fields)
    if rewrite:
        fix = f"; use `{rewrite}`{_cron_words(rewrite, zone)}"
    elif re.search(r"[LW#]", (fields[2] + fields[4]).upper().replace("WED", "")):
        fix = "; create this schedule with CDK in backend.ts instead, where EventBridge accepts them"
    else:
        fix = ""
    return ScheduleProblem(
        INVALID, f"Cron schedule `{cron}` is rejected by Amplify: {'; '.join(clauses)}{fix}{quote}", "cron"
    )


def _extra_fields_problem(cron: str, fields: list[str], zone: str | None, quote: str) -> ScheduleProblem:
    lead = (
        f"Cron schedule `{cron}` has {len(fields)} fields, but Amplify checks only the first six and "
        "deploys the first five with year `*`"
    )
    if not quote:
        deployed = " ".join(_translate_cron(cron))
        lead += f", so it would run as `{deployed}`{_cron_words(deployed, zone)}"
    return ScheduleProblem(INVALID, f"{lead}; remove the extra fields{quote}", "cron")


def _quartz_problem(cron: str, fields: list[str], zone: str | None, quote: str) -> ScheduleProblem:
    lead = (
        f"Cron schedule `{cron}` has {len(fields)} fields and looks like a Quartz cron with seconds "
        "first, but Amplify reads minute hour day-of-month month day-of-week [year], so every field "
        "shifts by one place"
    )
    rewrite, zero_seconds = _quartz_rewrite(fields)
    if rewrite:
        fix = f"; drop the seconds: use `{rewrite}`{_cron_words(rewrite, zone)}"
    elif not zero_seconds:
        fix = "; EventBridge has no seconds field, so drop it and run on whole minutes"
    else:
        fix = "; drop the seconds field"
    return ScheduleProblem(INVALID, lead + fix + quote, "cron")


def _even_cycle_crons(minutes: int) -> list[str] | None:
    """Cron schedules that together run exactly every `minutes` minutes, if at most three do."""
    if 1440 % minutes:
        return None
    by_hour: dict[int, set[int]] = {}
    for start in range(0, 1440, minutes):
        by_hour.setdefault(start // 60, set()).add(start % 60)
    groups: dict[frozenset[int], set[int]] = {}
    for hour, mins in by_hour.items():
        groups.setdefault(frozenset(mins), set()).add(hour)
    if len(groups) > 3:
        return None
    ordered = sorted(groups.items(), key=lambda item: min(item[1]))
    return [f"{_render(mins, 0, 59)} {_render(hours, 0, 23)} * * ? *" for mins, hours in ordered]


def _neighbours(value: int, divisors: tuple[int, ...], unit: str) -> str:
    below = [d for d in divisors if d < value]
    above = [d for d in divisors if d > value]
    return " or ".join(f"`every {d}{unit}`" for d in below[-1:] + above[:1])


def _uneven_rate(rate: str, value: float | None, unit: str | None, zone: str | None) -> str | None:
    """Why an accepted rate does not run at the interval it names, or None when it does."""
    if unit in ("day", "week", "month", "year"):
        if value is None or value == 1:
            return None
        fields = _translate_rate(value, unit)
        spec = _spec(fields) if fields else None
        actual = (_describe(spec, zone) if spec else None) or f"as `every {unit}`"
        count = _js_str(value)
        days = int(value) * (1 if unit == "day" else 7)
        if unit in ("day", "week") and days > 0:
            fix = (
                f"use `every {unit}` if that is intended, or an EventBridge Scheduler `rate({days} days)` "
                "schedule made with CDK in backend.ts"
            )
        elif unit == "month" and value > 0 and 12 % value == 0:
            fix = f"for every {count} months use the cron `0 0 1 */{count} ? *`"
        else:
            fix = f"use `every {unit}` or a cron that lists the {unit}s"
        return f"Amplify ignores the number in `{rate}`, so it runs {actual}; {fix}"
    step = int(value or 0)
    size, divisors, name = (
        (60, (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30), "minute") if unit == "m" else (24, (1, 2, 3, 4, 6, 8, 12), "hour")
    )
    if step <= 0 or step == size or (step < size and size % step == 0):
        return None
    field = "minute" if unit == "m" else "hour"
    if step < size:
        runs = list(range(0, size, step))
        last, gap = runs[-1], size - runs[-1]
        shown = runs if len(runs) <= 3 else [runs[0], runs[1], "...", last]
        times = ", ".join(str(t) if t == "..." else (f":{t:02}" if unit == "m" else f"{t:02}:00") for t in shown)
        where = (
            (f"{times} and then :00 again only {gap} minute{'s' * (gap > 1)} later")
            if unit == "m"
            else (f"{times} and then 00:00 again only {gap} hour{'s' * (gap > 1)} later")
        )
        lead = (
            f"Rate `{rate}` becomes the {field} step `*/{step}`, which restarts every "
            f"{'hour' if unit == 'm' else 'day'}: it runs at {where}"
        )
    else:
        lead = (
            f"Rate `{rate}` becomes the {field} step `*/{step}`, which only matches {field} 0, so it runs "
            f"{'every hour' if unit == 'm' else 'once a day at 00:00'} instead of every {step} {name}s"
        )
    crons = _even_cycle_crons(step) if unit == "m" else None
    if unit == "m" and step % 60 == 0 and 24 % (step // 60) == 0:
        fix = f"use `every {step // 60}h`"
    elif crons and len(crons) > 1:
        fix = "for an exact cycle use `schedule: [" + ", ".join(f"'{c}'" for c in crons) + "]`"
    elif step < size:
        fix = f"use a rate that divides {size}, such as {_neighbours(step, divisors, unit or 'm')}"
    else:
        fix = (
            f"for an exact {step}-{name} cycle use an EventBridge Scheduler `rate({step} {name}s)` "
            "schedule made with CDK in backend.ts"
        )
    return f"{lead}; {fix}"


def _accepted_problems(zoned: _Zoned, verdict: _Verdict, timeout: float | None) -> list[ScheduleProblem]:
    """Problems in a schedule Amplify accepts: deploy failures, odd steps, overlapping runs."""
    fields = verdict.fields or ()
    zone = zoned.timezone
    if verdict.is_rate:
        text, key = zoned.rate or "", "rate"
        if verdict.rate_unit in ("m", "h") and not verdict.rate_value:
            step = "undefined" if verdict.rate_value is None else "0"
            why = "has no number" if verdict.rate_value is None else "passes Amplify's check (it skips the number 0)"
            return [
                ScheduleProblem(
                    INVALID,
                    f"Rate `{text}` {why}, but it becomes the cron step `*/{step}`, which EventBridge "
                    f"Scheduler rejects at deploy; use a positive number such as "
                    f"`every 1{verdict.rate_unit}`",
                    key,
                )
            ]
    else:
        text, key = zoned.cron or "", "cron"
        split = text.split(" ")
        if len(split) > 6:
            return [_extra_fields_problem(text, split, zone, "")]
    issue = _deploy_issue(fields)
    if issue:
        tidy = " ".join(text.split())
        fix = f"; use `{tidy}`" if tidy != text and not verdict.is_rate and _amplify_accepts(tidy) else ""
        kind = "Rate" if verdict.is_rate else "Cron schedule"
        return [
            ScheduleProblem(
                INVALID,
                f"{kind} `{text}` passes Amplify's check, but EventBridge Scheduler rejects it at deploy: {issue}{fix}",
                key,
            )
        ]
    problems = []
    if verdict.is_rate:
        uneven = _uneven_rate(text, verdict.rate_value, verdict.rate_unit, zone)
        if uneven:
            problems.append(ScheduleProblem(UNEVEN_STEP, uneven, key))
    spec = _spec(fields)
    interval = _smallest_interval(spec) if spec and timeout else None
    if interval is not None and timeout is not None and interval < timeout:
        kind = "Rate" if verdict.is_rate else "Cron schedule"
        problems.append(
            ScheduleProblem(
                OVERLAP,
                f"{kind} `{text}` can start a run only {_interval_words(interval)} ({interval} s) after the "
                f"previous one, less than the function's {_js_str(timeout)}-second timeout, so runs may overlap; "
                f"space the runs at least {_js_str(timeout)} seconds apart or lower `timeoutSeconds`",
                key,
            )
        )
    return problems


@functools.lru_cache(maxsize=1)
def _iana_zones() -> frozenset[str]:
    import zoneinfo

    # 'localtime' is a file of the host's tz database, not a zone name EventBridge knows.
    return frozenset(zoneinfo.available_timezones()) - {"localtime"}


def _timezone_problem(zone: str | None) -> ScheduleProblem | None:
    if zone is None or zone == _DEFAULT_TIMEZONE:
        return None
    zones = _iana_zones()
    if not zones or zone in zones:  # no tz database on this host: cannot tell, stay silent
        return None
    import difflib

    lowered = {z.lower(): z for z in zones}
    match = lowered.get(zone.lower())
    if match is None:
        close = difflib.get_close_matches(zone.lower(), sorted(lowered), n=1, cutoff=0.8)
        match = lowered[close[0]] if close else None
        if match is not None and any(c.isdigit() for c in zone + match):
            match = None  # `GMT+1` is not a typo of `GMT+0`: a digit changes the time, never suggest it
    fix = f"; use `{match}`" if match else "; use an IANA name such as `Europe/Berlin`, `America/New_York` or `UTC`"
    return ScheduleProblem(
        INVALID_TIMEZONE,
        f"Time zone `{zone}` is not an IANA time zone name, so the deploy fails (Amplify passes it to "
        f"EventBridge Scheduler unchecked){fix}",
        "timezone",
    )


def check_function_schedule(schedule: FunctionSchedule, timeout_seconds: int | float | None) -> list[ScheduleProblem]:
    """Problems with one `defineFunction` schedule entry (a string, or the object form as a dict).

    Values that are not statically known (anything but str in the object) make the check silent.
    `timeout_seconds` None skips the timeout checks; Amplify's default of 3 s could never trigger them."""
    zoned = _hydrate(schedule)
    if zoned is None:
        zone = schedule.get("timezone") if isinstance(schedule, Mapping) else None
        zone_problem = _timezone_problem(zone) if isinstance(zone, str) else None
        return [zone_problem] if zone_problem else []
    if isinstance(zoned, ScheduleProblem):
        return [zoned]
    verdict = _amplify_verdict(zoned, timeout_seconds)
    if verdict.crash or verdict.errors:
        if verdict.is_rate or (zoned.has_rate and zoned.cron is None):
            problems = [_rate_rejection(zoned, verdict, timeout_seconds)]
        else:
            problems = [_cron_rejection(zoned, verdict)]
    else:
        problems = _accepted_problems(zoned, verdict, timeout_seconds)
    zone_problem = _timezone_problem(zoned.timezone)
    if zone_problem:
        problems.append(zone_problem)
    return problems


def _valid_spec(schedule: FunctionSchedule) -> tuple[_CronSpec, _Zoned] | None:
    zoned = _hydrate(schedule)
    if not isinstance(zoned, _Zoned):
        return None
    verdict = _amplify_verdict(zoned, None)
    if verdict.fields is None or _deploy_issue(verdict.fields) or _timezone_problem(zoned.timezone):
        return None
    if not verdict.is_rate and len((zoned.cron or "").split(" ")) > 6:
        return None
    spec = _spec(verdict.fields)
    return (spec, zoned) if spec else None


def deployed_cron(schedule: FunctionSchedule) -> str | None:
    """The EventBridge cron fields Amplify deploys for a valid schedule (`every 5m` -> `*/5 * * * ? *`)."""
    zoned = _hydrate(schedule)
    if not isinstance(zoned, _Zoned):
        return None
    verdict = _amplify_verdict(zoned, None)
    return " ".join(verdict.fields) if verdict.fields and _valid_spec(schedule) else None


def explain_schedule(schedule: FunctionSchedule) -> str | None:
    """Words for when a valid schedule runs (`0 9 ? * 2 *` -> "at 09:00 UTC on Mondays"); None otherwise."""
    valid = _valid_spec(schedule)
    return _describe(valid[0], valid[1].timezone) if valid else None


def smallest_run_interval(schedule: FunctionSchedule) -> int | None:
    """Seconds between the two closest consecutive runs of a valid schedule; None if unknown or once."""
    valid = _valid_spec(schedule)
    return _smallest_interval(valid[0]) if valid else None


# --- CDK: events.Schedule.cron / scheduler.ScheduleExpression.cron options ---------------------------

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
    weekdays = _eventbridge_values(week_day, "day-of-week")
    span = re.fullmatch(r"([0-9]+)-([0-9]+)", day)
    if weekdays and len(weekdays) == 1 and span:
        first, last = int(span.group(1)), int(span.group(2))
        number = next(iter(weekdays))
        name = _DAY_WORDS[number - 1]
        # The last <day> of a month always falls in its final seven days, the nth in days 7n-6..7n.
        if last == 31 and 22 <= first <= 25:
            fix = f"; for the last {name} of every month use `weekDay: '{number}L'` without `day`"
        elif last - first == 6 and first in (1, 8, 15, 22):
            nth = (first - 1) // 7 + 1
            fix = f"; for the {_NTH[nth]} {name} of every month use `weekDay: '{number}#{nth}'` without `day`"
    return (
        f"`Schedule.cron` gets both `day: '{day}'` and `weekDay: '{week_day}'`, which CDK rejects at "
        "synth because EventBridge matches a day of the month or a day of the week, not both"
        f'{fix} (CDK: "{CDK_BOTH_DAYS}")'
    )


def _cdk_fields(options: Mapping[str, object], minute: str) -> tuple[str, ...] | None:
    """The six fields CDK builds from cron options (its fallbacks), or None if any is unknown."""
    values = {}
    for key, _ in _CDK_CRON_KEYS:
        value = options.get(key)
        if value is not None and not isinstance(value, str):
            return None
        values[key] = value
    if values["day"] is not None and values["weekDay"] is not None:
        return None

    def given(key: str, fallback: str) -> str:
        return fallback if values[key] is None else values[key]  # CDK's `??`: '' stays ''

    day = given("day", "?" if values["weekDay"] is not None else "*")
    return (minute, given("hour", "*"), day, given("month", "*"), given("weekDay", "?"), given("year", "*"))


def _every_minute_message(options: Mapping[str, object], zone: str | None) -> str:
    words = []
    for minute in ("*", "0"):
        fields = _cdk_fields(options, minute)
        spec = _spec(fields) if fields and _deploy_issue(fields) is None else None
        words.append(_describe(spec, zone) if spec else None)
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
            issue = _eventbridge_issue(value, part)
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

_CDK_UNIT_MILLIS = {"millis": 1, "seconds": 1_000, "minutes": 60_000, "hours": 3_600_000, "days": 86_400_000}
CDK_DURATION_ZERO_TEXT = "Duration cannot be 0"


def duration_seconds(unit: str, amount: float) -> float:
    """Seconds in `Duration.<unit>(amount)`; unit is millis, seconds, minutes, hours or days."""
    return amount * _CDK_UNIT_MILLIS[unit] / 1000


def _cdk_convert(unit: str, amount: float, target: str) -> tuple[float, str | None]:
    """CDK's `convert` with `integral: true`: the value and CDK's error text when it is not whole."""
    source, goal = _CDK_UNIT_MILLIS[unit], _CDK_UNIT_MILLIS[target]
    if source == goal:
        if not float(amount).is_integer():
            return amount, f"{_js_str(amount)} must be a whole number of {target}."
        return amount, None
    value = amount * source / goal
    if not float(value).is_integer():
        return value, f"'{_js_str(amount)} {unit}' cannot be converted into a whole number of {target}."
    return value, None


def _negative_duration(unit: str, amount: float) -> ScheduleProblem | None:
    if amount >= 0:
        return None
    return ScheduleProblem(
        CDK_DURATION_NEGATIVE,
        f"`Duration.{unit}({_js_str(amount)})` is negative, which CDK rejects when it creates the duration; "
        f'use a positive amount (CDK: "Duration amounts cannot be negative. Received: {_js_str(amount)}")',
    )


def check_duration_rate(unit: str, amount: float) -> ScheduleProblem | None:
    """`events.Schedule.rate` / `scheduler.ScheduleExpression.rate` with `Duration.<unit>(amount)`."""
    negative = _negative_duration(unit, amount)
    if negative:
        return negative
    minutes, error = _cdk_convert(unit, amount, "minutes")
    shown = f"Duration.{unit}({_js_str(amount)})"
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
    shown = f"Duration.{unit}({_js_str(amount)})"
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
    lead = f"`retryAttempts: {_js_str(value)}` is outside the 0-185 that EventBridge allows"
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
