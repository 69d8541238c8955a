"""AMP002-AMP004: findings about amplint's own suppression comments. No model check produces them:
the suppression stage (amplint/suppressions.py) does, after every check has run."""

from __future__ import annotations

from . import RULES

UNUSED_SUPPRESSION = RULES["AMP002"]
UNKNOWN_SUPPRESSION_CODE = RULES["AMP003"]
SUPPRESSION_WITHOUT_REASON = RULES["AMP004"]
