"""The checks: pure functions from the backend model to diagnostics, one module per rule group."""

from . import (  # noqa: F401  (importing registers the checks)
    data_access,
    duration,
    handler_return,
    stack_cycle,
    syntax_error,
    wiring,
)
from .registry import CHECKS, RULES, Check, Rule, check, rule, selected

__all__ = ["CHECKS", "RULES", "Check", "Rule", "check", "rule", "selected"]
