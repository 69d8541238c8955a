"""amplint's checks of a `defineFunction` schedule: why Amplify rejects it and what to write instead, deploy
failures, uneven steps, overlapping runs and time zones; and what a valid schedule deploys and when it runs."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from .amplify_parser import (
    AMPLIFY_RATE_NOT_WHOLE,
    AMPLIFY_UNKNOWN_RATE_UNIT,
    DEFAULT_TIMEZONE,
    Verdict,
    Zoned,
    amplify_accepts,
    amplify_quote,
    amplify_verdict,
    hydrate,
    translate_cron,
    translate_rate,
    validate_part,
)
from .cron_grammar import NAMES, PARTS, RANGE, deploy_issue
from .javascript import js_str
from .problems import INVALID, INVALID_TIMEZONE, OVERLAP, SHORTER_THAN_TIMEOUT, UNEVEN_STEP, ScheduleProblem
from .rewrites import (
    EITHER_DAY,
    MACROS,
    eventbridge_rewrite,
    linux_to_eventbridge,
    looks_quartz,
    quartz_rewrite,
    rate_suggestion,
    reads_the_same_in_both,
    wrapped_pattern,
)
from .timing import CronSpec, cron_spec, even_cycle_crons, smallest_interval
from .words import describe, interval_words
from .zones import iana_zones

FunctionSchedule = str | Mapping[str, object]


def _cron_words(cron: str, zone: str | None) -> str:
    """` (when it runs)` to follow a cron Amplify accepts in a message; empty when we have no words."""
    spec = cron_spec(translate_cron(cron))
    words = describe(spec, zone) if spec else None
    return f" ({words})" if words else ""


def _field_clause(part: str, token: str) -> str:
    """What is wrong with one cron field Amplify rejects, in words."""
    low, high = RANGE[part]
    atoms = re.split(r"[,/-]", token)
    names = NAMES.get(part)
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


def _whole_rate_fix(verdict: Verdict) -> str:
    value, unit = verdict.rate_value or 0.0, verdict.rate_unit
    if value <= 0:
        return f"use a positive number such as `every 1{unit}`"
    minutes = value * 60 if unit == "h" else value
    if unit == "h" and minutes.is_integer():
        if 60 % minutes == 0:
            return f"use `every {int(minutes)}m`"
        crons = even_cycle_crons(int(minutes))
        if crons:
            return (
                f"for an exact {int(minutes)}-minute cycle use `schedule: [" + ", ".join(f"'{c}'" for c in crons) + "]`"
            )
    low, high = math.floor(value), math.ceil(value)
    return "use " + " or ".join(f"`every {n}{unit}`" for n in (low, high) if n >= 1)


def _rate_rejection(zoned: Zoned, verdict: Verdict, timeout: float | None) -> ScheduleProblem:
    rate = zoned.rate or ""
    quote = amplify_quote(verdict)
    if verdict.crash:
        suggestion, advice = rate_suggestion(rate)
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
        f"{js_str(timeout or 0)}-second timeout, so runs could overlap; use `every {minutes}m` or "
        f"longer, or lower `timeoutSeconds`{quote}",
        "rate",
    )


def _cron_rejection(zoned: Zoned, verdict: Verdict) -> ScheduleProblem:
    cron = zoned.cron or ""
    zone = zoned.timezone
    quote = amplify_quote(verdict)
    fields = cron.split(" ")
    wrapped = wrapped_pattern().fullmatch(cron)
    if wrapped and wrapped.group(1).lower() == "rate":
        suggestion, advice = rate_suggestion(cron)
        fix = f"; use `{suggestion}`" if suggestion else f"; {advice}" if advice else ""
        return ScheduleProblem(
            INVALID,
            f"`{cron}` is an EventBridge rate expression, but Amplify's schedule takes "
            f"`every <N>m`, `every <N>h` or `every day|week|month|year`{fix}{quote}",
            "cron",
        )
    if wrapped:
        inner = wrapped.group(2).strip()
        usable = inner if amplify_accepts(inner) else eventbridge_rewrite(inner.split(" "))
        fix = f": use `{usable}`{_cron_words(usable, zone)}" if usable else ""
        return ScheduleProblem(
            INVALID,
            f"Cron schedule `{cron}` must be the bare fields without the `cron(...)` wrapper{fix}{quote}",
            "cron",
        )
    if cron.strip() in MACROS:
        return ScheduleProblem(
            INVALID,
            f"`{cron}` is a Linux crontab shortcut that Amplify does not understand; use "
            f"`{MACROS[cron.strip()]}`{quote}",
            "cron",
        )
    if cron != " ".join(cron.split()):
        tidy = " ".join(cron.split())
        fix = (
            f"; use `{tidy}`{_cron_words(tidy, zone)}"
            if amplify_accepts(tidy)
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
    if looks_quartz(fields):
        return _quartz_problem(cron, fields, zone, quote)
    if len(fields) > 6:
        return _extra_fields_problem(cron, fields, zone, quote)
    if len(fields) == 5 and "?" not in cron:
        linux = linux_to_eventbridge(fields)
        if linux is not None:
            lead = (
                f"Cron schedule `{cron}` is written for Linux crontab, but Amplify expects EventBridge's "
                "fields (minute hour day-of-month month day-of-week year, with `?` in one day field and "
                "days of the week numbered 1=Sunday to 7=Saturday, not 0=Sunday)"
            )
            if linux == EITHER_DAY:
                fix = (
                    "; Linux runs it when either the day of the month or the day of the week matches, "
                    "which one EventBridge cron cannot express, so keep one day field and put `?` in the "
                    "other"
                )
            else:
                fix = f"; use `{linux}`{_cron_words(linux, zone)}"
            certain = linux != EITHER_DAY and reads_the_same_in_both(fields[4]) and _valid(linux)
            return ScheduleProblem(INVALID, lead + fix + quote, "cron", linux if certain else None)
    clauses = []
    for token, part in zip(fields, PARTS):
        if (part == "day-of-month" or part == "day-of-week") and token == "?":
            continue
        if part == "year" and not token:
            continue
        if validate_part(part, token):
            clauses.append(_field_clause(part, token))
    if fields[2] != "?" and fields[4] != "?":
        clauses.append("day-of-month and day-of-week are both set, and EventBridge needs `?` in one of them")
    rewrite = eventbridge_rewrite(fields)
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
        deployed = " ".join(translate_cron(cron))
        lead += f", so it would run as `{deployed}`{_cron_words(deployed, zone)}"
    return ScheduleProblem(INVALID, f"{lead}; remove the extra fields{quote}", "cron")


def _quartz_problem(cron: str, fields: list[str], zone: str | None, quote: str) -> ScheduleProblem:
    lead = (
        f"Cron schedule `{cron}` has {len(fields)} fields and looks like a Quartz cron with seconds "
        "first, but Amplify reads minute hour day-of-month month day-of-week [year], so every field "
        "shifts by one place"
    )
    rewrite, zero_seconds = quartz_rewrite(fields)
    if rewrite:
        fix = f"; drop the seconds: use `{rewrite}`{_cron_words(rewrite, zone)}"
    elif not zero_seconds:
        fix = "; EventBridge has no seconds field, so drop it and run on whole minutes"
    else:
        fix = "; drop the seconds field"
    return ScheduleProblem(INVALID, lead + fix + quote, "cron")


def _neighbours(value: int, divisors: tuple[int, ...], unit: str) -> str:
    below = [d for d in divisors if d < value]
    above = [d for d in divisors if d > value]
    return " or ".join(f"`every {d}{unit}`" for d in below[-1:] + above[:1])


def _uneven_rate(rate: str, value: float | None, unit: str | None, zone: str | None) -> str | None:
    """Why an accepted rate does not run at the interval it names, or None when it does."""
    if unit in ("day", "week", "month", "year"):
        if value is None or value == 1:
            return None
        fields = translate_rate(value, unit)
        spec = cron_spec(fields) if fields else None
        actual = (describe(spec, zone) if spec else None) or f"as `every {unit}`"
        count = js_str(value)
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
    crons = even_cycle_crons(step) if unit == "m" else None
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


def _accepted_problems(zoned: Zoned, verdict: Verdict, timeout: float | None) -> list[ScheduleProblem]:
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
    issue = deploy_issue(fields)
    if issue:
        tidy = " ".join(text.split())
        fix = f"; use `{tidy}`" if tidy != text and not verdict.is_rate and amplify_accepts(tidy) else ""
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
    spec = cron_spec(fields)
    interval = smallest_interval(spec) if spec and timeout else None
    if interval is not None and timeout is not None and interval < timeout:
        kind = "Rate" if verdict.is_rate else "Cron schedule"
        problems.append(
            ScheduleProblem(
                OVERLAP,
                f"{kind} `{text}` can start a run only {interval_words(interval)} ({interval} s) after the "
                f"previous one, less than the function's {js_str(timeout)}-second timeout, so runs may overlap; "
                f"space the runs at least {js_str(timeout)} seconds apart or lower `timeoutSeconds`",
                key,
            )
        )
    return problems


def _timezone_problem(zone: str | None) -> ScheduleProblem | None:
    if zone is None or zone == DEFAULT_TIMEZONE:
        return None
    zones = iana_zones()
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
    zoned = hydrate(schedule)
    if zoned is None:
        zone = schedule.get("timezone") if isinstance(schedule, Mapping) else None
        zone_problem = _timezone_problem(zone) if isinstance(zone, str) else None
        return [zone_problem] if zone_problem else []
    if isinstance(zoned, ScheduleProblem):
        return [zoned]
    verdict = amplify_verdict(zoned, timeout_seconds)
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


def _valid(cron: str) -> bool:
    """Whether Amplify accepts the cron and it deploys (no AMP401 problem)."""
    return not any(problem.kind == INVALID for problem in check_function_schedule(cron, None))


def _valid_spec(schedule: FunctionSchedule) -> tuple[CronSpec, Zoned] | None:
    zoned = hydrate(schedule)
    if not isinstance(zoned, Zoned):
        return None
    verdict = amplify_verdict(zoned, None)
    if verdict.fields is None or deploy_issue(verdict.fields) or _timezone_problem(zoned.timezone):
        return None
    if not verdict.is_rate and len((zoned.cron or "").split(" ")) > 6:
        return None
    spec = cron_spec(verdict.fields)
    return (spec, zoned) if spec else None


def deployed_cron(schedule: FunctionSchedule) -> str | None:
    """The EventBridge cron fields Amplify deploys for a valid schedule (`every 5m` -> `*/5 * * * ? *`)."""
    zoned = hydrate(schedule)
    if not isinstance(zoned, Zoned):
        return None
    verdict = amplify_verdict(zoned, None)
    return " ".join(verdict.fields) if verdict.fields and _valid_spec(schedule) else None


def explain_schedule(schedule: FunctionSchedule) -> str | None:
    """Words for when a valid schedule runs (`0 9 ? * 2 *` -> "at 09:00 UTC on Mondays"); None otherwise."""
    valid = _valid_spec(schedule)
    return describe(valid[0], valid[1].timezone) if valid else None


def smallest_run_interval(schedule: FunctionSchedule) -> int | None:
    """Seconds between the two closest consecutive runs of a valid schedule; None if unknown or once."""
    valid = _valid_spec(schedule)
    return smallest_interval(valid[0]) if valid else None


def deployed_timing(schedule: FunctionSchedule) -> tuple[CronSpec, str | None] | None:
    """When a valid schedule runs: its expanded cron and the time zone EventBridge evaluates it in (None:
    not statically known); None when the schedule does not deploy."""
    valid = _valid_spec(schedule)
    return (valid[0], valid[1].timezone) if valid else None
