"""`lint(paths, options) -> LintResult`: the one entry point the CLI and tests call; `Session` is the
same for long-running callers (an editor server, a watch loop), keeping what did not change."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .checks import CHECKS, RULES, Check, Rule
from .config import Config, ConfigError, Settings, find, load_chain, merge, unknown_selector
from .diagnostics import Diagnostic, Severity
from .records import NamedTuple
from .workspace import GitIgnore, Root, WorkspaceError, backend_file, collect, discover

if TYPE_CHECKING:
    from .cache import FactsPack
    from .model.backend import Backend, DefinitionInputs
    from .model.modules import Module

# The model, the parser and the suppressions are imported by `_check_root` only: a run whose roots
# all come from the cache never loads tree-sitter's trees or the model.

__all__ = [
    "LintOptions",
    "LintResult",
    "InternalError",
    "WorkspaceError",
    "ConfigError",
    "Session",
    "backends",
    "lint",
    "lint_planned",
    "plan",
]


class LintOptions(NamedTuple):
    """What the caller asks for; it overrides the configuration file of each root.
    `options._replace(select=...)` makes a changed copy."""

    select: tuple[str, ...] | None = None  # None: the configuration file's, else every rule
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = MappingProxyType({})  # per code or prefix
    # Globs relative to the working directory: `exclude` replaces the configuration's, `extend_exclude` adds.
    exclude: tuple[str, ...] | None = None
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool | None = None  # None: the configuration's, else true
    # An unsaved buffer: lint this text as the file at this path, and report only that file.
    stdin: tuple[Path, bytes] | None = None
    config: Path | None = None  # this configuration file for every root, instead of looking for one
    isolated: bool = False  # no configuration file at all
    fail_on: Severity | None = None
    require_reason: bool = False
    # Given files in no Amplify project are skipped instead of being an error (pre-commit passes any).
    skip_outside_projects: bool = False
    # Reuse and store each root's result (amplint.cache): in `cache_dir`, else `.amplint_cache` in the root.
    cache: bool = False
    cache_dir: Path | None = None


_DEFAULT_OPTIONS = LintOptions()


class InternalError(NamedTuple):
    """A check or file that failed inside amplint; the run goes on and exits 2."""

    message: str
    path: Path | None = None
    code: str | None = None


class Fixing(NamedTuple):
    """Which fixes a run counts as available, and what fixing did: what the reports say about fixes."""

    unsafe: bool = False  # unsafe fixes are available too (`--unsafe-fixes`)
    fixed: int = 0  # findings fixed
    files: tuple[Path, ...] = ()  # files changed (with `--diff`: that would change)


class LintResult:
    __slots__ = (
        "diagnostics",
        "roots",
        "files",
        "errors",
        "rules",
        "codes",
        "settings",
        "sources",
        "fixing",
        "project_sources",
    )

    def __init__(
        self,
        diagnostics: list[Diagnostic],  # suppressed ones included, marked `suppressed_by`
        roots: list[Root],
        files: int,
        errors: list[InternalError],
        rules: dict[str, Rule],
        codes: frozenset[str],  # the codes that were checked, in any root
        settings: dict[Path, Settings] | None = None,  # by root folder
        sources: dict[Path, bytes] | None = None,  # the text each file was linted as
        project_sources: dict[Path, bytes] | None = None,  # the text each project file was read as
    ) -> None:
        self.diagnostics = diagnostics
        self.roots = roots
        self.files = files
        self.errors = errors
        self.rules = rules
        self.codes = codes
        self.settings: dict[Path, Settings] = {} if settings is None else settings
        self.sources: dict[Path, bytes] = {} if sources is None else sources
        # The project files (tsconfig.json, package.json ...) as the rules read them: from disk, never
        # from `buffers`; not linted, so not in `sources`.
        self.project_sources: dict[Path, bytes] = {} if project_sources is None else project_sources
        # Which fixes count as available and what `--fix` did (set by the fix loop and the CLI).
        self.fixing: Fixing | None = None

    def __repr__(self) -> str:
        return (
            f"LintResult({len(self.diagnostics)} diagnostics, {len(self.roots)} roots, {self.files} files, "
            f"{len(self.errors)} errors)"
        )

    @property
    def reported(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.suppressed_by is None]

    @property
    def failing(self) -> list[Diagnostic]:
        """Reported findings at or above the fail level of their root (`fail-on`, default error)."""
        return [d for d in self.reported if d.severity is not None and d.severity.rank >= self.fail_level(d).rank]

    def fail_level(self, diagnostic: Diagnostic) -> Severity:
        path = diagnostic.location.path
        for root, settings in self.settings.items():
            if path.is_relative_to(root / "amplify"):
                return settings.fail_on
        return Severity.ERROR


def plan(paths: Iterable[Path | str], options: LintOptions = _DEFAULT_OPTIONS) -> list[tuple[Root, Settings]]:
    """The roots the paths lead to, each with its settings and the files that will be linted.
    Raises WorkspaceError for unusable paths and ConfigError for invalid configuration."""
    _check_selectors(options)
    targets = [Path(p) for p in paths]
    if options.stdin is not None:
        given = Path(os.path.abspath(options.stdin[0]))
        project = _project_of(given)
        if project is None:
            raise WorkspaceError(f"{options.stdin[0]}: not inside an Amplify project (no amplify/backend.ts above it)")
        targets.append(project)
    gitignore = GitIgnore()  # shared by the roots: each .gitignore is read once
    # pre-commit (`skip_outside_projects`): a file or folder in no Amplify backend is skipped, not an error.
    roots = (
        discover(
            targets,
            walk=False,
            gitignore=None if options.respect_gitignore is False else gitignore,
            skip_outside=options.skip_outside_projects,
        )
        if targets
        else []
    )
    cli = Config(
        select=options.select,
        extend_select=options.extend_select,
        ignore=options.ignore,
        severity=options.severity,
        fail_on=options.fail_on,
        require_reason=options.require_reason or None,
        exclude=options.exclude,
        extend_exclude=options.extend_exclude,
        respect_gitignore=options.respect_gitignore,
    )
    loaded: dict[Path | None, tuple[Config, ...]] = {}
    result = []
    for root in roots:
        source = None if options.isolated else options.config or find(root.path)
        if source is not None and source not in loaded:
            loaded[source] = load_chain(source, RULES)
        settings = merge(RULES, loaded.get(source), cli)
        collect(
            root, settings.excludes if settings.exclude else None, gitignore if settings.respect_gitignore else None
        )
        result.append((root, settings))
    return result


def lint(
    paths: Iterable[Path | str], options: LintOptions = _DEFAULT_OPTIONS, *, checks: Sequence[Check] | None = None
) -> LintResult:
    """Lint every Amplify root the paths lead to, running `checks` (default: every check of the rule
    table) for the rules selected. Raises WorkspaceError for unusable paths and ConfigError for
    invalid configuration."""
    return lint_planned(plan(paths, options), options, checks=checks)


def lint_planned(
    planned: list[tuple[Root, Settings]],
    options: LintOptions = _DEFAULT_OPTIONS,
    *,
    checks: Sequence[Check] | None = None,
    buffers: Mapping[Path, bytes] | None = None,
    kept: dict[Path, KeptRoot] | None = None,
) -> LintResult:
    """Lint roots `plan` returned (some of them, or all), reading each file in `buffers` (absolute
    paths) from there instead of from disk: what the fix loop lints between its passes. `kept`
    (empty at first) keeps what a `Session` keeps from one call to the next, so a pass parses again
    only the files the last one changed."""
    texts, only = dict(buffers or {}), None
    if options.stdin is not None:
        only = Path(os.path.abspath(options.stdin[0]))
        texts.setdefault(only, options.stdin[1])
    return _lint(planned, options, CHECKS if checks is None else checks, texts, only, kept)


def backends(
    paths: Iterable[Path | str], options: LintOptions = _DEFAULT_OPTIONS
) -> tuple[list[tuple[Root, Backend]], list[InternalError], list[Path]]:
    """The model of every Amplify root the paths lead to, for what shows a backend rather than lints it
    (`amplint graph`): each root with its backend, what could not be read or modelled, and the files
    that do not parse cleanly (what their broken part holds is missing from the model; `lint` reports
    them as AMP001). Raises what `lint` raises."""
    from .model.backend import Backend
    from .model.join import join_modules

    found: list[tuple[Root, Backend]] = []
    errors: list[InternalError] = []
    unparsed: list[Path] = []
    for root, _ in plan(paths, options):
        for path, reason in root.unreadable:
            errors.append(InternalError(reason, path))
        read = [(path, text) for path in root.files if (text := _read(path, errors)) is not None]
        try:
            modules = _modules(read, None)
            unparsed += [module.path for module in modules if module.file.parse_errors]
            backend = Backend(root.path, join_modules(modules), _project_files(root, None))
        except Exception as error:  # a bug in the model must not lose the other roots
            errors.append(
                InternalError(
                    f"internal error while reading the backend: {describe_error(error)}", _file_in(error) or root.path
                )
            )
            continue
        found.append((root, backend))
    return found, errors, unparsed


# Set by the tests (tests/conftest.py): a check's kept findings are computed again and compared before
# they are used, so that every session, watch, server and fix test holds DEFINITION_CHECKS to its claim.
VERIFY_REUSE = False


class KeptRoot:
    """What a long-running caller keeps of one root between runs: each file's module while its text is
    unchanged, and the findings of the checks that read the backend's definitions only, with what they
    read (`Backend.definition_inputs`, the set of files), reused while that is the same."""

    __slots__ = ("modules", "definitions")

    def __init__(self) -> None:
        self.modules: dict[Path, Module] = {}
        self.definitions: tuple[object, dict[Check, list[Diagnostic]]] | None = None


class Session:
    """A linter that stays alive between runs, for an editor server or a watch loop. It keeps the
    roots and files it found, each file's bytes while its size and modification time are unchanged,
    and each file's parse, module and per-file facts while its text is unchanged, so a re-lint after
    an edit parses and reads again only the edited files. The result cache on disk is not used: what
    the session keeps is faster."""

    __slots__ = ("options", "checks", "backends", "_plans", "_kept", "_disk")

    def __init__(self, options: LintOptions = _DEFAULT_OPTIONS, *, checks: Sequence[Check] | None = None) -> None:
        self.options = options._replace(stdin=None, cache=False)
        self.checks = CHECKS if checks is None else checks  # the checks run (tests inject their own)
        # The backend model of each root's last run, by root folder (an editor's hover reads it);
        # a root whose model failed to build has none.
        self.backends: dict[Path, Backend] = {}
        self._plans: dict[tuple[Path, ...], list[tuple[Root, Settings]]] = {}
        self._kept: dict[Path, KeptRoot] = {}  # by root folder
        self._disk = _Disk()

    def lint(
        self, paths: Iterable[Path | str], buffers: Mapping[Path, bytes] | None = None, *, rescan: bool = False
    ) -> LintResult:
        """Lint the roots the paths lead to, reading each file in `buffers` (absolute paths: the
        unsaved texts of an editor) from there instead of from disk; a buffer of a new file inside a
        root is linted too. `rescan` looks for roots, files and configuration again (after files were
        created, deleted or renamed, or a configuration changed); otherwise the last scan of the
        same paths is reused. Raises what `lint` raises."""
        key = tuple(Path(os.path.abspath(p)) for p in paths)
        if rescan or key not in self._plans:
            self._plans[key] = plan(key, self.options)
        return _lint(
            self._plans[key],
            self.options,
            self.checks,
            dict(buffers or {}),
            None,
            self._kept,
            self._disk,
            self.backends,
        )


def _lint(
    planned: list[tuple[Root, Settings]],
    options: LintOptions,
    checks: Sequence[Check],
    buffers: dict[Path, bytes],
    only: Path | None,
    kept_roots: dict[Path, KeptRoot] | None,
    disk: _Disk | None = None,
    backends: dict[Path, Backend] | None = None,
) -> LintResult:
    """Lint planned roots: `buffers` are texts to use instead of the files' (the file need not exist
    yet), `only` the one file whose findings are reported, `kept_roots` what a session keeps of each root."""
    import gc

    diagnostics: list[Diagnostic] = []
    errors: list[InternalError] = []
    texts: dict[Path, bytes] = {}
    project_texts: dict[Path, bytes] = {}
    files = 0
    for root, settings in planned:
        errors_before = len(errors)
        for path, reason in root.unreadable:
            errors.append(InternalError(reason, path))
        read = []  # (path, text): parsed only when the cache does not already hold the result
        for path in root.files:
            text = (
                buffers[path]
                if path in buffers
                else disk.read(path, errors)
                if disk is not None
                else _read(path, errors)
            )
            if text is not None:
                read.append((path, text))
        unsaved = [
            (path, text)
            for path, text in buffers.items()
            if path not in root.files and path.is_relative_to(root.amplify_dir) and not settings.excludes(path)
        ]
        if unsaved:  # in the order a lint of the saved files has them (which of two calls is first may matter)
            read = sorted(read + unsaved, key=lambda item: item[0])
        files += len(read)
        texts.update(read)
        project = _project_files(root, disk)
        project_texts.update(project)
        entry = None  # a root with unreadable files, an edited buffer or injected checks is never cached
        if options.cache and checks is CHECKS and not buffers and len(errors) == errors_before:
            from . import cache  # a run without the cache does not load it (nor `json`)

            entry = cache.entry(options.cache_dir, root.path, settings, read, project)
            hit = entry.load(settings.codes) if entry is not None else None
            if hit is not None:
                diagnostics.extend(hit)
                continue
        kept = kept_roots.setdefault(root.path, KeptRoot()) if kept_roots is not None else None
        pack = None  # a session keeps each file's facts itself
        if options.cache and kept is None:
            from . import cache

            pack = cache.facts_pack(options.cache_dir, root.path)
        # Python's cycle collector is paused while a root is checked: a lint allocates many small
        # objects that all live to its end, and the collector would walk them again and again (a
        # sixth of a large backend's lint). A model nothing keeps is released (`Module.release`), so
        # refcounting frees it and the collector, running again after, has little to walk.
        collecting = gc.isenabled()
        gc.disable()
        try:
            found = _check_root(root, settings, read, project, checks, errors, kept, backends, pack)
        finally:
            if collecting:
                gc.enable()
        if found is None:
            continue
        start = len(diagnostics)
        for diagnostic in found:
            if diagnostic.code not in settings.codes or settings.ignores(diagnostic.code, diagnostic.location.path):
                continue
            if only is not None and diagnostic.location.path != only:
                continue
            severity = settings.severity.get(diagnostic.code) or diagnostic.severity or RULES[diagnostic.code].severity
            diagnostic = diagnostic._replace(severity=severity)
            if diagnostic.fix is not None and not settings.fixes(diagnostic.code):
                diagnostic = diagnostic._replace(fix=None)  # `unfixable`, or not `fixable`
            diagnostics.append(diagnostic)
        if entry is not None and len(errors) == errors_before:
            entry.save(diagnostics[start:])
    diagnostics = sorted(diagnostics, key=lambda d: d.sort_key)
    codes = frozenset().union(*(settings.codes for _, settings in planned))
    return LintResult(
        diagnostics,
        [root for root, _ in planned],
        files,
        errors,
        RULES,
        codes,
        {root.path: settings for root, settings in planned},
        texts,
        project_texts,
    )


def _check_root(
    root: Root,
    settings: Settings,
    read: list[tuple[Path, bytes]],
    project: dict[Path, bytes],
    checks: Sequence[Check],
    errors: list[InternalError],
    kept: KeptRoot | None,
    backends: dict[Path, Backend] | None = None,
    pack: FactsPack | None = None,
) -> list[Diagnostic] | None:
    """Parse the root's files, build its backend and run the checks of the selected rules, then apply
    the inline suppressions; None when the model itself failed (the error is in `errors`). `kept`: what
    an earlier run kept (the modules of files whose text is unchanged, the findings of the checks
    that read definitions only), reused where still valid, and updated. `pack`: the facts cache of
    the root, which gives the modules of files whose text is unchanged, and is updated."""
    modules = _modules(read, kept.modules if kept is not None else None, pack)
    try:
        found = _check_modules(root, settings, modules, project, checks, errors, kept, backends, pack)
        if pack is not None:
            _store_facts(pack, modules)
        return found
    finally:
        if kept is None and backends is None:  # nothing keeps the model: let it be freed at once
            for module in modules:
                module.release()


def _check_modules(
    root: Root,
    settings: Settings,
    modules: list[Module],
    project: dict[Path, bytes],
    checks: Sequence[Check],
    errors: list[InternalError],
    kept: KeptRoot | None,
    backends: dict[Path, Backend] | None,
    pack: FactsPack | None = None,
) -> list[Diagnostic] | None:
    """`_check_root` once the root's files are parsed into `modules`."""
    from . import suppressions
    from .model.backend import Backend
    from .model.join import join_modules

    if backends is not None:
        backends.pop(root.path, None)
    try:
        backend = Backend(root.path, join_modules(modules), project)
    except Exception as error:  # a bug in the model must not lose the other roots
        message = f"internal error while reading the backend: {describe_error(error)}"
        errors.append(InternalError(message, _file_in(error) or root.path))
        return None
    if backends is not None:
        backends[root.path] = backend
    # The findings of the checks that read definitions only, by check, are reused while what they
    # read is the same: a session keeps them; the facts pack stores them with a digest of that.
    packed = pack is not None and kept is None and checks is CHECKS
    key = _definitions_key(backend) if kept is not None or packed else None
    digest = _definitions_digest(pack, key, project) if pack is not None and packed and key is not None else None
    reusable: Mapping[Check, list[Diagnostic]] = {}
    if kept is not None and kept.definitions and kept.definitions[0] == key:
        reusable = kept.definitions[1]
    elif pack is not None and digest is not None:
        by_name = pack.reused_definitions(digest, {str(c.function): c.codes for c in checks if c.definitions_only})
        reusable = {c: by_name[str(c.function)] for c in checks if str(c.function) in by_name}
    ran: dict[Check, list[Diagnostic]] = {}
    found: list[Diagnostic] = []
    checked = set(settings.codes)
    for check in checks:
        if not check.codes & settings.codes:
            continue
        result = reusable.get(check) if check.definitions_only else None
        if result is not None and VERIFY_REUSE:
            assert list(check(backend)) == result, f"the kept findings of {check.function} are stale"
        if result is None:
            try:
                result = list(check(backend))
            except Exception as error:  # a bug in one check must not lose the others' findings
                names = ", ".join(f"{code} ({RULES[code].name})" for code in sorted(check.codes))
                errors.append(
                    InternalError(
                        f"internal error in check {names}: {describe_error(error)}",
                        _file_in(error) or root.path,
                        ", ".join(sorted(check.codes)),
                    )
                )
                checked -= check.codes
                continue
        if check.definitions_only:
            ran[check] = result
        found.extend(result)
    if kept is not None:
        kept.definitions = (key, ran) if key is not None else None
    if pack is not None and digest is not None:
        pack.keep_definitions(digest, {str(check.function): result for check, result in ran.items()})
    found = [d for d in found if d.code in settings.codes]
    found = suppressions.apply(found, [module.file for module in modules], frozenset(checked), settings.require_reason)
    if any(d.fix is not None for d in found):  # a file that does not parse gets no fix
        found = _without_fixes_in_broken_files(found, {m.path for m in modules if m.file.parse_errors})
    return found


def _definitions_key(backend: Backend) -> tuple[DefinitionInputs, frozenset[Path]] | None:
    """What the findings of the checks that read definitions only depend on: the backend's
    definition inputs, and the set of files (what an import resolves to). None when it cannot be
    read (a bug in the model, which the checks that read the same facts report): then nothing is
    reused."""
    try:
        inputs = backend.definition_inputs
    except Exception:
        return None
    return inputs, backend.files


def _definitions_digest(
    pack: FactsPack, key: tuple[DefinitionInputs, frozenset[Path]], project: Mapping[Path, bytes]
) -> bytes:
    """`_definitions_key` for the facts pack: the same inputs, by the path and text of each module."""
    inputs, files = key
    read = [(module.path, module.file.text) for module in inputs.modules]
    return pack.definitions_digest(read, inputs.value_imports, files, project)


def _without_fixes_in_broken_files(diagnostics: Iterable[Diagnostic], broken: Collection[Path]) -> list[Diagnostic]:
    """The findings, each whose fix edits a file that does not parse (`broken`: the files with a
    syntax error, AMP001, whether or not it is reported) without its fix. Where the parser recovered
    from an error, the syntax tree may hold nodes in the wrong place, and a fix computed from them
    could land anywhere; so a file with a syntax error gets no fix, as in Ruff. The findings keep
    their messages: only the fix is dropped, so no report, `--fix`, `--diff` or quick fix offers it."""
    if not broken:
        return list(diagnostics)
    return [
        d._replace(fix=None) if d.fix is not None and any(e.path in broken for e in d.fix.edits) else d
        for d in diagnostics
    ]


def _modules(
    read: list[tuple[Path, bytes]], kept: dict[Path, Module] | None, pack: FactsPack | None = None
) -> list[Module]:
    """Each file's module: kept from an earlier run or read from the facts cache when the text is the
    same, or parsed and built."""
    from . import syntax
    from .model.modules import build_module

    if pack is not None:
        from .model import stored  # a run without the cache does not load it (nor `pickle`)

    modules = []
    for path, text in read:
        module = kept.get(path) if kept is not None else None
        if pack is not None and (facts := pack.get(path, text)) is not None:
            module = stored.load(syntax.SourceFile(path, text), facts)
        if module is None or module.file.text != text:
            # A session reparses incrementally from the file's earlier tree.
            module = build_module(syntax.SourceFile(path, text, module.file if module is not None else None))
        modules.append(module)
    if kept is not None:  # the root's modules now
        kept.clear()
        kept.update((module.path, module) for module in modules)
    return modules


def _store_facts(pack: FactsPack, modules: list[Module]) -> None:
    """Put each module's per-file facts in the pack and write it: the bytes read when nothing was
    added to them, otherwise the facts dumped again."""
    from .model import stored

    for module in modules:
        path, text = module.path, module.file.text
        facts = pack.get(path, text)
        if facts is None or stored.grew(module):
            facts = stored.dump(module)
        if facts is not None:
            pack.put(path, text, facts)
    pack.save()


def _check_selectors(options: LintOptions) -> None:
    for name in ("select", "extend_select", "ignore"):
        for selector in getattr(options, name) or ():
            if unknown_selector(selector, RULES):
                raise ConfigError(f"--{name.replace('_', '-')}: unknown rule code or prefix `{selector}`")
    for selector in options.severity:
        if unknown_selector(selector, RULES):
            raise ConfigError(f"severity: unknown rule code or prefix `{selector}`")


def _project_of(path: Path) -> Path | None:
    """The Amplify root a file or folder belongs to: the closest folder above holding amplify/backend.*."""
    for folder in Path(os.path.abspath(path)).parents:
        if backend_file(folder) is not None:
            return folder
    return None


def describe_error(error: BaseException, *, where: bool = False) -> str:
    """An error on one line: its type and message; with `where`, also the file and line that raised it
    (for a log, where no traceback is shown)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    if where and error.__traceback__ is not None:
        import traceback

        raised = traceback.extract_tb(error.__traceback__)[-1]
        text += f" (at {os.path.basename(raised.filename)}:{raised.lineno})"
    return text


def _file_in(error: Exception) -> Path | None:
    """The file being processed when `error` was raised: the innermost frame holding a module."""
    import traceback

    from .model.modules import Module

    for frame, _ in reversed(list(traceback.walk_tb(error.__traceback__))):
        for value in frame.f_locals.values():
            module = value if isinstance(value, Module) else getattr(value, "module", None)
            if isinstance(module, Module):
                return module.path
    return None


def _project_files(root: Root, disk: _Disk | None) -> dict[Path, bytes]:
    """The project's configuration beside amplify/; one that cannot be read is simply absent (the
    rules that read it then stay silent)."""
    files = {}
    for path in root.project_files:
        text = disk.read(path, None) if disk is not None else _read(path, None)
        if text is not None:
            files[path] = text
    return files


class _Disk:
    """A session's reads: a file whose size and modification time are unchanged is not read again."""

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[int, int, bytes]] = {}

    def read(self, path: Path, errors: list[InternalError] | None) -> bytes | None:
        try:
            status = os.stat(path)
        except OSError:
            return _read(path, errors)  # reports why, as a plain read does
        seen = self._seen.get(path)
        if seen is not None and seen[0] == status.st_mtime_ns and seen[1] == status.st_size:
            return seen[2]
        text = _read(path, errors)
        if text is not None:
            self._seen[path] = (status.st_mtime_ns, status.st_size, text)
        return text


def _read(path: Path, errors: list[InternalError] | None) -> bytes | None:
    """The file's bytes; None when it cannot be read, which is an error to report when `errors` is given."""
    try:
        return path.read_bytes()
    except OSError as error:
        if errors is not None:
            errors.append(InternalError(f"cannot read file: {error.strerror or error}", path))
        return None
