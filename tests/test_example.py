"""The bundled example backend is what a new user runs first: it must show every core rule."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).parents[1] / "examples" / "scheduled-backend"
CORE_RULES = {"AMP001", "AMP101", "AMP102", "AMP201", "AMP202", "AMP203", "AMP301", "AMP501"}


def test_example_shows_every_core_rule_and_exits_1():
    run = subprocess.run(
        [sys.executable, "-m", "amplint", "check", str(EXAMPLE), "--output-format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    codes = {d["code"] for d in json.loads(run.stdout)["diagnostics"]}
    assert CORE_RULES <= codes


DATA_SCHEMA_EXAMPLE = Path(__file__).parents[1] / "examples" / "data-schema"
SCHEMA_RULES = {"AMP701", "AMP703", "AMP706", "AMP707", "AMP708", "AMP709", "AMP710", "AMP711", "AMP712"}


def test_data_schema_example_shows_the_schema_rules_and_exits_1():
    run = subprocess.run(
        [sys.executable, "-m", "amplint", "check", str(DATA_SCHEMA_EXAMPLE), "--output-format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    codes = {d["code"] for d in json.loads(run.stdout)["diagnostics"]}
    assert codes == SCHEMA_RULES
