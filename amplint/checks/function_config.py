"""AMP601-AMP608: `defineFunction` props that Amplify rejects at synth, or that break later."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..amplify import DEFAULT_RUNTIME
from ..diagnostics import Diagnostic, Fix, Severity
from ..model.backend import Backend, FunctionDef, OptionEntry, OptionsObject, static_value
from ..model.data import screaming_snake_case
from ..model.edit_sites import replace
from ..model.environment import LAMBDA_RESERVED, synth_environment_source, synth_environment_variable
from ..model.values import UNKNOWN, is_number, is_whole

FUNCTION_VALUE_OUT_OF_RANGE = "AMP601"
UNSUPPORTED_RUNTIME = "AMP602"
INVALID_ENVIRONMENT_KEY = "AMP603"
ENVIRONMENT_VALUE_MAY_BE_UNDEFINED = "AMP604"
ENVIRONMENT_SHADOWS_AMPLIFY_VARIABLE = "AMP605"
PLAINTEXT_SECRET_IN_ENVIRONMENT = "AMP606"
INVALID_LAYER = "AMP607"
CUSTOM_FUNCTION_UNSUPPORTED_OPTION = "AMP608"

# (prop, low, high, Amplify's error name) — BF/factory.ts, whole numbers, inclusive.
RANGES = (
    ("timeoutSeconds", 1, 900, "timeout"),
    ("memoryMB", 128, 10240, "memoryMB"),
    ("ephemeralStorageSizeMB", 512, 10240, "ephemeralStorageSizeMB"),
)
DURABLE_RANGES = (("executionTimeoutSeconds", 1, 31_622_400), ("retentionPeriodDays", 1, 90))
SUPPORTED_RUNTIMES = (18, 20, 22, 24)
# Node.js release lines past their upstream end of life (Node 18: 2025-04-30, Node 20: 2026-04-30).
END_OF_LIFE = {18: "April 2025", 20: "April 2026"}

# Patterns are strings: `re` compiles (and caches) each on first use, not at import.
ENV_KEY = r"^[a-zA-Z]([a-zA-Z0-9_])+$"
SECRET_KEY = (
    r"(?i)(_SECRET$|_SECRET_KEY$|^SECRET$|^SECRET_KEY$|_TOKEN$|PASSWORD|_API_KEY$|^API_KEY$|"
    r"PRIVATE_KEY$|_ACCESS_KEY$)"
)
NOT_SECRET_KEY = r"(?i)(MAX|MIN|NUM)_TOKENS?$"  # a token count, not a credential
LAYER_ARN = r"arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+"
LAYER_NAME_VERSION = r"^[a-zA-Z0-9-_]+:[0-9]+$"
MAX_LAYERS = 5
CUSTOM_FUNCTION_OPTIONS = frozenset({"resourceGroupName"})


def _props(backend: Backend) -> Iterator[FunctionDef]:
    return (fn for fn in backend.deployable_functions if fn.props is not None)


def _number(fn: FunctionDef, key: str) -> float | None:
    value = fn.value(key, None)
    return value if is_number(value) else None


def _show(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def function_value_out_of_range(backend: Backend) -> Iterator[Diagnostic]:
    for fn in _props(backend):
        if fn.custom:
            continue
        for key, low, high, label in RANGES:
            expr, value = fn.prop(key), _number(fn, key)
            if expr is None or value is None or (low <= value <= high and is_whole(value)):
                continue
            yield Diagnostic(
                FUNCTION_VALUE_OUT_OF_RANGE,
                f'`{key}: {_show(value)}` fails synth (Amplify: "Invalid function {label} of {_show(value)}"); '
                f"{key} must be a whole number between {low} and {high} inclusive",
                expr.location,
            )
        yield from _durable_config(fn)


def _durable_config(fn: FunctionDef) -> Iterator[Diagnostic]:
    expr = fn.prop("durableConfig")
    shape = fn.object_option("durableConfig")
    if expr is None or shape is None:
        return
    for key, low, high in DURABLE_RANGES:
        entry = shape.entries.get(key)
        if entry is None or not is_number(value := entry.static):
            continue
        if not (low <= value <= high and is_whole(value)):
            yield Diagnostic(
                FUNCTION_VALUE_OUT_OF_RANGE,
                f"`durableConfig.{key}: {_show(value)}` fails synth; {key} must be a whole number between "
                f"{low} and {high} inclusive",
                entry.location,
            )
    runtime = fn.value("runtime", DEFAULT_RUNTIME)
    if is_number(runtime) and runtime < 22:
        yield Diagnostic(
            FUNCTION_VALUE_OUT_OF_RANGE,
            f'`durableConfig` needs runtime 22 or later (Amplify: "Durable functions require runtime 22 or '
            f'higher. Current runtime is {_show(runtime)}."); set `runtime: 22` or remove `durableConfig`',
            expr.location,
        )


def unsupported_runtime(backend: Backend) -> Iterator[Diagnostic]:
    for fn in _props(backend):
        expr = fn.prop("runtime")
        if fn.custom or expr is None:
            continue
        runtime = fn.value("runtime")
        if runtime is UNKNOWN:
            continue
        location = expr.location
        if runtime not in SUPPORTED_RUNTIMES or isinstance(runtime, bool):
            yield Diagnostic(
                UNSUPPORTED_RUNTIME,
                f"`runtime: {_show(runtime) if not isinstance(runtime, str) else repr(runtime)}` fails synth "
                f'(Amplify: "Invalid function runtime of {_show(runtime)}"); runtime must be one of the '
                "following: 18, 20, 22, 24",
                location,
            )
        elif runtime in END_OF_LIFE:
            yield Diagnostic(
                UNSUPPORTED_RUNTIME,
                f"Node.js {runtime} reached its end of life in {END_OF_LIFE[runtime]} and Lambda deprecates "
                f"runtimes after that; use `runtime: 22` (Amplify's default) or 24",
                location,
                severity=Severity.INFO,
                fix=_runtime_fix(fn),
            )


def _runtime_fix(fn: FunctionDef) -> Fix | None:
    """`runtime: 20` (or 18) -> `runtime: 22`, when the number is written in the call's own options."""
    options = fn.inline_options
    entry = options.entries.get("runtime") if options is not None else None
    if entry is None or not entry.in_literal or entry.source not in ("18", "20"):
        return None
    return Fix(f"Set `runtime: {DEFAULT_RUNTIME}`", (replace(entry.location, str(DEFAULT_RUNTIME)),), "unsafe")


def _environments(backend: Backend) -> Iterator[tuple[FunctionDef, OptionsObject]]:
    """(function, its `environment` object) for each `defineFunction({...})` whose environment is a literal."""
    for fn in _props(backend):
        shape = fn.object_option("environment") if not fn.custom else None
        if shape is not None:
            yield fn, shape


def invalid_environment_key(backend: Backend) -> Iterator[Diagnostic]:
    for _, shape in _environments(backend):
        for key, entry in shape.entries.items():
            location = entry.key_location
            if key == "AMPLIFY_SSM_ENV_CONFIG":
                yield Diagnostic(
                    INVALID_ENVIRONMENT_KEY,
                    '`AMPLIFY_SSM_ENV_CONFIG` fails synth (Amplify: "AMPLIFY_SSM_ENV_CONFIG is a reserved '
                    'environment variable name"); Amplify uses it to load secrets: rename the key',
                    location,
                )
            elif not re.match(ENV_KEY, key):
                yield Diagnostic(
                    INVALID_ENVIRONMENT_KEY,
                    f'`{key}` fails synth (Amplify: "Invalid function environment key(s): {key}"); environment '
                    "keys must match [a-zA-Z]([a-zA-Z0-9_])+ and be at least 2 characters",
                    location,
                )
            elif key in LAMBDA_RESERVED:
                yield Diagnostic(
                    INVALID_ENVIRONMENT_KEY,
                    f"`{key}` is reserved by Lambda, which sets it itself: the deployment fails; rename the key",
                    location,
                )


def environment_value_may_be_undefined(backend: Backend) -> Iterator[Diagnostic]:
    for _, shape in _environments(backend):
        for key, entry in shape.entries.items():
            variable = synth_environment_variable(entry.value)
            if variable is None:
                continue
            yield Diagnostic(
                ENVIRONMENT_VALUE_MAY_BE_UNDEFINED,
                f"`{entry.source}` is undefined wherever `{variable}` is not set when the backend is "
                f'synthesized, and synth then fails (Amplify: "The value of environment variable {key} is '
                f"undefined.\"); give a default (`?? ''`) or use `secret('{variable}')`",
                entry.location,
            )


def environment_shadows_amplify_variable(backend: Backend) -> Iterator[Diagnostic]:
    # The variables Amplify itself sets on a function it grants access to, by that function.
    data_variables = backend.data_variables or frozenset()
    amplify_sets: dict[FunctionDef, dict[str, str]] = {}
    for ref in backend.references:
        if ref.kind != "allow.resource" or ref.function is None:
            continue
        if ref.level == "schema":
            names = dict.fromkeys(data_variables, "data access (`allow.resource`)")
        elif ref.level == "storage" and ref.owner is not None:
            name = ref.owner.value("name", None)
            # backend-storage names it `${name}_BUCKET_NAME`; the SSM entry generator screams it.
            names = {screaming_snake_case(f"{name}_BUCKET_NAME"): "storage access"} if isinstance(name, str) else {}
        else:
            continue
        amplify_sets.setdefault(ref.function, {}).update(names)
    for fn, shape in _environments(backend):
        for key, entry in shape.entries.items():
            owner = amplify_sets.get(fn, {}).get(key)
            if owner is None:
                continue
            yield Diagnostic(
                ENVIRONMENT_SHADOWS_AMPLIFY_VARIABLE,
                f"`{key}` is set by Amplify for {owner}, which replaces this value with its own (an SSM entry "
                "resolved at cold start), so the value here never reaches the function; remove it and read "
                "Amplify's through `env`",
                entry.key_location,
            )


def plaintext_secret_in_environment(backend: Backend) -> Iterator[Diagnostic]:
    entries = [(key, entry.value, False) for _, shape in _environments(backend) for key, entry in shape.entries.items()]
    for _fn, name, value in backend.added_environment_calls:
        key = static_value(name)
        if isinstance(key, str):
            entries.append((key, value, True))
    for key, value, added in entries:
        if not re.search(SECRET_KEY, key) or re.search(NOT_SECRET_KEY, key):
            continue
        fix = (
            f"store it with `npx ampx sandbox secret set {key}` and use `{key}: secret('{key}')` in "
            "`defineFunction({ environment })`"
        )
        where = "`addEnvironment`" if added else "`environment`"
        variable = synth_environment_source(value)
        if variable is not None:
            yield Diagnostic(
                PLAINTEXT_SECRET_IN_ENVIRONMENT,
                f"`{key}` is set through {where} from `process.env.{variable}` of the machine that synthesizes the "
                "backend: the value is copied at synth and written in plain text to the template, the build "
                f"artifacts and the Lambda configuration; {fix}",
                value.location,
            )
            continue
        literal = static_value(value)
        if not isinstance(literal, str) or not literal.strip() or _not_a_secret(key, literal):
            continue
        yield Diagnostic(
            PLAINTEXT_SECRET_IN_ENVIRONMENT,
            f"`{key}` holds a literal value in {where}, which is written in plain text to the build artifacts and "
            f"the Lambda configuration; {fix}",
            value.location,
        )


# An AppSync API key (`da2-...`) is a public client credential: Amplify writes it into
# amplify_outputs.json for browsers. A placeholder is no secret either (the function gets the text).
_PLACEHOLDER = r"(?i)placeholder|changeme|change_me|your[-_ ]|xxx|dummy|example|^<.*>$|^todo$"


def _not_a_secret(key: str, value: str) -> bool:
    return value.startswith("da2-") or value == key or bool(re.search(_PLACEHOLDER, value))


def invalid_layer(backend: Backend) -> Iterator[Diagnostic]:
    for fn in _props(backend):
        shape = fn.object_option("layers") if not fn.custom else None
        if shape is None:
            continue
        unique: dict[str, OptionEntry] = {}
        for module_name, value in shape.entries.items():
            layer = value.static
            if not isinstance(layer, str):
                continue
            if not (re.search(LAYER_ARN, layer) or re.match(LAYER_NAME_VERSION, layer)):
                yield Diagnostic(
                    INVALID_LAYER,
                    f"Layer `{module_name}: '{layer}'` fails synth (Amplify: \"Invalid format for layer: {layer}\"); "
                    "a layer must be a full ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>) or "
                    "name:version",
                    value.location,
                )
                continue
            unique.setdefault(layer, value)
        if shape.complete and len(unique) > MAX_LAYERS:
            sixth = list(unique.values())[MAX_LAYERS]
            yield Diagnostic(
                INVALID_LAYER,
                f'{len(unique)} unique layers fail synth (Amplify: "A maximum of 5 unique layers can be attached '
                'to a function."); remove or merge layers',
                sixth.location,
            )


def custom_function_unsupported_option(backend: Backend) -> Iterator[Diagnostic]:
    for fn in _props(backend):
        props = fn.options
        if not fn.custom or props is None:
            continue
        for key, entry in props.entries.items():
            if key in CUSTOM_FUNCTION_OPTIONS:
                continue
            where = (
                "create the schedule in the construct (e.g. an EventBridge Scheduler `Schedule`)"
                if key == "schedule"
                else "set it on the function you create in the callback"
            )
            yield Diagnostic(
                CUSTOM_FUNCTION_UNSUPPORTED_OPTION,
                f"`{key}` has no effect on a custom function: `defineFunction(scope => ..., {{...}})` supports only "
                f"`resourceGroupName` (tsc rejects the object); {where}",
                entry.key_location,
            )
