"""Rule metadata and the `@check` decorator that registers a check function under its rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity  # the default
    summary: str
    fixable: bool = False


CheckFunction = Callable[..., Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Check:
    rules: tuple[Rule, ...]
    function: CheckFunction

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(rule.code for rule in self.rules)


# Filled once, at import of the check modules, and read-only afterwards.
RULES: dict[str, Rule] = {}
CHECKS: list[Check] = []


def rule(code: str, name: str, severity: Severity, summary: str, fixable: bool = False) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} registered twice")
    registered = Rule(code, name, severity, summary, fixable)
    RULES[code] = registered
    return registered


def check(*rules: Rule) -> Callable[[CheckFunction], CheckFunction]:
    """Register a `Backend -> Iterator[Diagnostic]` function as the check for `rules`."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS.append(Check(rules, function))
        return function

    return register


def selected(codes: Iterable[str], select: Iterable[str], ignore: Iterable[str]) -> Iterator[str]:
    """Codes chosen by prefix selectors, Ruff style: the longest matching selector wins."""
    select, ignore = tuple(select), tuple(ignore)
    for code in codes:
        chosen = max((len(s) for s in select if code.startswith(s)), default=-1)
        dropped = max((len(s) for s in ignore if code.startswith(s)), default=-1)
        if chosen > dropped:
            yield code
