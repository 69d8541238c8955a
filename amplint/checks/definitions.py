"""AMP111, AMP112: `define*` calls with options their type does not have, and data, auth or storage
resources that are defined but never deployed."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, RelatedLocation
from ..model.backend import Backend, OptionsObject, ResourceDef

UNKNOWN_DEFINE_OPTION = "AMP111"
RESOURCE_NEVER_DEPLOYED = "AMP112"

# The top-level props of each factory, read from the published type declarations of
# @aws-amplify/backend 1.25.1: backend-function 1.19.0 `FunctionProps`, backend-auth 1.10.1
# `AmplifyAuthProps` (auth-construct 1.12.0 `AuthProps` without `outputStorageStrategy`),
# backend-data 1.9.0 `DataProps`, backend-storage 1.6.0 `AmplifyStorageFactoryProps`.
DEFINE_OPTIONS = {
    "defineFunction": (
        "FunctionProps",
        frozenset(
            {
                "name",
                "entry",
                "timeoutSeconds",
                "memoryMB",
                "ephemeralStorageSizeMB",
                "environment",
                "runtime",
                "architecture",
                "schedule",
                "layers",
                "bundling",
                "resourceGroupName",
                "logging",
                "durableConfig",
            }
        ),
    ),
    "defineAuth": (
        "AmplifyAuthProps",
        frozenset(
            {
                "name",
                "loginWith",
                "senders",
                "userAttributes",
                "multifactor",
                "accountRecovery",
                "groups",
                "passwordlessOptions",
                "triggers",
                "access",
            }
        ),
    ),
    "defineData": (
        "DataProps",
        frozenset(
            {
                "schema",
                "name",
                "authorizationModes",
                "functions",
                "logging",
                "migratedAmplifyGen1DynamoDbTableMappings",
                "stackMappings",
            }
        ),
    ),
    "defineStorage": (
        "AmplifyStorageFactoryProps",
        frozenset({"name", "isDefault", "versioned", "triggers", "keepOnDelete", "access"}),
    ),
}
# Options users carry over from CDK or Gen 1, and where that setting lives in Gen 2.
_HINTS = {
    ("defineFunction", "timeout"): "use `timeoutSeconds` (a number of seconds)",
    ("defineFunction", "memorySize"): "use `memoryMB`",
    ("defineFunction", "permissions"): "grant access with `backend.<name>.resources.lambda.addToRolePolicy(...)` "
    "in backend.ts, or `allow.resource(...)`",
    ("defineAuth", "passwordPolicy"): "set it in backend.ts on "
    "`backend.auth.resources.cfnResources.cfnUserPool.policies`",
}
# `defineData({ authorizationModes })` (backend-data 1.9.0 `AuthorizationModes`); `allowListedRoleNames`
# is AMP208's, a pre-release option.
AUTHORIZATION_MODES = frozenset(
    {"defaultAuthorizationMode", "apiKeyAuthorizationMode", "lambdaAuthorizationMode", "oidcAuthorizationMode"}
)
_KIND_DEFINE = {"data": "defineData", "auth": "defineAuth", "storage": "defineStorage"}


def unknown_define_option(backend: Backend) -> Iterator[Diagnostic]:
    # TypeScript checks excess properties only on an object literal written in the call.
    calls = [("defineFunction", fn.inline_options) for fn in backend.functions if not fn.custom]
    calls += [(_KIND_DEFINE[r.kind], r.inline_options) for r in backend.resources]
    for define, props in calls:
        if props is None:
            continue
        type_name, known = DEFINE_OPTIONS[define]
        modes = props.entries.get("authorizationModes") if define == "defineData" else None
        modes_object = modes.literal_object if modes is not None else None
        if modes_object is not None:
            yield from _unknown_keys(
                modes_object,
                "defineData({ authorizationModes })",
                "AuthorizationModes",
                AUTHORIZATION_MODES | {"allowListedRoleNames"},
            )
        yield from _unknown_keys(props, define, type_name, known)


def _unknown_keys(props: OptionsObject, define: str, type_name: str, known: frozenset[str]) -> Iterator[Diagnostic]:
    for key, entry in props.entries.items():
        if key in known or not entry.in_literal:
            continue  # known, or brought in by a spread (TypeScript does not check those)
        offered = known - {"allowListedRoleNames"}
        from difflib import get_close_matches  # only for a finding: difflib costs 1-2 ms to import

        close = get_close_matches(key, sorted(offered), n=1, cutoff=0.75)
        hint = _HINTS.get((define, key)) or (
            f"did you mean `{close[0]}`?" if close else f"`{define}` takes {_list(offered)}"
        )
        tsc = (
            'TS2769 "No overload matches this call."'
            if define == "defineFunction"
            else '"Object literal may only specify known properties"'
        )
        yield Diagnostic(
            UNKNOWN_DEFINE_OPTION,
            f"`{key}` is not an option of `{define}` (tsc {tsc}: '{key}' does not exist in type "
            f"'{type_name}'), so Amplify's type-check fails and synth ignores it; {hint}",
            entry.key_location,
        )


def _list(names: frozenset[str]) -> str:
    ordered = sorted(names)
    return ", ".join(f"`{n}`" for n in ordered[:-1]) + f" and `{ordered[-1]}`"


def resource_never_deployed(backend: Backend) -> Iterator[Diagnostic]:
    define = backend.define_backend
    if define is None or not define.complete:
        return
    registered = [r for r in backend.resources if backend.backend_key(r) is not None]
    outputs = backend.output_sections
    for resource in backend.resources:
        if backend.backend_key(resource) is not None or _is_leftover(backend, resource, registered):
            continue
        if resource.kind in outputs or None in outputs:
            continue  # `backend.addOutput({ storage: ... })`: the frontend is given another one
        if not (backend.loads(resource.module) or backend.is_imported(resource)) or backend.is_mentioned_elsewhere(
            resource
        ):
            continue  # a draft nothing imports is no forgotten registration; a mention may register it
        name = _KIND_DEFINE[resource.kind]
        binding = backend.binding_of(resource)
        what = {
            "data": "the data API (its GraphQL endpoint, models and tables)",
            "auth": "the user pool and identity pool",
            "storage": "the bucket",
        }[resource.kind]
        yield Diagnostic(
            RESOURCE_NEVER_DEPLOYED,
            f"This `{name}` is never deployed: `defineBackend` does not register it, so {what} is not created "
            "and a frontend that uses it fails at runtime (nothing about it is in `amplify_outputs.json`); "
            f"add `{binding or resource.kind}` to `defineBackend({{ ... }})`",
            resource.location,
            related=(RelatedLocation(define.location, "`defineBackend` is called here"),),
        )


def _is_leftover(backend: Backend, resource: ResourceDef, registered: list[ResourceDef]) -> bool:
    """A second data or auth resource beside a registered one (only one can deploy), or a storage
    of the same name as a registered one: a draft or an old copy, not a forgotten registration."""
    if resource.kind in ("data", "auth"):
        return any(r.kind == resource.kind for r in registered)
    name = backend.static_prop(resource, "name")
    return any(r.kind == "storage" and backend.static_prop(r, "name") == name for r in registered)
