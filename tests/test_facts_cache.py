"""The facts cache: when the result cache misses, each file whose text is unchanged gets its module
and per-file facts from the root's facts pack instead of being parsed and read again, with exactly
the findings of a run from scratch; only what the model still reads from a tree is parsed, on demand;
a damaged, foreign or hostile pack is ignored (never trusted, never run) and rewritten."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy, fixture_roots

from amplint import api, cache, syntax
from amplint.api import LintOptions, LintResult, Session, lint
from amplint.checks import CHECKS, Check
from amplint.cli import main
from amplint.model import modules, stored


def check(*args: str) -> tuple[int, str, str]:
    run = CliRunner().invoke(main, ["check", "--output-format", "concise", *args])
    if run.exception and not isinstance(run.exception, SystemExit):
        raise run.exception
    return run.exit_code, run.stdout, run.stderr


def forget_results(folder: Path) -> None:
    """Remove the result entries, so that the next run reads the facts pack."""
    for entry in folder.glob("*.json"):
        entry.unlink()


def pack_of(folder: Path) -> Path:
    (pack,) = folder.glob("*.facts")
    return pack


def lint_after_changing(changed: Path, root: Path, options: LintOptions, parsed: list[Path], monkeypatch) -> LintResult:
    """Change `changed` (a comment added) and lint `root` again with `options`; `parsed` then lists the
    files that run parsed."""
    changed.write_text(changed.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    monkeypatch.setattr(api, "VERIFY_REUSE", False)  # it would run the checks of definitions to compare
    parsed.clear()
    return lint([root], options)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = copy("suppress-directives", tmp_path / "app")
    monkeypatch.chdir(root)
    monkeypatch.delenv("AMPLINT_CACHE_DIR", raising=False)
    return root


def test_every_fixture_read_from_its_facts_gives_the_findings_of_a_fresh_lint(tmp_path, built):
    folder = tmp_path / "cache"
    options = LintOptions(cache=True, cache_dir=folder)
    roots = fixture_roots()
    fresh = {root: lint([root]) for root in roots}
    for root in roots:
        lint([root], options)
    assert len(list(folder.glob("*.facts"))) == len(roots)
    forget_results(folder)
    built.clear()
    for root in roots:
        again, expected = lint([root], options), fresh[root]
        assert again.errors == expected.errors == [], root.name
        assert again.diagnostics == expected.diagnostics, root.name
        assert [d.severity for d in again.diagnostics] == [d.severity for d in expected.diagnostics], root.name
    assert built == []  # every module came from the facts


def test_only_the_changed_file_is_read_again(project, built):
    folder = project / ".amplint_cache"
    check()
    backend = project / "amplify" / "backend.ts"
    backend.write_text(backend.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    built.clear()
    with_facts = check()
    assert built == [backend]
    assert with_facts == check("--no-cache")
    built.clear()
    forget_results(folder)
    assert check() == with_facts and built == []  # the pack was updated with the changed file


def test_after_a_handler_changed_the_checks_of_definitions_only_are_not_run_again(tmp_path, monkeypatch):
    root = copy("core-data", tmp_path / "app")
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    lint([root], options)
    handler = next((root / "amplify" / "functions").rglob("handler.ts"))
    handler.write_text(handler.read_text(encoding="utf-8") + "\n// changed\n", encoding="utf-8")
    monkeypatch.setattr(api, "VERIFY_REUSE", False)  # it would run them to compare
    ran: list[Check] = []
    real = Check.__call__

    def call(check, backend):
        ran.append(check)
        return real(check, backend)

    monkeypatch.setattr(Check, "__call__", call)
    again = lint([root], options)
    assert ran and not any(check.definitions_only for check in ran)
    assert any(check.definitions_only for check in CHECKS)
    assert again.diagnostics == lint([root]).diagnostics


def test_a_file_read_from_the_facts_is_parsed_only_if_the_model_needs_its_tree(tmp_path, parsed):
    root = copy("cdk-crons", tmp_path / "app")
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    expected = lint([root], options)
    forget_results(tmp_path / "cache")
    parsed.clear()
    assert lint([root], options).diagnostics == expected.diagnostics
    functions = root / "amplify" / "functions" / "job"
    # backend.ts and the defineFunction call are read through their trees; the handler is not
    assert sorted(parsed) == [root / "amplify" / "backend.ts", functions / "resource.ts"]
    assert (functions / "handler.ts").is_file()


def test_after_a_handler_changed_a_run_from_the_facts_parses_that_handler_only(tmp_path, parsed, monkeypatch):
    """The synthetic backend of the benchmark: the join reads defineBackend, its registrations and
    `backend.<key>` uses, `addEnvironment`, the resources, the schema's chain and its
    `allow.resource` and `a.handler.function` references from the facts of unchanged files."""
    sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
    from generate import KINDS, generate

    root = generate(tmp_path / "backend", 2 * len(KINDS))
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    lint([root], options)
    handler = sorted((root / "amplify" / "functions").rglob("handler.ts"))[0]
    again = lint_after_changing(handler, root, options, parsed, monkeypatch)
    assert parsed == [handler]
    fresh = lint([root])
    assert again.diagnostics == fresh.diagnostics and again.errors == fresh.errors == []
    ((_, backend),), _, _ = api.backends([root])  # what the run read from the facts: these among it
    assert {ref.kind for ref in backend.references} == {"allow.resource", "a.handler.function"}
    assert backend.define_backend is not None and backend.define_backend.uses and backend.added_environment_calls


@pytest.mark.parametrize(
    ("fixture", "handler", "kinds"),
    [
        ("core-cycle-fixed", "post-confirm", ["trigger"]),  # `triggers: { postConfirmation: postConfirm }`
        ("graph-reach", "echo", ["trigger", "sender"]),  # and `senders: { email: { handler: mailer } }`
    ],
)
def test_after_a_handler_changed_auth_triggers_and_senders_are_read_from_the_facts(
    tmp_path, parsed, monkeypatch, fixture, handler, kinds
):
    root = copy(fixture, tmp_path / "app")
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    lint([root], options)
    changed = root / "amplify" / "functions" / handler / "handler.ts"
    again = lint_after_changing(changed, root, options, parsed, monkeypatch)
    assert root / "amplify" / "auth" / "resource.ts" not in parsed
    assert again.diagnostics == lint([root]).diagnostics
    ((_, backend),), _, _ = api.backends([root])
    auth = [(ref.kind, ref.function is not None) for ref in backend.references if ref.resource == "auth"]
    assert auth == [(kind, True) for kind in kinds]


def test_after_a_handler_changed_cdk_schedules_targets_and_constructs_are_read_from_the_facts(
    tmp_path, parsed, monkeypatch
):
    """Crons and targets whose options are written in place, rates and ages built by `Duration`, and
    construct ids that no other creation shares, as real backends write them: their checks need no
    tree of a file that did not change."""
    root = copy("cdk-targets", tmp_path / "app")
    backend_ts = root / "amplify" / "backend.ts"
    lines = backend_ts.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if "'Computed'" not in line]  # `Number(process.env.RATE)`: the tree tells
    kept.append("new events.Rule(stack, 'BadHour', { schedule: events.Schedule.cron({ minute: '0', hour: '25' }) });")
    backend_ts.write_text("\n".join(kept) + "\n", encoding="utf-8")
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    first = lint([root], options)
    assert {d.code for d in first.diagnostics} == {"AMP502", "AMP504", "AMP505"}
    handler = root / "amplify" / "functions" / "job" / "handler.ts"
    again = lint_after_changing(handler, root, options, parsed, monkeypatch)
    assert parsed == [handler]
    assert again.diagnostics == lint([root]).diagnostics == first.diagnostics


def test_after_a_handler_changed_a_function_s_layers_are_read_from_the_facts(tmp_path, parsed, monkeypatch):
    root = copy("recall-layers", tmp_path / "app")  # `layers: { sharp: '...', canvas: '...' }`
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    first = lint([root], options)
    assert [d.code for d in first.diagnostics] == ["AMP611"]
    handler = root / "amplify" / "functions" / "thumbs" / "handler.ts"
    again = lint_after_changing(handler, root, options, parsed, monkeypatch)
    assert parsed == [handler]
    assert again.diagnostics == lint([root]).diagnostics


@pytest.mark.parametrize(
    ("fixture", "read"),
    [
        ("realworld-data-access", []),
        # `document` is `process.env.DOCUMENT ?? ''`: read through the tree (and not evaluated)
        ("data-allow-resource-operations", ["documents.ts"]),
    ],
)
def test_what_a_handler_does_with_data_is_read_from_the_facts(tmp_path, parsed, monkeypatch, fixture, read):
    """`Amplify.configure({ API: { GraphQL: { ... } } })` written in place, a client imported from
    another module, the `authMode` of Data operations and the query of `graphql` calls: read from
    the facts of unchanged files. (A change to backend.ts runs the checks of definitions again: they
    read resource files.)"""
    root = copy(fixture, tmp_path / "app")
    options = LintOptions(cache=True, cache_dir=tmp_path / "cache")
    lint([root], options)
    backend_ts = root / "amplify" / "backend.ts"
    again = lint_after_changing(backend_ts, root, options, parsed, monkeypatch)
    assert [path.name for path in parsed if "functions" in path.parts and path.name != "resource.ts"] == read
    assert again.diagnostics == lint([root]).diagnostics


def test_a_session_and_the_uncached_api_write_no_pack(project):
    Session().lint([project])
    lint([project])
    assert not (project / ".amplint_cache").exists()


def test_a_fact_that_holds_a_node_is_not_stored(project):
    module = modules.build_module(syntax.SourceFile(project / "amplify" / "backend.ts", b"const a = 1;\n"))
    assert stored.dump(module) is not None
    module.fact(lambda m: m.file.root)  # a lambda has no name to be found by: not stored
    assert stored.dump(module) is not None
    module.fact(_root_of)  # a fact holding a node, not marked as one
    assert stored.dump(module) is None  # the module is then read from its tree next time


def _root_of(module: modules.Module) -> object:
    return module.file.root


def test_a_stored_module_keeps_its_facts_and_parses_nothing(tmp_path):
    path = tmp_path / "amplify" / "backend.ts"
    text = b"import { defineBackend } from '@aws-amplify/backend';\nexport const x = 1;\nconst y = ;\n"
    module = modules.build_module(syntax.SourceFile(path, text))
    specifiers = module.fact(modules._specifiers)
    data = stored.dump(module)
    assert data is not None
    file = syntax.SourceFile(path, text)
    loaded = stored.load(file, data)
    assert loaded is not None and not file.parsed
    assert loaded.fact(modules._specifiers) == specifiers == frozenset({"@aws-amplify/backend"})
    assert [i[:4] for i in loaded.imports] == [i[:4] for i in module.imports]
    assert all(i.file is file for i in loaded.imports) and loaded.exports["x"].file is file
    assert loaded.file.has_error and loaded.file.parse_errors == module.file.parse_errors
    assert not file.parsed  # all of that without the tree
    assert loaded.exports["x"].location == module.exports["x"].location


class _Hostile:
    """Pickles as a call of `exec`: a pack that would run code if it were trusted."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return exec, (f"open({str(self.marker)!r}, 'w').write('ran')",)


def _damaged(kind: str, good: bytes, header: bytes, marker: Path) -> bytes:
    if kind == "truncated":
        return good[: len(good) // 2]
    if kind == "garbage":
        return b"\x80\x00not a pack"
    if kind == "empty":
        return b""
    if kind == "other-key":
        return b"amplint facts " + b"0" * 64 + b"\n" + good[len(header) :]
    if kind == "not-a-dict":
        return header + pickle.dumps([1, 2, 3])
    if kind == "hostile-pack":
        return header + pickle.dumps(_Hostile(marker))
    entries, definitions = cache._data_only_loads()(good[len(header) :])
    path, (digest, _) = next(iter(entries.items()))
    if kind == "hostile-facts":
        entries[path] = (digest, pickle.dumps(_Hostile(marker)))
    elif kind == "garbage-facts":
        entries[path] = (digest, b"\x80\x05garbage")
    elif kind == "wrong-shape":
        entries[path] = (digest, pickle.dumps((1, 2)))
    elif kind == "garbage-definitions":
        definitions = (definitions[0], b"{not json")
    elif kind == "other-codes-in-definitions":
        document = json.loads(definitions[1])
        finding = next(item for items in document.values() for item in items)
        # each check "found" a finding of a rule it does not report: none of it may be reused
        document = {name: [{**finding, "code": "AMP001"}] for name in document}
        definitions = (definitions[0], json.dumps(document).encode())
    return header + pickle.dumps((entries, definitions))


@pytest.mark.parametrize(
    "kind",
    [
        "truncated",
        "garbage",
        "empty",
        "other-key",
        "not-a-dict",
        "hostile-pack",
        "hostile-facts",
        "garbage-facts",
        "wrong-shape",
        "garbage-definitions",
        "other-codes-in-definitions",
    ],
)
def test_a_damaged_foreign_or_hostile_pack_is_ignored_and_rewritten(project, tmp_path, built, kind):
    folder = project / ".amplint_cache"
    expected = check()
    pack = pack_of(folder)
    good = pack.read_bytes()
    header = cache.FactsPack(folder, project).header
    marker = tmp_path / "ran"
    pack.write_bytes(_damaged(kind, good, header, marker))
    forget_results(folder)
    built.clear()
    assert check() == expected
    assert built or kind.endswith("definitions")  # the facts are not used (but for a damage to the rest)
    assert not marker.exists()  # nothing in the pack was run
    assert pack.read_bytes() == good  # rewritten whole
    forget_results(folder)
    built.clear()
    assert check() == expected and built == []


def test_an_unwritable_cache_folder_still_lints(project, tmp_path, built):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    expected = check("--no-cache")
    assert check("--cache-dir", str(blocked / "cache")) == expected
