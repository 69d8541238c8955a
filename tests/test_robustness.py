"""Bad input never crashes amplint: each case gives a diagnostic or a one-line error on stderr,
every other file is still linted, and the exit code follows the README's policy."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import FIXTURES, expected_findings

import amplint.api as api
from amplint.checks import CHECKS, Check
from amplint.cli import main
from amplint.model import backend as backend_model

BASE = FIXTURES / "robust-base"
# The finding robust-base always has, in a file no test touches: proof the rest was linted.
BASE_FINDING = ("amplify/backend.ts", 2, "AMP501")
FINDING = re.compile(r"^(.+?):(\d+):(\d+): (?:error|warning|info) (AMP\d{3}) ", re.MULTILINE)
DEPTH = 5000


def project(folder: Path, files: dict[str, bytes | str] | None = None) -> Path:
    """robust-base copied to `folder`, with `files` (relative path -> content) written into it."""
    shutil.copytree(BASE, folder)
    for relative, content in (files or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def run_amplint(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "amplint", "check", *args], cwd=root, capture_output=True, timeout=300)


def findings(output: bytes) -> set[tuple[str, int, str]]:
    return {(path, int(line), code) for path, line, _, code in FINDING.findall(output.decode())}


def positions(output: bytes) -> dict[tuple[str, str], tuple[int, int]]:
    return {(path, code): (int(line), int(column)) for path, line, column, code in FINDING.findall(output.decode())}


def stderr_lines(run: subprocess.CompletedProcess[bytes]) -> list[str]:
    return run.stderr.decode().splitlines()


def assert_linted_as_marked(root: Path, run: subprocess.CompletedProcess[bytes]) -> None:
    """The findings equal the `// expect:` markers, the base finding included."""
    assert BASE_FINDING in findings(run.stdout)
    assert findings(run.stdout) == set(expected_findings(root))


# -- bytes and encodings -------------------------------------------------------------------------


def test_invalid_utf8_counts_each_bad_byte_as_one_column(tmp_path):
    line = b"const label = '\xe9t\xe9\xff'; import { Duration } from 'aws-cdk-lib/aws-events'; // expect: AMP501\n"
    root = project(tmp_path / "app", {"amplify/latin1.ts": b"// caf\xe9\n" + line})
    run = run_amplint(root)
    assert run.returncode == 1 and run.stderr == b""
    assert_linted_as_marked(root, run)
    # `Duration` follows 4 undecodable or non-ASCII bytes, each shown (and counted) as one character
    column = len("const label = '\ufffdt\ufffd\ufffd'; import { ") + 1
    assert positions(run.stdout)[("amplify/latin1.ts", "AMP501")] == (2, column)


def test_byte_order_mark_does_not_shift_the_first_line(tmp_path):
    import_line = "import { Duration } from 'aws-cdk-lib/aws-events'; // expect: AMP501\n"
    root = project(
        tmp_path / "app",
        {
            "amplify/plain.ts": import_line,
            "amplify/bom.ts": "\ufeff" + import_line,
        },
    )
    backend = root / "amplify" / "backend.ts"
    backend.write_bytes(b"\xef\xbb\xbf" + backend.read_bytes())
    run = run_amplint(root)
    assert run.returncode == 1 and run.stderr == b""
    assert_linted_as_marked(root, run)
    where = positions(run.stdout)
    assert where[("amplify/bom.ts", "AMP501")] == where[("amplify/plain.ts", "AMP501")] == (1, 10)
    assert where[("amplify/backend.ts", "AMP501")] == (2, 10)


def test_crlf_line_endings_give_the_same_findings_at_the_same_places(tmp_path):
    broken = (
        "import { defineFunction } from '@aws-amplify/backend';\n"
        "export const fn = defineFunction({ name: 'x', // expect: AMP001\n"
        "  timeoutSeconds: 30\n"
    )
    lf = project(tmp_path / "lf", {"amplify/broken.ts": broken})
    crlf = project(tmp_path / "crlf", {"amplify/broken.ts": broken})
    for path in (crlf / "amplify").rglob("*.ts"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    def spans(root):
        result = api.lint([root])
        assert not result.errors
        return sorted(
            (
                d.location.path.relative_to(root).as_posix(),
                d.code,
                d.location.span.start_line,
                d.location.span.start_column,
                d.location.span.end_line,
                d.location.span.end_column,
            )
            for d in result.reported
        )

    assert spans(crlf) == spans(lf)
    run = run_amplint(crlf)
    assert run.returncode == 1 and run.stderr == b""
    assert_linted_as_marked(crlf, run)


def test_nul_bytes_are_a_syntax_error_shown_escaped(tmp_path):
    root = project(
        tmp_path / "app", {"amplify/nul.ts": b"export const a = 1;\n\x00\x00 export const b = 2; // expect: AMP001\n"}
    )
    run = run_amplint(root)
    assert run.returncode == 1 and run.stderr == b""
    assert_linted_as_marked(root, run)
    assert b"\x00" not in run.stdout
    assert "unexpected `\\x00\\x00`" in run.stdout.decode()


def test_empty_files_are_linted_and_silent(tmp_path):
    root = project(tmp_path / "app", {"amplify/empty.ts": b"", "amplify/functions/send-digest/handler.ts": b""})
    run = run_amplint(root)
    assert run.returncode == 1 and run.stderr == b""
    # an empty entry file exports no handler: a finding at 1:1, inside the empty file
    assert findings(run.stdout) == {BASE_FINDING, ("amplify/functions/send-digest/handler.ts", 1, "AMP304")}
    assert positions(run.stdout)[("amplify/functions/send-digest/handler.ts", "AMP304")] == (1, 1)
    assert "in 2 files (6 files linted)." in run.stdout.decode()

    only_backend = tmp_path / "bare"
    (only_backend / "amplify").mkdir(parents=True)
    (only_backend / "amplify" / "backend.ts").write_bytes(b"")
    run = run_amplint(only_backend)
    assert run.returncode == 0 and run.stderr == b""
    assert run.stdout.decode() == "No problems found in 1 file.\n"


def test_a_ten_megabyte_generated_file(tmp_path):
    # Shaped like generated code: a large data table and a minified bundle on one long line.
    rows = "".join(f"  'key-{i}': 'value {i} {'lorem ipsum dolor sit amet ' * 4}',\n" for i in range(60_000))
    bundle = "".join(f'var a{i}=function(e,t){{return e+t}},d{i}="{"A" * 2000}";' for i in range(1_500))
    content = (
        f"export const table = {{\n{rows}}};\n{bundle}\n"
        "import { Duration } from 'aws-cdk-lib/aws-events'; // expect: AMP501\n"
    )
    assert len(content) > 10_000_000
    root = project(tmp_path / "app", {"amplify/generated.ts": content})
    run = run_amplint(root)
    assert run.returncode == 1 and run.stderr == b""
    assert_linted_as_marked(root, run)
    assert positions(run.stdout)[("amplify/generated.ts", "AMP501")] == (60_004, 10)


# -- deep nesting: no recursion over trees anywhere ----------------------------------------------


def nested(open_: str, core: str, close: str) -> str:
    return open_ * DEPTH + core + close * DEPTH


def test_expressions_nested_five_thousand_deep(tmp_path):
    # Far past Python's default recursion limit (1000): any recursion over the tree would fail.
    deep_values = {
        "array": nested("[", "1", "]"),
        "parens": nested("(", "'x'", ")"),
        "calls": nested("f(", "1", ")"),
        "object": nested("{ a: ", "1", " }"),
        "template": nested("`${", "'x'", "}`"),
        "sum": "1" + " + 1" * DEPTH,
        "ternary": "a ? 1 : " * DEPTH + "2",
        "unary": "- " * DEPTH + "1",
        "members": "config" + ".a" * DEPTH,
        "arrows": "() => " * DEPTH + "1",
    }
    props = "".join(f"    {key}: {value},\n" for key, value in deep_values.items())
    resource = (
        "import { defineFunction } from '@aws-amplify/backend';\n\n"
        "export const sendDigest = defineFunction({\n"
        "  name: 'send-digest',\n"
        f"  timeoutSeconds: {deep_values['sum']},\n"
        f"  memoryMB: {deep_values['parens']},\n"
        f"  schedule: {deep_values['template']},\n"
        f"  environment: {{\n{props}  }},\n"
        "});\n"
    )
    handler = (
        "import type { EventBridgeHandler } from 'aws-lambda';\n"
        "export const handler: EventBridgeHandler<'Scheduled Event', null, void> = async () => {\n"
        f"  {nested('if (ready) { ', 'await run();', ' }')}\n"
        f"  const client = {nested('(', 'makeClient()', ')')};\n"
        f"  return {nested('(', 'undefined', ')')};\n"
        "};\n"
        f"export const chained = {deep_values['calls']}{'()' * DEPTH};\n"
        f"type Deep = {nested('Array<', 'string', '>')};\n"
    )
    backend = (BASE / "amplify" / "backend.ts").read_text() + (
        f"backend.sendDigest.addEnvironment('DEEP', {deep_values['members']});\n"
        f"export const registrations = defineBackend({deep_values['object']});\n"
    )
    root = project(
        tmp_path / "app",
        {
            "amplify/functions/send-digest/resource.ts": resource,
            "amplify/functions/send-digest/handler.ts": handler,
            "amplify/backend.ts": backend,
        },
    )
    for output_format in ("concise", "text", "json"):
        run = run_amplint(root, "--output-format", output_format)
        assert run.stderr == b"", output_format
        assert run.returncode == 1, output_format
    assert_linted_as_marked(root, run_amplint(root, "--output-format", "concise"))


# -- the file system ------------------------------------------------------------------------------


def test_symlink_loops_inside_amplify_are_cut(tmp_path):
    plain = project(tmp_path / "plain")
    root = project(tmp_path / "app")
    amplify = root / "amplify"
    (amplify / "up").symlink_to("..")  # back to the project root: amplify/up/amplify/...
    (amplify / "functions" / "again").symlink_to("../functions")
    (amplify / "digest").symlink_to("functions/send-digest")  # an alias of a real folder
    run, plain_run = run_amplint(root), run_amplint(plain)
    assert run.returncode == 1 and run.stderr == b""
    assert run.stdout == plain_run.stdout  # each file once, under its real path


CANNOT_DROP_PRIVILEGES = 77


def run_without_read_access(root: Path, *args: str) -> tuple[int, bytes, bytes]:
    """`amplint check` as a user who cannot read mode-000 files. Root can read them, so as root
    the CLI runs in a forked child that first drops to `nobody`."""
    if os.geteuid() != 0:
        run = run_amplint(root, *args)
        return run.returncode, run.stdout, run.stderr
    import amplint.reporters.concise  # noqa: F401  (the child must not need to import anything)

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 3
            try:
                stdout, stderr = io.StringIO(), io.StringIO()
                try:
                    os.setgroups([])
                    os.setgid(65534)
                    os.setuid(65534)
                except PermissionError:  # a root without CAP_SETUID
                    code = CANNOT_DROP_PRIVILEGES
                    raise
                os.chdir(root)
                with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                    try:
                        main(["check", *args], prog_name="amplint")
                    except SystemExit as exit_:
                        code = exit_.code if isinstance(exit_.code, int) else 3
                out.write(stdout.getvalue().encode())
                err.write(stderr.getvalue().encode())
                out.flush()
                err.flush()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == CANNOT_DROP_PRIVILEGES:
            pytest.skip("running as root, and cannot drop privileges to make a file unreadable")
        out.seek(0)
        err.seek(0)
        return os.waitstatus_to_exitcode(status), out.read(), err.read()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX permissions")
def test_an_unreadable_file_is_named_and_the_rest_linted():
    # Not pytest's tmp_path: as root, the child running as `nobody` must be able to reach the project.
    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o755)
        root = project(folder / "app", {"amplify/secret.ts": "export const key = 'x';\n"})
        (root / "amplify" / "secret.ts").chmod(0)
        code, stdout, stderr = run_without_read_access(root, "--output-format", "concise")
    finally:
        shutil.rmtree(folder)
    assert code == 2
    assert stderr.decode().splitlines() == [
        "amplint: error: amplify/secret.ts: cannot read file: Permission denied"  # as findings show it
    ]
    assert findings(stdout) == {BASE_FINDING}


def test_broken_and_looping_symlinks_are_named_and_the_rest_linted(tmp_path):
    root = project(tmp_path / "app")
    (root / "amplify" / "gone.ts").symlink_to("nowhere.ts")
    (root / "amplify" / "self.ts").symlink_to("self.ts")
    run = run_amplint(root, "--output-format", "concise")
    assert run.returncode == 2
    assert stderr_lines(run) == [
        "amplint: error: amplify/gone.ts: cannot read file: broken symbolic link: No such file or directory",
        "amplint: error: amplify/self.ts: cannot read file: broken symbolic link: Too many levels of symbolic links",
    ]
    assert findings(run.stdout) == {BASE_FINDING}


def test_a_folder_named_like_a_source_file_is_walked(tmp_path):
    root = project(
        tmp_path / "app",
        {"amplify/x.ts/inner.ts": "import { Duration } from 'aws-cdk-lib/aws-events'; // expect: AMP501\n"},
    )
    run = run_amplint(root)
    assert run.returncode == 1 and run.stderr == b""
    assert_linted_as_marked(root, run)


def test_amplify_without_a_backend_file(tmp_path):
    root = project(tmp_path / "app")
    (root / "amplify" / "backend.ts").unlink()
    run = run_amplint(root)
    assert run.returncode == 2 and run.stdout == b""
    assert stderr_lines(run) == ["amplint: error: .: no Amplify backend found (amplify/ has no backend.ts)"]


def test_a_path_that_does_not_exist(tmp_path):
    root = project(tmp_path / "app")
    run = run_amplint(root, "missing")
    assert run.returncode == 2 and run.stdout == b""
    assert stderr_lines(run) == ["amplint: error: missing: no such file or directory"]


# -- a bug inside amplint --------------------------------------------------------------------------


def test_a_failing_check_is_reported_and_the_others_still_run():
    def explode_on_the_backend_file(backend):
        for module in backend.modules.values():
            if module.path.name == "backend.ts":
                raise RuntimeError("boom\nsecond line")
        yield from ()

    duration = next(c for c in CHECKS if "AMP501" in c.codes)
    broken = Check(duration.codes, explode_on_the_backend_file)
    checks = [broken if c is duration else c for c in CHECKS]
    root = FIXTURES / "core-syntax"
    result = api.lint([root], checks=checks)
    assert [(e.path, e.message, e.code) for e in result.errors] == [
        (
            root / "amplify" / "backend.ts",
            "internal error in check AMP501 (duration-from-wrong-module): RuntimeError: boom second line",
            "AMP501",
        )
    ]
    # every other rule's findings are still there; only AMP501's are lost
    expected = {(path, line, code) for path, line, code in expected_findings(root) if code != "AMP501"}
    reported = {
        (d.location.path.relative_to(root).as_posix(), d.location.span.start_line, d.code) for d in result.reported
    }
    assert reported == expected and expected


def test_a_failing_model_loses_only_its_own_root(monkeypatch, tmp_path):
    good, bad = project(tmp_path / "good"), project(tmp_path / "bad")
    real_backend = backend_model.Backend

    def failing_for_bad(root, joined, project_files=None, **options):
        if root == bad:
            raise KeyError("unexpected node")
        return real_backend(root, joined, project_files, **options)

    monkeypatch.setattr(backend_model, "Backend", failing_for_bad)
    result = api.lint([tmp_path])
    assert [(e.path, e.message) for e in result.errors] == [
        (bad, "internal error while reading the backend: KeyError: 'unexpected node'")
    ]
    assert {
        (d.location.path.relative_to(good).as_posix(), d.location.span.start_line, d.code) for d in result.reported
    } == {BASE_FINDING}


# -- output safety ---------------------------------------------------------------------------------

HOSTILE = "\x1b]0;owned\x07\x1b[2J[bold red]markup[/bold red]"


def hostile_project(folder: Path) -> Path:
    # Raw escape bytes in a code frame line, escapes spelled in a string that becomes a name,
    # and an escape sequence in a file name.
    line = f"import {{ Duration }} from 'aws-cdk-lib/aws-events'; // {HOSTILE} expect: AMP501\n"
    named = (
        "import { defineFunction } from '@aws-amplify/backend';\n"
        "export const odd = defineFunction({ name: 'x\\u001b[2J[red]y\\u009b' });\n"
    )
    return project(
        folder,
        {"amplify/hostile.ts": line, "amplify/functions/odd/resource.ts": named, "amplify/x\x1b[2J[red]y.ts": line},
    )


def test_file_content_cannot_inject_escapes_or_markup(tmp_path):
    root = hostile_project(tmp_path / "app")
    plain = run_amplint(root, "--output-format", "text")
    colour = subprocess.run(
        [sys.executable, "-m", "amplint", "check", "--output-format", "text"],
        cwd=root,
        capture_output=True,
        timeout=120,
        env={**os.environ, "FORCE_COLOR": "1"},
    )
    concise = run_amplint(root, "--output-format", "concise")
    assert b"\x1b" not in plain.stdout and b"\x1b" not in concise.stdout
    # with colour forced, the only escapes are rich's own styles (SGR, ending in `m`)
    assert b"\x1b" not in re.sub(rb"\x1b\[[0-9;]*m", b"", colour.stdout)
    for run in (plain, colour, concise):
        assert run.returncode == 1 and run.stderr == b""
        assert "\x07" not in run.stdout.decode() and "\x9b" not in run.stdout.decode()
    frame = plain.stdout.decode()
    assert "[bold red]markup[/bold red]" in frame  # shown as written, not interpreted
    assert "\\x1b]0;owned\\x07\\x1b[2J" in frame
    assert "`x\\x1b[2J[red]y\\x9b`" in concise.stdout.decode()
    assert "amplify/x\\x1b[2J[red]y.ts:1:10: error AMP501" in concise.stdout.decode()
    assert "amplify/x\\x1b[2J[red]y.ts:1:10" in frame


def test_json_output_stays_valid_and_carries_content_verbatim(tmp_path):
    root = hostile_project(tmp_path / "app")
    run = run_amplint(root, "--output-format", "json")
    document = json.loads(run.stdout)
    messages = [d["message"] for d in document["diagnostics"]]
    assert any("x\x1b[2J[red]y\x9b" in message for message in messages)
    assert b"\x1b" not in run.stdout  # escaped as \u001b inside JSON strings
