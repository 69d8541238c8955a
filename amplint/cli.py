"""The `amplint` command line: parse arguments, call `lint`, print, and choose the exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "concise", "json")


class UsageProblem(click.UsageError):
    exit_code = EXIT_ERROR


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def _check_selectors(selectors: tuple[str, ...], option: str) -> None:
    from .checks import RULES

    for selector in selectors:
        if not any(code.startswith(selector) for code in RULES):
            raise UsageProblem(f"{option}: unknown rule code or prefix `{selector}`")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="amplint")
def main() -> None:
    """amplint: find AWS Amplify Gen 2 backend mistakes before `ampx sandbox` does."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(FORMATS), default=None,
              help="Report format (default: text on a terminal, concise otherwise).")
@click.option("--select", help="Comma-separated codes or prefixes to check (default: all).")
@click.option("--ignore", help="Comma-separated codes or prefixes to skip.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
def check(paths: tuple[Path, ...], output_format: str | None, select: str | None, ignore: str | None,
          quiet: bool) -> None:
    """Lint the Amplify backends found in PATHS (default: the current directory)."""
    from .api import LintOptions, WorkspaceError, lint

    selectors, ignored = _codes(select), _codes(ignore)
    _check_selectors(selectors, "--select")
    _check_selectors(ignored, "--ignore")
    options = LintOptions(select=selectors or ("AMP",), ignore=ignored)
    try:
        result = lint(list(paths) or [Path(".")], options)
    except WorkspaceError as error:
        click.echo(f"amplint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    fmt = output_format or ("text" if sys.stdout.isatty() else "concise")
    if fmt == "text":
        from rich.console import Console

        from .reporters.text import render_to

        render_to(Console(highlight=False), result, quiet)
    else:
        from .reporters import concise, json as json_reporter

        reporter = {"concise": concise, "json": json_reporter}[fmt]
        sys.stdout.write(reporter.render(result, quiet))
    from .reporters import clean

    for error in result.errors:
        where = f"{error.path}: " if error.path else ""
        click.echo(clean(f"amplint: error: {where}{error.message}"), err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if any(d.severity.value == "error" for d in result.reported) else EXIT_CLEAN)


@main.command()
@click.argument("code")
def rule(code: str) -> None:
    """Print the documentation of rule CODE (e.g. AMP501)."""
    from .checks import RULES
    from .ruledocs import load

    code = code.upper()
    doc = load(code) if code in RULES else None
    if doc is None:
        click.echo(f"amplint: error: unknown rule `{code}`", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(doc.text, nl=False)


@main.command()
@click.option("--output-format", type=click.Choice(("text", "json")), default="text")
def rules(output_format: str) -> None:
    """List every rule: code, name, default severity and summary."""
    from .checks import RULES

    if output_format == "json":
        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                "summary": r.summary, "fixable": r.fixable}
                               for r in sorted(RULES.values(), key=lambda r: r.code)], indent=2))
        return
    for r in sorted(RULES.values(), key=lambda r: r.code):
        click.echo(f"{r.code}  {r.name:<38} {r.severity.value:<8} {r.summary}")
