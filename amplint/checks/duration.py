"""AMP501: `Duration` taken from an aws-cdk-lib submodule, which does not export it."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.cdk import duration_members
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
                )
        for export in module.exports.values():
            if export.imported == "Duration" and export.source is not None and _is_submodule(export.source):
                yield Diagnostic(
                    DURATION_FROM_WRONG_MODULE,
                    f"`Duration` is re-exported from `{export.source}`, which does not export it "
                    f"(tsc TS2305{synth}); re-export it from 'aws-cdk-lib'",
                    export.location,
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
            )
