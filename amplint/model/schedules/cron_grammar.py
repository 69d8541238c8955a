"""EventBridge's cron grammar: the six fields with their ranges and names, what EventBridge accepts in each
(`?`, `L`, `W`, `#`), a field expanded into the values it matches, and values written back as a field."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping

PARTS = ("minutes", "hours", "day-of-month", "month", "day-of-week", "year")
RANGE = {
    "minutes": (0, 59),
    "hours": (0, 23),
    "day-of-month": (1, 31),
    "month": (1, 12),
    "day-of-week": (1, 7),
    "year": (1970, 2199),
}
_MONTH_ABBR = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
DAY_ABBR = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
# EventBridge numbers months 1-12 and days 1=SUN..7=SAT (Linux crontab's 0=SUN..6=SAT is in rewrites).
NAMES = {
    "month": {n: i + 1 for i, n in enumerate(_MONTH_ABBR)},
    "day-of-week": {n: i + 1 for i, n in enumerate(DAY_ABBR)},
}


@functools.cache
def item_pattern() -> re.Pattern[str]:
    """One list item: `*`, a number or name, a range, each with an optional `/step`."""
    return re.compile(r"(\*|([0-9]+|[A-Za-z]+)(?:-([0-9]+|[A-Za-z]+))?)(?:/([0-9]+))?")


@functools.cache
def dom_special_pattern() -> re.Pattern[str]:
    """The day-of-month forms `L`, `LW`, `L-3` and `15W` (matched upper-cased)."""
    return re.compile(r"L|LW|L-[0-9]+|([0-9]+)W")


@functools.cache
def dow_special_pattern() -> re.Pattern[str]:
    """The day-of-week forms `6L` / `FRIL` (last in the month) and `2#1` / `MON#1` (nth in the month)."""
    return re.compile(r"([0-9]+|[A-Za-z]+)?L|([0-9]+|[A-Za-z]+)#([0-9]+)")


def atom_value(atom: str, names: Mapping[str, int] | None) -> int | None:
    if atom.isdigit():
        return int(atom)
    return names.get(atom.upper()) if names else None


def field_values(token: str, low: int, high: int, names: Mapping[str, int] | None = None) -> frozenset[int] | None:
    """Expand a cron field (numbers, names, `*`, ranges, lists, steps); None if it is anything else."""
    if token == "*":
        return frozenset(range(low, high + 1))
    values: set[int] = set()
    for item in token.split(","):
        match = item_pattern().fullmatch(item)
        if not match:
            return None
        whole, first, last, step = match.groups()
        if whole == "*":
            start, end = low, high
        else:
            first_value = atom_value(first, names)
            last_value = atom_value(last, names) if last else (high if step else first_value)
            if first_value is None or last_value is None or not low <= first_value <= last_value <= high:
                return None
            start, end = first_value, last_value
        stride = int(step) if step else 1
        if stride < 1:
            return None
        values.update(range(start, end + 1, stride))
    return frozenset(values)


def eventbridge_values(token: str, part: str) -> frozenset[int] | None:
    return field_values(token, *RANGE[part], NAMES.get(part))


def eventbridge_issue(token: str, part: str) -> str | None:
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
    low, high = RANGE[part]
    names = NAMES.get(part)
    if item == "":
        return f"the {part} field has an empty list item"
    if item == "?":
        return f"`?` cannot be part of a {part} list"
    if part == "day-of-month":
        special = dom_special_pattern().fullmatch(item.upper())
        if special:
            day = special.group(1)
            if day is not None and not 1 <= int(day) <= 31:
                return f"day-of-month must be between 1 and 31, not `{day}` in `{item}`"
            return None
    if part == "day-of-week" and not (item.isdigit() or item.upper() in (names or {})):
        special = dow_special_pattern().fullmatch(item)
        if special:
            day = special.group(1) or special.group(2)
            if day is not None and atom_value(day, names) not in range(1, 8):
                return f"`{day}` in `{item}` is not a day of the week (1-7 or SUN-SAT)"
            nth = special.group(3)
            if nth is not None and not 1 <= int(nth) <= 5:
                return f"`#{nth}` in `{item}` must be 1 to 5 (which occurrence in the month)"
            return None
    match = item_pattern().fullmatch(item)
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


def deploy_issue(fields: tuple[str, ...]) -> str | None:
    """What EventBridge Scheduler rejects in the six fields Amplify hands to CDK, if anything."""
    for token, part in zip(fields, PARTS):
        issue = eventbridge_issue(token, part)
        if issue:
            return issue
    if fields[2] == "?" and fields[4] == "?":
        return "`?` in both day fields leaves EventBridge no day to run on"
    return None


def render(values: Iterable[int], low: int, high: int) -> str:
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
