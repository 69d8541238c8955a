"""`amplint graph`: the backend picture and its four renderers. Each format is compared whole with a
reviewed snapshot in tests/graph_snapshots/ (after a reviewed change:
`python -m pytest tests/test_graph.py --update-snapshots`); the Mermaid text passes a grammar check of
the flowchart subset amplint writes, the DOT text is parsed by pydot, the JSON document is valid
against amplint/schemas/graph.schema.json, and the picture agrees with what AMP203 reports."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pydot
import pytest
from conftest import FIXTURES

from amplint.api import backends, lint
from amplint.graph import dot, mermaid, text
from amplint.graph import json as graph_json
from amplint.model.schedules.runs import next_runs
from amplint.model.schedules.timing import cron_spec
from amplint.picture import (
    BackendPicture,
    Flow,
    FunctionPicture,
    Member,
    Place,
    Setting,
    StackCyclePicture,
    StackEdge,
    StackNode,
    StackPicture,
    definition_at,
    function_picture,
    picture,
)

REPO = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).parent / "graph_snapshots"
SCHEMA = REPO / "amplint" / "schemas" / "graph.schema.json"
EXAMPLE = REPO / "examples" / "scheduled-backend"
NOW = datetime.datetime(2025, 1, 6, 8, 0, tzinfo=datetime.timezone.utc)
# A cycle through an auth trigger, one through a custom stack, AMP203's own fixture, the example
# backend, and one without cycles that reaches functions every way (triggers, senders, handlers, grants).
PROJECTS = {
    "core-cycle-auth-trigger-in-data": FIXTURES / "core-cycle-auth-trigger-in-data",
    "data-stack-cycles": FIXTURES / "data-stack-cycles",
    "core-cycle": FIXTURES / "core-cycle",
    "graph-reach": FIXTURES / "graph-reach",
    "scheduled-backend": EXAMPLE,
}
RENDERERS = {"text": text, "json": graph_json, "mermaid": mermaid, "dot": dot}
SUFFIX = {"text": "txt", "json": "json", "mermaid": "mmd", "dot": "dot"}


def backend_of(root: Path):
    (found,), errors, _ = backends([root])
    assert errors == []
    return found[1]


def picture_of(root: Path, zone: str | None = "Europe/Berlin") -> BackendPicture:
    return picture(backend_of(root), now=NOW, zone=zone)


@pytest.mark.parametrize("stacks_only", [False, True], ids=["full", "stacks"])
@pytest.mark.parametrize("fmt", list(RENDERERS))
@pytest.mark.parametrize("name", list(PROJECTS))
def test_each_format_matches_its_snapshot(name, fmt, stacks_only, request, monkeypatch):
    root = PROJECTS[name]
    monkeypatch.chdir(root.parent)  # the root is shown relative to the working directory
    actual = RENDERERS[fmt].render([picture_of(root)], stacks_only)
    snapshot = SNAPSHOTS / f"{name}{'.stacks' if stacks_only else ''}.{SUFFIX[fmt]}"
    if request.config.getoption("--update-snapshots"):
        SNAPSHOTS.mkdir(exist_ok=True)
        snapshot.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert snapshot.is_file(), f"no snapshot {snapshot.name}: run with --update-snapshots and review it"
    assert snapshot.read_text(encoding="utf-8") == actual


# -- Mermaid: a grammar check of the flowchart subset amplint writes ---------------------------------

_ID = r"[A-Za-z][A-Za-z0-9_]*"
# A quoted label: no raw quote, and none of the characters Mermaid reads as syntax inside one.
_LABEL = r'"[^"#<>&|`\\\n]*(?:#(?:\d+|quot|lt|gt|amp);[^"#<>&|`\\\n]*)*"'
_SHAPE = rf"(?:\({_LABEL}\)|\[\({_LABEL}\)\]|\{{\{{{_LABEL}\}}\}}|\[/{_LABEL}/\]|\[{_LABEL}\])"
_MERMAID_LINE = {
    "header": re.compile(r"flowchart (?:LR|TD|TB|RL|BT)"),
    "subgraph": re.compile(rf"subgraph ({_ID})\[{_LABEL}\]"),
    "end": re.compile(r"end"),
    "node": re.compile(rf"({_ID}){_SHAPE}"),
    "link": re.compile(rf"({_ID}) -->\|{_LABEL}\| ({_ID})"),
    "linkStyle": re.compile(r"linkStyle (\d+(?:,\d+)*) [a-z-]+:[^;\s]+(?:,[a-z-]+:[^;\s,]+)*"),
}


def check_mermaid(source: str) -> tuple[set[str], list[tuple[str, str]]]:
    """Parse the flowchart line by line: every line one of the forms amplint writes, subgraphs
    balanced, links between declared nodes, link styles naming existing links. Returns the node
    ids and the links."""
    lines = source.splitlines()
    assert lines and _MERMAID_LINE["header"].fullmatch(lines[0]), lines[:1]
    nodes: set[str] = set()
    links: list[tuple[str, str]] = []
    depth = 0
    styled: list[int] = []
    for line in lines[1:]:
        line = line.strip()
        kind, match = next(((k, m) for k, p in _MERMAID_LINE.items() if (m := p.fullmatch(line))), (None, None))
        assert match is not None, f"not Mermaid flowchart syntax amplint writes: {line!r}"
        if kind == "subgraph":
            depth += 1
            nodes.add(match.group(1))
        elif kind == "end":
            depth -= 1
            assert depth >= 0, "`end` without `subgraph`"
        elif kind == "node":
            assert match.group(1) not in nodes, f"node {match.group(1)} declared twice"
            nodes.add(match.group(1))
        elif kind == "link":
            links.append((match.group(1), match.group(2)))
        elif kind == "linkStyle":
            styled.extend(int(n) for n in match.group(1).split(","))
    assert depth == 0, "unclosed subgraph"
    for source_id, target_id in links:
        assert {source_id, target_id} <= nodes, f"link between undeclared nodes {source_id} -> {target_id}"
    assert all(0 <= n < len(links) for n in styled), "linkStyle names a link that does not exist"
    assert not nodes & {"end", "graph", "subgraph", "flowchart"}, "a Mermaid keyword as an id"
    return nodes, links


@pytest.mark.parametrize("stacks_only", [False, True], ids=["full", "stacks"])
@pytest.mark.parametrize("name", list(PROJECTS))
def test_mermaid_output_parses_and_draws_every_edge(name, stacks_only):
    shown = picture_of(PROJECTS[name])
    _, links = check_mermaid(mermaid.render([shown], stacks_only))
    stacks = shown.stacks
    if stacks_only:
        assert len(links) == len(stacks.edges)
    else:
        flows = {(f.dependent, f.dependency, f.how) for edge in stacks.edges for f in edge.flows}
        assert len(links) == len(flows)


@pytest.mark.parametrize("name", list(PROJECTS))
def test_dot_output_is_accepted_by_pydot(name):
    shown = picture_of(PROJECTS[name])
    for stacks_only in (False, True):
        (graph,) = pydot.graph_from_dot_data(dot.render([shown], stacks_only))
        edges = graph.get_edges()
        if stacks_only:
            assert len(edges) == len(shown.stacks.edges)
            assert {n.get_name() for n in graph.get_nodes()} >= {
                f"s{i}" for i in range(1, len(shown.stacks.stacks) + 1)
            }
        else:
            clusters = graph.get_subgraphs()
            assert len(clusters) == len(shown.stacks.stacks)
            drawn = {n.get_name() for c in clusters for n in c.get_nodes()}
            assert drawn == {f"n_{m.id}" for m in shown.stacks.members}
            red = [e for e in edges if e.get("color") == f'"{dot.CYCLE_COLOR}"']
            on_cycle = {(f.dependent, f.dependency, f.how) for e in shown.stacks.edges if e.on_cycle for f in e.flows}
            assert len(red) == len(on_cycle)


def _nasty_picture() -> BackendPicture:
    """A picture whose names and reasons hold every character the formats must escape."""
    nasty = 'a"b#c<d>e&f|g`h\\i\nj'
    place = Place("amplify/x.ts", 1, 1)
    members = (
        Member("fn1", "function", nasty, "end", place),
        Member("data", "data", "data", "data", place),
        Member("stack1", "custom-stack", 'q"uote', 'q"uote', place),
    )
    flows = (Flow("fn1", "data", f"`{nasty}` in backend.ts", place), Flow("data", "stack1", nasty, place))
    back = Flow("stack1", "fn1", "<script>", place)
    stacks = StackPicture(
        (
            StackNode("end", "group", ("fn1",)),
            StackNode("data", "data", ("data",)),
            StackNode('q"uote', "custom", ("stack1",)),
        ),
        members,
        (
            StackEdge("end", "data", True, flows[:1]),
            StackEdge("data", 'q"uote', True, flows[1:]),
            StackEdge('q"uote', "end", True, (back,)),
        ),
        (StackCyclePicture(("end", "data", 'q"uote', "end"), "fn1", nasty, None, "advice", place),),
    )
    return BackendPicture("/tmp/app", "2025-01-06T08:00Z", None, (), stacks)


def test_labels_are_escaped_in_every_format():
    shown = _nasty_picture()
    for stacks_only in (False, True):
        nodes, links = check_mermaid(mermaid.render([shown], stacks_only))
        assert len(links) == 3
        (graph,) = pydot.graph_from_dot_data(dot.render([shown], stacks_only))
        assert len(graph.get_edges()) == 3
    labels = [e.get("label") for e in pydot.graph_from_dot_data(dot.render([shown]))[0].get_edges()]
    assert '"<script>"' in labels and any('a\\"b#c' in label for label in labels)
    assert (
        json.loads(graph_json.render([shown]))["backends"][0]["stacks"]["members"][0]["name"]
        == shown.stacks.members[0].name
    )
    assert "\x1b" not in text.render([_nasty_picture()._replace(root="/tmp/a\x1b[31mb")])


# -- JSON --------------------------------------------------------------------------------------------


def test_json_document_is_valid_against_its_schema_and_versioned(monkeypatch):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    assert schema["properties"]["version"]["const"] == graph_json.GRAPH_JSON_VERSION
    for root in PROJECTS.values():
        for stacks_only in (False, True):
            document = json.loads(graph_json.render([picture_of(root)], stacks_only))
            validator.validate(document)
            assert (document["backends"][0]["functions"] is None) == stacks_only


# -- the picture -------------------------------------------------------------------------------------


def test_cycles_are_those_amp203_reports_with_its_fix():
    for root in PROJECTS.values():
        shown = picture_of(root)
        findings = [d for d in lint([root]).reported if d.code == "AMP203"]
        assert len(shown.stacks.cycles) == len(findings)
        for cycle, finding in zip(
            sorted(shown.stacks.cycles, key=lambda c: c.place), sorted(findings, key=lambda d: d.sort_key)
        ):
            assert cycle.place.file == finding.location.path.relative_to(root).as_posix()
            assert cycle.advice in finding.message
            path = " → ".join(cycle.stacks)
            (note,) = [r for r in finding.related if "amplint graph --stacks" in r.message]
            assert f"the cycle is {path};" in note.message
            assert note.location.path == root / "amplify" / "backend.ts"
            on_cycle = {(e.dependent, e.dependency) for e in shown.stacks.edges if e.on_cycle}
            assert set(zip(cycle.stacks, cycle.stacks[1:])) <= on_cycle


def test_auth_trigger_cycle_and_custom_stack_cycle():
    trigger = picture_of(FIXTURES / "core-cycle-auth-trigger-in-data")
    (cycle,) = trigger.stacks.cycles
    assert cycle.stacks == ("data", "auth", "data") and cycle.fix == "auth" and cycle.function_name == "f"
    (fn,) = trigger.functions
    assert [r.kind for r in fn.reached] == ["registered", "trigger"] and fn.stack == "data"
    custom = picture_of(FIXTURES / "data-stack-cycles")
    exporter = next(c for c in custom.stacks.cycles if c.function_name == "exporter")
    assert exporter.stacks == ("function", "exports", "data", "function") and exporter.fix is None
    assert any(n.name == "exports" and n.kind == "custom" for n in custom.stacks.stacks)


def test_function_facts():
    shown = picture_of(FIXTURES / "graph-reach", zone=None)
    by_name = {fn.name: fn for fn in shown.functions}
    reporter = by_name["reporter"]
    assert reporter.timeout == Setting(30, True) and reporter.memory == Setting(1024, True)
    assert reporter.runtime == Setting(22, False)
    assert {(g.resource, g.operations) for g in reporter.allowed} == {
        ("data", ("query",)),
        ("storage", ("read", "write")),
    }
    assert {op for use in reporter.performed for op in use.operations} == {"query", "mutate"}
    weekly, daily = reporter.schedules
    assert weekly.timezone == "America/New_York" and weekly.cron == "0 9 ? * 2 *"
    # Monday 2025-01-06 09:00 in New York is 14:00 UTC; without --tz the runs are shown in the schedule's zone.
    assert [(r.utc, r.local) for r in weekly.runs][:2] == [
        ("2025-01-06T14:00Z", "2025-01-06T09:00-05:00"),
        ("2025-01-13T14:00Z", "2025-01-13T09:00-05:00"),
    ]
    assert [r.utc for r in daily.runs] == ["2025-01-07T00:00Z", "2025-01-08T00:00Z", "2025-01-09T00:00Z"]
    assert [r.detail for r in by_name["welcome"].reached] == ["auth trigger `postConfirmation`"]
    assert [r.detail for r in by_name["mailer"].reached] == ["auth custom sender `email`"]
    assert [r.detail for r in by_name["echo"].reached] == ["handler of custom query `echo`"]


def test_never_deployed_function_has_no_runs_and_invalid_schedule_says_why():
    shown = picture_of(EXAMPLE)
    by_name = {fn.name: fn for fn in shown.functions}
    weekly = by_name["weekly-digest"]
    assert weekly.deployed == "no" and weekly.schedules[0].runs == ()
    (nightly,) = by_name["nightly-report"].schedules
    assert nightly.status == "invalid" and "0 2 * * ? *" in (nightly.problem or "")
    assert "weekly-digest" not in {m.name for m in shown.stacks.members}


def test_one_function_for_a_hover(tmp_path):
    backend = backend_of(FIXTURES / "graph-reach")
    resource = FIXTURES / "graph-reach" / "amplify" / "functions" / "reporter" / "resource.ts"
    offset = resource.read_bytes().index(b"timeoutSeconds")
    found = definition_at(backend, resource, offset, now=NOW)
    assert found is not None and found.kind == "function" and found.function is not None
    one = found.function
    assert isinstance(one, FunctionPicture) and one.name == "reporter"
    assert one == next(f for f in picture(backend, now=NOW).functions if f.name == "reporter")
    fn = next(fn for fn in backend.functions if fn.name == "reporter")
    assert function_picture(backend, fn, now=NOW) == one
    assert definition_at(backend, resource, 0) is None  # the import line holds no defineFunction
    assert definition_at(backend, resource.with_name("handler.ts"), 0) is None  # only definitions and keys


@pytest.mark.parametrize(
    ("cron", "zone", "expected"),
    [
        # The last Friday of the month, the nearest weekday to the 15th, the second Monday.
        ("0 12 ? * 6L *", "UTC", ["2025-01-31T12:00Z", "2025-02-28T12:00Z", "2025-03-28T12:00Z"]),
        ("0 12 15W * ? *", "UTC", ["2025-01-15T12:00Z", "2025-02-14T12:00Z", "2025-03-14T12:00Z"]),
        ("0 12 ? * 2#2 *", "UTC", ["2025-01-13T12:00Z", "2025-02-10T12:00Z", "2025-03-10T12:00Z"]),
        ("0 0 29 2 ? *", "UTC", ["2028-02-29T00:00Z", "2032-02-29T00:00Z", "2036-02-29T00:00Z"]),
        ("0 0 1 1 ? 2024", "UTC", []),
        # 02:30 does not exist in Berlin on 2025-03-30: that day has no run.
        ("30 2 * * ? *", "Europe/Berlin", ["2025-03-29T01:30Z", "2025-03-31T00:30Z", "2025-04-01T00:30Z"]),
    ],
)
def test_next_runs(cron, zone, expected):
    import zoneinfo

    spec = cron_spec(tuple(cron.split()))
    after = (
        NOW
        if "29 2" in cron or "2024" in cron or zone == "UTC"
        else datetime.datetime(2025, 3, 29, 0, 0, tzinfo=datetime.timezone.utc)
    )
    runs = next_runs(spec, zoneinfo.ZoneInfo(zone), after)
    assert [r.strftime("%Y-%m-%dT%H:%MZ") for r in runs] == expected


# -- the command -------------------------------------------------------------------------------------


def run(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "PYTHONTZPATH")}
    environ["PYTHONPATH"] = str(REPO)
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "amplint", "graph", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def test_command_prints_each_format(tmp_path):
    for fmt in RENDERERS:
        result = run(
            "examples/scheduled-backend", "--format", fmt, "--now", "2025-01-06T08:00Z", "--tz", "Europe/Berlin"
        )
        # The example keeps a syntax error for AMP001: the picture says it may miss what that file holds.
        assert result.returncode == 0 and result.stderr == (
            "amplint: warning: examples/scheduled-backend/amplify/functions/nightly-report/format.ts does not "
            "parse; the picture may be incomplete\n"
        )
        assert result.stdout == (SNAPSHOTS / f"scheduled-backend.{SUFFIX[fmt]}").read_text(encoding="utf-8").replace(
            "backend scheduled-backend", "backend examples/scheduled-backend"
        ).replace('"root": "scheduled-backend"', '"root": "examples/scheduled-backend"')


def test_command_colours_as_check_does():
    plain = run("examples/scheduled-backend", "--stacks")
    assert plain.returncode == 0 and "\x1b[" not in plain.stdout and "'function' → 'data'" in plain.stdout
    forced = run("examples/scheduled-backend", "--stacks", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    both = run("examples/scheduled-backend", "--stacks", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in both.stdout
    assert "\x1b[" in run("examples/scheduled-backend", "--stacks", "--color", "always").stdout


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (
            ("examples/scheduled-backend", "--tz", "Mars/Base"),
            "--time-zone: `Mars/Base` is not a time zone known on this host",
        ),
        (("examples/scheduled-backend", "--now", "soon"), "--now: `soon` is not an ISO 8601 date and time"),
        (("no/such/folder",), "no/such/folder: no such file or directory"),
        (("amplint",), "amplint: no Amplify backend found"),
        (("README.md",), "README.md: not inside an Amplify project"),
        (("examples", "--format", "mermaid"), "--format mermaid draws one backend at a time; 2 found"),
        (("examples/scheduled-backend", "--format", "svg"), "Invalid value for '--format'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, problem):
    result = run(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert problem in result.stderr
    if "Invalid value" not in problem:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("amplint: error: ")


def test_readme_shows_the_example_graph():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Graph\n") :]
    section = section[: section.index("\n## ", 1)]
    (block,) = re.findall(r"^```mermaid\n(.*?)^```$", section, re.M | re.S)
    assert block == mermaid.render([picture_of(EXAMPLE)])
    (console,) = re.findall(r"^```console\n\$ (amplint graph .*?)\n(.*?)^```$", section, re.M | re.S)
    shown = run(*console[0].split()[2:])
    assert shown.returncode == 0 and shown.stdout == console[1]
    png = re.search(r"\]\((docs/[\w./-]+\.png)\)", section)
    assert png is not None and (REPO / png.group(1)).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
