"""When a deployed cron fires next: its runs after a given instant, in the time zone EventBridge evaluates
it in (the schedule's `timezone`, UTC by default)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from .cron_grammar import NAMES, atom_value, dow_special_pattern
from .timing import CronSpec, month_length

# How far ahead to look for runs: three runs of a February 29 schedule (one in four years, or eight across 2100).
_HORIZON_DAYS = 366 * 12
_UTC = datetime.timezone.utc


def next_runs(
    spec: CronSpec, zone: datetime.tzinfo, after: datetime.datetime, count: int = 3
) -> list[datetime.datetime]:
    """The first `count` runs strictly after `after` (an aware instant), as aware datetimes in UTC. A
    local time that a daylight-saving change skips does not exist, so it is not a run; one it repeats
    is counted once, at its first occurrence. Fewer than `count` when the cron runs fewer times within
    about nine years (a past year), none when a special day form cannot be evaluated."""
    start = after.astimezone(zone)
    runs: list[datetime.datetime] = []
    for day in _days(spec, start.date()):
        for hour in sorted(spec.hours):
            for minute in sorted(spec.minutes):
                local = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                instant = local.astimezone(_UTC)
                if instant.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
                    continue  # skipped by a daylight-saving change
                if instant > after and (not runs or instant > runs[-1]):
                    runs.append(instant)
                    if len(runs) == count:
                        return runs
    return runs


def _days(spec: CronSpec, first: datetime.date) -> Iterator[datetime.date]:
    """The days the cron fires on, from `first` on, within the horizon."""
    day = first
    for _ in range(_HORIZON_DAYS):
        if spec.years is not None and day.year > max(spec.years):
            return
        if (spec.years is None or day.year in spec.years) and day.month in spec.months:
            fires = _fires_on(spec, day)
            if fires is None:
                return
            if fires:
                yield day
        if day == datetime.date.max:
            return
        day += datetime.timedelta(days=1)


def _fires_on(spec: CronSpec, day: datetime.date) -> bool | None:
    """Whether the day fields match `day`; None when a special form cannot be evaluated."""
    weekday = day.isoweekday() % 7 + 1  # EventBridge: 1=Sunday .. 7=Saturday
    if spec.special_day is not None:
        return _special(spec.special_day, spec.special_in_week, day, weekday)
    if spec.days_of_week is not None:
        return weekday in spec.days_of_week
    return spec.days_of_month is not None and day.day in spec.days_of_month


def _special(token: str, in_week: bool, day: datetime.date, weekday: int) -> bool | None:
    last = day.replace(day=month_length(day.year, day.month))
    if not in_week:
        if token == "L":
            return day == last
        if token == "LW":
            target = last - datetime.timedelta(days=max(0, last.isoweekday() - 5))
            return day == target
        before = re.fullmatch(r"L-([0-9]+)", token)
        if before:
            return day.day == last.day - int(before.group(1))
        nearest = re.fullmatch(r"([0-9]+)W", token)
        if nearest is None:
            return None
        wanted = int(nearest.group(1))
        if wanted > last.day:
            return False
        return day == _nearest_weekday(day.replace(day=wanted), last)
    match = dow_special_pattern().fullmatch(token)
    if match is None:
        return None
    name = match.group(1) or match.group(2)
    number = atom_value(name, NAMES["day-of-week"]) if name else None
    if number is None or not 1 <= number <= 7 or number != weekday:
        return None if number is None or not 1 <= number <= 7 else False
    if match.group(3):
        return (day.day - 1) // 7 + 1 == int(match.group(3))
    return (last - day).days < 7


def _nearest_weekday(target: datetime.date, last: datetime.date) -> datetime.date:
    """Quartz's `W`: the weekday nearest `target` without leaving its month."""
    iso = target.isoweekday()
    if iso == 6:  # Saturday: Friday before, unless that leaves the month
        return target - datetime.timedelta(days=1) if target.day > 1 else target + datetime.timedelta(days=2)
    if iso == 7:  # Sunday: Monday after, unless that leaves the month
        return target + datetime.timedelta(days=1) if target < last else target - datetime.timedelta(days=2)
    return target
