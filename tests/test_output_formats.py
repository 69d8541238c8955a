"""Every output format, written by one run over all fixtures, is what its consumer accepts: SARIF and
JSON valid against their schemas, GitHub workflow commands in the documented syntax, GitLab Code
Quality with stable fingerprints, JUnit that parses as XML."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from conftest import FIXTURES, expected_findings, fixture_roots

REPO = Path(__file__).parents[1]
# OASIS SARIF 2.1.0 schema (errata 01), kept in tests/ so the run from an unpacked sdist validates too
SARIF_SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
REPORT_SCHEMA = REPO / "amplint" / "schemas" / "report.schema.json"
FILE_FORMATS = ("text", "concise", "json", "json-lines", "sarif", "gitlab", "junit")
# The JSON document's shape for each version: every property path the schema allows. A change to
# the schema must bump `version` (and JSON_VERSION) and add the new shape here.
JSON_SHAPES = {
    "2": set(
        """
        version tool tool.name tool.version columnUnit errors errors[].file errors[].message
        diagnostics diagnostics[].code diagnostics[].name diagnostics[].severity diagnostics[].message
        diagnostics[].file diagnostics[].start diagnostics[].start.line diagnostics[].start.column
        diagnostics[].end diagnostics[].end.line diagnostics[].end.column diagnostics[].url
        diagnostics[].related diagnostics[].related[].file diagnostics[].related[].message
        diagnostics[].related[].start diagnostics[].related[].start.line diagnostics[].related[].start.column
        diagnostics[].related[].end diagnostics[].related[].end.line diagnostics[].related[].end.column
        diagnostics[].fix diagnostics[].fix.message diagnostics[].fix.applicability diagnostics[].fix.edits
        diagnostics[].fix.edits[].file diagnostics[].fix.edits[].startByte diagnostics[].fix.edits[].endByte
        diagnostics[].fix.edits[].replacement
    """.split()
    ),
    "3": set(
        """
        version tool tool.name tool.version columnUnit errors errors[].file errors[].message
        diagnostics diagnostics[].code diagnostics[].name diagnostics[].severity diagnostics[].message
        diagnostics[].file diagnostics[].start diagnostics[].start.line diagnostics[].start.column diagnostics[].start.utf16Column
        diagnostics[].end diagnostics[].end.line diagnostics[].end.column diagnostics[].end.utf16Column diagnostics[].url
        diagnostics[].related diagnostics[].related[].file diagnostics[].related[].message
        diagnostics[].related[].start diagnostics[].related[].start.line diagnostics[].related[].start.column diagnostics[].related[].start.utf16Column
        diagnostics[].related[].end diagnostics[].related[].end.line diagnostics[].related[].end.column diagnostics[].related[].end.utf16Column
        diagnostics[].fix diagnostics[].fix.message diagnostics[].fix.applicability diagnostics[].fix.edits
        diagnostics[].fix.edits[].file diagnostics[].fix.edits[].startByte diagnostics[].fix.edits[].endByte
        diagnostics[].fix.edits[].replacement
    """.split()
    ),
    "4": set(
        """
        version tool tool.name tool.version columnUnit errors errors[].file errors[].message
        diagnostics diagnostics[].code diagnostics[].name diagnostics[].severity diagnostics[].message
        diagnostics[].file diagnostics[].start diagnostics[].start.line diagnostics[].start.column diagnostics[].start.utf16Column
        diagnostics[].end diagnostics[].end.line diagnostics[].end.column diagnostics[].end.utf16Column diagnostics[].url
        diagnostics[].related diagnostics[].related[].file diagnostics[].related[].message
        diagnostics[].related[].start diagnostics[].related[].start.line diagnostics[].related[].start.column diagnostics[].related[].start.utf16Column
        diagnostics[].related[].end diagnostics[].related[].end.line diagnostics[].related[].end.column diagnostics[].related[].end.utf16Column
        diagnostics[].fix diagnostics[].fix.message diagnostics[].fix.applicability diagnostics[].fix.edits
        diagnostics[].fix.edits[].file diagnostics[].fix.edits[].startByte diagnostics[].fix.edits[].endByte
        diagnostics[].fix.edits[].replacement
        diagnostics[].fix.edits[].start diagnostics[].fix.edits[].start.line diagnostics[].fix.edits[].start.column
        diagnostics[].fix.edits[].start.utf16Column diagnostics[].fix.edits[].end diagnostics[].fix.edits[].end.line
        diagnostics[].fix.edits[].end.column diagnostics[].fix.edits[].end.utf16Column
    """.split()
    ),
}
GITHUB_LINE = re.compile(r"^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:\n]*)(?:,[a-zA-Z]+=[^,:\n]*)*)::([^\r\n]*)$")


def amplint(*args: str, cwd: Path = REPO, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "amplint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        input=stdin.decode() if stdin is not None else None,
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, str]:
    """One `amplint check` over every fixture: GitHub annotations on stdout, every other format to a file."""
    out = tmp_path_factory.mktemp("reports")
    outputs = [arg for fmt in FILE_FORMATS for arg in ("--output", f"{fmt}:{out / fmt}")]
    # The fix fixtures' `before` projects hold findings without `expect:` markers: they are not linted here.
    run = amplint("check", "tests/fixtures", "--extend-exclude", "tests/fixtures/fixes", "--output", "github", *outputs)
    assert run.returncode == 1, run.stderr
    assert run.stderr == ""
    documents = {fmt: (out / fmt).read_text(encoding="utf-8") for fmt in FILE_FORMATS}
    documents["github"] = run.stdout
    return documents


def expected_reported() -> set[tuple[str, int, str]]:
    return {
        ((FIXTURES / root.name / path).relative_to(REPO).as_posix(), line, code)
        for root in fixture_roots()
        for path, line, code in expected_findings(root)
    }


# -- JSON ------------------------------------------------------------------------------------------


def schema_paths(schema: dict, root: dict, prefix: str = "") -> set[str]:
    """Every property path a JSON Schema allows (`a.b`, `list[].c`), following local $refs."""
    if "$ref" in schema:
        schema = root["$defs"][schema["$ref"].split("/")[-1]]
    paths: set[str] = set()
    for variant in schema.get("oneOf", []):
        paths |= schema_paths(variant, root, prefix)
    for name, sub in schema.get("properties", {}).items():
        paths.add(prefix + name)
        paths |= schema_paths(sub, root, f"{prefix}{name}.")
    if "items" in schema:
        paths |= schema_paths(schema["items"], root, prefix.rstrip(".") + "[].")
    return paths


def test_json_document_is_valid_against_its_schema(reports):
    schema = json.loads(REPORT_SCHEMA.read_text())
    document = json.loads(reports["json"])
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    found = {(d["file"], d["start"]["line"], d["code"]) for d in document["diagnostics"]}
    assert found == expected_reported()
    assert any(d["related"] for d in document["diagnostics"])  # cross-file findings carry related locations


def test_json_version_changes_with_the_shape():
    from amplint.reporters.json import JSON_VERSION

    schema = json.loads(REPORT_SCHEMA.read_text())
    assert schema["properties"]["version"]["const"] == JSON_VERSION
    assert JSON_VERSION in JSON_SHAPES, "a new JSON_VERSION needs its shape in JSON_SHAPES"
    assert schema_paths(schema, schema) == JSON_SHAPES[JSON_VERSION], (
        "the schema's shape changed: bump JSON_VERSION and the schema's version, and record the new shape"
    )


def test_the_schema_ships_inside_the_package():
    # hatch puts every file of the `amplint` package in the wheel, so the schema travels with it
    assert REPORT_SCHEMA.is_relative_to(REPO / "amplint")


def test_json_lines_holds_the_json_diagnostics_one_a_line(reports):
    schema = json.loads(REPORT_SCHEMA.read_text())
    validator = jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/diagnostic"})
    lines = reports["json-lines"].splitlines()
    for line in lines:
        validator.validate(json.loads(line))
    assert [json.loads(line) for line in lines] == json.loads(reports["json"])["diagnostics"]


# -- SARIF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif(reports) -> dict:
    return json.loads(reports["sarif"])


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(sarif):
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not beside the checkout ({SARIF_SCHEMA})")
    schema = json.loads(SARIF_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(sarif)


def test_sarif_has_what_github_code_scanning_requires(sarif):
    (run,) = sarif["runs"]
    assert sarif["version"] == "2.1.0" and sarif["$schema"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    rules = run["tool"]["driver"]["rules"]
    for rule in rules:
        assert re.fullmatch(r"AMP\d{3}", rule["id"]) and rule["name"]
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["markdown"].startswith(f"# {rule['name']} ({rule['id']})")
        assert rule["help"]["text"]
        assert rule["helpUri"].endswith(f"/rules/{rule['id']}.md")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert (REPO / location["artifactLocation"]["uri"]).is_file()  # repository-relative
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert re.fullmatch(r"[0-9a-f]{16}:\d+", result["partialFingerprints"]["primaryLocationLineHash"])


def test_sarif_lists_suppressed_findings_with_their_justification(sarif):
    results = sarif["runs"][0]["results"]
    reported = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        )
        for r in results
        if "suppressions" not in r
    }
    assert reported == expected_reported()
    suppressed = [r for r in results if "suppressions" in r]
    by_place = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].split("/")[2],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["ruleId"],
        ): r["suppressions"]
        for r in suppressed
    }
    assert by_place[("suppress-directives", 5, "AMP501")] == [
        {"kind": "inSource", "justification": "migrating to aws-cdk-lib in #42"}
    ]
    assert by_place[("suppress-directives", 6, "AMP501")] == [{"kind": "inSource"}]  # no reason given
    assert by_place[("suppress-cross-file", 8, "AMP201")] == [
        {"kind": "inSource", "justification": "reporter gets access from a custom IAM policy in backend.ts"}
    ]


def test_sarif_gives_cross_file_findings_related_locations(sarif):
    cross_file = next(
        r
        for r in sarif["runs"][0]["results"]
        if r["ruleId"] == "AMP201"
        and "suppress-cross-file" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    )
    related = cross_file["relatedLocations"]
    assert {r["physicalLocation"]["artifactLocation"]["uri"].split("/amplify/")[1] for r in related} >= {
        "functions/reporter/handler.ts"
    }
    assert all(r["message"]["text"] for r in related)


def test_fingerprints_survive_unrelated_line_shifts(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-duration", project)

    def fingerprints() -> tuple[list[str], list[tuple[str, int]], list[str]]:
        sarif = json.loads(amplint("check", ".", "--output-format", "sarif", cwd=project).stdout)
        gitlab = json.loads(amplint("check", ".", "--output-format", "gitlab", cwd=project).stdout)
        results = sarif["runs"][0]["results"]
        places = [
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
        ]
        return (
            [r["partialFingerprints"]["primaryLocationLineHash"] for r in results],
            places,
            [issue["fingerprint"] for issue in gitlab],
        )

    before, places_before, gitlab_before = fingerprints()
    backend = project / "amplify" / "backend.ts"
    backend.write_text("// a comment and a blank line added above everything\n\n" + backend.read_text())
    after, places_after, gitlab_after = fingerprints()
    assert places_after == [(uri, line + 2 if uri == "amplify/backend.ts" else line) for uri, line in places_before]
    assert any(uri != "amplify/backend.ts" for uri, _ in places_before)  # another file's findings too
    assert after == before and gitlab_after == gitlab_before
    assert len(set(before)) == len(before) and len(set(gitlab_before)) == len(gitlab_before)


# -- GitHub, GitLab, JUnit, text -------------------------------------------------------------------


def unescape(value: str) -> str:
    return value.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotations_follow_the_workflow_command_syntax(reports):
    lines = reports["github"].splitlines()
    document = json.loads(reports["json"])["diagnostics"]
    assert len(lines) == len(document)
    for line, diagnostic in zip(lines, document):
        match = GITHUB_LINE.match(line)
        assert match, line
        level, fields, message = match.groups()
        assert level == {"error": "error", "warning": "warning", "info": "notice"}[diagnostic["severity"]]
        properties = dict(field.split("=", 1) for field in fields.split(","))
        assert unescape(properties["file"]) == diagnostic["file"]  # both relative to the repository here
        assert int(properties["line"]) == diagnostic["start"]["line"]
        assert unescape(properties["title"]) == f"amplint {diagnostic['code']} ({diagnostic['name']})"
        assert unescape(message).startswith(diagnostic["message"])


def test_github_columns_are_inclusive_and_json_carries_utf16_columns(tmp_path):
    """GitHub's `endColumn` and `endLine` default to their starts (actions/toolkit's
    AnnotationProperties), so they are inclusive: the token `Duration` at columns 10-17 is
    `col=10,endColumn=17`. JSON gives code-point columns and the UTF-16 ones VS Code and LSP count."""
    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-duration", project)
    backend = project / "amplify" / "backend.ts"
    # Two emoji (two UTF-16 units each) and a CJK character (one) before the flagged import.
    lines = backend.read_text(encoding="utf-8").splitlines(keepends=True)
    flagged = next(
        i for i, line in enumerate(lines) if line.startswith("import { Duration } from 'aws-cdk-lib/aws-events'")
    )
    lines[flagged] = "/* 🚀🚀名 */ " + lines[flagged]
    backend.write_text("".join(lines), encoding="utf-8")
    json_run = amplint("check", "--output-format", "json", "--select", "AMP501", cwd=project)
    github_run = amplint("check", "--output-format", "github", "--select", "AMP501", cwd=project)
    assert json_run.returncode == github_run.returncode == 1, json_run.stderr + github_run.stderr
    finding = next(d for d in json.loads(json_run.stdout)["diagnostics"] if d["start"]["line"] == flagged + 1)
    text = lines[flagged].rstrip("\n")
    token_at = text.index("Duration")  # 0-based, in code points
    assert text[finding["start"]["column"] - 1 : finding["end"]["column"] - 1] == "Duration"
    assert finding["start"]["column"] == token_at + 1
    utf16 = text.encode("utf-16-le")
    start, end = finding["start"]["utf16Column"], finding["end"]["utf16Column"]
    assert utf16[(start - 1) * 2 : (end - 1) * 2].decode("utf-16-le") == "Duration"
    assert start == finding["start"]["column"] + 2  # each emoji is one code point, two UTF-16 units
    annotation = next(line for line in github_run.stdout.splitlines() if f"line={flagged + 1}," in line)
    properties = dict(field.split("=", 1) for field in GITHUB_LINE.match(annotation).group(2).split(","))
    assert (int(properties["col"]), int(properties["endColumn"])) == (token_at + 1, token_at + len("Duration"))
    assert properties["endLine"] == properties["line"]


def test_github_escapes_percent_newlines_colons_and_commas(tmp_path):
    folder = tmp_path / "amplify" / "functions" / "odd,dir:x"
    folder.mkdir(parents=True)
    (tmp_path / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\n"
        "import { odd } from './functions/odd,dir:x/resource';\n\ndefineBackend({ odd });\n"
    )
    (folder / "resource.ts").write_text(
        "import { defineFunction } from '@aws-amplify/backend';\n\n"
        "export const odd = defineFunction({ name: 'a,b%25c:d\\ne' });\n"
    )
    (folder / "handler.ts").write_text("export const handler = async () => {};\n")
    run = amplint("check", "--output-format", "github", cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    (line,) = run.stdout.splitlines()
    match = GITHUB_LINE.match(line)
    assert match, line
    properties = dict(field.split("=", 1) for field in match.group(2).split(","))
    assert properties["file"] == "amplify/functions/odd%2Cdir%3Ax/resource.ts"
    assert unescape(properties["file"]) == "amplify/functions/odd,dir:x/resource.ts"
    assert "a,b%2525c:d%0Ae" in match.group(3)  # data escapes only %, CR and LF
    assert "named `a,b%25c:d\ne`" in unescape(match.group(3))


def test_gitlab_code_quality_report(reports):
    issues = json.loads(reports["gitlab"])
    assert {
        (i["location"]["path"], i["location"]["positions"]["begin"]["line"], i["check_name"]) for i in issues
    } == expected_reported()
    assert all(i["severity"] in {"info", "minor", "major", "critical", "blocker"} for i in issues)
    assert all(i["description"].startswith(i["check_name"] + ": ") for i in issues)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert not reports["gitlab"].startswith("\ufeff")  # GitLab rejects a byte order mark


def test_junit_parses_as_xml_with_a_failing_case_per_finding(reports):
    suites = ElementTree.fromstring(reports["junit"])
    assert suites.tag == "testsuites"
    cases = suites.findall("testsuite/testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    assert int(suites.get("failures")) == len(failures) == len(json.loads(reports["json"])["diagnostics"])
    assert int(suites.get("tests")) == len(cases)
    for suite in suites.findall("testsuite"):
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
    codes = {(case.get("file"), int(case.get("line")), case.get("name").split()[0]) for case in failures}
    assert codes == expected_reported()


def test_junit_for_a_clean_run_has_one_passing_case(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "official-function-ts", project)
    run = amplint("check", ".", "--output-format", "junit", cwd=project)
    assert run.returncode == 0, run.stderr
    suites = ElementTree.fromstring(run.stdout)
    (case,) = suites.iter("testcase")
    assert case.find("failure") is None and suites.get("failures") == "0"


def test_junit_escapes_what_xml_cannot_carry(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(FIXTURES / "core-handler-return", project)
    (project / "amplify" / "odd.ts").write_text(
        "import { defineFunction } from '@aws-amplify/backend';\n"
        "export const odd = defineFunction({ name: 'x\\u001b<&>\\uffffy' });\n"
    )
    run = amplint("check", ".", "--output-format", "junit", cwd=project)
    assert run.returncode == 1, run.stderr
    text = ElementTree.tostring(ElementTree.fromstring(run.stdout), encoding="unicode")
    assert "x\\x1b&lt;&amp;&gt;\ufffdy" in text


def test_text_report_to_a_file_has_no_terminal_escapes(reports):
    assert "\x1b" not in reports["text"]
    # the summary, then (when findings have fixes) how to apply them
    assert any(line.endswith("files linted).") for line in reports["text"].rstrip().splitlines()[-2:])
    assert " | " in reports["text"]  # the code frames


def test_statistics_count_findings_per_rule(tmp_path):
    from amplint.api import lint

    roots = ["tests/fixtures/core-duration", "tests/fixtures/core-cycle"]
    # `[*]`: some finding of the rule has a safe fix (Ruff's marker); `[ ]` the others, when any has one
    fixable = {d.code for d in lint(roots).reported if d.fix is not None and d.fix.applicability == "safe"}
    marks = {
        code: ("[*] " if code in fixable else "[ ] ") if fixable else "" for code in ("AMP501", "AMP203", "AMP509")
    }
    text = amplint("check", *roots, "--statistics")
    assert text.returncode == 1
    assert text.stdout.splitlines() == [
        f"6  AMP501  {marks['AMP501']}duration-from-wrong-module             error",
        f"4  AMP203  {marks['AMP203']}function-stack-cycle                   error",
        f"1  AMP509  {marks['AMP509']}member-not-on-resource-type            error",
    ]
    as_json = amplint("check", "tests/fixtures/core-duration", "--statistics", "--output-format", "json")
    assert json.loads(as_json.stdout) == [
        {
            "code": "AMP501",
            "name": "duration-from-wrong-module",
            "severity": "error",
            "count": 6,
            "fixable": "AMP501" in fixable,
        }
    ]
