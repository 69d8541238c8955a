"""What every schedule check returns: a `ScheduleProblem`, whose kind the rules map to a code."""

from __future__ import annotations

from ...records import NamedTuple

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


class ScheduleProblem(NamedTuple):
    """One finding about a schedule.

    `field` is the key to point at: "rate", "cron" or "timezone" of the object form (for the string form
    the string itself is meant), a CDK cron option such as "hour", or None for the whole value."""

    kind: str
    message: str
    field: str | None = None
    # The value to write instead, when amplint is certain it means the same (the rule's fix).
    replacement: str | None = None
