"""amplint skips what git ignores, decided as git decides it (gitignore(5), git's wildmatch): a table
of the rules, each case also checked against git itself, and generated `.gitignore` files compared
with `git check-ignore` and `git ls-files --ignored` path by path."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from amplint.workspace import GitIgnore, source_files

# (lines of a `.gitignore` at the top of the repository, path from the top, is a folder, git ignores it)
CASES: list[tuple[str, str, bool, bool]] = [
    # comments, blank lines, escapes of `#` and `!`
    ("# comment", "# comment", False, False),
    ("\\#hash", "#hash", False, True),
    (" #x", " #x", False, True),  # a `#` further in is not a comment
    ("\n\n", "x", False, False),
    ("   ", "   ", False, False),  # only spaces: trimmed to nothing
    ("\\!bang", "!bang", False, True),
    ("*\n!!bang", "!bang", False, False),  # `!` then the pattern `!bang`
    # trailing spaces go unless escaped; tabs stay
    ("foo   ", "foo", False, True),
    ("foo   ", "foo   ", False, False),
    ("foo\\ ", "foo ", False, True),
    ("foo\\ ", "foo", False, False),
    ("foo\\  ", "foo ", False, True),  # the escaped space stays, the one after it goes
    ("foo\\\\ ", "foo\\", False, True),  # an escaped backslash does not escape the space
    ("foo\t", "foo", False, False),
    ("foo\t", "foo\t", False, True),
    # `!` re-includes; the last line that matches decides
    ("*.ts\n!keep.ts", "keep.ts", False, False),
    ("*.ts\n!keep.ts", "drop.ts", False, True),
    ("!keep.ts\n*.ts", "keep.ts", False, True),
    ("*.ts\n!*.ts\n*.ts", "a.ts", False, True),
    # ... but nothing in a folder git ignores comes back
    ("build/\n!build/keep.ts", "build/keep.ts", False, True),
    ("build/*\n!build/keep.ts", "build/keep.ts", False, False),
    ("build/*\n!build/keep.ts", "build/drop.ts", False, True),
    ("*\n!*/\n!*.ts", "src/a.ts", False, False),  # everything but .ts files, at any depth
    ("*\n!*/\n!*.ts", "src/a.js", False, True),
    ("*\n!*/\n!*.ts", "src", True, False),
    # a trailing `/` matches folders only
    ("build/", "build", True, True),
    ("build/", "build", False, False),
    ("build/", "src/build", True, True),
    ("build/", "build/x.ts", False, True),  # through its folder
    ("build", "build", False, True),
    ("build", "build", True, True),
    ("a/b/", "a/b", True, True),
    ("a/b/", "x/a/b", True, False),
    # a `/` at the start or in the middle anchors to the `.gitignore`'s folder; otherwise any depth
    ("/build", "build", True, True),
    ("/build", "src/build", True, False),
    ("src/gen", "src/gen", False, True),
    ("src/gen", "app/src/gen", False, False),
    ("gen", "app/src/gen", False, True),
    ("*.gen.ts", "a/b/c.gen.ts", False, True),
    ("//x", "x", False, False),  # one leading `/` is taken off; `/x` is no path from the folder
    # `*`, `?` and `[...]` stay within one name
    ("a/*.ts", "a/c.ts", False, True),
    ("a/*.ts", "a/b/c.ts", False, False),
    ("x/a*b", "x/a/b", False, False),
    ("x/a*b", "x/ab", False, True),
    ("a/?.ts", "a/b.ts", False, True),
    ("a/?.ts", "a/bb.ts", False, False),
    ("x/a?b", "x/a/b", False, False),
    ("x[/]y", "x/y", False, False),
    ("z/a[!b]c", "z/a/c", False, False),
    ("z/a[!b]c", "z/axc", False, True),
    ("?.ts", "\u65e5.ts", False, False),  # `?` is one byte, as in git: a CJK name is three
    ("???.ts", "\u65e5.ts", False, True),
    ("*.TS", "a.ts", False, False),  # case-sensitive
    ("a.ts", "A.ts", False, False),
    # brackets: sets, ranges, `!`/`^` negation, `]` first, classes, escapes
    ("[ab].ts", "a.ts", False, True),
    ("[ab].ts", "c.ts", False, False),
    ("[!ab].ts", "c.ts", False, True),
    ("[!ab].ts", "a.ts", False, False),
    ("[^ab].ts", "c.ts", False, True),
    ("[^ab].ts", "b.ts", False, False),
    ("[a-c].ts", "b.ts", False, True),
    ("[a-c].ts", "d.ts", False, False),
    ("[]a].ts", "].ts", False, True),
    ("[!]a].ts", "b.ts", False, True),
    ("[!]a].ts", "].ts", False, False),
    ("[a-].ts", "-.ts", False, True),
    ("[a-c-e].ts", "-.ts", False, True),  # after a range, `-` is itself
    ("[a-c-e].ts", "d.ts", False, False),
    ("[\\]].ts", "].ts", False, True),
    ("[[:digit:]].ts", "7.ts", False, True),
    ("[[:digit:]].ts", "a.ts", False, False),
    ("[[:upper:][:digit:]]x", "Qx", False, True),
    ("[[:alpha]", ":", False, True),  # no `:]`: a set of `[`, `:`, `a`, `l`, `p`, `h`
    # backslash escapes any character
    ("\\*.ts", "*.ts", False, True),
    ("\\*.ts", "a.ts", False, False),
    ("\\a", "a", False, True),
    ("a\\/b", "a/b", False, True),  # an escaped `/` still anchors
    ("a\\/b", "x/a/b", False, False),
    # `**`: leading `**/`, trailing `/**`, middle `/**/`; other runs are a `*`
    ("**/gen", "gen", True, True),
    ("**/gen", "a/b/gen", True, True),
    ("**/a/gen", "a/gen", False, True),
    ("**/a/gen", "x/y/a/gen", False, True),
    ("**/a/gen", "a/x/gen", False, False),
    ("***/gen", "a/gen", True, True),
    ("build/**", "build/x/y.ts", False, True),
    ("build/**", "build", True, False),  # what is in it, not the folder itself
    ("build/**\n!build/keep/", "build/keep", True, False),
    ("build/**\n!build/keep/", "build/keep/x.ts", False, True),  # matched itself, not through its folder
    ("a/**/b", "a/b", False, True),
    ("a/**/b", "a/x/y/b", False, True),
    ("a/**/b", "x/a/b", False, False),
    ("a/**\\/b", "a/x/y/b", False, True),  # `\/` is a `/` after `**` too ...
    ("a/**\\/b", "a/b", False, False),  # ... but then `**/` is no shortcut for no folder at all
    ("x/**b", "x/ab", False, True),
    ("x/**b\n!x/y/", "x/y/b", False, False),
    ("x/a**b", "x/aZb", False, True),
    ("x/a**b\n!x/a/", "x/a/c/b", False, False),
    ("foo**", "foobar", False, True),
    ("**", "a/b", False, True),
    ("/**", "a/b", False, True),
    # git hands its matcher the pattern after its leading literal part, so there `**` crosses folders
    ("a/foo**\n!a/foox/", "a/foox/y", False, True),
    ("a/foo**/b", "a/foob", False, True),
    ("a/foo**/b", "a/foox/y/b", False, True),
    ("a/fo*\n!a/foox/", "a/foox/y", False, False),
    # lines git cannot use match nothing; the other lines still apply
    ("foo\\", "foo", False, False),
    ("foo\\", "foo\\", False, False),
    ("[z-a].ts", "m.ts", False, False),  # a reversed range is empty, but ...
    ("[z-a].ts", "z.ts", False, True),  # ... git reads its first byte before it sees the `-`
    ("[z-ax].ts", "x.ts", False, True),  # and the rest of the set counts
    ("[ab", "[ab", False, False),
    ("[ab", "a", False, False),
    ("[[:nope:]]", "a", False, False),
    ("*.ts\n!", "a.ts", False, True),
    ("/", "x", True, False),
    ("!/", "x", True, False),
    ("*.ts\n!\nfoo\\\n![[:nope:]].ts\n![ab", "a.ts", False, True),
    # line ends and a byte order mark
    ("a.ts\r\nb.ts\r\n", "a.ts", False, True),
    ("a.ts\r\nb.ts", "b.ts", False, True),
    ("\ufeff*.ts", "a.ts", False, True),
]

# (files: path -> text, path, is a folder, git ignores it): the hierarchy of files and .git/info/exclude
NESTED: list[tuple[dict[str, str], str, bool, bool]] = [
    ({".gitignore": "*.ts", "a/.gitignore": "!keep.ts"}, "a/keep.ts", False, False),  # deeper wins
    ({".gitignore": "*.ts", "a/.gitignore": "!keep.ts"}, "b/keep.ts", False, True),
    ({".gitignore": "!keep.ts", "a/.gitignore": "*.ts"}, "a/keep.ts", False, True),
    ({"a/.gitignore": "/gen"}, "a/gen", False, True),  # anchored to its own folder
    ({"a/.gitignore": "/gen"}, "gen", False, False),
    ({"a/.gitignore": "/gen"}, "a/b/gen", False, False),
    ({"a/.gitignore": "b/c"}, "a/b/c", False, True),
    ({"a/.gitignore": "b/c"}, "b/c", False, False),
    ({"a/.gitignore": "gen"}, "a/b/gen", False, True),
    ({"a/.gitignore": "a"}, "a", True, False),  # a folder's own file does not apply to it
    ({".gitignore": "a/", "a/.gitignore": "!x.ts"}, "a/x.ts", False, True),  # not read in an ignored folder
    ({".git/info/exclude": "*.log"}, "a/x.log", False, True),
    ({".git/info/exclude": "*.log", ".gitignore": "!keep.log"}, "keep.log", False, False),  # .gitignore first
    ({".git/info/exclude": "*.log", "a/.gitignore": "!*.log"}, "a/x.log", False, False),
    ({".git/info/exclude": "!*.log", ".gitignore": "*.log"}, "x.log", False, True),
    ({".git/info/exclude": "/a/x"}, "a/x", False, True),  # anchored to the top
]


def amplint_ignores(repo: Path, relative: str, is_dir: bool, gitignore: GitIgnore | None = None) -> bool:
    """Whether amplint skips `relative` as its walk does: each folder from the top, then the path."""
    gitignore = gitignore if gitignore is not None else GitIgnore()
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        if gitignore.ignores(repo.joinpath(*parts[:depth]), is_dir=True):
            return True
    return gitignore.ignores(repo.joinpath(*parts), is_dir=is_dir)


def write(folder: Path, files: dict[str, str]) -> None:
    (folder / ".git").mkdir(exist_ok=True)
    for relative, text in files.items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_bytes(text.encode("utf-8"))


@pytest.mark.parametrize(("lines", "path", "is_dir", "expected"), CASES)
def test_gitignore_rules(tmp_path, lines, path, is_dir, expected):
    write(tmp_path, {".gitignore": lines})
    assert amplint_ignores(tmp_path, path, is_dir) is expected


@pytest.mark.parametrize(("files", "path", "is_dir", "expected"), NESTED)
def test_gitignore_files_and_info_exclude(tmp_path, files, path, is_dir, expected):
    write(tmp_path, files)
    assert amplint_ignores(tmp_path, path, is_dir) is expected


def test_a_gitignore_that_is_a_symbolic_link_is_not_read(tmp_path):
    """git (2.32 and later) does not follow a `.gitignore` that is a symbolic link; it warns instead."""
    write(tmp_path, {"elsewhere": "*.ts\n"})
    (tmp_path / ".gitignore").symlink_to("elsewhere")
    assert not amplint_ignores(tmp_path, "a.ts", False)
    write(tmp_path, {".git/info/exclude": "*.js\n"})  # unlike .git/info/exclude, read as it is
    assert amplint_ignores(tmp_path, "a.js", False)


# -- against git itself ------------------------------------------------------------------------------


def git(repo: Path, *args: str, stdin: bytes = b"") -> bytes:
    """Run git in `repo` without the user's configuration or global excludes file."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home = repo.parent / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    run = subprocess.run(
        ["git", "-c", "core.ignorecase=false", *args], cwd=repo, input=stdin, capture_output=True, env=env, timeout=60
    )
    assert run.returncode in (0, 1), run.stderr.decode(errors="replace")
    return run.stdout


def git_ignores(repo: Path, files: list[str], folders: list[str]) -> tuple[set[str], set[str]]:
    """What git ignores of the files and folders given: `git check-ignore` for each path, and the
    ignored files `git ls-files --others --ignored` lists (which must agree)."""
    paths = [*files, *folders]
    checked = git(repo, "check-ignore", "--no-index", "--stdin", "-z", stdin=b"\0".join(map(os.fsencode, paths)))
    ignored = {os.fsdecode(path) for path in checked.split(b"\0") if path}
    listed = git(repo, "ls-files", "--others", "--ignored", "--exclude-standard", "-z")
    assert {os.fsdecode(path) for path in listed.split(b"\0") if path} & set(files) == ignored & set(files)
    return ignored & set(files), ignored & set(folders)


def test_the_table_agrees_with_git(tmp_path):
    """Every case above, each in a folder of its own (its `.gitignore` there), is what git says."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", ".")
    files, folders, expected = [], [], {}
    for number, (lines, path, is_dir, ignored) in enumerate(CASES):
        case = f"case{number}"
        write(repo, {f"{case}/.gitignore": lines})
        (folders if is_dir else files).append(f"{case}/{path}")
        expected[f"{case}/{path}"] = ignored
        (repo / case / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / case / path).mkdir() if is_dir else (repo / case / path).write_bytes(b"")
    ignored_files, ignored_folders = git_ignores(repo, files, folders)
    said = {path: path in ignored_files or path in ignored_folders for path in expected}
    assert {path: ignored for path, ignored in said.items() if ignored != expected[path]} == {}
    for number, (files_given, path, is_dir, ignored) in enumerate(NESTED):
        repo = tmp_path / f"nested{number}"
        repo.mkdir()
        git(repo, "init", "-q", ".")
        write(repo, files_given)
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).mkdir(exist_ok=True) if is_dir else (repo / path).write_bytes(b"")
        by_git = git_ignores(repo, [] if is_dir else [path], [path] if is_dir else [])
        assert (path in by_git[0] or path in by_git[1]) is ignored, (files_given, path)


# Names that make the generated patterns match often, with the characters git treats specially.
NAMES = ["a", "b", "ab", "abc", "z", "Foo", "x.ts", "y.ts", "x.log", ".env", "gen", "build", "a b", "sp ", "-"]
NAMES += ["#h", "!b", "\u65e5.ts", "\u00df"]
if os.name != "nt":
    NAMES += ["]", "[x]", "x*y", "q?", "back\\slash", "nl\nx"]
ATOMS = [
    *NAMES,
    *("foo", "ts", ".ts", "x", "\u65e5", "*", "*", "*", "**", "**", "***", "?", "??"),
    *("[ab]", "[!a]", "[^a]", "[a-c]", "[z-a]", "[b-a]", "[]a]", "[x-z]", "[/]", "[[:alpha:]]", "[[:punct:]]"),
    *("[[:nope:]]", "[a", "\\*", "\\?", "\\[x]", "\\ ", "\\#", "\\!", "\\\\", "\\", "[\\]]", "\\a"),
]


# Lines for .git/info/exclude, which applies to every case: none that ignores nearly everything.
EXCLUDES = ["*.log", "!x.log", "gen/", "/case1/*", "/case2/**/a", "[ab]", "**/build/**", "y.ts", "!a", "\\#h", "sp\\ "]

# What may stand for one character of a path that a line is made from.
REPLACEMENTS = ["?", "*", "**", "***", "[!a]", "[^b]", "[/]", "[a-z]", "[z-a]", "[[:alpha:]]", "\\"]


def random_line(rng: random.Random, paths: list[str]) -> str:
    """A `.gitignore` line: made of names, wildcards and escapes, or from a path of the tree (`paths`,
    from the `.gitignore`'s folder) with some characters replaced, so that most lines match something."""
    kind = rng.random()
    if kind < 0.05:
        return rng.choice(["", "#" + rng.choice(NAMES), "!", "/", "   ", "!/"])
    if kind < 0.5 and paths:
        line = rng.choice(paths).replace("\n", "")
        segments = line.split("/")
        if len(segments) > 2 and rng.random() < 0.4:  # a middle `/**/`, or `**` ending a name (`a/b**/c`)
            at = rng.randrange(1, len(segments) - 1)
            if rng.random() < 0.5:
                segments[at] = "**"
            else:
                segments[at - 1] = segments[at - 1][:-1] + "**"
                del segments[at]
            line = "/".join(segments)
        for _ in range(rng.choice([0, 1, 1, 1, 2])):
            at = rng.randrange(len(line))
            replacement = rng.choice(REPLACEMENTS)
            line = line[:at] + (replacement + line[at] if replacement == "\\" else replacement) + line[at + 1 :]
        if rng.random() < 0.3:
            line = "/" + line
        if rng.random() < 0.3:
            line += "/"
        return "!" + line if rng.random() < 0.4 else line
    segments = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        if rng.random() < 0.2:
            segments.append("**")
        else:
            segments.append("".join(rng.choice(ATOMS) for _ in range(rng.choice([1, 1, 2, 3]))))
    line = "/".join(segments).replace("\n", "")
    if rng.random() < 0.2:
        line = "/" + line
    if rng.random() < 0.2:
        line += "/"
    if rng.random() < 0.1:
        line += rng.choice([" ", "  ", "\\ ", "\t", "\r"])
    if rng.random() < 0.3:
        line = "!" + line
    return line


def random_tree(rng: random.Random, folder: str, depth: int, files: list[str], folders: list[str]) -> None:
    for name in rng.sample(NAMES, rng.randint(2, 5)):
        path = f"{folder}/{name}"
        if depth < 3 and rng.random() < 0.45:
            folders.append(path)
            random_tree(rng, path, depth + 1, files, folders)
        else:
            files.append(path)


@pytest.mark.parametrize("seed", range(4))
def test_generated_gitignores_agree_with_git(tmp_path, seed):
    """Random `.gitignore` files (one per case folder, some with a deeper one, and lines in
    .git/info/exclude for all) over random trees: amplint ignores exactly what git ignores."""
    rng = random.Random(seed)
    repo = tmp_path / "repo"
    files: list[str] = []
    folders: list[str] = []
    gitignores: dict[str, str] = {}
    for number in range(120):
        case = f"case{number}"
        folders.append(case)
        start = len(folders)
        random_tree(rng, case, 1, files, folders)
        below = [path[len(case) + 1 :] for path in [*files, *folders] if path.startswith(case + "/")]
        gitignores[f"{case}/.gitignore"] = "\n".join(random_line(rng, below) for _ in range(rng.randint(1, 6)))
        if len(folders) > start and rng.random() < 0.4:
            deeper = rng.choice(folders[start:])
            below = [path[len(deeper) + 1 :] for path in [*files, *folders] if path.startswith(deeper + "/")]
            lines = (random_line(rng, below) for _ in range(rng.randint(1, 3)))
            gitignores[f"{deeper}/.gitignore"] = "\n".join(lines)
    repo.mkdir()
    git(repo, "init", "-q", ".")
    for folder in folders:
        (repo / folder).mkdir(parents=True, exist_ok=True)
    for file in files:
        (repo / file).write_bytes(b"")
    exclude = "\n".join(rng.sample(EXCLUDES, 3))
    write(repo, {**gitignores, ".git/info/exclude": exclude})
    files += list(gitignores)
    ignored_files, ignored_folders = git_ignores(repo, files, folders)
    by_git = ignored_files | ignored_folders
    gitignore = GitIgnore()
    differ = {
        path: ("git ignores it" if path in by_git else "git keeps it", lines_for(repo, path, exclude))
        for path, is_dir in [*((file, False) for file in files), *((folder, True) for folder in folders)]
        if amplint_ignores(repo, path, is_dir, gitignore) != (path in by_git)
    }
    assert differ == {}
    assert ignored_files and len(ignored_files) < len(files)  # the patterns do decide something


def lines_for(repo: Path, path: str, exclude: str) -> list[str]:
    """The `.gitignore` lines that could apply to `path`, for a readable failure."""
    parts = path.split("/")
    found = [f"exclude: {exclude!r}"]
    for depth in range(len(parts)):
        file = repo.joinpath(*parts[:depth], ".gitignore")
        if file.is_file():
            found.append(f"{'/'.join(parts[:depth]) or '.'}: {file.read_bytes().decode(errors='replace')!r}")
    return found


def test_a_walk_skips_what_the_gitignore_files_say_as_asking_path_by_path_does(tmp_path):
    """The walk tells `GitIgnore` what each folder's listing holds (no `.gitignore`, no `.git`), so
    that it does not ask the file system again: the files it keeps are those that asking about each
    path alone keeps, with pattern files in nested folders, a nested repository and a linked one."""
    write(
        tmp_path,
        {
            ".gitignore": "*.gen.ts\n",
            "amplify/functions/.gitignore": "draft/\n!keep.gen.ts\n",
            "amplify/functions/a/handler.ts": "",
            "amplify/functions/a/keep.gen.ts": "",
            "amplify/functions/a/other.gen.ts": "",
            "amplify/functions/draft/handler.ts": "",
            "amplify/vendor/.gitignore": "*.ts\n",
            "amplify/vendor/lib/x.ts": "",
            "amplify/nested/.gitignore": "ignored.ts\n",
            "amplify/nested/ignored.ts": "",
            "amplify/nested/kept.gen.ts": "",  # the outer *.gen.ts does not reach into another repository
            "elsewhere": "kept.ts\n",
            "amplify/data/kept.ts": "",
            "amplify/data/resource.ts": "",
        },
    )
    (tmp_path / "amplify" / "nested" / ".git").mkdir()
    (tmp_path / "amplify" / "data" / ".gitignore").symlink_to(tmp_path / "elsewhere")  # not followed
    walked, _ = source_files(tmp_path / "amplify", gitignore=GitIgnore())
    everything, _ = source_files(tmp_path / "amplify")
    relative = [path.relative_to(tmp_path).as_posix() for path in everything]
    assert [path.relative_to(tmp_path).as_posix() for path in walked] == [
        path for path in relative if not amplint_ignores(tmp_path, path, False)
    ]
    assert sorted(set(relative) - {path.relative_to(tmp_path).as_posix() for path in walked}) == [
        "amplify/functions/a/other.gen.ts",
        "amplify/functions/draft/handler.ts",
        "amplify/nested/ignored.ts",
        "amplify/vendor/lib/x.ts",
    ]
