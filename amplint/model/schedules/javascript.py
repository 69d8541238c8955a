"""Numbers as JavaScript reads them (`Number(text)`, as Amplify's parser does) and prints them in messages."""

from __future__ import annotations

import functools
import math
import re


@functools.cache
def _decimal_pattern() -> re.Pattern[str]:
    return re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


@functools.cache
def _radix_pattern() -> re.Pattern[str]:
    return re.compile(r"0([xXoObB])([0-9a-zA-Z]+)")


def js_number(text: str) -> float:
    """JavaScript's `Number(text)`, which Amplify uses to read every cron field."""
    s = text.strip().strip("\ufeff")
    if s == "":
        return 0.0
    if _decimal_pattern().fullmatch(s):
        return float(s)
    radix = _radix_pattern().fullmatch(s)
    if radix:
        try:
            return float(int(radix.group(2), {"x": 16, "o": 8, "b": 2}[radix.group(1).lower()]))
        except ValueError:
            return math.nan
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    return math.nan


def js_str(value: float) -> str:
    """A number as JavaScript prints it in a template string (`120`, not `120.0`)."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if float(value).is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(float(value))
    if "e" in text and abs(value) >= 1e-6:
        from decimal import Decimal  # only for tiny fractions, where Python and JS print differently

        return format(Decimal(text), "f")
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text)
