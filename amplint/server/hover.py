"""Hover: what amplint knows about the function under the cursor (a `defineFunction(...)` call, a
`backend.<key>` or a `defineBackend` key): its resolved name, entry, runtime, timeout, the nested
stack it lands in, and its schedules in words with the next runs.

`function_facts` gathers the facts from the backend model in one place, so the hover's text does not
depend on where they come from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

from ..model.backend import Backend, FunctionDef, ResourceDef
from ..model.schedules import deployed_cron, explain_schedule
from ..model.schedules.amplify_parser import Zoned, hydrate
from ..model.schedules.timing import CronSpec, cron_spec
from ..model.values import UNKNOWN

DEFAULT_RUNTIME = 22  # Amplify's default Node.js version (as amplint/checks/function_config.py reads it)
NEXT_RUNS = 3
_SEARCH_DAYS = 366 * 8  # a cron restricted to some years may not run for a while; beyond this: "none soon"


class Schedule(NamedTuple):
    written: str  # as in the source
    words: str | None  # when it runs, None when amplint cannot tell (not static, or invalid)
    timezone: str | None  # the IANA zone the cron runs in; None: UTC
    next_runs: tuple[datetime, ...]  # in UTC


class FunctionFacts(NamedTuple):
    name: str | None  # None: not static
    key: str | None  # the `defineBackend` key it is registered under
    entry: str | None  # relative to the project; None: custom, or not static
    runtime: str  # as words: `Node.js 22`, or why it is not known
    timeout: str
    stack: str | None  # the nested stack (resource group); None: not static
    deployed: bool
    schedules: tuple[Schedule, ...]


def function_facts(backend: Backend, fn: FunctionDef, now: datetime | None = None) -> FunctionFacts:
    """What the hover shows about `fn`; `now` (aware) is when the next runs are counted from."""
    moment = now or datetime.now(timezone.utc)
    if fn.custom:
        runtime = "set by the construct the callback creates"
    else:
        value = fn.value("runtime", DEFAULT_RUNTIME)
        runtime = f"Node.js {value}" if value is not UNKNOWN else "not known statically"
    seconds, _ = fn.timeout
    timeout = f"{seconds} s" if seconds is not UNKNOWN else "not known statically"
    return FunctionFacts(
        name=fn.name if isinstance(fn.name, str) else None,
        key=backend.backend_key(fn),
        entry=backend.relative(fn.entry) if fn.entry is not None else None,
        runtime=runtime,
        timeout=timeout,
        stack=fn.stack if isinstance(fn.stack, str) else None,
        deployed=backend.is_deployed(fn),
        schedules=tuple(_schedule(entry.expr.node.text or b"", entry.value, moment) for entry in fn.schedules),
    )


def _schedule(source: bytes, value: object, now: datetime) -> Schedule:
    written = " ".join(source.decode("utf-8", "replace").split())
    if not isinstance(value, (str, Mapping)):
        return Schedule(written, None, None, ())
    words = explain_schedule(value)
    cron = deployed_cron(value)
    zoned = hydrate(value)
    zone = zoned.timezone if isinstance(zoned, Zoned) else None
    spec = cron_spec(tuple(cron.split())) if cron else None
    runs = next_runs(spec, zone, now) if spec is not None and words is not None else ()
    return Schedule(written, words, zone, runs)


def next_runs(spec: CronSpec, zone: str | None, after: datetime, count: int = NEXT_RUNS) -> tuple[datetime, ...]:
    """The next `count` times (UTC) an EventBridge cron (`CronSpec`) runs after `after`, counted in
    the time zone `zone` (None: UTC); none for day fields amplint does not expand (`L`, `W`, `#`)."""
    from zoneinfo import ZoneInfo

    if spec.days_of_month is None and spec.days_of_week is None:
        return ()
    try:
        zone_info = ZoneInfo(zone) if zone and zone != "UTC" else timezone.utc
    except (KeyError, ValueError, OSError):  # not a zone this machine knows (ZoneInfoNotFoundError is a KeyError)
        return ()
    day = after.astimezone(zone_info).date()
    runs: list[datetime] = []
    times = sorted((hour, minute) for hour in spec.hours for minute in spec.minutes)
    for _ in range(_SEARCH_DAYS):
        if spec.years is not None and day.year > max(spec.years):
            break
        if _runs_on(spec, day):
            for hour, minute in times:
                run = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone_info).astimezone(timezone.utc)
                if run > after:
                    runs.append(run)
                    if len(runs) == count:
                        return tuple(runs)
        day += timedelta(days=1)
    return tuple(runs)


def _runs_on(spec: CronSpec, day: date) -> bool:
    if day.month not in spec.months or (spec.years is not None and day.year not in spec.years):
        return False
    if spec.days_of_month is not None:
        return day.day in spec.days_of_month
    eventbridge_weekday = (day.weekday() + 1) % 7 + 1  # EventBridge: 1 is Sunday
    return spec.days_of_week is not None and eventbridge_weekday in spec.days_of_week


def markdown(facts: FunctionFacts) -> str:
    """The hover's text."""
    title = f"`{facts.name}`" if facts.name else "a function whose name is not known statically"
    lines = [f"**Function** {title}" + (f" (`backend.{facts.key}`)" if facts.key else ""), ""]
    if not facts.deployed:
        lines += ["Not deployed: nothing reachable from `defineBackend` uses it.", ""]
    rows = [
        ("Entry", f"`{facts.entry}`" if facts.entry else "not known statically"),
        ("Runtime", facts.runtime),
        ("Timeout", facts.timeout),
        ("Nested stack", f"`{facts.stack}`" if facts.stack else "not known statically"),
    ]
    lines += [f"- {label}: {value}" for label, value in rows]
    for schedule in facts.schedules:
        lines += ["", f"**Schedule** `{schedule.written}`"]
        if schedule.words is None:
            lines.append("- amplint cannot tell when it runs (not static, or not a valid schedule)")
            continue
        lines.append(f"- Runs {schedule.words}")
        if not schedule.next_runs:
            lines.append("- Next runs: none amplint can compute")
            continue
        lines.append("- Next runs:")
        for run in schedule.next_runs:
            when = run.strftime("%Y-%m-%d %H:%M UTC")
            if schedule.timezone and schedule.timezone != "UTC":
                from zoneinfo import ZoneInfo

                local = run.astimezone(ZoneInfo(schedule.timezone))
                when += f" ({local.strftime('%Y-%m-%d %H:%M')} {schedule.timezone})"
            lines.append(f"  - {when}")
    return "\n".join(lines) + "\n"


def resource_markdown(backend: Backend, resource: ResourceDef) -> str:
    key = backend.backend_key(resource)
    name = {"data": "defineData", "auth": "defineAuth", "storage": "defineStorage"}.get(resource.kind, resource.kind)
    registered = f" (`backend.{key}`)" if key else " (not registered in `defineBackend`)"
    return f"**{name}**{registered}\n\n- Nested stack: `{resource.stack}`\n"


def hover_at(backend: Backend, path: Path, offset: int, now: datetime | None = None) -> str | None:
    """The hover's text at byte `offset` of `path`: on a `backend.<key>` or a `defineBackend` key,
    what it registers; inside a `defineFunction(...)` (or `defineData`, ...) call, that definition."""
    target: FunctionDef | ResourceDef | None = None
    define = backend.define_backend
    if define is not None and define.module.path == path:
        for use in define.uses:
            if use.member.start_byte <= offset <= use.member.end_byte:
                target = backend.registration_targets.get(use.key)
        for key, registration in define.registrations.items():
            if registration.key_node.start_byte <= offset <= registration.key_node.end_byte:
                target = backend.registration_targets.get(key)
    if target is None:
        calls: list[FunctionDef | ResourceDef] = [*backend.functions, *backend.resources]
        inside = [d for d in calls if d.module.path == path and d.call.start_byte <= offset < d.call.end_byte]
        if inside:
            target = min(inside, key=lambda d: d.call.end_byte - d.call.start_byte)
    if isinstance(target, FunctionDef):
        return markdown(function_facts(backend, target, now))
    if isinstance(target, ResourceDef):
        return resource_markdown(backend, target)
    return None
