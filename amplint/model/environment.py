"""A function's environment as Lambda, the backend and its code see it: the variables Lambda reserves
and provides, values taken from `process.env` of the machine that synthesizes the backend, and the
`$amplify/env/<name>` shim imports of function code."""

from __future__ import annotations

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import ByteRange, string_value, text, unwrap
from .handlers import ENV_MODULE_PREFIX
from .modules import Module, identifiers_named
from .values import Expr, resolve

# Set by Lambda itself; a function configuration that sets them fails to deploy.
LAMBDA_RESERVED = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)

# Variables Lambda sets in every function (the shim's `LambdaProvidedEnvVars`): the reserved ones and these.
LAMBDA_PROVIDED = LAMBDA_RESERVED | frozenset(
    {
        "AWS_DEFAULT_REGION",
        "TZ",
        "LANG",
        "PATH",
        "LD_LIBRARY_PATH",
        "NODE_PATH",
        "AWS_XRAY_CONTEXT_MISSING",
        "AWS_XRAY_DAEMON_ADDRESS",
    }
)


def synth_environment_variable(value: Expr) -> str | None:
    """`X` for a bare `process.env.X` / `process.env['X']`, also through a `const` name (a `!` does
    not change the runtime value): a value read at synth, where `X` may be unset."""
    node = unwrap(value.node)
    if node.type == "identifier":
        found = resolve(value.module, node)
        if not isinstance(found, Expr) or found.node == node:
            return None
        node = unwrap(found.node)
    if node.type == "member_expression" and text(node.child_by_field_name("object")) == "process.env":
        return text(node.child_by_field_name("property"))
    if node.type == "subscript_expression" and text(node.child_by_field_name("object")) == "process.env":
        index = node.child_by_field_name("index")
        return string_value(index) if index is not None else None
    return None


def synth_environment_source(value: Expr) -> str | None:
    """`X` for `process.env.X`, `process.env.X!`, `process.env.X ?? '...'` / `|| '...'`: a value taken
    from the environment of the machine that synthesizes the backend."""
    node = unwrap(value.node)
    if node.type == "binary_expression" and text(node.child_by_field_name("operator")) in ("??", "||"):
        left = node.child_by_field_name("left")
        node = unwrap(left) if left is not None else node
    return synth_environment_variable(Expr(value.module, node))


class EnvShimImport(NamedTuple):
    """`import { env } from '$amplify/env/<name>'` in function code: the typed `process.env`
    Amplify generates for the function named `<name>`."""

    module: Module
    statement: ByteRange  # the model's own: checks read `source`, `location`, `variables_read`
    specifier: ByteRange
    source: str  # the specifier as written, `$amplify/env/<name>` (maybe with `.js`)

    @property
    def location(self) -> Location:
        """The specifier."""
        return self.module.file.location_at(self.specifier)

    @property
    def variables_read(self) -> list[str]:
        """The properties the module reads on the names this import binds (`env.X`), sorted."""
        locals_ = {imp.local for imp in self.module.imports if imp.statement == self.statement}
        return sorted({read for local in locals_ for read in self.module.fact(_members_read, local)})


def _members_read(module: Module, name: str) -> tuple[str, ...]:
    """Per file: the members read straight off the identifier `name` (`env.X`; a private name too, as
    written), each once."""
    return tuple(
        dict.fromkeys(
            text(member.child_by_field_name("property"))
            for node in identifiers_named(module, name)
            if (member := node.parent) is not None
            and member.type == "member_expression"
            and member.child_by_field_name("object") == node
        )
    )


def env_shim_imports(module: Module) -> list[EnvShimImport]:
    """The module's `import ... from '$amplify/env/...'` statements, each statement once."""
    statements = {
        imp.statement: EnvShimImport(module, imp.statement, imp.specifier, imp.source)
        for imp in module.imports
        if imp.source.startswith(ENV_MODULE_PREFIX) and imp.syntax == "import"
    }
    return list(statements.values())
