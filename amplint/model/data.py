"""What Amplify's data resource gives the functions that use it: the names of the environment
variables `allow.resource` creates, and the default authorization mode `amplify_outputs.json` states."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, TypeAlias

from .values import UNKNOWN, Static, Unknown

DEFAULT_DATA_NAME = "amplifyData"  # packages/backend-data/src/factory.ts
# The variables `allow.resource(fn)` adds, after the prefix (backend-data factory.ts: ssmEnvironmentScopeContext).
DATA_VARIABLE_SUFFIXES = (
    "_GRAPHQL_ENDPOINT",
    "_MODEL_INTROSPECTION_SCHEMA_BUCKET_NAME",
    "_MODEL_INTROSPECTION_SCHEMA_KEY",
)
DEFAULT_NAME_VARIABLE = "AMPLIFY_DATA_DEFAULT_NAME"
# The authorization modes a data client or the API can sign requests with (aws-amplify's
# `GraphQLAuthMode`). A mode read from code is any static value, and may be none of these.
AuthMode: TypeAlias = Literal["apiKey", "iam", "identityPool", "lambda", "none", "oidc", "userPool"]
_SINGLE_MODES: dict[str, AuthMode] = {
    "oidcAuthorizationMode": "oidc",
    "lambdaAuthorizationMode": "lambda",
    "apiKeyAuthorizationMode": "apiKey",
}


@cache
def _words() -> re.Pattern[str]:
    """lodash's `words` on ASCII text (what `snakeCase` splits on): lower runs with an optional
    capital, capital runs before a capitalised word, digits."""
    return re.compile(
        r"[A-Z]?[a-z]+(?=[^A-Za-z0-9]|[A-Z]|$)|[A-Z]+(?=[^A-Za-z0-9]|[A-Z][a-z]|$)"
        r"|[A-Z]?[a-z]+|[A-Z]+|[0-9]+"
    )


def screaming_snake_case(name: str) -> str:
    """`NamingConverter.toScreamingSnakeCase`: lodash `snakeCase(name).toUpperCase()`."""
    return "_".join(_words().findall(name)).upper()


def data_variables(data_name: Static) -> frozenset[str] | None:
    """The environment variables Amplify sets on a function granted `allow.resource`, for a data
    resource of this name (`defineData({ name })`, default `amplifyData`); None when the name is
    not static."""
    if data_name is None:
        data_name = DEFAULT_DATA_NAME
    if not isinstance(data_name, str):
        return None
    prefix = data_name if data_name == DEFAULT_DATA_NAME else DEFAULT_DATA_NAME + data_name
    names = {screaming_snake_case(prefix + suffix) for suffix in DATA_VARIABLE_SUFFIXES}
    names.add(DEFAULT_NAME_VARIABLE)
    names.add(screaming_snake_case(f"{data_name}_GRAPHQL_ENDPOINT"))  # the deprecated name
    return frozenset(names)


def default_authorization_mode(modes: Static, has_auth: bool) -> AuthMode | str | Unknown:
    """`defaultAuthorizationMode` as backend-data computes it (convert_authorization_modes.ts):
    given, else apiKey with neither auth nor modes, userPool with auth and no modes, the single
    mode given without auth; UNKNOWN otherwise (synth fails, or amplint cannot read the modes)."""
    if modes is None:
        return "userPool" if has_auth else "apiKey"
    if not isinstance(modes, dict):
        return UNKNOWN
    given = modes.get("defaultAuthorizationMode", None)
    if given is not None:
        return given if isinstance(given, str) else UNKNOWN
    if not has_auth and len(modes) == 1:
        return _SINGLE_MODES.get(next(iter(modes)), UNKNOWN)
    return UNKNOWN
