"""AMP201, AMP202: a function's handler talks to the Data API without the access or the IAM
signing it needs."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, Fix, Location, RelatedLocation
from ..model.backend import Backend, DataSchema, FunctionDef
from ..model.edit_sites import function_name_in, replace, schema_rule_site
from ..model.handlers import IAM_AUTH_MODES, ClientCall, ClientRead, ConfigureCall, DataApiUse
from ..model.values import UNKNOWN, Unknown

DATA_ACCESS_WITHOUT_ALLOW_RESOURCE = "AMP201"
DATA_CLIENT_NOT_IAM = "AMP202"

_USE_WORDS = {
    "getAmplifyDataClientConfig": "calls `getAmplifyDataClientConfig`",
    "client": "uses a Data client",
    "env": "reads `{variable}`",
}
_FIX = "configure Amplify with `getAmplifyDataClientConfig(env)` from '@aws-amplify/backend/function/runtime'"


def data_access_without_allow_resource(backend: Backend) -> Iterator[Diagnostic]:
    if len(backend.data_schemas) != 1:
        return  # no schema (or several): nothing to compare with
    schema = backend.data_schemas[0]
    if not schema.authorization_known:
        return
    grants = [ref for ref in backend.references if ref.kind == "allow.resource"]
    if any(ref.function is None for ref in grants):
        return
    granted = {ref.function for ref in grants if ref.level == "schema"}
    misplaced = {ref.function for ref in grants if ref.level in ("model", "field", "custom-operation")}
    for fn in backend.deployable_functions:
        if fn.custom or fn in granted or fn in misplaced:  # AMP205 reports a grant in the wrong place
            continue
        uses = backend.data_api_uses(fn)
        if not uses:
            continue
        signing, _, _ = backend.data_signing(fn)
        if signing in ("outputs", "literal", "no-credentials", "none") and any(u.kind == "client" for _, u in uses):
            continue  # its client does not sign with the function's role at all: AMP202 or AMP305 says so
        _, use = min(uses, key=lambda u: ("client", "getAmplifyDataClientConfig", "env").index(u[1].kind))
        name = fn.name if isinstance(fn.name, str) else "the function"
        consequence = _consequence([u for _, u in uses])
        yield Diagnostic(
            DATA_ACCESS_WITHOUT_ALLOW_RESOURCE,
            f"{fn.label} {_USE_WORDS[use.kind].format(variable=use.variable)} but the schema does not grant it "
            f"access, so Amplify creates neither its IAM policy nor its data environment variables{consequence}; "
            f"add `allow.resource({fn.binding or name})` to the schema-level `.authorization(allow => [...])`",
            schema.fix_location,
            related=(
                RelatedLocation(use.location, f"{name} uses the Data API here"),
                RelatedLocation(fn.location, f"{name} is defined here"),
            ),
            fix=_grant_fix(backend, schema, fn),
        )


def _grant_fix(backend: Backend, schema: DataSchema, fn: FunctionDef) -> Fix | None:
    """Add `allow.resource(fn)` to the schema-level rules (a new `.authorization` when there is
    none), importing the function into the schema's file when it is not imported there yet."""
    site = schema_rule_site(schema)
    if site is None:
        return None
    named = function_name_in(schema.module, fn, backend.modules, backend.function_at, site.at)
    if named is None or named.name in site.parameters:
        return None
    rule = f"{site.allow}.resource({named.name})"
    imported = f" (imported from '{named.specifier}')" if named.specifier else ""
    return Fix(f"Grant `{rule}` in the schema-level `.authorization`{imported}", site.add(rule) + named.edits, "unsafe")


def _consequence(uses: list[DataApiUse]) -> str:
    if any(u.kind == "getAmplifyDataClientConfig" for u in uses):
        return ' (at runtime `getAmplifyDataClientConfig` throws "The data environment variables are malformed")'
    variable = next((u.variable for u in uses if u.kind == "env"), None)
    return f" (`{variable}` is undefined at runtime)" if variable else ""


def data_client_not_iam(backend: Backend) -> Iterator[Diagnostic]:
    seen: set[Location] = set()
    schema_known = len(backend.data_schemas) == 1 and backend.data_schemas[0].authorization_known
    grants = [ref for ref in backend.references if ref.kind == "allow.resource" and ref.level == "schema"]
    # Without a readable schema, every function counts as granted: amplint says nothing about grants.
    granted = (
        {ref.function for ref in grants} if schema_known and all(r.function for r in grants) else set(backend.functions)
    )
    for fn in backend.deployable_functions:
        reads: dict[Location, list[ClientRead]] = {}  # by client
        for _, read in backend.data_client_reads(fn):
            reads.setdefault(read.client.location, []).append(read)
        if not reads:
            continue
        signing, config_module, configure = backend.data_signing(fn)
        for module in backend.runtime_modules(fn):
            for client in backend.handler_facts(module).clients:
                used = reads.get(client.location)
                if not used or client.location in seen:
                    continue
                # A call's own `authMode` option overrides the client's for that request.
                by_mode: dict[str | Unknown | None, list[ClientRead]] = {}
                for place in used:
                    given = place.auth_mode if place.auth_mode is not None else client.auth_mode
                    by_mode.setdefault(given if isinstance(given, str) or given is None else UNKNOWN, []).append(place)
                for mode, group in by_mode.items():
                    message = None if mode is UNKNOWN else _why_not_role(backend, mode, signing, configure, group)
                    if message is None:
                        continue
                    if fn not in granted and signing != "role" and backend.data_api_uses(fn):
                        message += (
                            f"; the schema does not grant {fn.label} `allow.resource` either, which "
                            "signing with its role needs"
                        )
                    seen.add(client.location)
                    related = (
                        (RelatedLocation(configure.location, "Amplify is configured here"),)
                        if config_module is not None
                        and configure is not None
                        and signing in ("outputs", "literal", "no-credentials")
                        else ()
                    )
                    read = group[0]
                    location = (
                        read.auth_mode_location or read.location
                        if read.auth_mode is not None
                        else client.auth_mode_location or client.callee_location
                    )
                    fix = _iam_fix(backend, client, read) if signing == "role" else None
                    yield Diagnostic(DATA_CLIENT_NOT_IAM, message, location, related=related, fix=fix)
                    break


def _iam_fix(backend: Backend, client: ClientCall, read: ClientRead) -> Fix | None:
    """`authMode: 'userPool'` (or 'oidc', 'apiKey') -> `authMode: 'iam'`, written where the mode is:
    the call's own options, else `generateClient(...)`'s. Only when every function whose code reads
    this client configures Amplify with `getAmplifyDataClientConfig` (its own role): elsewhere IAM
    signs with other credentials."""
    own = read.auth_mode is not None
    mode = read.auth_mode if own else client.auth_mode
    quote = read.auth_mode_quote if own else client.auth_mode_quote
    location = read.auth_mode_location if own else client.auth_mode_location
    if mode not in ("userPool", "oidc", "apiKey") or quote is None or location is None:
        return None
    for fn in backend.deployable_functions:
        reads_it = any(r.client.location == client.location for _, r in backend.data_client_reads(fn))
        if reads_it and backend.data_signing(fn)[0] != "role":
            return None
    return Fix(
        f"Set `authMode: {quote}iam{quote}` (sign with the function's role)",
        (replace(location, f"{quote}iam{quote}"),),
        "unsafe",
    )


def _why_not_role(
    backend: Backend, mode: object, signing: str, configure: ConfigureCall | None, reads: list[ClientRead]
) -> str | None:
    """Why this client's requests are not signed with the function's role, or None when they are
    (or amplint cannot tell). The quoted errors are what aws-amplify 6.22 throws."""
    if signing == "none":
        return None  # never configured: the client fails before it signs anything (AMP305)
    models = sorted({r.model for r in reads if r.model is not None})
    if signing in ("literal", "no-credentials") and configure is not None and configure.without_models:
        first = next((r for r in reads if r.model is not None), None)
        if first is not None:
            operation = first.operation or "list"
            return (
                f"`Amplify.configure` is given a hand-written configuration without "
                "`API.GraphQL.modelIntrospection`, so `client.models` is empty: "
                f'`client.models.{first.model}` is undefined and `.{operation}(...)` throws "TypeError: Cannot '
                f"read properties of undefined (reading '{operation}')\"; {_FIX}, which also signs with the "
                "function's role"
            )
    no_user = (
        'a Lambda function has no signed-in user ("No federated jwt")'
        if mode == "userPool" or mode is None and _default(backend, signing, configure) == "userPool"
        else "a Lambda function has no signed-in user's token"
    )
    if mode in ("userPool", "oidc"):
        fix = (
            "remove the `authMode` to sign with the function's role (IAM)"
            if signing == "role"
            else f"{_FIX} and drop the `authMode`"
        )
        return f"The client signs with authMode '{mode}', but {no_user}; {fix}"
    if mode == "apiKey" and signing == "role":
        return (
            "The client signs with authMode 'apiKey', but the configuration from `getAmplifyDataClientConfig` "
            'holds no API key ("No api-key configured"); drop the `authMode` to sign with the function\'s '
            "role (IAM)"
        )
    if mode not in (None, "iam", "identityPool"):
        return None
    if signing == "no-credentials":
        return (
            "`Amplify.configure` is given an IAM configuration without credentials (no `Auth` section and no "
            "`libraryOptions.Auth.credentialsProvider`), so this client's requests fail with \"No "
            f"credentials\"; {_FIX}, which signs with the function's role"
        )
    if signing == "outputs":
        default = backend.data_default_auth_mode
        if mode is not None or default in IAM_AUTH_MODES:
            how = (
                f"`authMode: '{mode}'`"
                if mode is not None
                else f"the default auth mode in `amplify_outputs.json` (AWS_IAM, from `defaultAuthorizationMode: '{default}'`)"
            )
            if backend.has_auth is False:
                return (
                    f"`generateClient` signs with {how}, and after `Amplify.configure(outputs)` IAM "
                    "credentials come from an identity pool, which this backend does not have: its requests "
                    f'fail with "No credentials"; {_FIX}'
                )
            denied = [m for m in models if backend.model_allows(m, "guest") is False]
            if not denied:
                return None  # every model it touches may allow guests, or amplint cannot tell
            return (
                f"`generateClient` signs with {how}, and after `Amplify.configure(outputs)` that means the "
                "identity pool's guest (unauthenticated) credentials, not the function's role: "
                f"{_names(denied)} {'does' if len(denied) == 1 else 'do'} not allow `allow.guest()`, so those "
                f'requests are rejected ("Not Authorized"); {_FIX}'
            )
        if default in ("userPool", "oidc"):
            return (
                f"`generateClient()` has no `authMode`, so it signs with the default auth mode of "
                f"`amplify_outputs.json` ('{default}'), and {no_user}; {_FIX}"
            )
        if default == "apiKey":
            denied = [m for m in models if backend.model_allows(m, "publicApiKey") is False]
            if denied:
                return (
                    "`generateClient()` has no `authMode`, so it signs with the API key from "
                    f"`amplify_outputs.json`, and {_names(denied)} {'does' if len(denied) == 1 else 'do'} not "
                    f'allow `allow.publicApiKey()` ("Not Authorized"); {_FIX}'
                )
        return None
    if signing == "literal" and mode is None and configure is not None:  # "literal" comes with its configure
        default = configure.default_auth_mode
        if default in ("userPool", "oidc"):
            return (
                f"`generateClient()` has no `authMode`, so it signs with the configuration's default "
                f"('{default}'), and {no_user}; {_FIX}"
            )
        if default == "apiKey" and not configure.has_api_key:
            return (
                "`generateClient()` has no `authMode`, so it signs with the configuration's default ('apiKey'), "
                f'but that configuration holds no `apiKey` ("No api-key configured"); {_FIX}'
            )
    return None


def _default(backend: Backend, signing: str, configure: ConfigureCall | None) -> object:
    if signing == "outputs":
        return backend.data_default_auth_mode
    return configure.default_auth_mode if signing == "literal" and configure is not None else None


def _names(models: list[str]) -> str:
    return ", ".join(f"`{m}`" for m in models)
