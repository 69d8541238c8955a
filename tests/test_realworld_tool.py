"""The real-world corpus tool: it extracts listed commits from local bare clones and compares
amplint's findings with the labels (the corpus itself is not part of the test run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "realworld" / "realworld.py"
HEADER = "project\tcode\tfile\tline\tverdict\treason\tmessage\n"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "PATH": "/usr/bin:/bin",
        },
    ).stdout.strip()


def make_mirror(tmp_path: Path) -> tuple[Path, str]:
    work = tmp_path / "work"
    (work / "web" / "amplify" / "functions" / "report").mkdir(parents=True)
    (work / "web" / "amplify" / "backend.ts").write_text(
        "import { defineBackend } from '@aws-amplify/backend';\n\ndefineBackend({});\n"
    )
    (work / "web" / "amplify" / "functions" / "report" / "resource.ts").write_text(
        "import { defineFunction } from '@aws-amplify/backend';\n\nexport const report = defineFunction({});\n"
    )
    (work / "web" / "amplify" / "functions" / "report" / "handler.ts").write_text("export const handler = 1;\n")
    (work / "web" / "logo.png").write_bytes(b"\x89PNG")
    git("init", "-q", cwd=work)
    git("add", ".", cwd=work)
    git("commit", "-qm", "one", cwd=work)
    commit = git("rev-parse", "HEAD", cwd=work)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    git("clone", "-q", "--bare", str(work), str(mirror / "acme+shop.git"), cwd=tmp_path)
    return mirror, commit


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def test_sync_extracts_sources_and_report_compares_with_labels(tmp_path):
    mirror, commit = make_mirror(tmp_path)
    corpus, listing, labels = tmp_path / "corpus", tmp_path / "corpus.tsv", tmp_path / "labels.tsv"
    listing.write_text(f"repo\tcommit\tpath\nacme/shop\t{commit}\tweb/amplify\n")
    common = ("--corpus", str(corpus), "--list", str(listing), "--labels", str(labels))
    assert run("sync", "--mirror", str(mirror), *common).returncode == 0
    assert (corpus / "acme+shop" / "web" / "amplify" / "backend.ts").is_file()
    assert not (corpus / "acme+shop" / "web" / "logo.png").exists()  # sources and JSON only

    labels.write_text(HEADER)
    unlabelled = run("report", *common)
    assert unlabelled.returncode == 1
    assert "acme/shop:web\tAMP102\tamplify/functions/report/resource.ts:3" in unlabelled.stdout
    assert "not yet labelled (1)" in unlabelled.stdout

    out = tmp_path / "new.tsv"
    assert run("unlabelled", "-o", str(out), *common).returncode == 0
    row = out.read_text().splitlines()[1].split("\t")
    row[4:6] = ["TP", "nothing registers report"]
    labels.write_text(HEADER + "\t".join(row) + "\n")
    clean = run("report", *common)
    assert clean.returncode == 0, clean.stdout
    assert "AMP102   warning         1    1" in clean.stdout and "100%" in clean.stdout

    # A true finding that disappears is reported as lost.
    labels.write_text(HEADER + "\t".join(row).replace("resource.ts\t3", "resource.ts\t9") + "\n")
    lost = run("report", *common)
    assert lost.returncode == 1 and "labelled true, no longer reported (1)" in lost.stdout
