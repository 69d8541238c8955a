"""Function schedules: Amplify's `defineFunction({ schedule })` parser ported line for line, plus what
amplint adds on top (Linux/Quartz crons, overlapping runs, uneven steps, time zones, CDK crons, durations).

Its parts, each importing only those before it: `problems` (what a check returns), `javascript` (numbers
as JS reads and prints them), `cron_grammar` (EventBridge's cron fields), `amplify_parser` (Amplify's
`schedule_parser.ts`), `timing` (when a cron runs), `runs` (its next runs), `zones` (IANA time zones as
this host knows them), `words` (explanations), `rewrites` (other cron dialects made Amplify's), `define_function` and `cdk_props` (the checks the rules call)."""

from __future__ import annotations

from .cdk_props import check_cdk_cron, check_duration_rate, check_max_event_age, check_retry_attempts, duration_seconds
from .define_function import check_function_schedule, deployed_cron, explain_schedule, smallest_run_interval
from .problems import CDK_DURATION_NOT_WHOLE, ScheduleProblem

__all__ = [
    "CDK_DURATION_NOT_WHOLE",
    "ScheduleProblem",
    "check_cdk_cron",
    "check_duration_rate",
    "check_function_schedule",
    "check_max_event_age",
    "check_retry_attempts",
    "deployed_cron",
    "duration_seconds",
    "explain_schedule",
    "smallest_run_interval",
]
