"""AMP501: `Duration` taken from an aws-cdk-lib submodule, which does not export it."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, Severity
from ..model.backend import Backend
from ..model.values import External, resolve
from ..syntax import text
from .registry import check, rule

DURATION_FROM_WRONG_MODULE = rule(
    "AMP501", "duration-from-wrong-module", Severity.ERROR,
    "`Duration` imported from an aws-cdk-lib submodule instead of `aws-cdk-lib`")

CDK_CORE_MODULES = frozenset({"aws-cdk-lib", "aws-cdk-lib/core"})


def wrong_duration_source(found: object) -> str | None:
    """The module a `Duration` reference wrongly comes from, or None when it is the right one."""
    if not isinstance(found, External) or found.name.rsplit(".", 1)[-1] != "Duration":
        return None
    if found.source in CDK_CORE_MODULES:
        if found.name == "Duration" or found.name == "core.Duration":
            return None
        return f"`{found.name.rsplit('.', 1)[0]}` of `{found.source}`"  # cdk.aws_events.Duration
    if found.source.startswith("aws-cdk-lib/"):
        return f"`{found.source}`"
    return None


@check(DURATION_FROM_WRONG_MODULE)
def duration_from_wrong_module(backend: Backend) -> Iterator[Diagnostic]:
    for module in backend.modules.values():
        for imp in module.imports:
            if imp.imported == "Duration" and imp.source.startswith("aws-cdk-lib/") \
                    and imp.source not in CDK_CORE_MODULES:
                alias = "" if imp.local == "Duration" else f" (as `{imp.local}`)"
                yield Diagnostic(
                    DURATION_FROM_WRONG_MODULE.code,
                    f"`Duration`{alias} is imported from `{imp.source}`, which does not export it "
                    "(tsc TS2305; synth fails); import it from 'aws-cdk-lib'",
                    module.file.location(imp.node))
        for member in module.file.index.members:
            prop = member.child_by_field_name("property")
            if prop is None or text(prop) != "Duration":
                continue
            source = wrong_duration_source(resolve(module, member))
            if source is None:
                continue
            yield Diagnostic(
                DURATION_FROM_WRONG_MODULE.code,
                f"`{text(member)}` does not exist: {source} does not export `Duration` "
                "(tsc TS2339; synth fails with \"Cannot read properties of undefined\"); "
                "use `Duration` from 'aws-cdk-lib'",
                module.file.location(member))
