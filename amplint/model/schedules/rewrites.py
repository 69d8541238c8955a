"""Schedules written for something else (Linux crontab, Quartz, EventBridge's `cron(...)`/`rate(...)`,
`@daily`, `every 2 hours`), rewritten into the form Amplify's parser accepts when one exists."""

from __future__ import annotations

import functools
import re

from .amplify_parser import amplify_accepts
from .cron_grammar import DAY_ABBR, NAMES, PARTS, RANGE, eventbridge_values, field_values, render

MACROS = {
    "@yearly": "every year",
    "@annually": "every year",
    "@monthly": "every month",
    "@weekly": "every week",
    "@daily": "every day",
    "@midnight": "every day",
    "@hourly": "every 1h",
}
EITHER_DAY = "either-day"
# Linux crontab numbers days 0=SUN..6=SAT (and 7=SUN); EventBridge 1=SUN..7=SAT.
_LINUX_DAYS = {n: i for i, n in enumerate(DAY_ABBR)}


@functools.cache
def wrapped_pattern() -> re.Pattern[str]:
    """EventBridge's `cron(...)` / `rate(...)` wrapper: group 1 the word, group 2 what it wraps."""
    return re.compile(r"\s*(cron|rate)\((.*)\)\s*", re.IGNORECASE)


def linux_to_eventbridge(fields: list[str]) -> str | None:
    """The EventBridge cron for a 5-field Linux crontab line, `EITHER_DAY`, or None if not Linux."""
    minutes = field_values(fields[0], 0, 59)
    hours = field_values(fields[1], 0, 23)
    days = field_values(fields[2], 1, 31)
    months = field_values(fields[3], 1, 12, NAMES["month"])
    weekdays = field_values(fields[4], 0, 7, _LINUX_DAYS)
    if minutes is None or hours is None or days is None or months is None or weekdays is None:
        return None
    weekdays = frozenset(w % 7 + 1 for w in weekdays)  # Linux 0 and 7 are Sunday = EventBridge 1
    all_days, all_weekdays = len(days) == 31, len(weekdays) == 7
    # Vixie cron: a day field starting with '*' makes the two day fields AND; otherwise they OR.
    if fields[2].startswith("*") or fields[4].startswith("*"):
        if all_weekdays:
            day, weekday = render(days, 1, 31), "?"
        elif all_days:
            day, weekday = "?", render(weekdays, 1, 7)
        else:
            return EITHER_DAY
    elif all_days or all_weekdays:
        day, weekday = "*", "?"
    else:
        return EITHER_DAY
    return " ".join((render(minutes, 0, 59), render(hours, 0, 23), day, render(months, 1, 12), weekday, "*"))


def reads_the_same_in_both(weekday: str) -> bool:
    """Whether a crontab day-of-week field means the same days whichever numbering it was written
    for: it uses no day numbers (`*`, `MON-FRI`), or it names Sunday `0`, which only Linux has. A
    number alone (`0 9 * * 1`) may be Linux's Monday or EventBridge's Sunday with the `?` forgotten."""
    return "0" in re.split(r"[,/-]", weekday) or not any(c.isdigit() for c in weekday)


def eventbridge_rewrite(fields: list[str]) -> str | None:
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
        values = eventbridge_values(token, part)
        if values is None:
            return None
        rendered.append(render(values, *RANGE[part]))
    result = " ".join(rendered)
    return result if amplify_accepts(result) else None


def quartz_rewrite(fields: list[str]) -> tuple[str | None, bool]:
    """(EventBridge cron without the seconds field, whether seconds were zero) for a Quartz cron."""
    rest = fields[1:]
    if len(rest) == 5:
        rest.append("*")
    zero_seconds = fields[0] in ("0", "00")
    if len(rest) != 6 or not zero_seconds:
        return None, zero_seconds
    candidate = " ".join(rest)
    if amplify_accepts(candidate):
        return candidate, True
    return eventbridge_rewrite(rest), True


def looks_quartz(fields: list[str]) -> bool:
    # Quartz (seconds first) puts its '?' in the 4th or 6th field, where EventBridge has month and year.
    return len(fields) in (6, 7) and "?" in (fields[3], fields[5])


def rate_suggestion(text: str) -> tuple[str | None, str | None]:
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
