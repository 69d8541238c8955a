"""Explanations for messages: when a cron runs in plain English ("at 09:00 UTC on Mondays") and how long
an interval is ("5 minutes")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .cron_grammar import NAMES, atom_value, dow_special_pattern
from .timing import CronSpec, even_step

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
DAY_WORDS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
NTH = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}


def _join(items: Iterable[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
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


def _compact(values: Iterable[int], word: Callable[[int], str] = str, through: str = "-") -> str:
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


def _time_words(minutes: frozenset[int], hours: frozenset[int], zone: str | None) -> tuple[str, bool]:
    """Words for the times of day, and whether they already repeat through the day on their own."""
    label = f" {zone}" if zone else ""
    minute_step = even_step(minutes, 60)
    if len(hours) == 24:
        if len(minutes) == 60:
            return "every minute", True
        if minute_step:
            return f"every {minute_step} minutes", True
        if len(minutes) == 1:
            return f"every hour at :{min(minutes):02}", True
        return f"at {_join(f':{m:02}' for m in sorted(minutes))} past every hour", True
    hour_step = even_step(hours, 24)
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


def _special_day_words(token: str, in_week: bool) -> str | None:
    if not in_week:
        if token == "L":
            return "on the last day"
        if token == "LW":
            return "on the last weekday"
        nearest = re.fullmatch(r"([0-9]+)W", token)
        return f"on the weekday nearest the {_ordinal(int(nearest.group(1)))}" if nearest else None
    match = dow_special_pattern().fullmatch(token)
    if match is None:
        return None
    day = match.group(1) or match.group(2)
    number = atom_value(day, NAMES["day-of-week"]) if day else None
    if number is None or not 1 <= number <= 7:
        return None
    if match.group(3):
        nth = NTH.get(int(match.group(3)))
        return f"on the {nth} {DAY_WORDS[number - 1]}" if nth else None
    return f"on the last {DAY_WORDS[number - 1]}"


def _day_words(spec: CronSpec) -> str | None:
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
        return "on " + _join(DAY_WORDS[d - 1] + "s" for d in sorted(days))
    days = spec.days_of_month or frozenset()
    if len(days) == 31:
        return ""
    return "on the " + _compact(days, _ordinal, " to ")


def describe(spec: CronSpec, zone: str | None) -> str | None:
    """When the cron runs, in words, with times labelled by the zone (None: unlabelled)."""
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


def interval_words(seconds: int) -> str:
    """`1 day`, `3 hours`, `5 minutes`, or `90 seconds`."""
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"
