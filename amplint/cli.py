"""The `amplint` command line: parse arguments, call `lint`, write the reports, and choose the exit code."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .graph import FORMATS as GRAPH_FORMATS
from .records import NamedTuple

if TYPE_CHECKING:
    from .api import InternalError, LintOptions, LintResult
    from .checks import Rule
    from .config import PathGlob, Settings
    from .fixer import Fixed
    from .workspace import Root

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Format -> module of amplint.reporters; each module has `render(result, quiet) -> str`.
FORMATS = {
    "text": "text",
    "concise": "concise",
    "json": "json",
    "json-lines": "json_lines",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
}
LEVELS = ("error", "warning", "info")


class UsageProblem(click.UsageError):
    """A usage or configuration error: one line on stderr and exit 2 (click's ClickException exits 1)."""

    exit_code = EXIT_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"amplint: error: {self.format_message()}", err=True)


class Report(NamedTuple):
    format: str
    path: Path | None  # None: stdout


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def _globs(values: tuple[str, ...]) -> tuple[str, ...]:
    """The globs of a repeatable, comma-separated option such as `--exclude`."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _reports(output_format: str | None, output_file: Path | None, outputs: tuple[str, ...]) -> list[Report]:
    """The primary report (`--output-format`, `--output-file`) and one more for each `--output`."""
    extra = []
    for spec in outputs:
        name, colon, path = spec.partition(":")  # formats hold no colon; a Windows path may
        if name not in FORMATS:
            raise UsageProblem(
                f"--output: unknown format `{name}` in `{spec}` (expected FORMAT[:PATH], "
                f"FORMAT one of {', '.join(FORMATS)})"
            )
        if colon and not path:
            raise UsageProblem(f"--output: `{spec}` names no file after the colon")
        extra.append(Report(name, Path(path) if path else None))
    to_stdout = [r for r in extra if r.path is None]
    if len(to_stdout) > 1 or to_stdout and (output_format or output_file):
        raise UsageProblem(
            "only one report can go to stdout: give the others a file, as in `--output sarif:amplint.sarif`"
        )
    primary = to_stdout or [Report(output_format or ("text" if sys.stdout.isatty() else "concise"), output_file)]
    reports = primary + [r for r in extra if r.path is not None]
    files = [r.path.resolve() for r in reports if r.path is not None]
    if len(files) != len(set(files)):
        raise UsageProblem("two reports would be written to the same file")
    return reports


def _stdout_closed() -> None:
    """The reader of stdout went away (`| head -1`): stop writing, quietly, as Ruff and ESLint do.
    stdout now goes nowhere, so nothing fails again when Python flushes it at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _Main(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _stdout_closed()
            sys.exit(EXIT_CLEAN)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # a bug in amplint: exit 2, never 1 (which means findings)
            message = " ".join(f"{type(error).__name__}: {error}".split())
            click.echo(f"amplint: error: internal error: {message}", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="amplint")
def main() -> None:
    """amplint: find AWS Amplify Gen 2 backend mistakes before `ampx sandbox` does."""


def run() -> NoReturn:
    """The `amplint` command (and `python -m amplint`): `main`, then a hard exit once the output is
    flushed. Python's orderly exit frees every tree and record the run built, one by one, which takes
    longer than linting a small backend does (mypy leaves the same way); amplint registers no exit
    handler and closes every file it writes before this point.

    Python's cycle collector runs rarely here, as in mypy: by default it would walk the objects of
    every module a run imports and every record it builds again and again, for nothing (they live to
    the end), about 5% of a run. It still collects, in `server` and `--watch` too: only less often."""
    gc.set_threshold(200_000, 30, 30)
    try:
        main()
        code: object = EXIT_CLEAN
    except SystemExit as stop:
        code = stop.code
    if code is None:
        code = EXIT_CLEAN
    elif not isinstance(code, int):
        print(code, file=sys.stderr)  # what Python's own exit does with a message
        code = EXIT_FINDINGS
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (`| head -1`): nothing more to say
            if stream is sys.stdout:
                _stdout_closed()
        except (OSError, ValueError):  # a stream closed or gone: nothing left to flush
            pass
    os._exit(code)


_FILES_OPTIONS = (
    click.option(
        "--exclude",
        "exclude",
        multiple=True,
        metavar="GLOBS",
        help="Comma-separated globs of files and folders not to read, relative to the working directory "
        "(a glob without `/` matches names); replaces the configuration's `exclude`. Repeatable.",
    ),
    click.option(
        "--extend-exclude",
        "extend_exclude",
        multiple=True,
        metavar="GLOBS",
        help="Like --exclude, but added to the configuration's `exclude`. Repeatable.",
    ),
    click.option(
        "--respect-gitignore/--no-respect-gitignore",
        "respect_gitignore",
        default=None,
        help="Skip files git ignores (.gitignore, .git/info/exclude); on unless the configuration's "
        "`respect-gitignore` is false. A file named on the command line is read anyway.",
    ),
    click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Use this configuration file (amplint.toml, pyproject.toml or package.json) for every backend.",
    ),
    click.option("--isolated", is_flag=True, help="Ignore every configuration file."),
)


def _files_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that choose a backend's files and its configuration, the same for every command
    that reads backends (`check`, `graph`)."""
    for option in reversed(_FILES_OPTIONS):
        command = option(command)
    return command


def _files_settings(
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    respect_gitignore: bool | None,
    config_file: Path | None,
    isolated: bool,
) -> dict[str, Any]:
    """What `_files_options` gave, as `LintOptions` fields."""
    if config_file is not None and isolated:
        raise UsageProblem("--config and --isolated cannot be used together")
    return {
        "config": config_file,
        "isolated": isolated,
        "exclude": _globs(exclude) if exclude else None,
        "extend_exclude": _globs(extend_exclude),
        "respect_gitignore": respect_gitignore,
    }


def _echo_errors(errors: Iterable[InternalError]) -> None:
    """What went wrong in a run, on stderr: a line each, its file first."""
    from .reporters import clean, display_path

    for failure in errors:
        where = f"{display_path(failure.path)}: " if failure.path else ""
        click.echo(clean(f"amplint: error: {where}{failure.message}"), err=True)


@main.command(short_help="Lint the Amplify backends in PATHS (default: the current directory).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output-format",
    type=click.Choice(tuple(FORMATS)),
    default=None,
    help="Report format (default: text on a terminal, concise otherwise).",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT[:PATH]",
    help="One more report, to PATH (or to stdout without one); repeatable, "
    "e.g. `--output github --output sarif:amplint.sarif`.",
)
@click.option("--select", help="Comma-separated codes or prefixes to check, replacing the configuration's.")
@click.option("--extend-select", help="Comma-separated codes or prefixes to check in addition.")
@click.option("--ignore", help="Comma-separated codes or prefixes to skip.")
@_files_options
@click.option(
    "--fail-on",
    type=click.Choice(LEVELS),
    default=None,
    help="Exit 1 when a finding has this severity or a higher one (default: error).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even with findings (2 still means an error).")
@click.option(
    "--max-warnings",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Exit 1 when there are more than N warnings.",
)
@click.option("--require-reason", is_flag=True, help="Report suppression comments without `-- reason` (AMP004).")
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Lint the text on stdin as this file (an unsaved buffer); the rest of its backend is "
    "read from disk and only this file's findings are reported.",
)
@click.option(
    "--skip-outside-projects",
    is_flag=True,
    help="Skip given files that belong to no Amplify backend instead of failing (pre-commit).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write the cache of results (by default in `.amplint_cache/` beside each `amplify/`).",
)
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    envvar="AMPLINT_CACHE_DIR",
    show_envvar=True,
    help="Keep the cache in this folder instead of `.amplint_cache/` beside each `amplify/`.",
)
@click.option(
    "--fix",
    "apply_fixes",
    is_flag=True,
    help="Apply the safe fixes (and the unsafe ones with --unsafe-fixes), then report what is left.",
)
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Count unsafe fixes as available too: --fix and --diff apply them, reports mark them.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print a unified diff of the fixes --fix would apply, change nothing, and exit 1 when there are any.",
)
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has instead of the findings.")
@click.option("--show-settings", is_flag=True, help="Print the settings each backend is linted with, and exit.")
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, and exit.")
@click.option(
    "-q",
    "--quiet",
    is_flag=True,
    help="Leave out the summary line; every finding is still printed, warnings included "
    "(Ruff's meaning, not ESLint's errors-only). The exit code is unchanged.",
)
@click.option(
    "--color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="Style the text report: `auto` only on a terminal, off when NO_COLOR is set, on when "
    "FORCE_COLOR is; `always`/`never` win over both. Other formats are never styled.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Lint again whenever a file of the backends changes, redrawing the report; Ctrl-C stops "
    "(needs the `watch` extra: pip install 'amplint[watch]').",
)
def check(
    paths: tuple[Path, ...],
    output_format: str | None,
    output_file: Path | None,
    outputs: tuple[str, ...],
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    config_file: Path | None,
    isolated: bool,
    fail_on: str | None,
    exit_zero: bool,
    max_warnings: int | None,
    require_reason: bool,
    stdin_filename: Path | None,
    skip_outside_projects: bool,
    statistics: bool,
    show_settings: bool,
    show_files: bool,
    quiet: bool,
    color: str,
    exclude: tuple[str, ...] = (),
    extend_exclude: tuple[str, ...] = (),
    respect_gitignore: bool | None = None,
    no_cache: bool = False,
    cache_dir: Path | None = None,
    apply_fixes: bool = False,
    unsafe_fixes: bool = False,
    show_diff: bool = False,
    watch: bool = False,
) -> None:
    """Lint the Amplify backends found in PATHS (default: the current directory).

    A file stands for its whole backend: cross-file rules need every file of it."""
    from .api import ConfigError, Fixing, LintOptions, WorkspaceError, lint, plan
    from .diagnostics import Severity

    files = _files_settings(exclude, extend_exclude, respect_gitignore, config_file, isolated)
    if show_diff and (output_format or output_file or outputs or statistics):
        raise UsageProblem(
            "--diff prints a diff, not a report: leave out --output-format, --output-file, --output and --statistics"
        )
    reports = _reports(output_format, output_file, outputs)
    stdin = None
    if stdin_filename is not None:
        if any(str(p) != "-" for p in paths):
            raise UsageProblem("--stdin-filename lints stdin only: give no PATHS (or `-`)")
        stdin = (stdin_filename, sys.stdin.buffer.read())
        paths = ()
    elif any(str(p) == "-" for p in paths):
        raise UsageProblem("reading from stdin (`-`) needs --stdin-filename")
    options = LintOptions(
        select=_codes(select) or None,
        extend_select=_codes(extend_select),
        ignore=_codes(ignore),
        stdin=stdin,
        fail_on=Severity(fail_on) if fail_on else None,
        require_reason=require_reason,
        skip_outside_projects=skip_outside_projects,
        cache=not no_cache and stdin is None,
        cache_dir=cache_dir,
        **files,
    )
    targets = [] if stdin else list(paths) or [Path(".")]
    from .workspace import expand_globs

    try:
        targets = expand_globs(targets)  # globs the shell left quoted
    except WorkspaceError as error:
        raise UsageProblem(str(error)) from None
    if watch:
        if stdin is not None or show_settings or show_files:
            raise UsageProblem("--watch lints files on disk: it cannot be used with --stdin-filename, --show-*")
        if apply_fixes or show_diff:
            raise UsageProblem("--watch reports findings: it cannot be used with --fix or --diff")
        _watch(targets, options, reports, quiet, statistics, color)

    fixing = apply_fixes or show_diff
    # An editor piping a buffer through `--fix` reads the fixed text from stdout: the report goes to stderr.
    to_stderr = stdin is not None and apply_fixes and not show_diff
    fixed: Fixed | None = None
    expected: tuple[type[Exception], ...] = (ConfigError, WorkspaceError)
    if fixing:  # the fixer is imported only when asked for
        from .fixer import FixLoopError, fix

        expected += (FixLoopError,)
    try:
        if show_settings or show_files:
            _introspect(plan(targets, options), show_settings)
            sys.exit(EXIT_CLEAN)
        if fixing:
            fixed = fix(targets, options, unsafe=unsafe_fixes, write=not show_diff)
            result = fixed.result
        else:
            result = lint(targets, options)
    except expected as error:
        if to_stderr and stdin is not None:
            sys.stdout.buffer.write(stdin[1])  # the buffer unchanged: an editor must not lose it
        if isinstance(error, ConfigError):
            raise UsageProblem(str(error)) from None
        internal = "" if isinstance(error, WorkspaceError) else "internal error: "  # a fix that loops
        click.echo(f"amplint: error: {internal}{error}", err=True)
        sys.exit(EXIT_ERROR)
    from .reporters import clean, display_path

    if fixed is None:
        result.fixing = Fixing(unsafe_fixes)
    else:
        if show_diff:
            _print_diff(fixed, result)
        elif stdin is not None:
            only = next(iter(fixed.contents.values()), stdin[1])
            sys.stdout.buffer.write(only)
            sys.stdout.flush()
        for path in fixed.changed_on_disk:
            click.echo(
                clean(f"amplint: warning: {display_path(path)}: not fixed: it changed since amplint read it"), err=True
            )
    if not show_diff:
        for report in reports:
            _write(report, result, quiet, statistics, color, to_stderr)
    _echo_errors(result.errors)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    if show_diff:
        sys.exit(EXIT_FINDINGS if fixed is not None and fixed.contents else EXIT_CLEAN)
    if result.failing:
        sys.exit(EXIT_FINDINGS)
    warnings = sum(1 for d in result.reported if d.severity is Severity.WARNING)
    if max_warnings is not None and warnings > max_warnings:
        click.echo(f"amplint: too many warnings: {warnings} (--max-warnings {max_warnings})", err=True)
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_CLEAN)


def _watch(
    targets: list[Path], options: LintOptions, reports: list[Report], quiet: bool, statistics: bool, color: str
) -> NoReturn:
    """`check --watch`: the reports drawn again after each change, until Ctrl-C (exit 0)."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        raise UsageProblem("--watch needs the `watch` extra: pip install 'amplint[watch]'") from None
    from .watch import file_changes, watch

    def show(result: LintResult) -> None:
        if sys.stdout.isatty():
            click.clear()
        for report in reports:
            _write(report, result, quiet, statistics, color)
        _echo_errors(result.errors)
        click.echo("amplint: watching for changes (Ctrl-C to stop)", err=True)
        sys.stdout.flush()

    def error(message: str) -> None:
        click.echo(f"amplint: error: {message}", err=True)

    try:
        watch(targets, options, show, file_changes, error)
    except KeyboardInterrupt:
        pass
    sys.exit(EXIT_CLEAN)


def _print_diff(fixed: Fixed, result: LintResult) -> None:
    """`--diff`: the diff on stdout, what it would fix on stderr (as `ruff check --diff` does)."""
    from .fixer import unified_diff
    from .reporters import display_path, hidden_fixes, plural

    names = {path: display_path(path) for path in fixed.contents}
    try:
        sys.stdout.buffer.write(unified_diff(fixed.original, fixed.contents, names))
        sys.stdout.flush()
    except BrokenPipeError:
        _stdout_closed()
    hidden = hidden_fixes(result)
    more = f" ({plural(hidden, 'hidden fix')} can be enabled with the `--unsafe-fixes` option)" if hidden else ""
    if fixed.fixed:
        click.echo(
            f"Would fix {plural(fixed.fixed, 'finding')} in {plural(len(fixed.contents), 'file')}{more}.", err=True
        )
    else:
        click.echo(f"No fixes available{more}.", err=True)


def _write(
    report: Report, result: LintResult, quiet: bool, statistics: bool, color: str = "auto", to_stderr: bool = False
) -> None:
    try:
        _write_report(report, result, quiet, statistics, color, to_stderr)
    except BrokenPipeError:  # `amplint check | head`: the exit code still says whether there were findings
        if report.path is not None or to_stderr:
            raise
        _stdout_closed()


def _write_report(
    report: Report, result: LintResult, quiet: bool, statistics: bool, color: str = "auto", to_stderr: bool = False
) -> None:
    import importlib

    out = sys.stderr if to_stderr else sys.stdout
    if report.path is None and statistics:
        from .reporters import statistics as stats

        out.write((stats.render_json if report.format == "json" else stats.render)(result, quiet))
        return
    if report.path is None and report.format == "text":
        from .reporters.text import write_to_stdout

        write_to_stdout(result, quiet, color, out)
        return
    text = importlib.import_module(f"amplint.reporters.{FORMATS[report.format]}").render(result, quiet)
    if report.path is None:
        out.write(text)
        return
    try:
        report.path.parent.mkdir(parents=True, exist_ok=True)
        report.path.write_text(text, encoding="utf-8")
    except OSError as error:
        click.echo(
            f"amplint: error: {report.path}: cannot write the {report.format} report: {error.strerror or error}",
            err=True,
        )
        sys.exit(EXIT_ERROR)


def _introspect(planned: list[tuple[Root, Settings]], show_settings: bool) -> None:
    from .reporters import display_path

    for root, settings in planned:
        if not show_settings:
            for path in root.files:
                click.echo(display_path(path))
            continue
        click.echo(f"backend: {display_path(root.path)}")
        click.echo(f"  configuration: {display_path(settings.config_file) if settings.config_file else '(none)'}")
        click.echo(f"  select: {', '.join(sorted(settings.codes)) or '(none)'}")
        overrides = ", ".join(f"{code}={level.value}" for code, level in sorted(settings.severity.items()))
        click.echo(f"  severity: {overrides or '(rule defaults)'}")
        if len(settings.chain) > 1:
            click.echo(f"  extends: {' -> '.join(display_path(p) for p in settings.chain[1:])}")
        home = settings.config_file.parent if settings.config_file else None

        # As written, with the folder it is relative to when not the configuration's.
        def glob(g: PathGlob, home: Path | None = home) -> str:
            return g.pattern if g.base == home else f"{g.pattern} (in {display_path(g.base)})"

        click.echo(f"  exclude: {', '.join(glob(g) for g in settings.exclude) or '(none)'}")
        ignores = "; ".join(f"{glob(g)} = {', '.join(codes)}" for g, codes in settings.per_file_ignores)
        click.echo(f"  per-file-ignores: {ignores or '(none)'}")
        click.echo(f"  respect-gitignore: {'true' if settings.respect_gitignore else 'false'}")
        click.echo(f"  fail-on: {settings.fail_on.value}")
        click.echo(f"  require-reason: {'true' if settings.require_reason else 'false'}")
        fixable = "(every rule)" if settings.fixable is None else ", ".join(sorted(settings.fixable)) or "(none)"
        click.echo(f"  fixable: {fixable}")
        click.echo(f"  files: {len(root.files)}")


@main.command(short_help="Draw the Amplify backends in PATHS: functions, stacks and their dependencies.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "graph_format",
    type=click.Choice(tuple(GRAPH_FORMATS)),
    default="text",
    show_default=True,
    help="text: an outline (a tree on a terminal); json: a document; mermaid: a flowchart GitHub draws; dot: Graphviz.",
)
@click.option("--stacks", is_flag=True, help="Only the nested stacks, the dependencies between them and their cycles.")
@click.option(
    "--time-zone",
    "--tz",
    "time_zone_name",
    metavar="ZONE",
    help="Show the next runs of schedules in this IANA time zone besides UTC (default: each schedule's own).",
)
@click.option(
    "--now",
    metavar="DATETIME",
    help="Count next runs from this ISO 8601 instant (UTC unless it has an offset) instead of the current time.",
)
@_files_options
@click.option(
    "--color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="Style the text outline as `amplint check` styles its report (NO_COLOR, FORCE_COLOR).",
)
def graph(
    paths: tuple[Path, ...],
    graph_format: str,
    stacks: bool,
    time_zone_name: str | None,
    now: str | None,
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    respect_gitignore: bool | None,
    config_file: Path | None,
    isolated: bool,
    color: str,
) -> None:
    """Draw the Amplify backends found in PATHS (default: the current directory): each function with
    its settings, schedules and next runs, how it is reached and what data it may call and calls, and
    the nested stacks with the dependencies between them, the line that creates each, and the
    circular dependencies AMP203 reports."""
    import importlib

    from .api import ConfigError, LintOptions, WorkspaceError, backends, describe_error
    from .workspace import expand_globs

    options = LintOptions(**_files_settings(exclude, extend_exclude, respect_gitignore, config_file, isolated))
    instant = _instant(now)
    try:
        targets = expand_globs(list(paths) or [Path(".")])
        found, errors, unparsed = backends(targets, options)
    except ConfigError as error:
        raise UsageProblem(str(error)) from None
    except WorkspaceError as error:
        click.echo(f"amplint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    if graph_format in ("mermaid", "dot") and len(found) > 1:
        from .reporters import display_path

        listed = ", ".join(display_path(root.path) for root, _ in found)
        raise UsageProblem(
            f"--format {graph_format} draws one backend at a time; {len(found)} found ({listed}): give one"
        )
    from .model.schedules.zones import zone_info
    from .picture import picture
    from .reporters import clean, display_path

    if time_zone_name is not None and zone_info(time_zone_name) is None:
        raise UsageProblem(
            f"--time-zone: `{time_zone_name}` is not a time zone known on this host "
            "(use an IANA name such as `Europe/Berlin`, as a schedule's `timezone` must be)"
        )
    for path in unparsed:
        message = f"amplint: warning: {display_path(path)} does not parse; the picture may be incomplete"
        click.echo(clean(message), err=True)
    _echo_errors(errors)
    failed = bool(errors)
    pictures = []
    for root, backend in found:
        try:
            pictures.append(picture(backend, now=instant, zone=time_zone_name))
        except Exception as error:  # a bug in amplint: the other backends are still drawn, and it exits 2
            message = describe_error(error)
            click.echo(f"amplint: error: {display_path(root.path)}: internal error while drawing: {message}", err=True)
            failed = True
    try:
        if graph_format == "text":
            from .graph.text import write_to_stdout

            write_to_stdout(pictures, stacks, color)
        else:
            renderer = importlib.import_module(f"amplint.graph.{GRAPH_FORMATS[graph_format]}")
            sys.stdout.write(renderer.render(pictures, stacks))
    except BrokenPipeError:
        _stdout_closed()
    sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)


_NOW_YEARS = (1970, 2199)


def _instant(now: str | None) -> Any:
    """`--now` as an aware datetime (UTC without an offset); None for the current time."""
    if now is None:
        return None
    import datetime

    text = now.strip()
    try:
        value = datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "zZ" and text else text)
    except ValueError:
        raise UsageProblem(f"--now: `{now}` is not an ISO 8601 date and time, such as 2025-01-06T08:00Z") from None
    # The years a cron can name (EventBridge: 1970-2199); checked on the date as written, as converting
    # one at the ends of Python's calendar to UTC overflows.
    if not _NOW_YEARS[0] <= value.year <= _NOW_YEARS[1]:
        first, last = _NOW_YEARS
        raise UsageProblem(f"--now: `{now}` is outside the years schedules can run in ({first} to {last})")
    return value if value.tzinfo is not None else value.replace(tzinfo=datetime.timezone.utc)


def _rule_document(rule: Rule, explanation: str | None = None) -> dict[str, object]:
    from .ruledocs import fixable, help_url

    document: dict[str, object] = {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity.value,
        "summary": rule.summary,
        "fixable": fixable(rule),
        "url": help_url(rule.code),
    }
    if explanation is not None:
        document["explanation"] = explanation
    return document


@main.command(short_help="Run the language server for editors (LSP over stdio).")
def server() -> None:
    """Run the language server: LSP over stdin and stdout, for editors (see the README's Editors
    section). Needs the `server` extra: pip install 'amplint[server]'."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageProblem("`amplint server` needs the `server` extra: pip install 'amplint[server]'") from None
    from .server import serve

    serve()


@main.command(short_help="Print the documentation of rule CODE, such as AMP501.")
@click.argument("code")
@click.option("--output-format", type=click.Choice(("text", "json")), default="text")
def rule(code: str, output_format: str) -> None:
    """Print the documentation of rule CODE, such as AMP501: what it finds, why, and how to fix it."""
    from .checks import RULES
    from .ruledocs import load, page_with_fix_line

    code = code.upper()
    doc = load(code) if code in RULES else None
    if doc is None:
        click.echo(f"amplint: error: unknown rule `{code}`", err=True)
        sys.exit(EXIT_ERROR)
    if output_format == "json":
        import json

        click.echo(json.dumps(_rule_document(RULES[code], doc.text), indent=2, ensure_ascii=False))
        return
    click.echo(page_with_fix_line(doc, RULES[code]), nl=False)


@main.command(short_help="List every rule: code, name, default severity, fix and summary.")
@click.option("--output-format", type=click.Choice(("text", "json")), default="text")
def rules(output_format: str) -> None:
    """List every rule: code, name, default severity, whether `--fix` fixes it (safe, unsafe or no)
    and summary."""
    from .checks import RULES
    from .ruledocs import fixable

    ordered = sorted(RULES.values(), key=lambda r: r.code)
    if output_format == "json":
        import json

        click.echo(json.dumps([_rule_document(r) for r in ordered], indent=2, ensure_ascii=False))
        return
    for r in ordered:
        click.echo(f"{r.code}  {r.name:<38} {r.severity.value:<8} {fixable(r):<7} {r.summary}")
