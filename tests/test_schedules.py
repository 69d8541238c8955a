"""Function schedules: the port of Amplify's schedule parser, amplint's schedule analysis, CDK crons and durations."""

from __future__ import annotations

import zoneinfo

import pytest

from amplint.model.schedules import (
    ScheduleProblem,
    check_cdk_cron,
    check_duration_rate,
    check_function_schedule,
    check_max_event_age,
    check_retry_attempts,
    deployed_cron,
    duration_seconds,
    explain_schedule,
    smallest_run_interval,
)

BOTH_DAYS = (
    "Cron expressions cannot have both day-of-month and day-of-week defined, you must use a ? in one of the fields"
)
RATE_NOT_WHOLE = "Function schedule rate must be set with a positive whole number"


def amplify_quote(*errors: str) -> str:
    return " (Amplify: " + "; ".join(f'"{e}"' for e in errors) + ")"


def crash_quote(prop: str) -> str:
    return (
        ' (Amplify: "Failed to instantiate schedule for nodejs function", caused by '
        f"\"TypeError: Cannot read properties of undefined (reading '{prop}')\")"
    )


def only(problems: list[ScheduleProblem], kind: str) -> ScheduleProblem:
    found = [p for p in problems if p.kind == kind]
    assert len(found) == 1, problems
    return found[0]


# --- Amplify's own parser behaviour (schedule_parser.ts, its tests, and the oracle rows v13*) ---------

AMPLIFY_REJECTS = [
    # oracle v13d/e/j and the checks run directly against schedule_parser.js
    ("0 9 * * FRI", None, ["Cron field for day-of-week must be a whole number between 1 and 7", BOTH_DAYS]),
    ("0 9 ? * FRI", None, ["Cron field for day-of-week must be a whole number between 1 and 7"]),
    ("0 9 ? * MON-FRI", None, ["Cron range for day-of-week must be whole numbers between 1 and 7"]),
    ("0 9 * * 6", None, [BOTH_DAYS]),
    ("0 25 * * ?", None, ["Cron field for hours must be a whole number between 0 and 23"]),
    ("every 1.5h", None, [RATE_NOT_WHOLE]),
    ("every -5m", None, [RATE_NOT_WHOLE]),
    ("every 5xm", None, ["Could not determine the schedule rate for the function"]),
    # schedule_parser.test.ts
    (
        "60 25 42 14 9 1500",
        120,
        [
            "Cron field for minutes must be a whole number between 0 and 59",
            "Cron field for hours must be a whole number between 0 and 23",
            "Cron field for day-of-month must be a whole number between 1 and 31",
            "Cron field for month must be a whole number between 1 and 12",
            "Cron field for day-of-week must be a whole number between 1 and 7",
            "Cron field for year must be a whole number between 1970 and 2199",
            BOTH_DAYS,
        ],
    ),
    (
        "1,60,*/-1 2,25,1-50 1,40 1,13 1,2,8 1970,2200",
        120,
        [
            "Cron list for minutes must contain whole numbers between 0 and 59",
            "Cron step values for minutes must be positive whole numbers",
            "Cron list for hours must contain whole numbers between 0 and 23",
            "Cron range for hours must be whole numbers between 0 and 23",
            "Cron list for day-of-month must contain whole numbers between 1 and 31",
            "Cron list for month must contain whole numbers between 1 and 12",
            "Cron list for day-of-week must contain whole numbers between 1 and 7",
            "Cron list for year must contain whole numbers between 1970 and 2199",
            BOTH_DAYS,
        ],
    ),
    (
        "*/-2 */-1 100/1 */.4 */-1 */1.5",
        120,
        [
            "Cron step values for minutes must be positive whole numbers",
            "Cron step values for hours must be positive whole numbers",
            "Cron step values for day-of-month must be whole numbers between 1 and 31",
            "Cron step values for month must be positive whole numbers",
            "Cron step values for day-of-week must be positive whole numbers",
            "Cron step values for year must be positive whole numbers",
            BOTH_DAYS,
        ],
    ),
    (
        "1-60 1-25 1-32 1-13 1-90 2000-3000",
        120,
        [
            "Cron range for minutes must be whole numbers between 0 and 59",
            "Cron range for hours must be whole numbers between 0 and 23",
            "Cron range for day-of-month must be whole numbers between 1 and 31",
            "Cron range for month must be whole numbers between 1 and 12",
            "Cron range for day-of-week must be whole numbers between 1 and 7",
            "Cron range for year must be whole numbers between 1970 and 2199",
            BOTH_DAYS,
        ],
    ),
    ({"description": "nightly"}, None, ["Could not determine the function's schedule type"]),
]


@pytest.mark.parametrize(("schedule", "timeout", "errors"), AMPLIFY_REJECTS)
def test_amplify_rejection_is_reported_with_amplifys_exact_errors(schedule, timeout, errors):
    problems = check_function_schedule(schedule, timeout)
    problem = only(problems, "invalid")
    assert problem.message.endswith(amplify_quote(*errors))


@pytest.mark.parametrize(
    ("schedule", "prop"),
    [
        ("every 5 minutes", "split"),  # oracle v13a
        ("every 1d", "split"),
        ("every 5min", "split"),
        ("every hour", "split"),
        ("every", "endsWith"),
        ("rate(5 minutes)", "includes"),  # oracle v13l
        ("0 9 * *", "includes"),  # oracle v13i
        ({"rate": "every 5 minutes"}, "split"),
    ],
)
def test_schedule_amplify_crashes_on_is_invalid_with_the_typeerror(schedule, prop):
    problem = only(check_function_schedule(schedule, None), "invalid")
    assert problem.message.endswith(crash_quote(prop))


@pytest.mark.parametrize(
    ("schedule", "suggestion"),
    [
        ("every 5 minutes", "`every 5m`"),
        ("every 5min", "`every 5m`"),
        ("every 1d", "`every day`"),
        ("every hour", "`every 1h`"),
        ("rate(5 minutes)", "`every 5m`"),
        ("rate(1 day)", "`every day`"),
    ],
)
def test_malformed_rate_names_amplifys_grammar_and_the_fix(schedule, suggestion):
    message = only(check_function_schedule(schedule, None), "invalid").message
    assert f"use {suggestion}" in message
    assert "every <N>m" in message and "every day|week|month|year" in message


def test_rate_shorter_than_timeout_is_amplifys_timeout_error():
    problem = only(check_function_schedule("every 1m", 120), "shorter-than-timeout")
    assert problem.field == "rate"
    assert "`every 2m`" in problem.message
    assert problem.message.endswith(
        amplify_quote("Function schedule rate must be greater than the function timeout of 120 seconds")
    )


@pytest.mark.parametrize(("schedule", "timeout"), [("every 1m", 60), ("every 2m", 120), ("every 1h", 900)])
def test_rate_equal_to_or_above_timeout_passes(schedule, timeout):
    assert check_function_schedule(schedule, timeout) == []


@pytest.mark.parametrize(
    ("schedule", "cron"),
    [
        ("every day", "0 0 * * ? *"),
        ("every 5m", "*/5 * * * ? *"),
        ("every 1m", "*/1 * * * ? *"),
        ("every 2h", "0 */2 * * ? *"),
        ("every week", "0 0 ? * 1 *"),
        ("every month", "0 0 1 * ? *"),
        ("every year", "0 0 1 1 ? *"),
        ("* * * * ?", "* * * * ? *"),
        ("*/5 * * * ?", "*/5 * * * ? *"),
        ("0 1,2 * * ?", "0 1,2 * * ? *"),
        ("0 1-5 * * ?", "0 1-5 * * ? *"),
        ("0 0 * * ?", "0 0 * * ? *"),
        ("0 9 ? * 6", "0 9 ? * 6 *"),
        ("0 9 ? * 2 *", "0 9 ? * 2 *"),
        ("0 17 ? * 3 *", "0 17 ? * 3 *"),
        ("*/5 * ? * * *", "*/5 * ? * * *"),
        ({"rate": "every 5m", "timezone": "Europe/Berlin"}, "*/5 * * * ? *"),
        ({"cron": "0 9 ? * 2-6 *", "timezone": "UTC", "description": "weekday mornings"}, "0 9 ? * 2-6 *"),
    ],
)
def test_amplify_accepts_and_deploys_the_same_cron(schedule, cron):
    assert [p for p in check_function_schedule(schedule, 60) if p.kind == "invalid"] == []
    assert deployed_cron(schedule) == cron


def test_zero_rate_passes_amplify_but_is_reported_as_failing_at_deploy():
    problem = only(check_function_schedule("every 0m", None), "invalid")
    assert "(Amplify:" not in problem.message
    assert "`*/0`" in problem.message and "deploy" in problem.message
    assert deployed_cron("every 0m") is None


def test_problem_points_at_the_object_key():
    assert only(check_function_schedule({"cron": "0 25 * * ?"}, None), "invalid").field == "cron"
    assert only(check_function_schedule({"rate": "every 1.5h"}, None), "invalid").field == "rate"
    assert only(check_function_schedule({"description": "x"}, None), "invalid").field is None


@pytest.mark.parametrize(
    "schedule",
    [
        object(),
        42,
        {"rate": object()},
        {"cron": None},
        {"cron": "0 9 ? * 2 *", "timezone": object()},
    ],
)
def test_values_not_statically_known_are_silent(schedule):
    assert check_function_schedule(schedule, 900) == []


# --- amplint's explanations of what Amplify rejects ----------------------------------------------------


@pytest.mark.parametrize(
    ("cron", "equivalent", "words"),
    [
        ("0 9 * * 2", "0 9 ? * 3 *", "at 09:00 UTC on Tuesdays"),
        ("5,35 * * * *", "5,35 * * * ? *", "at :05 and :35 past every hour"),
        ("0 9 * * MON-FRI", "0 9 ? * 2-6 *", "at 09:00 UTC on weekdays"),
        ("0 0 * * 0", "0 0 ? * 1 *", "at 00:00 UTC on Sundays"),
        ("0 0 * * 7", "0 0 ? * 1 *", "at 00:00 UTC on Sundays"),
        ("0 9 * * FRI", "0 9 ? * 6 *", "at 09:00 UTC on Fridays"),
        ("0 12 1 * *", "0 12 1 * ? *", "at 12:00 UTC on the 1st of every month"),
        ("*/15 9-17 * JAN,JUL 1-5", "*/15 9-17 ? 1,7 2-6 *", "every 15 minutes from 09:00 to 17:45 UTC"),
    ],
)
def test_linux_cron_is_named_with_its_exact_eventbridge_equivalent(cron, equivalent, words):
    message = only(check_function_schedule(cron, None), "invalid").message
    assert "Linux" in message
    assert f"use `{equivalent}` ({words}" in message
    assert check_function_schedule(equivalent, None) == []


def test_linux_cron_with_both_days_explains_instead_of_guessing():
    message = only(check_function_schedule("0 9 1 * 2", None), "invalid").message
    assert "Linux" in message and "either" in message and "use `" not in message
    assert message.endswith(amplify_quote(BOTH_DAYS))


def test_linux_explanation_uses_the_schedules_timezone():
    schedule = {"cron": "30 7 * * 1-5", "timezone": "Europe/Berlin"}
    message = only(check_function_schedule(schedule, None), "invalid").message
    assert "use `30 7 ? * 2-6 *` (at 07:30 Europe/Berlin on weekdays)" in message


@pytest.mark.parametrize(
    ("cron", "rewrite", "quote"),
    [
        (
            "0 0 12 * * ? *",
            "0 12 * * ? *",
            ["Cron field for year must be a whole number between 1970 and 2199", BOTH_DAYS],
        ),
        (
            "0 0 12 * * ?",
            "0 12 * * ? *",
            ["Cron field for year must be a whole number between 1970 and 2199", BOTH_DAYS],
        ),
        (
            "0 30 9 ? * MON-FRI *",
            "30 9 ? * 2-6 *",
            [
                "Cron field for hours must be a whole number between 0 and 23",
                "Cron field for month must be a whole number between 1 and 12",
                "Cron range for year must be whole numbers between 1970 and 2199",
                BOTH_DAYS,
            ],
        ),
    ],
)
def test_quartz_cron_with_seconds_first_is_invalid_and_rewritten(cron, rewrite, quote):
    message = only(check_function_schedule(cron, None), "invalid").message
    assert "Quartz" in message and "seconds" in message
    assert f"use `{rewrite}`" in message
    assert message.endswith(amplify_quote(*quote))


def test_extra_fields_amplify_accepts_are_still_invalid():
    # Amplify validates the first six fields but deploys the first five with year '*'.
    message = only(check_function_schedule("0 12 * * ? 2026 2027", None), "invalid").message
    assert "7 fields" in message and "Quartz" not in message
    assert "would run as `0 12 * * ? *` (at 12:00 UTC every day)" in message
    assert "(Amplify:" not in message


@pytest.mark.parametrize(
    ("cron", "fragment"),
    [
        ("0 9 ? * FRI", "use `0 9 ? * 6` (at 09:00 UTC on Fridays)"),
        ("0 9 ? * MON-FRI", "use `0 9 ? * 2-6` (at 09:00 UTC on weekdays)"),
        ("0 9 * * 2 *", "use `0 9 ? * 2 *` (at 09:00 UTC on Mondays)"),
        ("0 9 ? JAN *", "use `0 9 ? 1 *` (at 09:00 UTC every day in January)"),
        ("0 25 * * ?", "hours must be between 0 and 23, not `25`"),
        ("0 9 ? * 0", "Linux"),
        ("0 9 ? * 6L *", "CDK in backend.ts"),
        ("cron(0 9 ? * 2 *)", "use `0 9 ? * 2 *`"),
        ("0  9 ? * 2 *", "use `0 9 ? * 2 *`"),
        ("@daily", "use `every day`"),
    ],
)
def test_rejected_cron_message_says_what_to_do(cron, fragment):
    message = only(check_function_schedule(cron, None), "invalid").message
    assert fragment in message
    assert message.endswith(")")


@pytest.mark.parametrize(
    ("schedule", "fragment"),
    [
        ("every 1.5h", "`schedule: ['0 */3 * * ? *', '30 1/3 * * ? *']`"),
        ("every 0.5h", "use `every 30m`"),
        ("every 2.5m", "use `every 2m` or `every 3m`"),
    ],
)
def test_fractional_rate_gets_a_whole_number_alternative(schedule, fragment):
    assert fragment in only(check_function_schedule(schedule, None), "invalid").message


def test_cron_amplify_accepts_but_eventbridge_rejects_is_invalid():
    message = only(check_function_schedule("0 9 ? * ? *", None), "invalid").message
    assert "passes Amplify's check" in message and "`?` in both day fields" in message


# --- Overlapping runs (AMP402 warning) and uneven steps (AMP403) --------------------------------------


@pytest.mark.parametrize(
    ("schedule", "seconds"),
    [
        ("*/5 * ? * * *", 300),
        ("every 5m", 300),
        ("0 9 ? * 2 *", 7 * 86400),
        ("every day", 86400),
        ("every week", 7 * 86400),
        ("0 9 ? * 2-6 *", 86400),
        ("0 9 1,15 * ? *", 14 * 86400),
        ("0 0 29 2 ? *", 1461 * 86400),
        ("0 23,0 * * ? *", 3600),
        ("0,59 8-9 * * ? *", 60),
        ("* 9 ? * 2 *", 60),
        ("every 7m", 240),
        ("every 90m", 3600),
    ],
)
def test_smallest_interval_between_runs(schedule, seconds):
    assert smallest_run_interval(schedule) == seconds


def test_cron_firing_faster_than_timeout_warns_about_overlap():
    problem = only(check_function_schedule("*/5 * ? * * *", 600), "overlap")
    assert problem.field == "cron"
    assert "5 minutes (300 s)" in problem.message and "600-second timeout" in problem.message


@pytest.mark.parametrize(
    ("schedule", "timeout"),
    [
        ("*/5 * ? * * *", 300),
        ("0 9 ? * 2 *", 900),
        ("every 5m", 300),
        ("*/5 * ? * * *", None),
    ],
)
def test_no_overlap_when_runs_are_at_least_a_timeout_apart(schedule, timeout):
    assert [p for p in check_function_schedule(schedule, timeout) if p.kind == "overlap"] == []


def test_uneven_rate_reports_the_short_gap_and_the_overlap_it_causes():
    problems = check_function_schedule("every 7m", 300)
    uneven = only(problems, "uneven-step")
    assert ":56" in uneven.message and "4 minutes later" in uneven.message and "`every 10m`" in uneven.message
    assert "240 s" in only(problems, "overlap").message


@pytest.mark.parametrize(
    ("schedule", "fragment"),
    [
        ("every 90m", "runs every hour instead of every 90 minutes"),
        ("every 120m", "use `every 2h`"),
        ("every 8m", "`schedule: ['*/8 */2 * * ? *', '4/8 1/2 * * ? *']`"),
        ("every 5h", "00:00 again only 4 hours later"),
        ("every 48h", "once a day at 00:00"),
        ("every 2day", "runs at 00:00 UTC every day"),
        ("every 3week", "runs at 00:00 UTC on Sundays"),
        ("every 2month", "`0 0 1 */2 ? *`"),
    ],
)
def test_uneven_rate_explains_the_actual_schedule(schedule, fragment):
    problem = only(check_function_schedule(schedule, None), "uneven-step")
    assert fragment in problem.message
    assert problem.field == "rate"


@pytest.mark.parametrize("schedule", ["every 15m", "every 60m", "every 6h", "every 24h", "every 1day", "every day"])
def test_even_rates_have_no_uneven_step(schedule):
    assert check_function_schedule(schedule, None) == []


# --- Time zones (AMP404) ---------------------------------------------------------------------------------

needs_tz_database = pytest.mark.skipif(not zoneinfo.available_timezones(), reason="no IANA tz database here")


@needs_tz_database
@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York", None])
def test_valid_timezone_is_accepted(zone):
    assert check_function_schedule({"cron": "0 9 ? * 2 *", "timezone": zone}, None) == []


@needs_tz_database
@pytest.mark.parametrize(
    ("zone", "suggestion"),
    [
        ("Invalid/Timezone", None),
        ("EST5", None),
        ("Europe/Berln", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
    ],
)
def test_invalid_timezone_is_reported_with_a_close_match(zone, suggestion):
    problem = only(check_function_schedule({"rate": "every day", "timezone": zone}, None), "invalid-timezone")
    assert problem.field == "timezone"
    assert f"`{zone}` is not an IANA time zone name" in problem.message
    if suggestion:
        assert problem.message.endswith(f"use `{suggestion}`")


# --- explain_schedule ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "words"),
    [
        ("every 5m", "every 5 minutes"),
        ("every 1m", "every minute"),
        ("every 2h", "every 2 hours at :00"),
        ("every 1h", "every hour at :00"),
        ("every day", "at 00:00 UTC every day"),
        ("every week", "at 00:00 UTC on Sundays"),
        ("every month", "at 00:00 UTC on the 1st of every month"),
        ("every year", "at 00:00 UTC on the 1st of January"),
        ("0 9 ? * 2 *", "at 09:00 UTC on Mondays"),
        ("0 9,17 ? * 1,7 *", "at 09:00 and 17:00 UTC on weekends"),
        ("0 9 ? * 2,4,6", "at 09:00 UTC on Mondays, Wednesdays and Fridays"),
        ("*/15 9-17 ? * 2-6 *", "every 15 minutes from 09:00 to 17:45 UTC on weekdays"),
        ("0 12 1 1,7 ? 2026", "at 12:00 UTC on the 1st of January and July in 2026"),
        ("0 6 25-31 * ? *", "at 06:00 UTC on the 25th to 31st of every month"),
        ({"cron": "0 9 ? * 2-6 *", "timezone": "Europe/Berlin"}, "at 09:00 Europe/Berlin on weekdays"),
    ],
)
def test_explain_valid_schedule(schedule, words):
    assert explain_schedule(schedule) == words


@pytest.mark.parametrize(
    "schedule",
    [
        "0 9 * * FRI",
        "every 0m",
        "every 5 minutes",
        "0 0 12 1 * ? *",
        object(),
        {"rate": "every day", "timezone": "Invalid/Timezone"},
    ],
)
def test_explain_is_none_for_schedules_that_will_not_run(schedule):
    assert explain_schedule(schedule) is None


# --- CDK crons (AMP502/AMP503) ----------------------------------------------------------------------------


def test_cdk_day_and_weekday_last_friday_suggests_6L():
    # The seed guide's "last Friday of each month" (oracle v07a).
    problems = check_cdk_cron({"minute": "0", "hour": "2", "day": "25-31", "weekDay": "FRI"})
    problem = only(problems, "cdk-day-and-weekday")
    assert "`weekDay: '6L'`" in problem.message
    assert problem.message.endswith("(CDK: \"Cannot supply both 'day' and 'weekDay', use at most one\")")
    assert [p.kind for p in problems] == ["cdk-day-and-weekday"]


def test_cdk_day_and_weekday_nth_week_suggests_hash():
    problem = only(check_cdk_cron({"minute": "0", "hour": "9", "day": "8-14", "weekDay": "MON"}), "cdk-day-and-weekday")
    assert "second Monday" in problem.message and "`weekDay: '2#2'`" in problem.message


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"minute": "0", "hour": "25", "weekDay": "FRI"}, "hour"),  # oracle v07c
        ({"minute": "60"}, "minute"),
        ({"minute": "0", "hour": "9", "weekDay": "FRIDAY"}, "weekDay"),
        ({"minute": "0", "hour": "9", "weekDay": "8"}, "weekDay"),
        ({"minute": "0", "hour": "9", "month": "13"}, "month"),
        ({"minute": "0", "hour": "9", "month": "?"}, "month"),
        ({"minute": "*/0"}, "minute"),
        ({"minute": "0", "year": "2200"}, "year"),
        ({"minute": "0", "hour": "9", "day": "32W"}, "day"),
    ],
)
def test_cdk_cron_value_eventbridge_rejects(options, field):
    problem = only(check_cdk_cron(options), "cdk-invalid-field")
    assert problem.field == field and "deploy fails" in problem.message


@pytest.mark.parametrize(
    "options",
    [
        {"minute": "0", "hour": "9", "weekDay": "FRI"},
        {"minute": "0", "hour": "9", "weekDay": "MON-FRI"},
        {"minute": "0", "hour": "9", "weekDay": "6L"},
        {"minute": "0", "hour": "9", "weekDay": "6#3"},
        {"minute": "0", "hour": "9", "weekDay": "L"},
        {"minute": "0", "hour": "9", "day": "L"},
        {"minute": "0", "hour": "9", "day": "15W"},
        {"minute": "0", "hour": "9", "day": "LW"},
        {"minute": "0/15", "hour": "9-17", "month": "JAN,JUL", "year": "2026"},
        {"minute": "0", "hour": object(), "weekDay": object()},
    ],
)
def test_cdk_cron_values_eventbridge_accepts(options):
    assert check_cdk_cron(options) == []


def test_cdk_cron_without_minute_says_what_it_runs():
    problem = only(check_cdk_cron({"hour": "9", "weekDay": "FRI"}), "cdk-every-minute")  # oracle v07b
    assert "every minute from 09:00 to 09:59 UTC on Fridays" in problem.message
    assert "`minute: '0'`" in problem.message and "at 09:00 UTC on Fridays" in problem.message


def test_cdk_cron_without_minute_and_unknown_fields_still_warns():
    problem = only(check_cdk_cron({"hour": object()}, timezone=None), "cdk-every-minute")
    assert "every minute" in problem.message


# --- CDK durations (AMP504/AMP505) ---------------------------------------------------------------------------


def test_duration_seconds():
    assert duration_seconds("millis", 1500) == 1.5
    assert duration_seconds("minutes", 5) == 300
    assert duration_seconds("days", 1) == 86400


@pytest.mark.parametrize(
    ("unit", "amount", "kind", "cdk"),
    [
        ("seconds", 30, "cdk-duration-not-whole", "'30 seconds' cannot be converted into a whole number of minutes."),
        ("seconds", 90, "cdk-duration-not-whole", "'90 seconds' cannot be converted into a whole number of minutes."),
        ("millis", 1500, "cdk-duration-not-whole", "'1500 millis' cannot be converted into a whole number of minutes."),
        ("minutes", 0, "cdk-duration-zero", "Duration cannot be 0"),
        ("minutes", -1, "cdk-duration-negative", "Duration amounts cannot be negative. Received: -1"),
    ],
)
def test_schedule_rate_duration_cdk_rejects(unit, amount, kind, cdk):
    problem = check_duration_rate(unit, amount)
    assert problem is not None and problem.kind == kind
    assert problem.message.endswith(f'(CDK: "{cdk}")')


@pytest.mark.parametrize(("unit", "amount"), [("seconds", 60), ("hours", 0.5), ("days", 1), ("minutes", 5)])
def test_schedule_rate_duration_cdk_accepts(unit, amount):
    assert check_duration_rate(unit, amount) is None


@pytest.mark.parametrize(
    ("unit", "amount", "service", "kind", "cdk"),
    [
        (
            "millis",
            1500,
            "events",
            "cdk-duration-not-whole",
            "'1500 millis' cannot be converted into a whole number of seconds.",
        ),
        ("seconds", 30, "scheduler", "cdk-max-event-age", "Minimum event age is 1 minute"),
        ("hours", 25, "scheduler", "cdk-max-event-age", "Maximum event age is 1 day"),
        ("seconds", 30, "events", "cdk-max-event-age", None),
        ("hours", 25, "events", "cdk-max-event-age", None),
    ],
)
def test_max_event_age_out_of_range(unit, amount, service, kind, cdk):
    problem = check_max_event_age(unit, amount, service=service)
    assert problem is not None and problem.kind == kind
    if cdk:
        assert problem.message.endswith(f'(CDK: "{cdk}")')
    else:
        assert "deploy fails" in problem.message and "CDK:" not in problem.message


@pytest.mark.parametrize(
    ("value", "service", "cdk"),
    [
        (200, "scheduler", "Number of retry attempts should be less or equal than 185"),
        (-1, "scheduler", "Number of retry attempts should be greater or equal than 0"),
        (200, "events", None),
        (-1, "events", None),
    ],
)
def test_retry_attempts_out_of_range(value, service, cdk):
    problem = check_retry_attempts(value, service=service)
    assert problem is not None and problem.kind == "cdk-retry-attempts"
    if cdk:
        assert problem.message.endswith(f'(CDK: "{cdk}")')
    else:
        assert "deploy fails" in problem.message


def test_target_options_in_range_pass():
    assert check_retry_attempts(185, service="scheduler") is None
    assert check_retry_attempts(0, service="events") is None
    assert check_max_event_age("minutes", 1, service="scheduler") is None
    assert check_max_event_age("days", 1, service="events") is None
