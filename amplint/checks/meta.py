"""AMP002-AMP004: findings about amplint's own suppression comments. No model check produces them:
the suppression stage (amplint/suppressions.py) does, after every check has run."""

from __future__ import annotations

from ..diagnostics import Severity
from .registry import rule

UNUSED_SUPPRESSION = rule(
    "AMP002", "unused-suppression", Severity.WARNING, "An `amplint-disable` comment that suppresses no finding"
)
UNKNOWN_SUPPRESSION_CODE = rule(
    "AMP003",
    "unknown-suppression-code",
    Severity.WARNING,
    "An `amplint-disable` comment naming a code that is not an amplint rule",
)
SUPPRESSION_WITHOUT_REASON = rule(
    "AMP004",
    "suppression-without-reason",
    Severity.ERROR,
    "An `amplint-disable` comment without `-- reason` (only with `require-reason`)",
)
