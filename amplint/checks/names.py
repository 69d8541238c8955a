"""AMP103, AMP104, AMP105, AMP107: resolved function names that collide, surprise, are rejected by
Amplify, or do not match the `$amplify/env/<name>` a handler imports."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..diagnostics import Diagnostic, Fix, Location, RelatedLocation, Severity
from ..model.backend import Backend, FunctionDef
from ..model.edit_sites import env_shim_literal, function_options_literal, options_value_literal
from ..model.environment import LAMBDA_PROVIDED, EnvShimImport, env_shim_imports
from ..model.handlers import ENV_MODULE_PREFIX

FUNCTION_NAME_COLLISION = "AMP103"
NAME_DERIVED_FROM_ENTRY = "AMP104"
INVALID_RESOURCE_NAME = "AMP105"
ENV_MODULE_NAME_MISMATCH = "AMP107"


# DefaultResourceNameValidator (@aws-amplify/backend).
RESOURCE_NAME = r"[a-zA-Z][a-zA-Z0-9\-_ ]*"  # compiled by `re` on first use


def _named(fn: FunctionDef) -> str:
    """`named `x` ...` with where the name comes from, for messages."""
    if fn.name_source == "entry":
        return f"named `{fn.name}` after its entry file `{fn.entry.name if fn.entry else fn.name}`"
    if fn.name_source == "folder":
        return f"named `{fn.name}` after the folder of the file that calls `defineFunction`"
    return f"named `{fn.name}`"


def function_name_collision(backend: Backend) -> Iterator[Diagnostic]:
    by_name: dict[str, list[FunctionDef]] = {}
    for fn in backend.functions:
        if isinstance(fn.name, str) and not fn.custom and backend.is_deployed(fn):
            by_name.setdefault(fn.name, []).append(fn)
    for name, group in by_name.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: f.source_order)
        for index, fn in enumerate(group[1:], 1):
            earlier = group[:index]
            if not all(isinstance(f.resource_group, str) for f in group[: index + 1]):
                consequence = "they collide as construct ids and share one `$amplify/env` shim"
            elif any(f.resource_group == fn.resource_group for f in earlier):
                consequence = (
                    f"synth fails with \"There is already a Construct with name '{name}' in "
                    f'NestedStack [{fn.resource_group}]"'
                )
            else:
                consequence = (
                    f"both deploy (in different stacks) but share `$amplify/env/{name}`, which the "
                    "last one synthesized overwrites (tsc TS2345 in the other handler)"
                )
            others = ", ".join(sorted({backend.relative(f.module.path) for f in earlier}))
            yield Diagnostic(
                FUNCTION_NAME_COLLISION,
                f"This function is {_named(fn)}, like the function defined in {others}: "
                f"{consequence}; give each function a distinct `name`",
                fn.name_location,
                related=tuple(RelatedLocation(f.name_location, f"also named `{name}` here") for f in earlier),
            )


def name_derived_from_entry(backend: Backend) -> Iterator[Diagnostic]:
    for fn in backend.functions:
        if fn.name_source != "entry" or not isinstance(fn.name, str):
            continue
        yield Diagnostic(
            NAME_DERIVED_FROM_ENTRY,
            f"`entry` is given without `name`, so this function is named `{fn.name}` after its entry file "
            f"(its Lambda, construct id and `$amplify/env/{fn.name}` shim), not after its folder or variable; "
            "add an explicit `name`",
            fn.entry_location,
            fix=_name_fix(fn, fn.name),
        )


def _name_fix(fn: FunctionDef, name: str) -> Fix | None:
    """`name: '<the name it gets now>'` first in the options written in the call: nothing deployed
    changes. None when the options are not all written there, or the name is one Amplify rejects."""
    literal = function_options_literal(fn)
    options = fn.options
    if literal is None or options is None or not options.complete or not re.fullmatch(RESOURCE_NAME, name):
        return None
    entry = options.entries.get("entry")
    if entry is None or not entry.in_literal or "name" in options.entries:
        return None
    written = options_value_literal(fn, "entry")
    quote = written.quote if written is not None else literal.quote
    return Fix(f"Add `name: {quote}{name}{quote}`", literal.add_first(f"name: {quote}{name}{quote}"), "safe")


def invalid_resource_name(backend: Backend) -> Iterator[Diagnostic]:
    for fn in backend.deployable_functions:
        if isinstance(fn.name, str) and not re.fullmatch(RESOURCE_NAME, fn.name):
            yield _invalid(
                fn.name,
                f"This function is {_named(fn)}",
                fn.name_location,
                "set a valid `name`" if fn.name_source != "name" else "rename it",
            )
    for resource in backend.resources:
        expr = resource.prop("name")
        if expr is None:
            continue
        value = resource.value("name")
        if isinstance(value, str) and not re.fullmatch(RESOURCE_NAME, value):
            yield _invalid(
                value, f"`define{resource.kind.capitalize()}` is named `{value}`", expr.location, "rename it"
            )


def _invalid(name: str, origin: str, location: Location, advice: str) -> Diagnostic:
    return Diagnostic(
        INVALID_RESOURCE_NAME,
        f'{origin}, which Amplify rejects ("Resource name contains invalid '
        f'characters, found {name}"): names must start with a letter and hold only letters, digits, '
        f"dashes, underscores and spaces; {advice}",
        location,
    )


def env_module_name_mismatch(backend: Backend) -> Iterator[Diagnostic]:
    declared = backend.declared_modules
    if f"{ENV_MODULE_PREFIX}*" in declared:
        return  # a wildcard shim declares every name
    names = {f.name: f for f in backend.functions if isinstance(f.name, str)}
    for path, owners in backend.functions_of_module.items():
        distinct = dict.fromkeys(owners)
        if len(distinct) != 1:
            continue  # code of no function or of several: no single name to compare with
        (fn,) = distinct
        if not isinstance(fn.name, str) or fn.custom:
            continue
        for shim in env_shim_imports(backend.modules[path]):
            source = shim.source
            suffix = ".js" if source.endswith(".js") else ""
            imported = source[len(ENV_MODULE_PREFIX) : len(source) - len(suffix)]
            if imported == fn.name or source in declared or source[: len(source) - len(suffix)] in declared:
                continue
            other = names.get(imported)
            if other is not None:
                yield _other_functions_shim(backend, fn, other, shim, suffix)
                continue
            yield Diagnostic(
                ENV_MODULE_NAME_MISMATCH,
                f"`{source}` does not exist: the env shim is named after the function's resolved name, "
                f"`{fn.name}` (tsc TS2307 \"Cannot find module '{source}'\"); import from "
                f"'{ENV_MODULE_PREFIX}{fn.name}{suffix}'",
                shim.location,
                related=(RelatedLocation(fn.name_location, f"the function is {_named(fn)} here"),),
                fix=_shim_fix(fn, shim, suffix),
            )


def _other_functions_shim(
    backend: Backend, fn: FunctionDef, other: FunctionDef, shim: EnvShimImport, suffix: str
) -> Diagnostic:
    """`$amplify/env/<other>` in `fn`'s code: the shim exists and is `process.env`, so only the
    variables `fn` itself does not get are a problem."""
    source = shim.source
    read = shim.variables_read
    own, theirs = backend.user_environment(fn), backend.user_environment(other)
    missing = [
        name
        for name in read
        if own is not None and theirs is not None and name in theirs and name not in own and name not in LAMBDA_PROVIDED
    ]
    fix = f"import from '{ENV_MODULE_PREFIX}{fn.name}{suffix}'"
    location = shim.location
    related = (
        RelatedLocation(fn.name_location, f"this code runs in the function {_named(fn)} here"),
        RelatedLocation(other.name_location, f"`{other.name}` is defined here"),
    )
    if missing:
        variables = ", ".join(f"`{name}`" for name in missing)
        return Diagnostic(
            ENV_MODULE_NAME_MISMATCH,
            f"`{source}` is the env shim of another function, `{other.name}`; this code runs in `{fn.name}`, where "
            f"the shim reads `{fn.name}`'s own environment, which lacks {variables} (set only on `{other.name}`): "
            f"{'it is' if len(missing) == 1 else 'they are'} undefined at runtime; set {variables} on `{fn.name}` "
            f"too and {fix}",
            location,
            related=related,
        )
    return Diagnostic(
        ENV_MODULE_NAME_MISMATCH,
        f"`{source}` is the env shim of another function, `{other.name}`; this code runs in `{fn.name}`, so its "
        f"types describe `{other.name}`'s variables while the values are `{fn.name}`'s own; {fix}",
        location,
        severity=Severity.WARNING,
        related=related,
        # Only when both environments are known: the shim's types then still cover what the code reads.
        fix=_shim_fix(fn, shim, suffix) if own is not None and theirs is not None else None,
    )


def _shim_fix(fn: FunctionDef, shim: EnvShimImport, suffix: str) -> Fix | None:
    """Import the shim named after the one function that runs the code."""
    literal = env_shim_literal(shim)
    if literal is None or not isinstance(fn.name, str) or not re.fullmatch(RESOURCE_NAME, fn.name):
        return None
    source = f"{ENV_MODULE_PREFIX}{fn.name}{suffix}"
    return Fix(f"Import from '{source}'", (literal.replace(source),), "safe")
