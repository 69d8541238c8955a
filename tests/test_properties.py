"""Property tests: any source, mutated from the fixtures or random token soup, lints without an
internal error, every position amplint reports lies inside its file, and every output format
renders it. Bounded for CI; AMPLINT_HYPOTHESIS_EXAMPLES=2000 runs longer."""

from __future__ import annotations

import importlib
import io
import json
import os
import pkgutil
import shutil
import tempfile
from pathlib import Path
from xml.etree import ElementTree

from conftest import FIXTURES, fixture_roots
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.console import Console

import amplint.reporters
from amplint.amplify import SOURCE_SUFFIXES
from amplint.api import LintResult, lint
from amplint.diagnostics import BOM
from amplint.reporters.text import render_to
from amplint.syntax import SourceFile

EXAMPLES = int(os.environ.get("AMPLINT_HYPOTHESIS_EXAMPLES", "30"))
BOUNDED = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

ROOTS = fixture_roots() + [FIXTURES.parent.parent / "examples" / "scheduled-backend"]
AMPLIFY_IMPORTS = (
    b"import { defineBackend, defineFunction, defineData, defineAuth, defineStorage, a } from '@aws-amplify/backend';\n"
)
# Tokens that steer the model into its interesting paths, and bytes that break parsers.
TOKENS = [
    t.encode()
    for t in (
        "defineBackend",
        "defineFunction",
        "defineData",
        "defineAuth",
        "defineStorage",
        "a.schema",
        "a.model",
        "a.handler.function",
        "allow.resource",
        "allow",
        ".authorization",
        ".to",
        "backend",
        "backend.fn",
        ".resources.lambda",
        ".addEnvironment",
        ".grantReadData",
        "Duration",
        "Duration.minutes",
        "generateClient",
        "getAmplifyDataClientConfig",
        "Amplify.configure",
        "env",
        "process.env",
        "import",
        "export",
        "default",
        "from",
        "* as",
        "require",
        "module.exports",
        "exports.handler",
        "'@aws-amplify/backend'",
        "'aws-cdk-lib'",
        "'aws-cdk-lib/aws-events'",
        "'./resource'",
        "'../data/resource'",
        "'$amplify/env/fn'",
        "'aws-amplify/data'",
        "'@aws-amplify/backend/function/runtime'",
        "const",
        "let",
        "function",
        "async",
        "await",
        "return",
        "new",
        "this",
        "type",
        "as",
        "satisfies",
        "name",
        "entry",
        "schedule",
        "timeoutSeconds",
        "resourceGroupName",
        "environment",
        "handler",
        "fn",
        "'fn'",
        "'./handler.ts'",
        "'every 5m'",
        "'data'",
        "'iam'",
        "authMode",
        "triggers",
        "functions",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ",",
        ";",
        ":",
        ".",
        "...",
        "=",
        "=>",
        "?",
        "!",
        "+",
        "-",
        "*",
        "**",
        "/",
        "<",
        ">",
        "`",
        "${",
        "'",
        '"',
        "\\",
        "//",
        "/*",
        "*/",
        "\n",
        "\r\n",
        "\r",
        "\t",
        " ",
        "0",
        "1",
        "60",
        "1e999",
        "0x1F",
        "10n",
        "'\\u{110000}'",
        "'\\uD800'",
        "'\\x1b[2J'",
        "'[red]x[/red]'",
        "\ufeff",
        "\u2028",
        "é",
        "😀",
    )
] + [b"\x00", b"\xff", b"\xe2\x82", b"\xc3"]


# Every report format, with the parser its document must satisfy (others must only encode as UTF-8).
REPORTERS = {
    info.name: importlib.import_module(f"amplint.reporters.{info.name}")
    for info in pkgutil.iter_modules(amplint.reporters.__path__)
}
DOCUMENTS = {
    "json": json.loads,
    "sarif": json.loads,
    "gitlab": json.loads,
    "json_lines": lambda text: [json.loads(line) for line in text.splitlines()],
    "junit": ElementTree.fromstring,
}


def sources(root: Path) -> list[Path]:
    return sorted(
        p
        for p in (root / "amplify").rglob("*")
        if p.is_file() and p.suffix in SOURCE_SUFFIXES and "node_modules" not in p.parts
    )


# Read once: the strategies must not depend on files that may change during a run.
SOURCES = [(root, path.relative_to(root), path.read_bytes()) for root in ROOTS for path in sources(root)]


@st.composite
def mutated(draw, content: bytes) -> bytes:
    """`content` with a range deleted, duplicated or swapped, or with tokens or bytes inserted."""
    size = len(content)
    i, j = sorted(draw(st.tuples(st.integers(0, size), st.integers(0, size))))
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "tokens", "bytes"]))
    if kind == "delete":
        return content[:i] + content[j:]
    if kind == "duplicate":
        at = draw(st.integers(0, size))
        return content[:at] + content[i:j] + content[at:]
    if kind == "swap":
        k = draw(st.integers(j, size))
        return content[:i] + content[j:k] + content[i:j] + content[k:]
    if kind == "tokens":
        return content[:i] + b" ".join(draw(st.lists(st.sampled_from(TOKENS), max_size=8))) + content[i:]
    return content[:i] + draw(st.binary(max_size=16)) + content[i:]


soup = st.lists(st.sampled_from(TOKENS), max_size=200).map(b" ".join)


def lint_with(root: Path, relative: Path, content: bytes) -> tuple[Path, LintResult]:
    folder = Path(tempfile.mkdtemp())
    project = folder / "app"
    shutil.copytree(root, project, symlinks=True)
    (project / relative).write_bytes(content)
    return folder, lint([project])


def lines_of(content: bytes) -> list[str]:
    """The file's lines as an editor shows them: split at `\\n`, no `\\r`, no byte order mark."""
    if content.startswith(BOM):
        content = content[len(BOM) :]
    return [line.removesuffix(b"\r").decode("utf-8", "replace") for line in content.split(b"\n")]


def assert_inside(location, files: dict[Path, bytes]) -> None:
    content = files.setdefault(location.path, location.path.read_bytes())
    lines = lines_of(content)
    span = location.span
    where = f"{location.path}:{span}"
    assert 1 <= span.start_line <= span.end_line <= len(lines), where
    assert 1 <= span.start_column <= len(lines[span.start_line - 1]) + 1, where
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, where
    assert (span.start_line, span.start_column) <= (span.end_line, span.end_column), where
    assert 0 <= span.start_byte <= span.end_byte <= len(content), where


def assert_sound(result: LintResult) -> None:
    """No internal error; positions inside their files; every format renders valid output."""
    assert result.errors == []
    files: dict[Path, bytes] = {}
    for diagnostic in result.diagnostics:
        assert_inside(diagnostic.location, files)
        for related in diagnostic.related:
            assert_inside(related.location, files)
        for edit in diagnostic.fix.edits if diagnostic.fix else ():
            assert 0 <= edit.start_byte <= edit.end_byte <= len(files.setdefault(edit.path, edit.path.read_bytes()))
    for name, reporter in REPORTERS.items():
        if hasattr(reporter, "render"):
            output = reporter.render(result)
            output.encode("utf-8")
            DOCUMENTS.get(name, str)(output)
    text = io.StringIO()
    render_to(Console(file=text, force_terminal=True, width=100), result)
    text.getvalue().encode("utf-8")


def check(root: Path, relative: Path, content: bytes) -> None:
    folder, result = lint_with(root, relative, content)
    try:
        assert_sound(result)
    finally:
        shutil.rmtree(folder)


@BOUNDED
@given(st.data())
def test_mutated_fixture_files(data):
    root, relative, content = data.draw(st.sampled_from(SOURCES))
    for _ in range(data.draw(st.integers(1, 4))):
        content = data.draw(mutated(content))
    check(root, relative, content)


BASE_BACKEND = next(s for s in SOURCES if s[0].name == "robust-base" and s[1].name == "backend.ts")


@BOUNDED
@given(st.sampled_from(SOURCES), soup)
@example(BASE_BACKEND, b"/ \r\n")  # a syntax error ending at a CRLF: the `\r` is no column
def test_random_token_soup(source, tokens):
    root, relative, _ = source
    check(root, relative, AMPLIFY_IMPORTS + tokens)


@BOUNDED
@given(st.sampled_from(ROOTS), st.binary(max_size=2000))
def test_random_bytes_as_the_backend_file(root, content):
    backend = next(p for p in sources(root) if p.parent.name == "amplify" and p.stem == "backend")
    check(root, backend.relative_to(root), content)


@BOUNDED
@given(
    st.sampled_from([content for _, _, content in SOURCES]).flatmap(mutated)
    | st.text(max_size=300).map(str.encode)
    | st.binary(max_size=300)
)
@example("\ufeffconst é = '😀';\r\nconst b = 1;\rconst c = 2;\n".encode())
def test_a_record_located_by_byte_range_is_where_its_node_is(content):
    """A record keeps a byte range, not a node: the location it gives is the one the node gave, in
    any file (multi-byte characters, CRLF and lone CR line ends, a byte order mark, broken syntax)."""
    file = SourceFile(Path("/project/amplify/backend.ts"), content)
    stack = [file.root]
    while stack:
        node = stack.pop()
        assert file.span_at((node.start_byte, node.end_byte)) == file.span(node), node
        stack.extend(node.children)
