"""When a valid cron runs: its fields expanded into sets (`CronSpec`), the smallest gap between two runs,
even steps, and the crons that together run at an exact interval."""

from __future__ import annotations

from collections.abc import Iterable

from ...records import NamedTuple
from .cron_grammar import dom_special_pattern, dow_special_pattern, eventbridge_values, render


class CronSpec(NamedTuple):
    """The expanded fields of an EventBridge cron; days of the week use EventBridge's 1=Sunday."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int] | None
    days_of_week: frozenset[int] | None
    months: frozenset[int]
    years: frozenset[int] | None  # None: every year
    special_day: str | None = None  # an L / W / # day field, kept as written (words only)
    special_in_week: bool = False


def cron_spec(fields: tuple[str, ...]) -> CronSpec | None:
    """The six fields of a cron EventBridge accepts, expanded; None when we cannot expand them."""
    minute, hour, dom, month, dow, year = fields
    minutes, hours = eventbridge_values(minute, "minutes"), eventbridge_values(hour, "hours")
    months = eventbridge_values(month, "month")
    years = None if year == "*" else eventbridge_values(year, "year")
    if minutes is None or hours is None or months is None or (year != "*" and years is None):
        return None
    if years is not None and len(years) == 2199 - 1970 + 1:
        years = None
    if (dom == "?") == (dow == "?"):
        return None
    if dom != "?":
        if dom_special_pattern().fullmatch(dom.upper()):
            return CronSpec(minutes, hours, None, None, months, years, dom.upper())
        days = eventbridge_values(dom, "day-of-month")
        return None if days is None else CronSpec(minutes, hours, days, None, months, years)
    days = eventbridge_values(dow, "day-of-week")
    if days is None and dow_special_pattern().fullmatch(dow):
        return CronSpec(minutes, hours, None, None, months, years, dow, True)
    return None if days is None else CronSpec(minutes, hours, None, days, months, years)


def even_step(values: frozenset[int], size: int) -> int | None:
    """n when the values are exactly 0, n, 2n, ... and n divides the cycle (60 minutes, 24 hours)."""
    if len(values) < 2 or 0 not in values:
        return None
    stride = min(values - {0})
    if size % stride == 0 and values == frozenset(range(0, size, stride)):
        return stride
    return None


def month_length(year: int, month: int) -> int:
    """The number of days in the month."""
    import calendar  # only schedules with a timeout or special days need calendar dates

    return calendar.monthrange(year, month)[1]


def _firing_days(spec: CronSpec) -> tuple[bool, int | None]:
    """(whether any day fires, smallest gap in days between consecutive firing days)."""
    if spec.days_of_week is not None:
        # Every month has four full weeks, so the weekly pattern's closest pair always occurs.
        days = sorted(spec.days_of_week)
        return True, min([b - a for a, b in zip(days, days[1:])] + [days[0] + 7 - days[-1]])
    every_month = len(spec.months) == 12
    if every_month and spec.years is None and len(spec.days_of_month or ()) == 31:
        return True, 1
    import datetime

    # Walk months, not minutes: a leap year and a common year show every month-length transition;
    # with chosen months, two leap cycles also catch Feb 29 patterns.
    if spec.years is None:
        years: Iterable[int] = range(2024, 2026 if every_month else 2032)
    else:
        years = sorted(spec.years)[:40]
    ordinals: list[int] = []
    for year in years:
        for month in sorted(spec.months):
            length = month_length(year, month)
            base = datetime.date(year, month, 1).toordinal() - 1
            ordinals.extend(base + d for d in sorted(spec.days_of_month or ()) if d <= length)
    gaps = [b - a for a, b in zip(ordinals, ordinals[1:])]
    return bool(ordinals), (min(gaps) if gaps else None)


def _smallest_gap(values: Iterable[int]) -> int | None:
    ordered = sorted(values)
    return min((b - a for a, b in zip(ordered, ordered[1:])), default=None)


def smallest_interval(spec: CronSpec) -> int | None:
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


def even_cycle_crons(minutes: int) -> list[str] | None:
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
    return [f"{render(mins, 0, 59)} {render(hours, 0, 23)} * * ? *" for mins, hours in ordered]
