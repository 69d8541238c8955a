"""GitLab Code Quality: a JSON array of issues with fingerprints that survive unrelated edits."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from . import fingerprints, level, project_base, relative_path

if TYPE_CHECKING:
    from ..api import LintResult

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(result: LintResult, quiet: bool = False) -> str:
    base = project_base()
    prints = fingerprints(result, base)
    issues = []
    for d in result.reported:
        span = d.location.span
        digest, occurrence = prints[d]
        issues.append(
            {
                "description": f"{d.code}: {d.message}",  # GitLab shows only the description
                "check_name": d.code,
                "fingerprint": hashlib.sha256(f"{digest}:{occurrence}".encode()).hexdigest()[:32],
                "severity": SEVERITIES[level(result, d)],
                "location": {
                    "path": relative_path(d.location.path, base) or d.location.path.as_posix(),
                    "positions": {
                        "begin": {"line": span.start_line, "column": span.start_column},
                        "end": {"line": span.end_line, "column": span.end_column},
                    },
                },
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
