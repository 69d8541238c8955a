"""`secret()` of @aws-amplify/backend and where its placeholder goes: Amplify resolves it only in its
own props (`defineFunction({ environment })`, `backend.<fn>.addEnvironment(...)`, auth's props);
anywhere CDK receives it, CDK gets the placeholder object."""

from __future__ import annotations

from typing import Literal

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import text, unwrap
from .backend import AMPLIFY_BACKEND, Backend, is_lambda_class
from .modules import Module
from .values import External, Static, resolve

# Where CDK, not Amplify, receives the value: a construct's props (`new X(...)`), a CloudFormation
# override (`addPropertyOverride`, `addOverride`), the environment of CDK's own function construct.
SecretDestinationKind = Literal["construct", "override", "cdk-function-environment"]

# Where a value travels through without changing what it is.
_CONTAINERS = frozenset(
    {
        "pair",
        "object",
        "array",
        "arguments",
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "spread_element",
    }
)
_AMPLIFY_FACTORIES = frozenset({"defineFunction", "defineAuth", "defineData", "defineStorage"})
_OVERRIDES = frozenset({"addPropertyOverride", "addOverride"})
_MAX_NAMES = 8  # `const` names followed to CDK's function construct


class SecretDestination(NamedTuple):
    """Where CDK receives a `secret()` value: what takes it, and the callee as written (`Bucket` for
    `new Bucket(...)`, `cfn.addPropertyOverride`, `backend.fn.resources.lambda.addEnvironment`)."""

    kind: SecretDestinationKind
    callee: str


class SecretUse(NamedTuple):
    """One `secret(...)` call of @aws-amplify/backend."""

    module: Module
    text: str  # the call as written
    name: Static  # the secret's name: its first argument's static value (None without one)
    destination: SecretDestination | None  # None when Amplify resolves it there, or amplint cannot tell
    location: Location  # the call


def secret_uses(backend: Backend, module: Module) -> list[SecretUse]:
    """The `secret()` calls in `module`, in document order, each with where its value goes."""
    uses = []
    for secret in backend.handler_facts(module).secrets:
        call = module.file.node_at(secret.at)
        uses.append(SecretUse(module, text(call), secret.name, _destination(module, call), secret.location))
    return uses


def _destination(module: Module, call: Node) -> SecretDestination | None:
    """Where the `secret()` value goes when it is CDK that gets it; None when Amplify resolves it
    there or amplint cannot tell."""
    node = call
    while node.parent is not None and node.parent.type in _CONTAINERS:
        node = node.parent
    holder = node.parent
    if holder is None or holder.type not in ("call_expression", "new_expression"):
        return None
    if holder.type == "new_expression":
        return SecretDestination("construct", text(holder.child_by_field_name("constructor")))
    callee = holder.child_by_field_name("function")
    found = resolve(module, callee) if callee is not None else None
    if isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name in _AMPLIFY_FACTORIES:
        return None  # Amplify's own props (a custom function's callback holds its constructs)
    if callee is None or callee.type != "member_expression":
        return None  # a helper of the user's: unknown
    method = text(callee.child_by_field_name("property"))
    if method in _OVERRIDES:
        return SecretDestination("override", text(callee))
    if method == "addEnvironment" and _is_cdk_function(module, callee.child_by_field_name("object")):
        # `backend.<fn>.addEnvironment` is Amplify's and takes secrets; the CDK function's does not.
        return SecretDestination("cdk-function-environment", text(callee))
    return None


def _is_cdk_function(module: Module, node: Node | None) -> bool:
    """`backend.<fn>.resources.lambda` (through casts), or a `const` bound to it or to a
    `new Function(...)`: certainly CDK's function, not Amplify's function resource."""
    for _ in range(_MAX_NAMES + 1):
        node = unwrap(node)
        if node is None:
            return False
        if node.type == "member_expression":
            holder = node.child_by_field_name("object")
            return (
                text(node.child_by_field_name("property")) == "lambda"
                and holder is not None
                and unwrap(holder).type == "member_expression"
                and text(unwrap(holder).child_by_field_name("property")) == "resources"
            )
        if node.type != "identifier":
            return False
        binding = module.bindings.get(text(node))
        if binding is None or binding.kind != "const" or binding.value is None or binding.path:
            return False
        value = unwrap(module.value_of(binding))
        if value is not None and value.type == "new_expression":
            return is_lambda_class(module, value.child_by_field_name("constructor"))
        node = value
    return False
