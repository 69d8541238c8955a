"""AMP201, AMP202: a function's handler talks to the Data API without the access or the IAM
signing it needs."""

from __future__ import annotations

from typing import Iterator

from ..diagnostics import Diagnostic, RelatedLocation, Severity
from ..model.backend import Backend
from ..model.handlers import IAM_AUTH_MODES
from .registry import check, rule

DATA_ACCESS_WITHOUT_ALLOW_RESOURCE = rule(
    "AMP201", "data-access-without-allow-resource", Severity.ERROR,
    "A function calls the Data API but the schema does not grant it `allow.resource`")
DATA_CLIENT_NOT_IAM = rule(
    "AMP202", "data-client-not-iam", Severity.ERROR,
    "A function's Data client will not sign its requests with IAM")

_USE_WORDS = {
    "getAmplifyDataClientConfig": "calls `getAmplifyDataClientConfig`",
    "generateClient": "creates a Data client with `generateClient`",
    "env": "reads the `AMPLIFY_DATA_*` variables",
}


@check(DATA_ACCESS_WITHOUT_ALLOW_RESOURCE)
def data_access_without_allow_resource(backend: Backend) -> Iterator[Diagnostic]:
    if len(backend.data_schemas) != 1:
        return  # no schema (or several): nothing to compare with
    schema = backend.data_schemas[0]
    if not schema.authorization_known:
        return
    grants = [ref for ref in backend.references if ref.kind == "allow.resource" and ref.level == "schema"]
    if any(ref.function is None for ref in grants):
        return
    granted = {ref.function for ref in grants}
    for fn in backend.functions:
        if fn.custom or fn in granted:
            continue
        uses = [(module, use) for module in backend.runtime_modules(fn)
                for use in backend.handler_facts(module).data_api]
        if not uses:
            continue
        module, use = uses[0]
        name = fn.name if isinstance(fn.name, str) else "the function"
        binding = fn.binding or name
        yield Diagnostic(
            DATA_ACCESS_WITHOUT_ALLOW_RESOURCE.code,
            f"{fn.label} {_USE_WORDS[use.kind]} but the schema does not grant it access, so its data "
            "environment variables and IAM policy are never created (at runtime: \"The data environment "
            f"variables are malformed\"); add `allow.resource({binding})` to the schema-level "
            "`.authorization(allow => [...])`",
            schema.fix_location,
            related=(RelatedLocation(module.file.location(use.node), f"{name} uses the Data API here"),
                     RelatedLocation(fn.location, f"{name} is defined here")))


@check(DATA_CLIENT_NOT_IAM)
def data_client_not_iam(backend: Backend) -> Iterator[Diagnostic]:
    seen: set[tuple[str, int]] = set()
    for fn in backend.functions:
        modules = backend.runtime_modules(fn)
        configures = [(m, c) for m in modules for c in backend.handler_facts(m).configures]
        for module in modules:
            for client in backend.handler_facts(module).clients:
                key = (str(module.path), client.node.start_byte)
                if key in seen:
                    continue
                if isinstance(client.auth_mode, str) and client.auth_mode not in IAM_AUTH_MODES:
                    seen.add(key)
                    yield Diagnostic(
                        DATA_CLIENT_NOT_IAM.code,
                        f"`generateClient` uses authMode '{client.auth_mode}', which a Lambda function "
                        "cannot satisfy (\"Not Authorized\" / \"No current user\"); use `authMode: 'iam'`",
                        module.file.location(client.auth_mode_node or client.node))
                elif client.auth_mode is None and configures:
                    culprit = _non_iam_configuration([c for _, c in configures])
                    if culprit is None:
                        continue
                    seen.add(key)
                    config_module, configure = next((m, c) for m, c in configures if c is culprit)
                    why = ("`amplify_outputs.json` (the user pool or an API key)" if culprit.source == "outputs"
                           else f"the configuration passed to `Amplify.configure` ('{culprit.default_auth_mode}')")
                    yield Diagnostic(
                        DATA_CLIENT_NOT_IAM.code,
                        f"`generateClient()` has no `authMode`, so it signs with the default auth mode of {why}, "
                        "which a Lambda function cannot satisfy (\"Not Authorized\"); configure Amplify with "
                        "`getAmplifyDataClientConfig(env)` or pass `{ authMode: 'iam' }`",
                        module.file.location(client.node.child_by_field_name("function")),
                        related=(RelatedLocation(config_module.file.location(configure.node),
                                                 "Amplify is configured here"),))


def _non_iam_configuration(configures):
    """The configuration every `Amplify.configure` agrees on, when it is certainly not IAM."""
    culprit = None
    for configure in configures:
        if configure.source == "outputs":
            culprit = culprit or configure
        elif configure.source == "literal" and isinstance(configure.default_auth_mode, str) \
                and configure.default_auth_mode not in IAM_AUTH_MODES:
            culprit = culprit or configure
        else:
            return None  # IAM or unknown somewhere: the client may well sign with IAM
    return culprit
