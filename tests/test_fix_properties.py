"""Property test of fixing: in any fixture project mutated by deleting, duplicating or swapping lines,
the fixes applied together in one pass never overlap, and fixing until nothing changes settles
without adding a syntax error (AMP001) to any file.

The fixes are every fix the findings offer, safe and unsafe (as `--fix --unsafe-fixes` applies
them): those of the rule table's checks, whatever rules have fixes, plus two injected checks that
offer competing fixes for the same text (`const` -> `let`, `const` -> `var`), so the test is never
vacuous and the overlap rule is exercised in every project. Bounded for CI;
AMPLINT_HYPOTHESIS_EXAMPLES=2000 runs longer."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from conftest import FIXTURES, fixture_roots
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amplint.amplify import SOURCE_SUFFIXES
from amplint.api import LintOptions, lint
from amplint.checks import CHECKS, Check
from amplint.diagnostics import Diagnostic, Edit, Fix, Location
from amplint.fixer import apply_fixes, available, fix, native_edit

EXAMPLES = int(os.environ.get("AMPLINT_HYPOTHESIS_EXAMPLES", "30"))
BOUNDED = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
OPTIONS = LintOptions(cache=False, isolated=True)  # every rule, whatever a fixture configures
FIX_CASES = FIXTURES / "fixes"
# Fixture projects, the bundled examples, and the `before` projects of the fix round-trip cases.
ROOTS = [
    *fixture_roots(),
    *sorted((FIXTURES.parent.parent / "examples").glob("*/")),
    *(sorted(p / "before" for p in FIX_CASES.iterdir() if (p / "before").is_dir()) if FIX_CASES.is_dir() else []),
]


def const_keyword(keyword: str, code: str, unsafe: bool) -> Check:
    """Offers, for every `const` declaration, to write `keyword` instead: always valid syntax."""

    def check(backend):
        for path, module in backend.modules.items():
            stack = [module.file.root]
            while stack:
                node = stack.pop()
                stack.extend(node.children)
                if node.type == "lexical_declaration" and node.children and node.children[0].type == "const":
                    word = node.children[0]
                    location = Location(path, module.file.span(word))
                    edit = Edit(path, word.start_byte, word.end_byte, keyword)
                    applicability = "unsafe" if unsafe else "safe"
                    yield Diagnostic(
                        code, f"`const` -> `{keyword}`", location, fix=Fix(keyword, (edit,), applicability)
                    )

    return Check(frozenset({code}), check)


INJECTED = (const_keyword("let", "AMP501", False), const_keyword("var", "AMP502", True))


def sources_of(root: Path) -> list[Path]:
    return sorted(p for p in (root / "amplify").rglob("*") if p.is_file() and p.suffix in SOURCE_SUFFIXES)


def mutate(text: bytes, kind: str, at: int, other: int) -> bytes:
    lines = text.split(b"\n")
    at, other = at % len(lines), other % len(lines)
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    else:
        lines[at], lines[other] = lines[other], lines[at]
    return b"\n".join(lines)


def syntax_errors(result) -> set[Path]:
    return {d.location.path for d in result.reported if d.code == "AMP001"}


def assert_no_overlap(edits: list[Edit]) -> None:
    by_file: dict[Path, list[tuple[int, int]]] = {}
    for edit in edits:
        by_file.setdefault(edit.path, []).append((edit.start_byte, edit.end_byte))
    for ranges in by_file.values():
        ranges.sort()
        for (start, end), (next_start, next_end) in zip(ranges, ranges[1:]):
            assert end <= next_start, f"edits {start}-{end} and {next_start}-{next_end} overlap"
            assert not (start == end == next_start == next_end), f"two insertions at {start}"


@BOUNDED
@given(
    root=st.sampled_from(ROOTS),
    pick=st.integers(min_value=0, max_value=10_000),
    kind=st.sampled_from(("delete", "duplicate", "swap")),
    at=st.integers(min_value=0, max_value=10_000),
    other=st.integers(min_value=0, max_value=10_000),
)
def test_fixes_of_mutated_projects_never_overlap_and_add_no_syntax_error(root, pick, kind, at, other):
    with tempfile.TemporaryDirectory() as folder:
        project = Path(shutil.copytree(root, Path(folder) / "project"))
        files = sources_of(project)
        target = files[pick % len(files)]
        target.write_bytes(mutate(target.read_bytes(), kind, at, other))
        checks = [*CHECKS, *INJECTED]

        before = lint([project], OPTIONS, checks=checks)
        offered = list(dict.fromkeys(d.fix for d in before.reported if d.fix is not None and available(d.fix, True)))
        applied = apply_fixes(before.sources, offered)
        assert len(applied.fixes) + len(applied.waiting) == len(offered)
        if offered:
            assert applied.fixes, "the first fix offered always applies"
        assert_no_overlap([native_edit(e, before.sources[e.path]) for f in applied.fixes for e in f.edits])

        fixed = fix([project], OPTIONS, unsafe=True, write=False, checks=checks)  # FixLoopError: never settles
        assert syntax_errors(fixed.result) <= syntax_errors(before), "a fix added a syntax error"
        broken = syntax_errors(fixed.result)  # a file that does not parse gets no fix
        assert not any(d.fix is not None and d.location.path in syntax_errors(before) for d in before.reported)
        assert not any(
            d.code in ("AMP501", "AMP502") and "const" in d.message and d.location.path not in broken
            for d in fixed.result.reported
        ), "an injected fix was left unapplied"


def test_every_project_of_the_property_test_is_offered_fixes():
    """Not vacuous: each project, unmutated, has `const` declarations for the injected checks to fix,
    and competing fixes for the same text, of which one waits."""
    for root in ROOTS:
        result = lint([root], OPTIONS, checks=[*CHECKS, *INJECTED])
        offered = list(dict.fromkeys(d.fix for d in result.reported if d.fix is not None))
        applied = apply_fixes(result.sources, offered)
        assert applied.fixes and applied.waiting, root.name
