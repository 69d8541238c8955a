"""SARIF 2.1.0, as GitHub code scanning takes it: rules with their docs, repository-relative paths,
fingerprints that survive unrelated edits, suppressed findings kept with `suppressions`, and each
finding's fix as `fixes`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..fixer import native_edit
from ..ruledocs import help_url, load
from . import fingerprints, level, project_base, relative_path
from .positions import SourceText

if TYPE_CHECKING:
    from ..api import InternalError, LintResult
    from ..checks import Rule
    from ..diagnostics import Diagnostic, Fix, Location

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/amplint/amplint"
BASE_ID = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
AREAS = {
    "0": "amplint",
    "1": "backend-wiring",
    "2": "data-access",
    "3": "handler-code",
    "4": "schedules",
    "5": "cdk-code",
    "6": "function-configuration",
}
DESCRIPTION_LIMIT = 1024  # GitHub's limit for shortDescription and fullDescription


def render(result: LintResult, quiet: bool = False) -> str:
    base = project_base()
    codes = sorted(result.codes | {d.code for d in result.diagnostics})
    index = {code: number for number, code in enumerate(codes)}
    prints = fingerprints(result, base)
    text = SourceText(result)
    run = {
        "tool": {
            "driver": {
                "name": "amplint",
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(result.rules[code]) for code in codes],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [_notification(error, base) for error in result.errors],
            }
        ],
        "originalUriBaseIds": {BASE_ID: {"uri": base.as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, level(result, d), index[d.code], prints[d], base, text) for d in result.diagnostics],
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(rule: Rule) -> dict[str, Any]:
    doc = load(rule.code)
    markdown = doc.text if doc is not None else f"{rule.summary}\n"
    what = _section(markdown, "What it does") or rule.summary
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _limit(rule.summary)},
        "fullDescription": {"text": _limit(what)},
        "help": {"text": markdown, "markdown": markdown},
        "helpUri": help_url(rule.code),
        "defaultConfiguration": {"level": LEVELS[rule.severity.value]},
        "properties": {"tags": ["amplify", AREAS.get(rule.code[3:4], "amplint")]},
    }


def _section(markdown: str, heading: str) -> str:
    """The first paragraph under `## heading`, as one line."""
    match = re.search(rf"^## {re.escape(heading)}[ \t]*\n+(.+?)(?:\n[ \t]*\n|\n#|\Z)", markdown, re.M | re.S)
    return " ".join(match.group(1).split()) if match else ""


def _limit(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def _result(
    d: Diagnostic, severity: str, rule_index: int, fingerprint: tuple[str, int], base: Path, text: SourceText
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": LEVELS[severity],
        "message": {"text": d.message},
        "locations": [_location(d.location, base)],
        "partialFingerprints": {"primaryLocationLineHash": f"{fingerprint[0]}:{fingerprint[1]}"},
    }
    if d.related:
        result["relatedLocations"] = [
            {**_location(r.location, base), "id": number, "message": {"text": r.message}}
            for number, r in enumerate(d.related, 1)
        ]
    if d.fix is not None:
        result["fixes"] = [_fix(d.fix, base, text)]
    if d.suppressed_by is not None:
        _, _, reason = d.suppressed_by.partition(" -- ")
        result["suppressions"] = [{"kind": "inSource", **({"justification": reason} if reason else {})}]
    return result


def _fix(fix: Fix, base: Path, text: SourceText) -> dict[str, Any]:
    """A SARIF fix: for each file, its replacements, each a region to delete (empty for an insertion)
    and the text to put there, in the file's line endings; `applicability` in the property bag."""
    changes: dict[Path, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        source = text.text(edit.path)
        if source is not None:
            edit = native_edit(edit, source)
        (start_line, start_column), (end_line, end_column) = (
            text.point(edit.path, edit.start_byte),
            text.point(edit.path, edit.end_byte),
        )
        replacement: dict[str, Any] = {
            "deletedRegion": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
        if edit.replacement:
            replacement["insertedContent"] = {"text": edit.replacement}
        changes.setdefault(edit.path, []).append(replacement)
    return {
        "description": {"text": fix.message},
        "artifactChanges": [
            {"artifactLocation": _artifact(path, base), "replacements": replacements}
            for path, replacements in changes.items()
        ],
        "properties": {"applicability": fix.applicability},
    }


def _artifact(path: Path, base: Path) -> dict[str, str]:
    relative = relative_path(path, base)
    if relative is None:
        return {"uri": path.as_uri()}
    from urllib.parse import quote

    return {"uri": quote(relative), "uriBaseId": BASE_ID}


def _location(location: Location, base: Path) -> dict[str, Any]:
    span = location.span
    return {
        "physicalLocation": {
            "artifactLocation": _artifact(location.path, base),
            "region": {
                "startLine": span.start_line,
                "startColumn": span.start_column,
                "endLine": span.end_line,
                "endColumn": span.end_column,
            },
        }
    }


def _notification(error: InternalError, base: Path) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    if error.path is not None:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(error.path, base)}}]
    return notification
