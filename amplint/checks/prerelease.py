"""AMP208: forms of the Data API from before Amplify Gen 2's release that current packages reject."""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic
from ..model.backend import Backend
from ..model.prerelease import prerelease_uses

REMOVED_PRERELEASE_API = "AMP208"


def removed_prerelease_api(backend: Backend) -> Iterator[Diagnostic]:
    for use in prerelease_uses(backend):
        if use.form == "authorization-array":
            message = (
                "`.authorization([...])` with an array (of `a.allow` rules) is the pre-release form; it takes a "
                "callback now (tsc TS2345 \"Argument of type 'any[]' is not assignable to parameter of type "
                "'(allow: ...) => ...'\"); write `.authorization((allow) => [allow.owner(), ...])`, and grant "
                "functions with the schema-level `allow.resource(fn)`"
            )
        elif use.form == "a.allow":
            at_synth = (
                f'; synth fails: `a.allow` is undefined ("TypeError: Cannot read properties of undefined '
                f"(reading '{use.read}')\")"
                if use.read and backend.loads(use.module)
                else ""
            )
            message = (
                "`a.allow` is the pre-release authorization API, which `@aws-amplify/backend` no longer has (tsc "
                f"TS2339 \"Property 'allow' does not exist on type ...\"){at_synth}; write "
                "`.authorization((allow) => [allow.owner(), ...])` and grant functions with the schema-level "
                "`allow.resource(fn)`"
            )
        else:
            message = (
                "`allowListedRoleNames` is a pre-release option that `authorizationModes` no longer has (tsc TS2353 "
                "\"Object literal may only specify known properties, and 'allowListedRoleNames' does not exist in "
                "type 'AuthorizationModes'.\"), and synth ignores it; grant functions with the schema-level "
                "`allow.resource(fn)`"
            )
        yield Diagnostic(REMOVED_PRERELEASE_API, message, use.location)
