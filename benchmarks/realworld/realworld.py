"""Run amplint over a corpus of public Amplify Gen 2 backends and compare with the labels.

    python benchmarks/realworld/realworld.py sync [--mirror DIR]   # get the listed commits
    python benchmarks/realworld/realworld.py report                # precision per rule
    python benchmarks/realworld/realworld.py unlabelled -o new.tsv # rows to label

The corpus lives outside the repository (argument `--corpus`, else $AMPLINT_CORPUS, else
~/.cache/amplint-corpus). Each row of corpus.tsv names a repository, a commit and the path of its
`amplify/` folder; `sync` extracts that folder and the project's other source and JSON files (no
node_modules) into CORPUS/<owner>+<name>/, from a local mirror of bare git directories
(DIR/<owner>+<name>/repo, or DIR/<owner>+<name>.git) when one is given, else with `git clone`.

labels.tsv holds one row per finding amplint reported when it was labelled: project (owner/name,
plus `:path` when the amplify folder is not at the top), code, file (relative to the project
root), line, verdict, reason, message. Verdicts: TP (true, with a true consequence), FP (false),
wrong-message (the finding is real but the message claims something this code does not get),
never-deploys (true, on code the backend never loads). This is a development tool: it needs the
corpus on disk and is not part of the test run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import subprocess
import sys
import tarfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

VERDICTS = ("TP", "FP", "wrong-message", "never-deploys")
TRUE_VERDICTS = ("TP", "never-deploys")
LABEL_FIELDS = ("project", "code", "file", "line", "verdict", "reason", "message")


@dataclass(frozen=True)
class Entry:
    repo: str
    commit: str
    path: str  # the amplify folder, relative to the repository

    @property
    def project(self) -> str:
        parent = self.base
        return f"{self.repo}:{parent}" if parent else self.repo

    @property
    def base(self) -> str:
        """The project root (the folder holding amplify/), relative to the repository."""
        return str(Path(self.path).parent) if Path(self.path).parent != Path(".") else ""

    def folder(self, corpus: Path) -> Path:
        return corpus / self.repo.replace("/", "+") / self.base


@dataclass(frozen=True)
class Finding:
    project: str
    code: str
    file: str
    line: int
    severity: str
    message: str

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.project, self.code, self.file, self.line)


def read_corpus(path: Path = HERE / "corpus.tsv") -> list[Entry]:
    entries = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            entries.append(Entry(row["repo"], row["commit"], row["path"]))
    return entries


def read_labels(path: Path = HERE / "labels.tsv") -> dict[tuple[str, str, str, int], dict[str, str]]:
    if not path.exists():
        return {}
    with path.open(newline="") as handle:
        return {(r["project"], r["code"], r["file"], int(r["line"])): r for r in csv.DictReader(handle, delimiter="\t")}


def corpus_dir(given: str | None) -> Path:
    return Path(given or os.environ.get("AMPLINT_CORPUS") or Path.home() / ".cache" / "amplint-corpus")


# --- sync -------------------------------------------------------------------------------------


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True)


def _git_dir(entry: Entry, corpus: Path, mirror: Path | None) -> Path:
    key = entry.repo.replace("/", "+")
    if mirror is not None:
        for candidate in (mirror / key / "repo", mirror / f"{key}.git", mirror / key):
            if (candidate / "HEAD").is_file():
                return candidate
    clone = corpus / ".git-cache" / f"{key}.git"
    if not clone.exists():
        _git("clone", "--bare", "--filter=blob:none", "--quiet", f"https://github.com/{entry.repo}.git", str(clone))
    try:
        _git("cat-file", "-e", f"{entry.commit}^{{commit}}", cwd=clone)
    except subprocess.CalledProcessError:
        _git("fetch", "--quiet", "origin", entry.commit, cwd=clone)
    return clone


SOURCE_SUFFIXES = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json")


def sync(entries: list[Entry], corpus: Path, mirror: Path | None) -> int:
    failed = 0
    for entry in entries:
        target = corpus / entry.repo.replace("/", "+")
        stamp = target / ".amplint-corpus-commit"
        mark = f"{entry.commit}:{entry.path}"
        if stamp.exists() and mark in stamp.read_text().split():
            continue
        # The project's source and JSON files, amplify/ and beyond (an `entry` may point outside
        # amplify/; tsconfig files decide what a frontend build type-checks), without node_modules.
        try:
            git_dir = _git_dir(entry, corpus, mirror)
            listing = (
                _git("ls-tree", "-r", "-l", "-z", entry.commit, "--", entry.base or ".", cwd=git_dir)
                .stdout.decode()
                .split("\0")
            )
            wanted = []
            for line in filter(None, listing):
                info, name = line.split("\t", 1)
                size = info.split()[-1]
                # Snapshots may lack files of 4 MiB and more; no backend source is that large.
                if (
                    name.endswith(SOURCE_SUFFIXES)
                    and "node_modules" not in name.split("/")
                    and size.isdigit()
                    and int(size) < 4 << 20
                ):
                    wanted.append(name)
            target.mkdir(parents=True, exist_ok=True)
            for start in range(0, len(wanted), 400):  # command-line length
                archive = _git(
                    "archive", "--format=tar", entry.commit, "--", *wanted[start : start + 400], cwd=git_dir
                ).stdout
                with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                    tar.extractall(target, filter="data")
        except (subprocess.CalledProcessError, OSError) as error:
            message = error.stderr.decode().strip() if isinstance(error, subprocess.CalledProcessError) else error
            print(f"{entry.repo}: {message}", file=sys.stderr)
            failed += 1
            continue
        done = stamp.read_text().split() if stamp.exists() else []
        stamp.write_text("\n".join(sorted({*done, mark})) + "\n")
    return failed


# --- run and compare --------------------------------------------------------------------------


def run(entries: list[Entry], corpus: Path) -> tuple[list[Finding], list[str]]:
    from amplint.api import LintOptions, lint

    findings: list[Finding] = []
    problems: list[str] = []
    for entry in entries:
        folder = entry.folder(corpus)
        if not (folder / entry.path[len(entry.base) :].lstrip("/")).is_dir():
            problems.append(f"{entry.project}: not in the corpus folder (run `sync`)")
            continue
        try:
            result = lint([folder], LintOptions(isolated=True))
        except Exception as error:  # report and go on: one project must not stop the survey
            problems.append(f"{entry.project}: {type(error).__name__}: {error}")
            continue
        problems.extend(
            f"{entry.project}: {e.path}: {e.message}" for e in result.errors if "internal error" in e.message
        )
        for d in result.reported:
            if d.severity.value not in ("error", "warning"):
                continue
            try:
                file = d.location.path.relative_to(folder).as_posix()
            except ValueError:
                file = d.location.path.as_posix()
            findings.append(
                Finding(
                    entry.project,
                    d.code,
                    file,
                    d.location.span.start_line,
                    d.severity.value,
                    " ".join(d.message.split()),
                )
            )
    return findings, problems


def report(findings: list[Finding], labels: dict, problems: list[str], projects: int) -> int:
    by_rule: dict[str, Counter] = defaultdict(Counter)
    unlabelled: list[Finding] = []
    stale: list[tuple[Finding, dict]] = []
    for f in findings:
        by_rule[f.code][f.severity] += 1
        label = labels.get(f.key)
        if label is None:
            unlabelled.append(f)
            by_rule[f.code]["unlabelled"] += 1
            continue
        by_rule[f.code][label["verdict"]] += 1
        if label.get("message") and label["message"] != f.message:
            stale.append((f, label))
    seen = {f.key for f in findings}
    lost = [label for key, label in sorted(labels.items()) if key not in seen and label["verdict"] in TRUE_VERDICTS]

    print(f"{projects} projects, {len(findings)} findings (errors and warnings)\n")
    print(
        f"{'rule':8} {'severity':8} {'findings':>8} {'TP':>4} {'never':>5} {'FP':>4} {'wrong':>5} "
        f"{'new':>4} {'precision':>9}"
    )
    for code in sorted(by_rule):
        c = by_rule[code]
        severity = "error" if c["error"] else "warning" if c["warning"] else "-"
        labelled = sum(c[v] for v in VERDICTS)
        true = sum(c[v] for v in TRUE_VERDICTS)
        precision = f"{100 * true / labelled:.0f}%" if labelled else "-"
        total = labelled + c["unlabelled"]
        print(
            f"{code:8} {severity:8} {total:>8} {c['TP']:>4} {c['never-deploys']:>5} {c['FP']:>4} "
            f"{c['wrong-message']:>5} {c['unlabelled']:>4} {precision:>9}"
        )
    false_errors = sum(
        1 for f in findings if f.severity == "error" and labels.get(f.key, {}).get("verdict") in ("FP", "wrong-message")
    )
    warnings = [f for f in findings if f.severity == "warning" and f.key in labels]
    true_warnings = sum(1 for f in warnings if labels[f.key]["verdict"] in TRUE_VERDICTS)
    print(f"\nfalse or wrong-message errors: {false_errors}")
    if warnings:
        print(f"warnings true: {true_warnings}/{len(warnings)} ({100 * true_warnings / len(warnings):.0f}%)")
    for title, rows in (
        ("not yet labelled", [_row(f) for f in unlabelled]),
        ("message changed since labelled", [_row(f) + f"\n    was: {label['message']}" for f, label in stale]),
        (
            "labelled true, no longer reported",
            [f"{row['project']}\t{row['code']}\t{row['file']}:{row['line']}\t{row['reason']}" for row in lost],
        ),
        ("could not lint", problems),
    ):
        if rows:
            print(f"\n{title} ({len(rows)}):")
            for row in rows:
                print(f"  {row}")
    return 1 if unlabelled or lost or false_errors or stale or problems else 0


def _row(f: Finding) -> str:
    return f"{f.project}\t{f.code}\t{f.file}:{f.line}\t{f.message}"


def write_unlabelled(findings: list[Finding], labels: dict, out: Path) -> int:
    rows = [f for f in findings if f.key not in labels]
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(LABEL_FIELDS)
        for f in rows:
            writer.writerow([f.project, f.code, f.file, f.line, "", "", f.message])
    print(f"{len(rows)} unlabelled findings written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("sync", "report", "unlabelled"))
    parser.add_argument("--corpus", help="the local corpus folder (default: $AMPLINT_CORPUS)")
    parser.add_argument("--mirror", type=Path, help="bare git directories to extract from, instead of cloning")
    parser.add_argument("--only", action="append", default=[], help="only this repository (repeatable)")
    parser.add_argument("-o", "--out", type=Path, default=Path("unlabelled.tsv"))
    parser.add_argument("--list", type=Path, default=HERE / "corpus.tsv", help="the corpus list (corpus.tsv)")
    parser.add_argument("--labels", type=Path, default=HERE / "labels.tsv", help="the labels (labels.tsv)")
    args = parser.parse_args(argv)
    corpus = corpus_dir(args.corpus)
    entries = read_corpus(args.list)
    if args.only:
        entries = [e for e in entries if e.repo in args.only or e.project in args.only]
    if args.command == "sync":
        corpus.mkdir(parents=True, exist_ok=True)
        return 1 if sync(entries, corpus, args.mirror) else 0
    findings, problems = run(entries, corpus)
    projects = {e.project for e in entries}
    labels = {key: label for key, label in read_labels(args.labels).items() if key[0] in projects}
    if args.command == "unlabelled":
        return write_unlabelled(findings, labels, args.out)
    return report(findings, labels, problems, len(entries))


if __name__ == "__main__":
    sys.exit(main())
