"""AMP501: `Duration` taken from an aws-cdk-lib submodule, which does not export it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Edit, Fix, Location
from ..model.backend import Backend
from ..model.cdk import DurationMember, duration_members
from ..model.edit_sites import import_statement_at, import_statements, name_uses, re_export_at, replace
from ..model.modules import Import, Module
from ..model.values import External

DURATION_FROM_WRONG_MODULE = "AMP501"

CDK_CORE_MODULES = frozenset({"aws-cdk-lib", "aws-cdk-lib/core"})


def wrong_duration_source(found: External | None) -> str | None:
    """The module a `Duration` reference wrongly comes from, or None when it is the right one."""
    if found is None or found.name.rsplit(".", 1)[-1] != "Duration":
        return None
    if found.source in CDK_CORE_MODULES:
        if found.name == "Duration" or found.name == "core.Duration":
            return None
        return f"`{found.name.rsplit('.', 1)[0]}` of `{found.source}`"  # cdk.aws_events.Duration
    if found.source.startswith("aws-cdk-lib/"):
        return f"`{found.source}`"
    return None


def _is_submodule(source: str) -> bool:
    return source.startswith("aws-cdk-lib/") and source not in CDK_CORE_MODULES


def duration_from_wrong_module(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        # A file synth never loads fails only Amplify's type-check, which covers all of amplify/.
        synth = "; synth fails" if backend.loads(module) else ""
        undefined_property = f'{synth} with "Cannot read properties of undefined"' if synth else ""
        for imp in module.imports:
            if imp.imported == "Duration" and _is_submodule(imp.source):
                alias = "" if imp.local == "Duration" else f" (as `{imp.local}`)"
                if imp.syntax == "require":
                    why = f"`Duration` is undefined{' and synth fails' if synth else ''}"
                elif imp.type_only:
                    why = "tsc TS2305"
                else:
                    why = f"tsc TS2305{synth}"
                yield Diagnostic(
                    DURATION_FROM_WRONG_MODULE,
                    f"`Duration`{alias} is imported from `{imp.source}`, which does not export it "
                    f"({why}); import it from 'aws-cdk-lib'",
                    imp.location,
                    fix=_import_fix(module, imp),
                )
        for export in module.exports.values():
            if export.imported == "Duration" and export.source is not None and _is_submodule(export.source):
                yield Diagnostic(
                    DURATION_FROM_WRONG_MODULE,
                    f"`Duration` is re-exported from `{export.source}`, which does not export it "
                    f"(tsc TS2305{synth}); re-export it from 'aws-cdk-lib'",
                    export.location,
                    fix=_re_export_fix(module, export.location),
                )
        for member in duration_members(module):
            source = wrong_duration_source(member.origin)
            if source is None:
                continue
            yield Diagnostic(
                DURATION_FROM_WRONG_MODULE,
                f"`{member.text}` does not exist: {source} does not export `Duration` "
                f"(tsc TS2339{undefined_property}); "
                "use `Duration` from 'aws-cdk-lib'",
                member.location,
                fix=_member_fix(module, member),
            )


def _import_fix(module: Module, imp: Import) -> Fix | None:
    """Import the name from 'aws-cdk-lib' instead: merged into an import of it that names others,
    else by rewriting the specifier of a statement that imports nothing else, else in a statement of
    its own above; an import left empty goes. The local name (an alias) stays as written."""
    if imp.syntax != "import" or sum(i.local == imp.local for i in module.imports) != 1:
        return None  # a `require`, or a name imported twice (already an error of its own)
    statement = import_statement_at(module, imp.location)
    specifier = next((s for s in statement.named if s.local == imp.local), None) if statement else None
    if statement is None or specifier is None:
        return None
    target = next(
        (
            s
            for s in import_statements(module)
            if s.source_value == "aws-cdk-lib"
            and s.named
            and s != statement
            and (statement.type_only or not s.type_only)
        ),
        None,
    )
    edits: tuple[Edit | None, ...]
    if target is not None and target.names is not None:
        written = f"type {specifier.written}" if statement.type_only and not target.type_only else specifier.written
        edits = (*target.names.add_last(written), statement.remove_specifier(specifier))
    elif len(statement.named) == 1 and statement.default is None and statement.namespace is None:
        edits = (statement.source.replace("aws-cdk-lib"),)
    else:
        new = statement.statement_text(specifier.written, "aws-cdk-lib", statement.type_only)
        edits = (statement.insert_before(new), statement.remove_specifier(specifier))
    if any(edit is None for edit in edits):
        return None
    return Fix("Import `Duration` from 'aws-cdk-lib'", tuple(e for e in edits if e is not None), "safe")


def _re_export_fix(module: Module, at: Location) -> Fix | None:
    """Re-export it from 'aws-cdk-lib': only for a statement that re-exports nothing else."""
    statement = re_export_at(module, at)
    if statement is None or statement.names != 1:
        return None
    return Fix("Re-export `Duration` from 'aws-cdk-lib'", (statement.source.replace("aws-cdk-lib"),), "safe")


_NAME = r"[A-Za-z_$][\w$]*"
_ON_NAMESPACE = re.compile(rf"({_NAME})\.Duration")  # `events.Duration`, `aws_events.Duration`
_ON_ROOT_NAMESPACE = re.compile(rf"({_NAME})\.aws_\w+\.Duration")  # `cdk.aws_events.Duration`


def _member_fix(module: Module, member: DurationMember) -> Fix | None:
    """Refer to aws-cdk-lib's `Duration`: `cdk.Duration` for `cdk.aws_events.Duration`; else the name
    an import of it already binds, or `cdk.Duration` through a namespace import of aws-cdk-lib; else
    `Duration`, imported (when the file has no other `Duration`). Only names no other declaration in
    the file shadows."""

    def use(reference: str, *more: Edit | None) -> Fix | None:
        if any(edit is None for edit in more):
            return None
        edit = replace(member.location, reference)
        return Fix(f"Use `{reference}` from 'aws-cdk-lib'", (*(e for e in more if e is not None), edit), "safe")

    root = _ON_ROOT_NAMESPACE.fullmatch(member.text)
    if root is not None:
        binding = module.bindings.get(root.group(1))
        if binding is not None and binding.import_ is not None and binding.import_.imported == "*":
            return use(f"{root.group(1)}.Duration")
        return None
    base = _ON_NAMESPACE.fullmatch(member.text)
    binding = module.bindings.get(base.group(1)) if base is not None else None
    if binding is None or binding.import_ is None or binding.import_.syntax != "import":
        return None
    for imp in sorted(module.imports, key=lambda i: i.local != "Duration"):  # an alias only when needed
        usable = imp.syntax == "import" and not imp.type_only and name_uses(module, imp.local).declarations == 1
        if usable and imp.source in CDK_CORE_MODULES and imp.imported == "Duration":
            return use(imp.local)
    for imp in module.imports:
        usable = imp.syntax == "import" and not imp.type_only and name_uses(module, imp.local).declarations == 1
        if usable and imp.source == "aws-cdk-lib" and imp.imported == "*":
            return use(f"{imp.local}.Duration")
    if name_uses(module, "Duration").uses:
        return None  # the name means something else here, or is about to be imported
    target = next(
        (s for s in import_statements(module) if s.source_value == "aws-cdk-lib" and s.named and not s.type_only),
        None,
    )
    if target is not None:
        return use("Duration", *target.names.add_last("Duration")) if target.names is not None else None
    statement = import_statement_at(module, binding.import_.location)
    if statement is None:
        return None
    return use("Duration", statement.insert_before(statement.statement_text("Duration", "aws-cdk-lib")))
