"""The rule table: every rule amplint has, found from its code in one step, with the check that reports
it. The checks themselves are plain functions `Backend -> Iterable[Diagnostic]` in the modules of this
package; the table names them as "module.function" and they are imported on first use, so reading
rule metadata (`amplint rule`, `amplint rules`, configuration) never imports the model."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Literal

from ..diagnostics import Diagnostic, Severity
from ..records import NamedTuple

if TYPE_CHECKING:
    from ..model.backend import Backend

FixSafety = Literal["safe", "unsafe"]
CheckFunction = Callable[["Backend"], Iterable[Diagnostic]]


class Rule(NamedTuple):
    code: str
    name: str
    severity: Severity  # the default
    summary: str
    # The checks that report it, as "module.function" in this package; none for the findings about
    # suppression comments (AMP002-AMP004), which the suppression stage makes after the checks ran.
    checks: tuple[str, ...] = ()
    fix_safety: FixSafety | None = None  # None: no automatic fix

    @property
    def fixable(self) -> bool:
        return self.fix_safety is not None


class Check(NamedTuple):
    """A check and the codes of the rules it reports. `function` is the function itself, or its
    "module.function" in this package, imported when the check first runs."""

    codes: frozenset[str]
    function: CheckFunction | str
    definitions_only: bool = False  # it reads the backend's definitions only: see DEFINITION_CHECKS

    def __call__(self, backend: Backend) -> Iterable[Diagnostic]:
        function = self.function
        if isinstance(function, str):
            module, _, name = function.rpartition(".")
            function = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        return function(backend)


def _by_code(rules: Iterable[Rule]) -> dict[str, Rule]:
    table: dict[str, Rule] = {}
    for rule in rules:
        if rule.code in table:
            raise ValueError(f"rule code {rule.code} is in the table twice")
        table[rule.code] = rule
    return table


RULES = _by_code(
    (
        # 0xx: amplint itself
        Rule(
            "AMP001",
            "syntax-error",
            Severity.ERROR,
            "A file that does not parse as TypeScript/JavaScript",
            checks=("syntax_error.syntax_error",),
        ),
        Rule(
            "AMP002",
            "unused-suppression",
            Severity.WARNING,
            "An `amplint-disable` comment that suppresses no finding",
            fix_safety="safe",
        ),
        Rule(
            "AMP003",
            "unknown-suppression-code",
            Severity.WARNING,
            "An `amplint-disable` comment naming a code that is not an amplint rule",
        ),
        Rule(
            "AMP004",
            "suppression-without-reason",
            Severity.ERROR,
            "An `amplint-disable` comment without `-- reason` (only with `require-reason`)",
        ),
        # 1xx: backend wiring
        Rule(
            "AMP101",
            "backend-key-not-registered",
            Severity.ERROR,
            "`backend.<key>` used for a key that `defineBackend` does not register",
            checks=("wiring.backend_key_not_registered",),
            fix_safety="unsafe",
        ),
        Rule(
            "AMP102",
            "function-never-deployed",
            Severity.WARNING,
            "A `defineFunction` that nothing reachable from `defineBackend` uses",
            checks=("wiring.function_never_deployed",),
        ),
        Rule(
            "AMP103",
            "function-name-collision",
            Severity.ERROR,
            "Two deployed functions resolve to the same name",
            checks=("names.function_name_collision",),
        ),
        Rule(
            "AMP104",
            "name-derived-from-entry",
            Severity.WARNING,
            "`entry` without `name`: the function is named after its entry file",
            checks=("names.name_derived_from_entry",),
            fix_safety="safe",
        ),
        Rule(
            "AMP105",
            "invalid-resource-name",
            Severity.ERROR,
            "A function, data, auth or storage name that Amplify rejects",
            checks=("names.invalid_resource_name",),
        ),
        Rule(
            "AMP106",
            "entry-file-missing",
            Severity.ERROR,
            "A function's entry file does not exist or is not a JavaScript/TypeScript file",
            checks=("entries.entry_file_missing",),
        ),
        Rule(
            "AMP107",
            "env-module-name-mismatch",
            Severity.ERROR,
            "`$amplify/env/<x>` imported where `<x>` is not the function's resolved name",
            checks=("names.env_module_name_mismatch",),
            fix_safety="safe",
        ),
        Rule(
            "AMP108",
            "resource-defined-in-wrong-place",
            Severity.ERROR,
            "A data, auth or storage resource defined outside its `resource` file, twice, or without `defineBackend`",
            checks=("resources_placement.resource_defined_in_wrong_place",),
        ),
        Rule(
            "AMP109",
            "unknown-backend-option",
            Severity.ERROR,
            "A second argument to `defineBackend`, or `createStack` with a stack name already in use",
            checks=("backend_options.unknown_backend_option",),
        ),
        Rule(
            "AMP111",
            "unknown-define-option",
            Severity.ERROR,
            "An option `defineFunction`, `defineAuth`, `defineData` or `defineStorage` does not have",
            checks=("definitions.unknown_define_option",),
        ),
        Rule(
            "AMP112",
            "resource-never-deployed",
            Severity.WARNING,
            "A `defineData`, `defineAuth` or `defineStorage` that `defineBackend` does not register",
            checks=("definitions.resource_never_deployed",),
        ),
        Rule(
            "AMP113",
            "frontend-typecheck-includes-amplify",
            Severity.ERROR,
            "The frontend's tsconfig type-checks `amplify/`, where `$amplify/env/...` cannot be found",
            checks=("frontend_typecheck.frontend_typecheck_includes_amplify",),
        ),
        # 2xx: data access
        Rule(
            "AMP201",
            "data-access-without-allow-resource",
            Severity.ERROR,
            "A function calls the Data API but the schema does not grant it `allow.resource`",
            checks=("data_access.data_access_without_allow_resource",),
            fix_safety="unsafe",
        ),
        Rule(
            "AMP202",
            "data-client-not-iam",
            Severity.ERROR,
            "A function's Data client will not sign its requests with the function's role",
            checks=("data_access.data_client_not_iam",),
            fix_safety="unsafe",
        ),
        Rule(
            "AMP203",
            "function-stack-cycle",
            Severity.ERROR,
            "A function closes a circular dependency between nested stacks (function, data, auth, storage, custom)",
            checks=("stack_cycle.function_stack_cycle",),
            fix_safety="safe",
        ),
        Rule(
            "AMP204",
            "data-client-config-env",
            Severity.ERROR,
            "`getAmplifyDataClientConfig` given something other than the function's `env` object",
            checks=("data_client.data_client_config_env",),
        ),
        Rule(
            "AMP205",
            "allow-resource-not-at-schema-level",
            Severity.ERROR,
            "`allow.resource(...)` in a model, field or custom-operation authorization",
            checks=("schema_access.allow_resource_not_at_schema_level",),
        ),
        Rule(
            "AMP206",
            "allow-resource-operations",
            Severity.ERROR,
            "`allow.resource(fn).to([...])` with unknown operations, or without those the handler performs",
            checks=("schema_access.allow_resource_operations",),
        ),
        Rule(
            "AMP207",
            "resolver-timeout-over-30s",
            Severity.WARNING,
            "A synchronous `a.handler.function` resolver whose function may run longer than AppSync waits (30 s)",
            checks=("schema_access.resolver_timeout_over_30s",),
        ),
        Rule(
            "AMP208",
            "removed-prerelease-api",
            Severity.ERROR,
            "`a.allow.*`, an array passed to `.authorization([...])`, or `allowListedRoleNames`: pre-release forms",
            checks=("prerelease.removed_prerelease_api",),
        ),
        # 3xx: handler code
        Rule(
            "AMP301",
            "scheduled-handler-returns-value",
            Severity.ERROR,
            "A handler typed to return `void` (`ScheduledHandler`, ...) returns a value",
            checks=("handler_return.scheduled_handler_returns_value",),
            fix_safety="unsafe",
        ),
        Rule(
            "AMP302",
            "secret-in-handler",
            Severity.ERROR,
            "`secret()` from `@aws-amplify/backend` called in a function's runtime code",
            checks=("handler_code.secret_in_handler",),
        ),
        Rule(
            "AMP303",
            "handler-imports-backend-definition",
            Severity.ERROR,
            "A function's runtime code imports backend definitions or `@aws-amplify/backend`",
            checks=("handler_code.handler_imports_backend_definition",),
        ),
        Rule(
            "AMP304",
            "handler-not-exported",
            Severity.ERROR,
            "A function's entry module does not export `handler`",
            checks=("entries.handler_not_exported",),
        ),
        Rule(
            "AMP305",
            "data-client-before-configure",
            Severity.ERROR,
            "The Data client is used before `Amplify.configure` runs or without it, or its config promise is not awaited",
            checks=("data_client.data_client_before_configure",),
        ),
        # 4xx: schedules
        Rule(
            "AMP401",
            "invalid-schedule",
            Severity.ERROR,
            "A function `schedule` that Amplify rejects or crashes on, or that fails at deploy",
            checks=("function_schedule.function_schedule",),
            fix_safety="safe",
        ),
        Rule(
            "AMP402",
            "schedule-shorter-than-timeout",
            Severity.ERROR,
            "A schedule that fires again before the function's `timeoutSeconds` has passed",
            checks=("function_schedule.function_schedule",),
        ),
        Rule(
            "AMP403",
            "uneven-rate-step",
            Severity.WARNING,
            "An `every Nm` / `every Nh` rate that Amplify turns into an uneven cron step",
            checks=("function_schedule.function_schedule",),
        ),
        Rule(
            "AMP404",
            "invalid-timezone",
            Severity.ERROR,
            "A schedule `timezone` that is not an IANA time zone name",
            checks=("function_schedule.function_schedule",),
        ),
        # 5xx: CDK code in backend.ts
        Rule(
            "AMP501",
            "duration-from-wrong-module",
            Severity.ERROR,
            "`Duration` imported from an aws-cdk-lib submodule instead of `aws-cdk-lib`",
            checks=("duration.duration_from_wrong_module",),
            fix_safety="safe",
        ),
        Rule(
            "AMP502",
            "cdk-invalid-cron",
            Severity.ERROR,
            "A CDK cron with both `day` and `weekDay`, or a field EventBridge rejects",
            checks=("cdk_code.cdk_cron",),
        ),
        Rule(
            "AMP503",
            "cdk-cron-runs-every-minute",
            Severity.WARNING,
            "A CDK cron without `minute`, which runs every minute of the matching hours",
            checks=("cdk_code.cdk_cron",),
        ),
        Rule(
            "AMP504",
            "cdk-rate-not-whole-minutes",
            Severity.ERROR,
            "A schedule rate that is not a whole number of minutes, or an event age that is not whole seconds",
            checks=("cdk_code.cdk_rate_not_whole_minutes", "cdk_code.event_target_limits"),
        ),
        Rule(
            "AMP505",
            "event-target-limits",
            Severity.ERROR,
            "`retryAttempts` or `maxEventAge` of an EventBridge or Scheduler target outside what AWS accepts",
            checks=("cdk_code.event_target_limits",),
        ),
        Rule(
            "AMP506",
            "duplicate-construct-id",
            Severity.ERROR,
            "Two constructs created with the same id in the same scope",
            checks=("cdk_code.duplicate_construct_id",),
        ),
        Rule(
            "AMP507",
            "this-at-module-scope",
            Severity.ERROR,
            "`new X(this, ...)` outside a class or function, where `this` is undefined",
            checks=("cdk_code.this_at_module_scope",),
        ),
        Rule(
            "AMP508",
            "table-not-a-model",
            Severity.ERROR,
            "`backend.data.resources.tables['X']` where the schema has no model `X`",
            checks=("typed_resources.table_not_a_model",),
        ),
        Rule(
            "AMP509",
            "member-not-on-resource-type",
            Severity.ERROR,
            "A method the typed resource (`IFunction`, `IUserPool`) does not have, called without a cast",
            checks=("typed_resources.member_not_on_resource_type",),
        ),
        # 6xx: function configuration
        Rule(
            "AMP601",
            "function-value-out-of-range",
            Severity.ERROR,
            "`timeoutSeconds`, `memoryMB`, `ephemeralStorageSizeMB` or `durableConfig` outside Amplify's range",
            checks=("function_config.function_value_out_of_range",),
        ),
        Rule(
            "AMP602",
            "unsupported-runtime",
            Severity.ERROR,
            "A `runtime` Amplify rejects, or a Node.js version past its end of life",
            checks=("function_config.unsupported_runtime",),
            fix_safety="unsafe",
        ),
        Rule(
            "AMP603",
            "invalid-environment-key",
            Severity.ERROR,
            "An `environment` key Amplify or Lambda rejects",
            checks=("function_config.invalid_environment_key",),
        ),
        Rule(
            "AMP604",
            "environment-value-may-be-undefined",
            Severity.WARNING,
            "`process.env.X` without a default as an `environment` value: synth fails where X is unset",
            checks=("function_config.environment_value_may_be_undefined",),
        ),
        Rule(
            "AMP605",
            "environment-shadows-amplify-variable",
            Severity.WARNING,
            "An `environment` key that Amplify itself sets for data or storage access",
            checks=("function_config.environment_shadows_amplify_variable",),
        ),
        Rule(
            "AMP606",
            "plaintext-secret-in-environment",
            Severity.WARNING,
            "A literal secret in `environment`, stored in plain text; use `secret()`",
            checks=("function_config.plaintext_secret_in_environment",),
        ),
        Rule(
            "AMP607",
            "invalid-layer",
            Severity.ERROR,
            "A layer that is neither a layer ARN nor `name:version`, or more than 5 layers",
            checks=("function_config.invalid_layer",),
        ),
        Rule(
            "AMP608",
            "custom-function-unsupported-option",
            Severity.ERROR,
            "An option only `defineFunction({...})` supports, given to a custom `defineFunction(scope => ...)`",
            checks=("function_config.custom_function_unsupported_option",),
        ),
        Rule(
            "AMP610",
            "secret-not-resolved",
            Severity.ERROR,
            "`secret()` passed to CDK (`addPropertyOverride`, a construct's props) where Amplify never resolves it",
            checks=("secrets_placement.secret_not_resolved",),
        ),
        Rule(
            "AMP611",
            "layer-module-not-installed",
            Severity.WARNING,
            "A handler imports a module from its function's `layers` that no package.json of the project lists",
            checks=("layers.layer_module_not_installed",),
        ),
        # 7xx: data schema
        Rule(
            "AMP701",
            "index-key-not-declared",
            Severity.ERROR,
            "A secondary index or `.identifier([...])` names a field the model does not declare",
            checks=("schema_rules.key_not_declared",),
        ),
        Rule(
            "AMP702",
            "field-auth-on-required-field",
            Severity.ERROR,
            "A required field whose own rules do not let every role of the model read it",
            checks=("schema_field_auth.field_auth_on_required_field",),
        ),
        Rule(
            "AMP703",
            "relationship-without-other-side",
            Severity.ERROR,
            "`hasMany`/`hasOne` without the matching `belongsTo` on the related model, or the reverse",
            checks=("schema_relations.relationships",),
        ),
        Rule(
            "AMP704",
            "reference-field-missing",
            Severity.ERROR,
            "A relationship's reference field is not declared on the model that holds it",
            checks=("schema_relations.relationships",),
        ),
        Rule(
            "AMP705",
            "references-do-not-match-identifier",
            Severity.ERROR,
            "Reference fields that do not match the related model's identifier in number or type",
            checks=("schema_relations.relationships",),
        ),
        Rule(
            "AMP706",
            "undefined-schema-type",
            Severity.ERROR,
            "`a.ref('X')` or a relationship names a type the schema does not define (or not a model)",
            checks=("schema_rules.undefined_type",),
        ),
        Rule(
            "AMP707",
            "model-without-authorization",
            Severity.ERROR,
            "A model with no authorization rules, and none at schema level but `allow.resource`",
            checks=("schema_rules.model_without_authorization",),
        ),
        Rule(
            "AMP708",
            "incomplete-custom-operation",
            Severity.ERROR,
            "A custom query or mutation without a handler, authorization or return type",
            checks=("schema_rules.incomplete_custom_operation",),
        ),
        Rule(
            "AMP709",
            "invalid-graphql-name",
            Severity.ERROR,
            "An enum value, type or field name GraphQL rejects (whitespace, a hyphen, a leading digit)",
            checks=("schema_names.invalid_graphql_name",),
        ),
        Rule(
            "AMP710",
            "identifier-not-required",
            Severity.ERROR,
            "An `.identifier([...])` field that is not `.required()` (or is an enum)",
            checks=("schema_relations.identifier_not_required",),
        ),
        Rule(
            "AMP711",
            "owner-field-type-conflict",
            Severity.ERROR,
            "An owner or groups field declared with a type its authorization rule conflicts with",
            checks=("schema_names.owner_field_type_conflict",),
        ),
        Rule(
            "AMP712",
            "required-relationship",
            Severity.ERROR,
            "`a.hasMany(...).valueRequired()` or `a.hasOne(...).required()`, which the transformer rejects",
            checks=("schema_names.required_relationship",),
        ),
    )
)


# The checks that read the backend's definitions only: the `define*` calls, `defineBackend` and
# backend.ts, the references between them, the files these import, and the imports of a function or
# resource (what `Backend.definition_inputs` lists), never a handler's code nor any other file. A
# session reuses their findings while all of that is unchanged, as after an edit to a handler;
# tests/test_definition_checks.py holds each of them to it.
DEFINITION_CHECKS = frozenset(
    {
        "wiring.backend_key_not_registered",
        "wiring.function_never_deployed",
        "names.function_name_collision",
        "names.name_derived_from_entry",
        "names.invalid_resource_name",
        "backend_options.unknown_backend_option",
        "definitions.unknown_define_option",
        "definitions.resource_never_deployed",
        "stack_cycle.function_stack_cycle",
        "schema_access.allow_resource_not_at_schema_level",
        "schema_access.resolver_timeout_over_30s",
        "function_schedule.function_schedule",
        "typed_resources.table_not_a_model",
        "typed_resources.member_not_on_resource_type",
        "function_config.function_value_out_of_range",
        "function_config.unsupported_runtime",
        "function_config.invalid_environment_key",
        "function_config.environment_value_may_be_undefined",
        "function_config.environment_shadows_amplify_variable",
        "function_config.plaintext_secret_in_environment",
        "function_config.invalid_layer",
        "function_config.custom_function_unsupported_option",
        "secrets_placement.secret_not_resolved",
        "schema_rules.key_not_declared",
        "schema_rules.undefined_type",
        "schema_rules.model_without_authorization",
        "schema_rules.incomplete_custom_operation",
        "schema_field_auth.field_auth_on_required_field",
        "schema_relations.relationships",
        "schema_relations.identifier_not_required",
        "schema_names.invalid_graphql_name",
        "schema_names.owner_field_type_conflict",
        "schema_names.required_relationship",
    }
)


def _checks(rules: Iterable[Rule]) -> tuple[Check, ...]:
    """One `Check` for each function the table names, with every rule it reports, in table order."""
    codes: dict[str, set[str]] = {}
    for rule in rules:
        for function in rule.checks:
            codes.setdefault(function, set()).add(rule.code)
    return tuple(Check(frozenset(found), function, function in DEFINITION_CHECKS) for function, found in codes.items())


# What `lint` runs unless it is given other checks.
CHECKS = _checks(RULES.values())


def selected(codes: Iterable[str], select: Iterable[str], ignore: Iterable[str]) -> Iterator[str]:
    """Codes chosen by prefix selectors, Ruff style: the longest matching selector wins."""
    select, ignore = tuple(select), tuple(ignore)
    for code in codes:
        chosen = max((len(s) for s in select if code.startswith(s)), default=-1)
        dropped = max((len(s) for s in ignore if code.startswith(s)), default=-1)
        if chosen > dropped:
            yield code


__all__ = ["CHECKS", "DEFINITION_CHECKS", "RULES", "Check", "CheckFunction", "FixSafety", "Rule", "selected"]
