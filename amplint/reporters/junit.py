"""JUnit XML for CI test dashboards: a test suite a file, a failing test case a finding."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from . import clean as _clean
from . import level, project_base, relative_path

if TYPE_CHECKING:
    from ..api import LintResult
    from ..diagnostics import Diagnostic


def clean(text: str) -> str:
    """Text XML 1.0 can carry: control characters shown as `\\xNN`, non-characters replaced."""
    return _not_xml().sub("\ufffd", _clean(text))


@functools.cache
def _not_xml() -> re.Pattern[str]:  # compiled when there is something to print
    return re.compile("[\ud800-\udfff\ufffe\uffff]")


def render(result: LintResult, quiet: bool = False) -> str:
    from xml.etree import ElementTree as ET

    base = project_base()
    by_file: dict[str, list[Diagnostic]] = {}
    for d in result.reported:
        by_file.setdefault(relative_path(d.location.path, base) or d.location.path.as_posix(), []).append(d)
    total = len(result.reported) or 1
    suites = ET.Element(
        "testsuites",
        name="amplint",
        tests=str(total + len(result.errors)),
        failures=str(len(result.reported)),
        errors=str(len(result.errors)),
    )
    for path, found in by_file.items():
        suite = ET.SubElement(
            suites, "testsuite", name=clean(path), tests=str(len(found)), failures=str(len(found)), errors="0"
        )
        for d in found:
            span = d.location.span
            case = ET.SubElement(
                suite,
                "testcase",
                classname=clean(path),
                file=clean(path),
                line=str(span.start_line),
                name=f"{d.code} {result.rules[d.code].name} ({span.start_line}:{span.start_column})",
            )
            severity = level(result, d)
            failure = ET.SubElement(case, "failure", type=severity, message=clean(d.message))
            failure.text = clean(f"{path}:{span.start_line}:{span.start_column}: {severity} {d.code} {d.message}")
    if not result.reported:  # a passing case, so dashboards show a green run rather than none
        suite = ET.SubElement(suites, "testsuite", name="amplint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", classname="amplint", name="no findings")
    if result.errors:
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="amplint errors",
            tests=str(len(result.errors)),
            failures="0",
            errors=str(len(result.errors)),
        )
        for error in result.errors:
            where = clean(relative_path(error.path, base) or error.path.as_posix()) if error.path else "amplint"
            case = ET.SubElement(suite, "testcase", classname=where, name="internal error")
            ET.SubElement(case, "error", message=clean(error.message)).text = clean(error.message)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
