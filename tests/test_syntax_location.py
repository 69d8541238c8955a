"""AMP001 points where TypeScript does. The expected positions are what `tsc 5.9 --noEmit` reported
for each of these files (measured once; line, column, 1-based). Two shapes differ by design and
say why."""

from __future__ import annotations

import pytest

from amplint.api import LintOptions, lint

MODELS = "".join(f"  M{i}: a.model({{ f: a.string() }}),\n" for i in range(30))
STATEMENTS = "".join(f"  const v{i} = {i};\n" for i in range(30))
FUNCTIONS = "".join(f"  fn{i},\n" for i in range(50))
CALLS = "".join(f"  const v{i} = await client.models.Todo.get({{ id: '{i}' }});\n" for i in range(50))
IFS = "".join(f"  if (x === {i}) {{ return {i}; }}\n" for i in range(50))
METHODS = "".join(f"  m{i}() {{ return {i}; }}\n" for i in range(25))

# (file text, where tsc reports its first error)
SHAPES = {
    # Text pasted with literal `\n` escapes (tsc TS1127 "Invalid character." at the backslash).
    "newline-in-object": (
        "const schema = a.schema({\n" + MODELS + "  X: a.model({}),\\n  Y: a.model({}),\n});\n",
        (32, 18),
    ),
    "newline-in-statements": (
        "export const handler = async () => {\n" + STATEMENTS + "  console.log(v1);\\n  return v3;\n};\n",
        (32, 19),
    ),
    "newline-in-imports": ("import { a } from 'x';\\nimport { b } from 'y';\n\nexport const c = a + b;\n", (1, 23)),
    "newline-whole-file": (
        "import { defineFunction } from '@aws-amplify/backend';\\n\\nexport const fn = "
        "defineFunction({\\n  name: 'fn',\\n});\\n",
        (1, 55),
    ),
    # Here tree-sitter's ERROR node starts at the top of the call, 51 lines above the backslash.
    "newline-in-arguments": ("const backend = defineBackend({\n" + FUNCTIONS + "  data,\\n  auth,\n});\n", (52, 8)),
    "newline-after-call": (
        "export const handler = async (event) => {\n" + CALLS + "  const result = await "
        "client.models.Todo.list({\n    filter: {},\n  });\\n  for (const t of result.data) {}\n"
        "  return result;\n};\n",
        (54, 6),
    ),
    "newline-in-if": (
        "export function f(x) {\n" + IFS + "  if (x) {\\n    return 1;\\n  }\n  return 0;\n}\n",
        (52, 11),
    ),
    "newline-in-class": ("export class Svc {\n" + METHODS + "  run() {\\n    return this.m1();\\n  }\n}\n", (27, 10)),
    # TS1005 "')' expected."
    "missing-paren": (
        "export const formatDay = (time: string): string => {\n  return time.slice(0, 10;\n};\n",
        (2, 26),
    ),
    # TS1128 "Declaration or statement expected."
    "extra-brace": ("export const handler = async () => {\n  return 1;\n};\n}\nexport const other = 2;\n", (4, 1)),
    # TS1185 "Merge conflict marker encountered."
    "conflict-markers": (
        "export const a = 1;\n<<<<<<< HEAD\nexport const b = 2;\n=======\nexport const b = 3;\n>>>>>>> branch\n",
        (2, 1),
    ),
}


def _first_syntax_error(tmp_path, source: str):
    amplify = tmp_path / "amplify"
    amplify.mkdir()
    (amplify / "backend.ts").write_text("export {};\n")
    (amplify / "broken.ts").write_text(source)
    result = lint([tmp_path], LintOptions(isolated=True, select=("AMP001",)))
    (finding,) = [d for d in result.reported if d.location.path.name == "broken.ts"]
    return finding.location.span.start_line, finding.location.span.start_column


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_syntax_error_is_reported_where_tsc_reports_it(tmp_path, shape):
    source, tsc_position = SHAPES[shape]
    assert _first_syntax_error(tmp_path, source) == tsc_position


def test_missing_comma_points_at_the_value_before_it(tmp_path):
    # tsc: (3, 3) "',' expected." at the next key; amplint marks the value the comma should follow.
    source = "export const config = {\n  name: 'a'\n  entry: './handler.ts',\n};\n"
    assert _first_syntax_error(tmp_path, source) == (2, 9)


def test_unclosed_block_points_at_the_statement_it_opens(tmp_path):
    # tsc: (7, 1) "'}' expected." at the end of the file; amplint marks the statement left open.
    source = "export const handler = async () => {\n  if (true) {\n    console.log('x');\n\n  return 1;\n};\n"
    assert _first_syntax_error(tmp_path, source) == (1, 1)


@pytest.mark.parametrize(
    "source",
    [
        # The Vitest `importOriginal` idiom and other `import('m')` types that tree-sitter-typescript 0.23
        # cannot parse although TypeScript accepts them (tsc 5.9: no syntax error).
        "vi.mock('../api', async (importOriginal) => {\n  const actual = await importOriginal<typeof import('../api')>();\n"
        "  return { ...actual };\n});\n",
        "let key: keyof import('./config').Settings;\n",
        "const api: import('./api').Client<string> = create();\n",
    ],
)
def test_no_syntax_error_for_import_types_tree_sitter_cannot_parse(tmp_path, source):
    amplify = tmp_path / "amplify"
    amplify.mkdir()
    (amplify / "backend.ts").write_text("export {};\n")
    (amplify / "mocked.test.ts").write_text(source)
    result = lint([tmp_path], LintOptions(isolated=True, select=("AMP001",)))
    assert result.reported == []


def test_a_real_error_beside_an_import_type_is_still_reported(tmp_path):
    source = "const a = f<typeof import('m')>();\nconst b = (1;\n"  # tsc: (2, 13) "')' expected."
    assert _first_syntax_error(tmp_path, source) == (2, 13)
