"""The checks: pure functions from the backend model to diagnostics, one module per rule group.

Every module in this package except `registry` registers its checks when imported."""

import importlib
import pkgutil

from .registry import CHECKS, RULES, Check, Rule, check, rule, selected

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
    if _info.name != "registry":
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["CHECKS", "RULES", "Check", "Rule", "check", "rule", "selected"]
