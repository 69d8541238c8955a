"""What a function's runtime code does: its exported handler and types, its own returns, how it
sets up the Amplify Data client and which Data operations it performs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Literal, TypeAlias

from tree_sitter import Node

from ..amplify import AMPLIFY_BACKEND
from ..diagnostics import Edit, Location
from ..records import NamedTuple
from ..syntax import (
    FUNCTION_KINDS,
    ByteRange,
    NamePath,
    NodeRef,
    SourceFile,
    byte_range,
    call_arguments,
    declared_name,
    enclosing_function,
    member_chain_end,
    name_path,
    node_ref,
    property_name,
    string_quote,
    string_value,
    text,
    unwrap,
)
from .data import AuthMode
from .loading import Site, runs_on_load, site_of
from .modules import Module, calls_named, in_document_order, keywords, members_named, names_at
from .values import (
    REFERENCE_KINDS,
    UNKNOWN,
    Destructured,
    Expr,
    External,
    Resolved,
    Static,
    evaluate,
    named_entries,
    object_at,
    object_of,
    resolve,
    resolve_name,
    resolve_path,
    resolve_written,
)

RUNTIME_HELPERS = "@aws-amplify/backend/function/runtime"
ENV_MODULE_PREFIX = "$amplify/env/"
DATA_CLIENT_MODULES = ("aws-amplify/data", "aws-amplify/api")
IAM_AUTH_MODES: frozenset[AuthMode] = frozenset({"iam", "identityPool"})

# When code runs: "load" (once, as the module loads), "handler" (in the exported handler), "unknown".
Runs: TypeAlias = Literal["load", "handler", "unknown"]
# What makes code need the Data API access `allow.resource` grants (see DataApiUse).
DataApiKind: TypeAlias = Literal["getAmplifyDataClientConfig", "client", "env"]
# Where the config given to `Amplify.configure` comes from (see ConfigureCall).
ConfigSource: TypeAlias = Literal["data-client-config", "outputs", "literal", "unknown"]
# What is passed to `getAmplifyDataClientConfig` (see DataClientConfigCall).
ConfigArgumentKind: TypeAlias = Literal["env", "process.env", "value", "missing", "unknown"]
# The access a Data operation needs: read, write, or subscribe.
DataOperationKind: TypeAlias = Literal["query", "mutate", "listen"]
# Whether a module exports `handler` (see `handler_export`).
HandlerExportState: TypeAlias = Literal["exported", "missing", "default-only", "unknown"]
# What a function returns, as far as its form shows (through parentheses, casts and `await`): a
# literal or construct of these kinds, or "other" (a name, a call, `undefined`, ...). See ReturnedValue.
ReturnedKind: TypeAlias = Literal[
    "object", "array", "string", "number", "boolean", "null", "regex", "function", "class", "new", "other"
]


class DataApiUse(NamedTuple):
    """Code that needs the Data API access `allow.resource` grants: `getAmplifyDataClientConfig`,
    a read of a Data client that may sign with the function's role (`client.models`, `.graphql`),
    or a read of an environment variable whose name Amplify gives its data variables."""

    kind: DataApiKind
    site: Site  # for the model: whether a function's code may run it
    location: Location
    variable: str | None = None  # for env: the variable's name
    runs: Runs = "unknown"


class ClientCall(NamedTuple):
    """`generateClient(...)`: `auth_mode` is the literal, None when absent, UNKNOWN when not static.
    A client is the same wherever it is used when its `location` (the call) is."""

    at: ByteRange  # the call
    bound_to: str | None  # the name `const <name> = generateClient(...)` binds it to, if any
    location: Location
    callee_location: Location  # `generateClient`
    auth_mode: Static
    auth_mode_location: Location | None  # the `authMode` value
    # The quote of the `authMode` value when it is a string literal written in the call itself.
    auth_mode_quote: str | None = None


class ConfigureCall(NamedTuple):
    """`Amplify.configure(config, ...)` and where its config comes from:
    `data-client-config` (getAmplifyDataClientConfig: IAM), `outputs` (amplify_outputs.json),
    `literal` (an object with `default_auth_mode`), or `unknown`."""

    site: Site  # for the model: whether a function's code may run it
    location: Location
    source: ConfigSource
    default_auth_mode: Static = UNKNOWN
    has_api_key: bool = False  # a literal configuration with an `apiKey`
    # A literal configuration that gives no credentials for IAM: no `Auth` section and no second
    # argument (where `libraryOptions.Auth.credentialsProvider` would be).
    without_credentials: bool = False
    # A literal configuration without `API.GraphQL.modelIntrospection`: `client.models` is empty.
    without_models: bool = False
    runs: Runs = "unknown"


class DataClientConfigCall(NamedTuple):
    """`getAmplifyDataClientConfig(argument)`. `argument_kind`: `env` (the object from
    `$amplify/env/<name>`), `process.env`, `value` (a string, number, or one variable such as
    `process.env.AWS_REGION`: certainly not an env object), `missing`, or `unknown`. `awaited` is
    False when the returned promise is certainly read as if it were the config."""

    location: Location
    argument_text: str | None  # the argument as written; None when missing
    argument_location: Location | None
    argument_kind: ConfigArgumentKind
    awaited: bool | None


class DataOperation(NamedTuple):
    """A call through a Data client: `client.models.Todo.create(...)` needs `mutate`."""

    operations: tuple[DataOperationKind, ...]
    runs: Runs
    location: Location


class HandlerExport(NamedTuple):
    """An exported function value with the type it was declared with."""

    name: str
    function: ByteRange | None  # for the model: the arrow / function, None when not a function literal
    type_name: External | None  # the aws-lambda type, resolved through imports and aliases
    type_arguments: tuple[str, ...]  # the type arguments of that type as written: `void` in `Handler<E, void>`
    type_text: str | None  # the declared type as written: `Handler<E, void>`


class ReturnedValue(NamedTuple):
    """What an exported function gives back: the expression of one of its own `return` statements,
    or the body of an arrow function without braces."""

    kind: ReturnedKind
    location: Location
    # The edit that gives back nothing instead (`return;`, `() => {}`); None when evaluating the value
    # may have an effect that dropping it would drop too.
    without_value: Edit | None = None


class ClientRead(NamedTuple):
    """`client.models...`, `client.queries...`, `client.graphql(...)`: a Data client in use. `model`
    is the model name for `client.models.X`, else None."""

    client: ClientCall
    site: Site  # for the model: whether a function's code may run it
    location: Location
    member: str  # what is read off the client: `models`, `graphql`, `queries`, `mutations`, `subscriptions`
    expression: str  # the read as far as its chain goes: `client.models.Todo.list(...)`, `client.models.Todo`
    runs: Runs
    model: str | None
    operation: str | None = None  # `list` in `client.models.Todo.list(...)`
    auth_mode: Static = None  # the call's own `authMode` option (None: the client's), UNKNOWN if unreadable
    auth_mode_location: Location | None = None
    auth_mode_quote: str | None = None  # as ClientCall's, for the call's own `authMode`


class SecretCall(NamedTuple):
    """`secret('NAME')` from @aws-amplify/backend; `name` is the argument's static value."""

    at: ByteRange  # the call, for the model
    location: Location
    name: Static


class HandlerFacts:
    """What one module's code does with the Data API and secrets."""

    __slots__ = ("data_api", "clients", "client_reads", "configures", "config_calls", "operations", "secrets")

    def __init__(self) -> None:
        self.data_api: list[DataApiUse] = []
        self.clients: list[ClientCall] = []
        self.client_reads: list[ClientRead] = []
        self.configures: list[ConfigureCall] = []
        self.config_calls: list[DataClientConfigCall] = []
        self.operations: list[DataOperation] = []
        self.secrets: list[SecretCall] = []  # `secret('X')` from @aws-amplify/backend

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(getattr(self, name))}" for name in self.__slots__)
        return f"HandlerFacts({counts})"


_FACT_CALLEES = (b"getAmplifyDataClientConfig", b"generateClient", b"configure", b"secret")
_OPERATION_WORDS = (b"models", b"graphql", b"queries", b"mutations", b"subscriptions")
# Every variable Amplify sets for data access holds one of these (see `data_variables`).
DATA_VARIABLE_WORDS = ("GRAPHQL_ENDPOINT", "MODEL_INTROSPECTION_SCHEMA", "AMPLIFY_DATA_DEFAULT_NAME")


def handler_facts(module: Module) -> HandlerFacts:
    """What the module's code does with the Data API and secrets. The candidates (calls and reads by
    name, where they run) are per-file facts; which of them are what they are named after is
    worked out here, each run, through the module's resolved imports."""
    if not module.fact(_has_candidates):
        return module.fact(_no_facts)  # nothing to follow: the same (empty) facts whatever other files say
    facts = HandlerFacts()
    for candidate in _fact_calls(module):
        found = resolve_path(module, candidate.callee)
        if not isinstance(found, External):
            continue
        if found.source == RUNTIME_HELPERS and found.name == "getAmplifyDataClientConfig":
            facts.data_api.append(
                DataApiUse("getAmplifyDataClientConfig", candidate.site, candidate.location, runs=candidate.runs)
            )
            facts.config_calls.append(_config_call(module, candidate))
        elif found.source == AMPLIFY_BACKEND and found.name == "secret":
            facts.secrets.append(_secret_call(module, candidate))
        elif found.source in DATA_CLIENT_MODULES and found.name == "generateClient":
            facts.clients.append(_generate_client_call(module, candidate))
        elif found.source in ("aws-amplify", "@aws-amplify/core") and found.name == "Amplify.configure":
            facts.configures.append(_configure_call(module, candidate))
    if facts.clients or module.file.mentions(*_OPERATION_WORDS):
        facts.operations = _data_operations(module, facts.clients)
        facts.client_reads = _client_reads(module, facts.clients)
        for read in facts.client_reads:
            if not _signs_otherwise(read.auth_mode if read.auth_mode is not None else read.client.auth_mode):
                facts.data_api.append(DataApiUse("client", read.site, read.location, runs=read.runs))
    for env in _variable_reads(module):
        found = resolve_path(module, env.object) if env.object is not None and not env.process_env else None
        if env.process_env or isinstance(found, External) and found.source.startswith(ENV_MODULE_PREFIX):
            facts.data_api.append(DataApiUse("env", env.site, env.location, env.name, env.runs))
    return facts


# -- per-file facts: what one file's code names, before following any name to another file ---------


def _has_candidates(module: Module) -> bool:
    return bool(_fact_calls(module) or _variable_reads(module) or module.file.mentions(*_OPERATION_WORDS))


def _no_facts(module: Module) -> HandlerFacts:
    return HandlerFacts()


class _WrittenAuthMode(NamedTuple):
    """The `authMode` a call's options give, as its own text says it (a per-file fact): the string
    written, where, and its quote; all None when no argument gives one."""

    value: str | None
    at: ByteRange | None
    quote: str | None


_NO_AUTH_MODE = _WrittenAuthMode(None, None, None)

# A call's arguments as a per-file fact keeps them: each one's range and type, and its name path (if
# it is one), which `values.resolve_written` follows without the tree.
_Arguments: TypeAlias = tuple[tuple[NodeRef, NamePath | None], ...]


def _argument_refs(call: Node) -> _Arguments:
    return tuple((node_ref(argument), name_path(argument)) for argument in call_arguments(call))


def _written_auth_mode(arguments: list[Node]) -> _WrittenAuthMode | None:
    """What `_auth_mode_among` finds among these arguments, when their text says it all: each is
    an object literal whose entries are all named in place, or a value that is no object (a string,
    a function, ...), and the first `authMode` given is a plain string. None when one names or
    spreads something else, or gives `authMode` otherwise (the tree path follows those)."""
    for argument in arguments:
        value = unwrap(argument)
        if value.type in REFERENCE_KINDS:
            return None  # may be an object written elsewhere
        entries = named_entries(value) if value.type == "object" else {}
        if entries is None:
            return None
        if "authMode" in entries:
            mode = entries["authMode"]
            written = string_value(mode) if mode is not None and mode.type == "string" else None
            if mode is None or written is None:
                return None
            return _WrittenAuthMode(written, byte_range(mode), string_quote(mode))
    return _NO_AUTH_MODE


class _WrittenClient(NamedTuple):
    """What a `generateClient(...)` call's own text says (a per-file fact): where its callee is, the
    name it is bound to, and its `authMode` (see `_written_client`)."""

    callee: ByteRange
    bound_to: str | None
    auth_mode: _WrittenAuthMode


def _written_client(call: Node, args: list[Node]) -> _WrittenClient | None:
    """What `_client_call` reads, when the call's text says it all: no argument, or a first argument
    that is an object literal whose entries are all named in place, with no `authMode` or a plain
    string one. None otherwise."""
    callee = call.child_by_field_name("function")
    first = unwrap(args[0]) if args else None
    entries = named_entries(first) if first is not None else {}
    if callee is None or entries is None:
        return None
    auth_mode = _written_auth_mode([first]) if first is not None else _NO_AUTH_MODE
    if auth_mode is None:
        return None
    name = declared_name(call)
    return _WrittenClient(byte_range(callee), text(name) if name is not None else None, auth_mode)


class _WrittenArgument(NamedTuple):
    """A call's first argument as its text says it (a per-file fact): as written, where, the name path
    it reads (`env`, `outputs.data`), if it is one, and its kind through parentheses and casts."""

    text: str
    at: ByteRange
    path: NamePath | None
    kind: str
    process_env: bool  # it is `process.env`


def _written_argument(args: list[Node]) -> _WrittenArgument | None:
    if not args:
        return None
    value = unwrap(args[0])
    return _WrittenArgument(
        text(args[0]), byte_range(args[0]), name_path(args[0]), value.type, text(value) == "process.env"
    )


class _NamedCall(NamedTuple):
    """A call whose callee ends in one of the names `handler_facts` looks for (`generateClient`, ...)."""

    call: ByteRange
    callee: NamePath
    location: Location
    runs: Runs
    site: Site
    first_string: str | None  # the first argument, when it is a plain string (`secret('API_KEY')`)
    client: _WrittenClient | None  # for `generateClient(...)`, what its text says, when it says all
    arguments: int  # how many arguments the call is given
    first: _WrittenArgument | None  # the first of them
    awaited: bool | None  # see `_awaited`


def _fact_calls(module: Module) -> tuple[_NamedCall, ...]:
    return module.fact(_read_fact_calls)


def _read_fact_calls(module: Module) -> tuple[_NamedCall, ...]:
    if not module.file.mentions(*_FACT_CALLEES):  # most modules name none of these
        return ()
    found = []
    for call, callee, _ in calls_named(module, _FACT_CALLEES):
        path = name_path(callee)
        if path is not None:  # else it names no import: `f().configure(...)`
            site, runs = _placed(module, call)
            args = call_arguments(call)
            listed = call.child_by_field_name("arguments")  # comments too: what `_secret_call` reads
            first = unwrap(listed.named_children[0]) if listed is not None and listed.named_child_count else None
            written = string_value(first) if first is not None and first.type == "string" else None
            client = _written_client(call, args) if path[-1] == "generateClient" else None
            found.append(
                _NamedCall(
                    byte_range(call),
                    path,
                    module.file.location(call),
                    runs,
                    site,
                    written,
                    client,
                    len(args),
                    _written_argument(args),
                    _awaited(module, call),
                )
            )
    return tuple(found)


class _VariableRead(NamedTuple):
    """`<object>.<name>` where the name holds a word of Amplify's data variables."""

    object: NamePath | None  # None: not a name or a member of one (a call, ...)
    name: str
    process_env: bool  # the object is `process.env`
    location: Location
    runs: Runs
    site: Site


def _variable_reads(module: Module) -> tuple[_VariableRead, ...]:
    return module.fact(_read_variable_reads)


def _read_variable_reads(module: Module) -> tuple[_VariableRead, ...]:
    found = []
    for member in _members_naming(module.file, DATA_VARIABLE_WORDS):
        prop = member.child_by_field_name("property")
        name = text(prop)
        obj = member.child_by_field_name("object")
        if obj is None:
            continue
        location = module.file.location(member)
        site, runs = _placed(module, member)
        found.append(_VariableRead(name_path(obj), name, text(obj) == "process.env", location, runs, site))
    return tuple(found)


def _members_naming(file: SourceFile, words: Iterable[str]) -> list[Node]:
    """The members whose property holds one of the words (`env.MY_GRAPHQL_ENDPOINT`), in document
    order, found where a word stands: the smallest node around it is the property itself."""
    source, root, members = file.text, file.root, []
    for word in words:
        wanted = word.encode()
        at = source.find(wanted)
        while at >= 0:
            node = root.descendant_for_byte_range(at, at + len(wanted))
            member = node.parent if node is not None else None
            if (
                member is not None
                and member.type == "member_expression"
                and member.child_by_field_name("property") == node
            ):
                members.append(member)
            at = source.find(wanted, at + 1)
    return in_document_order(members)


class _OperationCall(NamedTuple):
    """A call of a member chain that reads like a Data operation: `<root>.models.M.op(...)`,
    `<root>.queries.q(...)`, `<root>.graphql(...)`."""

    call: ByteRange
    root_name: str  # the identifier the chain starts with
    needed: tuple[DataOperationKind, ...] | None  # None for `graphql`: its query tells
    runs: Runs
    location: Location
    auth_mode: _WrittenAuthMode | None  # the call's `authMode`, when its text says it (see `_written_auth_mode`)
    arguments: _Arguments  # the call's, where its text does not say all (no `authMode`, or `graphql`)


def _operation_calls(module: Module) -> tuple[_OperationCall, ...]:
    return module.fact(_read_operation_calls)


def _read_operation_calls(module: Module) -> tuple[_OperationCall, ...]:
    found = []
    for call in _operation_call_candidates(module):
        path = _member_path(call.child_by_field_name("function"))
        if path is None:
            continue
        root, props = path
        needed: tuple[DataOperationKind, ...] | None
        if not props:
            continue  # `client()`: no operation
        if props[0] == "models" and len(props) == 3:
            needed = _MODEL_OPERATIONS.get(props[2], ("query",))
        elif props[0] in _CLIENT_GROUPS and len(props) == 2:
            needed = _CLIENT_GROUPS[props[0]]
        elif props == ["graphql"]:
            needed = None
        else:
            continue  # no Data operation, whatever the root is
        runs = _runs(module, runs_on_load(call), call)
        auth_mode = _written_auth_mode(call_arguments(call))
        arguments = _argument_refs(call) if auth_mode is None or needed is None else ()
        found.append(
            _OperationCall(byte_range(call), text(root), needed, runs, module.file.location(call), auth_mode, arguments)
        )
    return tuple(found)


def _operation_call_candidates(module: Module) -> list[Node]:
    """The calls that may be Data operations, in document order: those whose callee is a chain of
    members (or keys) naming `models`, a client group or `graphql`, found where the word stands, or
    where an escape stands (a key's escapes may spell the word: `c['\\u006dodels']`)."""
    starts = [node for word in _OPERATION_WORDS for node in names_at(module.file, word)]
    calls = []
    for node in (*starts, *_escape_sequences(module.file)):
        while node.parent is not None and node.parent.type in _CHAIN_PARTS:
            node = node.parent
        call = node.parent
        if call is not None and call.type == "call_expression" and call.child_by_field_name("function") == node:
            calls.append(call)
    return in_document_order(calls)


def _escape_sequences(file: SourceFile) -> Iterator[Node]:
    """The escape sequences of the file's strings and templates (`\\u006d`, `\\n`), in source order."""
    source, root = file.text, file.root
    at = source.find(b"\\")
    while at >= 0:
        node = root.descendant_for_byte_range(at, at + 1)
        if node is not None and node.type == "escape_sequence":
            yield node
            at = source.find(b"\\", node.end_byte)
        else:
            at = source.find(b"\\", at + 1)


# What stands between a word and the call whose callee names it: `c.models.T.list`, `c['models']`.
_CHAIN_PARTS = frozenset({"member_expression", "subscript_expression", "string", "template_string"})


class _MemberRead(NamedTuple):
    """`<object>.models`, `.graphql`, `.queries`, ...: a read that is a Data client's when the
    object is one."""

    object_call: ByteRange | None  # the object when it is a call (`generateClient().graphql`)
    object_name: str | None  # the object when it is a name
    location: Location
    member_name: str
    expression: str
    runs: Runs
    model: str | None
    operation: str | None
    call: ByteRange | None  # the call the read's chain is the callee of
    site: Site
    auth_mode: _WrittenAuthMode | None  # that call's `authMode`, when its text says it
    arguments: _Arguments  # that call's, when its text does not say its `authMode`


def _member_reads(module: Module) -> tuple[_MemberRead, ...]:
    return module.fact(_read_member_reads)


def _read_member_reads(module: Module) -> tuple[_MemberRead, ...]:
    found = []
    for member in in_document_order([member for word in _OPERATION_WORDS for member in members_named(module, word)]):
        prop = member.child_by_field_name("property")
        obj = member.child_by_field_name("object")
        if prop is None or obj is None:  # `prop` is one of the words
            continue
        obj = unwrap(obj)
        if obj.type not in ("call_expression", "identifier"):
            continue
        model = operation = None
        if (
            text(prop) == "models"
            and member.parent is not None
            and member.parent.type in ("member_expression", "subscript_expression")
        ):
            key = member.parent.child_by_field_name("property") or member.parent.child_by_field_name("index")
            model = property_name(key) if key is not None else None
            above = member.parent.parent
            if (
                above is not None
                and above.type == "member_expression"
                and above.child_by_field_name("object") == member.parent
            ):
                operation = text(above.child_by_field_name("property"))
        end, call = member_chain_end(member)
        site, runs = _placed(module, member)
        auth_mode = _written_auth_mode(call_arguments(call)) if call is not None else None
        found.append(
            _MemberRead(
                byte_range(obj) if obj.type == "call_expression" else None,
                text(obj) if obj.type == "identifier" else None,
                module.file.location(member),
                text(prop),
                " ".join(text(end).split()) + ("(...)" if call is not None else ""),
                runs,
                model,
                operation,
                byte_range(call) if call is not None else None,
                site,
                auth_mode,
                _argument_refs(call) if call is not None and auth_mode is None else (),
            )
        )
    return tuple(found)


def _secret_call(module: Module, candidate: _NamedCall) -> SecretCall:
    if candidate.first_string is not None:  # the call's text says it: no tree needed
        return SecretCall(candidate.call, candidate.location, candidate.first_string)
    args = module.file.node_at(candidate.call).child_by_field_name("arguments")
    name = evaluate(module, args.named_children[0]) if args is not None and args.named_child_count else None
    return SecretCall(candidate.call, candidate.location, name)


def _generate_client_call(module: Module, candidate: _NamedCall) -> ClientCall:
    """`_client_call` of a `generateClient(...)` candidate: from what its text says when it says all
    (`_WrittenClient`), else through the tree."""
    client = candidate.client
    if client is None:
        return _client_call(module, module.file.node_at(candidate.call), candidate.location)
    mode = client.auth_mode
    return ClientCall(
        candidate.call,
        client.bound_to,
        candidate.location,
        module.file.location_at(client.callee),
        mode.value,
        module.file.location_at(mode.at) if mode.at is not None else None,
        mode.quote,
    )


def _client_call(module: Module, call: Node, location: Location | None = None) -> ClientCall:
    location = module.file.location(call) if location is None else location
    callee = call.child_by_field_name("function")
    callee_location = module.file.location(callee) if callee is not None else location
    name = declared_name(call)
    made = byte_range(call), text(name) if name is not None else None
    args = call_arguments(call)
    if not args:
        return ClientCall(*made, location, callee_location, None, None)
    shape = object_at(module, args[0])
    if shape is None:
        return ClientCall(*made, location, callee_location, UNKNOWN, None)
    expr = shape.entries.get("authMode")
    if expr is None:
        return ClientCall(*made, location, callee_location, None if shape.complete else UNKNOWN, None)
    return ClientCall(
        *made,
        location,
        callee_location,
        evaluate(expr.module, expr.node),
        expr.location,
        _quote_in(module, byte_range(call), expr),
    )


def _quote_in(module: Module, call: ByteRange, expr: Expr) -> str | None:
    """The quote of `expr` when it is a plain string literal written inside `call` (of `module`)."""
    start = expr.range[0]
    if expr.module is not module or not call[0] <= start < call[1] or expr.type != "string":
        return None
    quote = module.file.text[start : start + 1].decode("utf-8", "replace")
    return quote if quote in ("'", '"') else None


def _configure_call(module: Module, candidate: _NamedCall) -> ConfigureCall:
    written = _written_configure_call(module, candidate)
    if written is not None:  # the call's text and names say it: no tree needed
        return written
    location, site, runs = candidate.location, candidate.site, candidate.runs
    args = call_arguments(module.file.node_at(candidate.call))
    if not args:
        return ConfigureCall(site, location, "unknown", runs=runs)
    config = args[0]
    found = resolve(module, config)
    if _from_data_client_config(found):
        return ConfigureCall(site, location, "data-client-config", "iam", runs=runs)
    if isinstance(found, External) and found.source.endswith(".json"):
        return ConfigureCall(site, location, "outputs", UNKNOWN, runs=runs)
    if isinstance(found, Expr) and found.type == "object":
        value = evaluate(found.module, found.node)
        if isinstance(value, dict):
            graphql = value.get("API", {})
            graphql = graphql.get("GraphQL") if isinstance(graphql, dict) else None
            if isinstance(graphql, dict):
                mode = graphql.get("defaultAuthMode", UNKNOWN)
                return ConfigureCall(
                    site,
                    location,
                    "literal",
                    mode,
                    has_api_key="apiKey" in graphql,
                    without_credentials=len(args) == 1 and "Auth" not in value,
                    without_models="modelIntrospection" not in graphql,
                    runs=runs,
                )
    return ConfigureCall(site, location, "unknown", UNKNOWN, runs=runs)


def _from_data_client_config(found: Resolved) -> bool:
    """`resourceConfig` destructured from, or read off, `await getAmplifyDataClientConfig(env)`."""
    if isinstance(found, Destructured):
        base, path = found.base, found.path
    elif isinstance(found, Expr) and found.type == "member_expression":
        obj = found.node.child_by_field_name("object")
        base_found = resolve(found.module, obj) if obj is not None else None
        if not isinstance(base_found, Expr):
            return False
        base, path = base_found, (text(found.node.child_by_field_name("property")),)
    else:
        return False
    if path != ("resourceConfig",):
        return False
    node = unwrap(base.node)
    if node.type == "await_expression" and node.named_child_count:
        node = unwrap(node.named_children[0])
    if node.type != "call_expression":
        return False
    callee = node.child_by_field_name("function")
    found_callee = resolve(base.module, callee) if callee is not None else None
    return isinstance(found_callee, External) and found_callee.name == "getAmplifyDataClientConfig"


def handler_exports(module: Module) -> list[HandlerExport]:
    """The module's exported function values with the types they were declared with."""
    resolved = module.resolved
    return [
        export._replace(type_name=None, type_arguments=())
        if imported_from is not None and resolved.get(imported_from) is not None
        else export
        for export, imported_from in module.fact(_declared_exports)
    ]


def _declared_exports(module: Module) -> tuple[tuple[HandlerExport, str | None], ...]:
    """Each export as declared in the file, with the specifier its type is imported from, if it
    is: a type from another workspace file is no `aws-lambda` type (known once imports resolve)."""
    exports: list[tuple[HandlerExport, str | None]] = []
    for name, export in module.exports.items():
        if export.local is None:
            continue
        binding = module.bindings.get(export.local)
        if binding is None or binding.path:
            continue
        if binding.kind == "function":
            declared = binding.value[0] if binding.value is not None else None
            exports.append((HandlerExport(name, declared, None, (), None), None))
            continue
        if binding.kind not in ("const", "let", "var"):
            continue
        declarator = module.file.node_at(binding.at).parent
        type_annotation = declarator.child_by_field_name("type") if declarator is not None else None
        value = unwrap(module.value_of(binding))
        function = value if value is not None and value.type in FUNCTION_KINDS else None
        type_name: External | None = None
        type_args: tuple[Node, ...] = ()
        type_node: Node | None = None
        imported_from = None
        if type_annotation is not None and type_annotation.named_child_count:
            type_node = type_annotation.named_children[0]
            type_name, type_args, imported_from = _lambda_type(module, type_node)
        exports.append(
            (
                HandlerExport(
                    name,
                    byte_range(function) if function is not None else None,
                    type_name,
                    tuple(text(arg) for arg in type_args),
                    text(type_node) if type_node is not None else None,
                ),
                imported_from,
            )
        )
    return tuple(exports)


def _lambda_type(
    module: Module, type_node: Node, depth: int = 0
) -> tuple[External | None, tuple[Node, ...], str | None]:
    """The `aws-lambda` type a type annotation names, through import aliases and local
    `type X = ...` aliases, with its type arguments; and the specifier of the import it comes
    through by name (the type is not from a package when that specifier names a workspace file)."""
    if depth > 16:
        return None, (), None
    args: tuple[Node, ...] = ()
    name_node: Node | None = type_node
    if type_node.type == "generic_type":
        name_node = type_node.child_by_field_name("name")
        type_args_node = type_node.child_by_field_name("type_arguments")
        if type_args_node is not None:
            args = tuple(type_args_node.named_children)
    if name_node is None:
        return None, (), None
    if name_node.type == "type_identifier":
        binding = module.bindings.get(text(name_node))
        if binding is None:
            return None, (), None
        value = module.value_of(binding) if binding.kind == "type" and not args else None
        if value is not None:
            return _lambda_type(module, value, depth + 1)
        if binding.import_ is not None:
            return External(binding.import_.source, binding.import_.imported), args, binding.import_.source
        return None, (), None
    if name_node.type == "nested_type_identifier":
        parts = text(name_node).split(".")
        binding = module.bindings.get(parts[0])
        if binding is not None and binding.import_ is not None and binding.import_.imported == "*":
            return External(binding.import_.source, ".".join(parts[1:])), args, None
    return None, (), None


_RETURNED_KINDS: dict[str, ReturnedKind] = {
    "object": "object",
    "array": "array",
    "string": "string",
    "template_string": "string",
    "number": "number",
    "true": "boolean",
    "false": "boolean",
    "null": "null",
    "regex": "regex",
    "arrow_function": "function",
    "function_expression": "function",
    "class": "class",
    "new_expression": "new",
}


def handler_returns(module: Module, export: HandlerExport) -> list[ReturnedValue]:
    """What the exported function returns: the value of each of its own `return` statements that
    has one, or the body of an arrow function without braces."""
    if export.function is None:
        return []
    body_type = module.fact(_body_type, export.function)
    if body_type is None:
        return []
    if body_type != "statement_block":
        body = module.file.node_at(export.function).child_by_field_name("body")
        assert body is not None  # `_body_type` found it
        returned = [body]
    else:
        values = [r.value for r in own_returns(module, export.function) if r.value is not None]
        if not values:
            return []  # known without the tree
        returned = [module.file.node_at(*value) for value in values]
    from .edit_sites import value_dropped  # edit sites serve fixes: loaded when a handler returns a value

    return [
        ReturnedValue(_returned_kind(value), module.file.location(value), value_dropped(module, value))
        for value in returned
    ]


def _body_type(module: Module, function: ByteRange) -> str | None:
    """The type of the body of the function at `function` (a per-file fact): a `statement_block`,
    or an expression an arrow function returns; None when it has none."""
    body = module.file.node_at(function).child_by_field_name("body")
    return body.type if body is not None else None


def _returned_kind(node: Node) -> ReturnedKind:
    node = unwrap(node)
    if node.type == "await_expression" and node.named_child_count:
        node = unwrap(node.named_children[0])
    return _RETURNED_KINDS.get(node.type, "other")


class _Return(NamedTuple):
    """A `return` statement: the function it returns from, and what it gives back."""

    at: ByteRange
    function: ByteRange | None  # None outside any function
    value: NodeRef | None  # None for a bare `return;`


def own_returns(module: Module, function: ByteRange) -> list[_Return]:
    """`return` statements of the function at `function` itself, not of functions nested in it."""
    return [r for r in module.fact(_return_statements) if r.function == function]


def _return_statements(module: Module) -> tuple[_Return, ...]:
    """Every `return` statement, in document order, found where `return` stands (each starts its statement)."""
    found = []
    for keyword in keywords(module, b"return"):
        statement = keyword.parent
        if statement is None or statement.type != "return_statement" or statement.start_byte != keyword.start_byte:
            continue
        function = enclosing_function(statement)
        value = statement.named_children[0] if statement.named_child_count else None
        found.append(
            _Return(
                byte_range(statement),
                byte_range(function) if function is not None else None,
                node_ref(value) if value is not None else None,
            )
        )
    return tuple(found)


# -- when code runs, and what a Data client does --------------------------------------------------


def _placed(module: Module, node: Node) -> tuple[Site, Runs]:
    """Where `node` stands, and when it runs."""
    site = site_of(module.file.root, node)
    return site, _runs(module, site.on_load, node)


def _runs(module: Module, on_load: bool, node: Node) -> Runs:
    """ "load" when it runs once as the module loads, "handler" when inside the exported handler."""
    if on_load:
        return "load"
    handler = module.fact(_handler_function)
    if handler is not None and handler[0] <= node.start_byte < handler[1]:
        return "handler"
    return "unknown"


def _handler_function(module: Module) -> ByteRange | None:
    """Where the function the module exports as `handler` is written, when it is a function literal."""
    export = module.exports.get("handler")
    binding = module.bindings.get(export.local) if export is not None and export.local else None
    value = unwrap(module.value_of(binding)) if binding is not None else None
    return byte_range(value) if value is not None and value.type in FUNCTION_KINDS else None


_MODEL_OPERATIONS: dict[str, tuple[DataOperationKind, ...]] = {
    "create": ("mutate",),
    "update": ("mutate",),
    "delete": ("mutate",),
    "onCreate": ("listen",),
    "onUpdate": ("listen",),
    "onDelete": ("listen",),
    "observeQuery": ("query", "listen"),
}
_CLIENT_GROUPS: dict[str, tuple[DataOperationKind, ...]] = {
    "queries": ("query",),
    "mutations": ("mutate",),
    "subscriptions": ("listen",),
}
_GRAPHQL_KEYWORDS: dict[str, tuple[DataOperationKind, ...]] = {
    "query": ("query",),
    "mutation": ("mutate",),
    "subscription": ("listen",),
    "{": ("query",),
}


def _data_operations(module: Module, clients: list[ClientCall]) -> list[DataOperation]:
    """Calls through a Data client that signs with IAM (the function's role): `c.models.M.op(...)`,
    `c.queries.q(...)`, `c.graphql({ query })`. Calls made with another auth mode are left out."""
    local = {c.bound_to: c for c in clients if c.bound_to is not None}
    operations: list[DataOperation] = []
    for candidate in _operation_calls(module):
        client = local.get(candidate.root_name) or _client_at(module, candidate.root_name)
        if client is None or _signs_otherwise(client.auth_mode):
            continue
        needed = candidate.needed
        if candidate.auth_mode is not None and needed is not None:  # the call's text says all
            if _signs_otherwise(candidate.auth_mode.value):
                continue
        else:
            if _signs_otherwise(_auth_mode_among(module, candidate.arguments)[0]):
                continue
            needed = needed if needed is not None else _graphql_operation(module, candidate.arguments)
        if needed:
            operations.append(DataOperation(needed, candidate.runs, candidate.location))
    return operations


def _client_reads(module: Module, clients: list[ClientCall]) -> list[ClientRead]:
    """Reads of `models`, `queries`, `mutations`, `subscriptions` or `graphql` off a Data client,
    created here or imported: a client that is built but never read calls nothing."""
    local = {c.bound_to: c for c in clients if c.bound_to is not None}
    reads: list[ClientRead] = []
    for read in _member_reads(module):
        if read.object_name is None:  # generateClient().graphql(...)
            client = next((c for c in clients if c.at == read.object_call), None)
        else:
            client = local.get(read.object_name) or _client_at(module, read.object_name)
        if client is None:
            continue
        # Not called where it is read (`const Todo = client.models.Todo`): its calls' options are unknown.
        mode: Static = UNKNOWN
        mode_location: Location | None = None
        quote: str | None = None
        if read.auth_mode is not None:  # the call's text says it
            mode, quote = read.auth_mode.value, read.auth_mode.quote
            mode_location = module.file.location_at(read.auth_mode.at) if read.auth_mode.at is not None else None
        elif read.call is not None:
            mode, mode_expr = _auth_mode_among(module, read.arguments)
            if mode_expr is not None:
                mode_location, quote = mode_expr.location, _quote_in(module, read.call, mode_expr)
        reads.append(
            ClientRead(
                client,
                read.site,
                read.location,
                read.member_name,
                read.expression,
                read.runs,
                read.model,
                read.operation,
                mode,
                mode_location,
                quote,
            )
        )
    return reads


def _signs_otherwise(auth_mode: Static) -> bool:
    return isinstance(auth_mode, str) and auth_mode not in IAM_AUTH_MODES


def _auth_mode_among(module: Module, arguments: _Arguments) -> tuple[Static, Expr | None]:
    """The `authMode` an operation's options give (`create({...}, { authMode: 'apiKey' })`), if any,
    with its expression: that of the first argument that is, or names, an object literal giving one."""
    for ref, path in arguments:
        shape = object_of(resolve_written(module, ref, path))
        expr = shape.entries.get("authMode") if shape is not None else None
        if expr is not None:
            return expr.evaluate(), expr
    return None, None


def _member_path(node: Node | None) -> tuple[Node, list[str]] | None:
    """`client.models['Todo'].list` -> (client, ['models', 'Todo', 'list'])."""
    props: list[str] = []
    while node is not None and node.type in ("member_expression", "subscript_expression"):
        key = (
            node.child_by_field_name("property")
            if node.type == "member_expression"
            else node.child_by_field_name("index")
        )
        name = property_name(key) if key is not None else None
        if name is None:
            return None
        props.append(name)
        node = node.child_by_field_name("object")
    if node is None or node.type != "identifier":
        return None
    return node, props[::-1]


def _client_at(module: Module, name: str) -> ClientCall | None:
    """The `generateClient(...)` a name refers to, across modules."""
    found = resolve_name(module, name, 1)  # as deep as `resolve` would ask
    if not isinstance(found, Expr) or found.type != "call_expression":
        return None
    for candidate in _fact_calls(found.module):  # a call named `generateClient`: its facts tell
        if candidate.call == found.range:
            origin = resolve_path(found.module, candidate.callee)
            if (
                isinstance(origin, External)
                and origin.source in DATA_CLIENT_MODULES
                and origin.name == "generateClient"
            ):
                return _generate_client_call(found.module, candidate)
            return None
    callee = found.node.child_by_field_name("function")
    origin = resolve(found.module, callee) if callee is not None else None
    if isinstance(origin, External) and origin.source in DATA_CLIENT_MODULES and origin.name == "generateClient":
        return _client_call(found.module, found.node)
    return None


@cache
def _graphql_comment() -> re.Pattern[str]:
    return re.compile(r"#[^\n]*")


def _graphql_operation(module: Module, arguments: _Arguments) -> tuple[DataOperationKind, ...]:
    options = object_of(resolve_written(module, *arguments[0])) if arguments else None
    query = options.entries.get("query") if options is not None else None
    value = query.evaluate() if query is not None else UNKNOWN
    if not isinstance(value, str):
        return ()
    words = _graphql_comment().sub("", value).strip()
    keyword = "{" if words.startswith("{") else words.split("(")[0].split()[0] if words else ""
    return _GRAPHQL_KEYWORDS.get(keyword, ())


def _config_call(module: Module, candidate: _NamedCall) -> DataClientConfigCall:
    first, location = candidate.first, candidate.location
    kind = _written_config_argument(module, first)
    if kind is None:  # the tree tells
        args = call_arguments(module.file.node_at(candidate.call))
        kind = _config_argument(module, args[0] if args else None)
    return DataClientConfigCall(
        location,
        first.text if first is not None else None,
        module.file.location_at(first.at) if first is not None else None,
        kind,
        candidate.awaited,
    )


def _written_config_argument(module: Module, first: _WrittenArgument | None) -> ConfigArgumentKind | None:
    """`_config_argument` of the argument a per-file fact describes; None where it needs the tree (a
    member read that is not a name path, or what resolves to one)."""
    if first is None:
        return "missing"
    if first.process_env:
        return "process.env"
    if first.path is None:
        found: Resolved | str = first.kind  # `resolve` gives the argument itself: its kind tells
    else:
        found = resolve_path(module, first.path)
        if found is None and len(first.path) > 1:
            return None  # `resolve` gives the member read itself: the tree tells
    if isinstance(found, External) and found.source.startswith(ENV_MODULE_PREFIX):
        return "env" if found.name == "env" else "value"  # `env.AWS_REGION` is one string
    kind = found.type if isinstance(found, Expr) else found if isinstance(found, str) else None
    if kind in ("string", "template_string", "number"):
        return "value"
    if kind in ("member_expression", "subscript_expression"):
        return None  # `process.env.X` or not: the tree tells
    return "unknown"


def _written_configure_call(module: Module, candidate: _NamedCall) -> ConfigureCall | None:
    """`_configure_call` of a call whose first argument is a name path (or which has none), where
    that resolves to what needs no tree; None otherwise."""
    location, site, runs = candidate.location, candidate.site, candidate.runs
    if candidate.arguments == 0:
        return ConfigureCall(site, location, "unknown", runs=runs)
    first = candidate.first
    if first is not None and first.path is None and first.kind == "object":
        return _written_literal_configure(module, candidate, first.at)
    if first is None or first.path is None:
        return None
    found = resolve_path(module, first.path)
    if found is None and len(first.path) > 1:
        return None  # `resolve` gives the member read itself: the tree tells
    data_client_config = _from_data_client_config_written(found)
    if data_client_config is None:
        return None
    if data_client_config:
        return ConfigureCall(site, location, "data-client-config", "iam", runs=runs)
    if isinstance(found, External) and found.source.endswith(".json"):
        return ConfigureCall(site, location, "outputs", UNKNOWN, runs=runs)
    if isinstance(found, Expr) and found.type == "object":
        return None  # a literal config: evaluated through the tree
    return ConfigureCall(site, location, "unknown", UNKNOWN, runs=runs)


class _LiteralConfig(NamedTuple):
    """What `_configure_call` reads of an object literal given to `Amplify.configure`, when the
    literal's own text says it (a per-file fact): whether it gives `API.GraphQL`, and there its
    `defaultAuthMode` (None: not given), whether it gives an `apiKey` and `modelIntrospection`, and
    whether it gives `Auth`."""

    graphql: bool
    mode: str | None
    api_key: bool
    models: bool
    auth: bool


def _written_literal_configure(module: Module, candidate: _NamedCall, at: ByteRange) -> ConfigureCall | None:
    """`_configure_call` of a call given an object literal, from what its text says; None where the
    tree tells (a spread, a name, a `defaultAuthMode` that is not a plain string)."""
    config = module.fact(_literal_config, at)
    if config is None:
        return None
    site, location, runs = candidate.site, candidate.location, candidate.runs
    if not config.graphql:
        return ConfigureCall(site, location, "unknown", UNKNOWN, runs=runs)
    return ConfigureCall(
        site,
        location,
        "literal",
        config.mode if config.mode is not None else UNKNOWN,
        has_api_key=config.api_key,
        without_credentials=candidate.arguments == 1 and not config.auth,
        without_models=not config.models,
        runs=runs,
    )


def _literal_config(module: Module, at: ByteRange) -> _LiteralConfig | None:
    """The `_LiteralConfig` of the object literal at `at` (through parentheses and casts), when the
    objects down to `API.GraphQL` are literals whose entries are all named in place and the
    `defaultAuthMode` there is a plain string, if given; else None."""
    top = named_entries(unwrap(module.file.node_at(at)))
    if top is None:
        return None
    api = unwrap(top["API"]) if "API" in top else None
    api_entries = named_entries(api) if api is not None else {}
    graphql = api_entries.get("GraphQL") if api_entries is not None else None
    entries = named_entries(unwrap(graphql)) if graphql is not None else {}
    if api_entries is None or entries is None:
        return None
    if graphql is None:
        return _LiteralConfig(False, None, False, False, "Auth" in top)
    mode = unwrap(entries["defaultAuthMode"]) if "defaultAuthMode" in entries else None
    written = string_value(mode) if mode is not None and mode.type == "string" else None
    if mode is not None and written is None:
        return None
    return _LiteralConfig(True, written, "apiKey" in entries, "modelIntrospection" in entries, "Auth" in top)


def _from_data_client_config_written(found: Resolved) -> bool | None:
    """`_from_data_client_config` where it needs no tree: `resourceConfig` destructured from a
    binding, whose value (through `await`) is a call or not, read from the binding module's per-file
    facts; None where the tree tells (a member read)."""
    if isinstance(found, Destructured):
        if found.path != ("resourceConfig",):
            return False
        called = found.base.module.fact(_called_values)
        if found.base.range not in called:
            return False  # not destructured from a call
        callee = called[found.base.range]
        found_callee = resolve_path(found.base.module, callee) if callee is not None else None
        return isinstance(found_callee, External) and found_callee.name == "getAmplifyDataClientConfig"
    if isinstance(found, Expr) and found.type == "member_expression":
        return None
    return False


def _called_values(module: Module) -> dict[ByteRange, NamePath | None]:
    """For each top-level binding whose value is a call, or an awaited one (through parentheses and
    casts), the value's range with the callee's name path (None when the callee is not one)."""
    found: dict[ByteRange, NamePath | None] = {}
    for binding in module.bindings.values():
        if binding.value is None or binding.value[0] in found:
            continue
        node = unwrap(module.file.node_at(*binding.value))
        if node.type == "await_expression" and node.named_child_count:
            node = unwrap(node.named_children[0])
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            found[binding.value[0]] = name_path(callee) if callee is not None else None
    return found


def _config_argument(module: Module, argument: Node | None) -> ConfigArgumentKind:
    if argument is None:
        return "missing"
    if text(unwrap(argument)) == "process.env":
        return "process.env"
    found = resolve(module, argument)
    if isinstance(found, External) and found.source.startswith(ENV_MODULE_PREFIX):
        return "env" if found.name == "env" else "value"  # `env.AWS_REGION` is one string
    if isinstance(found, Expr):
        node = unwrap(found.node)
        if node.type in ("string", "template_string", "number"):
            return "value"
        if node.type in ("member_expression", "subscript_expression"):
            obj = node.child_by_field_name("object")
            if obj is not None and text(unwrap(obj)) == "process.env":
                return "value"
    return "unknown"


_CONFIG_KEYS = ("resourceConfig", "libraryOptions")


def _awaited(module: Module, call: Node) -> bool | None:
    """False when the promise is destructured or read as the config; True when awaited or
    `.then`-ed; None otherwise (returned, passed on: amplint cannot tell)."""
    parent = call.parent
    while parent is not None and parent.type in (
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
    ):
        parent = parent.parent
    if parent is None:
        return None
    if parent.type == "await_expression":
        return True
    if parent.type == "member_expression":
        prop = text(parent.child_by_field_name("property"))
        return False if prop in _CONFIG_KEYS else (True if prop in ("then", "catch", "finally") else None)
    if parent.type != "variable_declarator":
        return None
    name = parent.child_by_field_name("name")
    if name is not None and name.type == "object_pattern":
        keys = {property_name(e.child_by_field_name("key") or e) for e in name.named_children}
        return False if keys & set(_CONFIG_KEYS) else None
    if name is None or name.type != "identifier":
        return None
    reads, other = 0, 0
    name_bytes = module.file.text[name.start_byte : name.end_byte]
    pattern = re.compile(rb"(?<![\w$.])" + re.escape(name_bytes) + rb"(?![\w$])")
    for match in pattern.finditer(module.file.text):
        node = module.file.root.descendant_for_byte_range(match.start(), match.end())
        if node is None or node == name or node.type != "identifier":
            continue
        use = node.parent
        if (
            use is not None
            and use.type == "member_expression"
            and use.child_by_field_name("object") == node
            and text(use.child_by_field_name("property")) in _CONFIG_KEYS
        ):
            reads += 1
        else:
            other += 1
    return False if reads and not other else None


# -- the exported handler -----------------------------------------------------------------------


def handler_export(module: Module) -> HandlerExportState:
    """Whether the module exports `handler`, the name Lambda calls: "exported", "missing",
    "default-only" (an `export default`, which Lambda does not call), or "unknown"."""
    seen: set[Module] = set()
    state = _handler_export(module, seen)
    if state == "missing" and "default" in module.exports:
        return "default-only"
    return state


def _handler_export(module: Module, seen: set[Module]) -> Literal["exported", "missing", "unknown"]:
    if module in seen:
        return "missing"
    seen.add(module)
    own = module.fact(_own_handler_export)
    if own != "missing":
        return own
    state: Literal["missing", "unknown"] = "missing"
    for source in module.star_exports:
        target = module.resolved.get(source)
        found = _handler_export(target, seen) if target is not None else "unknown"
        if found == "exported":
            return found
        if found == "unknown":
            state = found
    return state


def _own_handler_export(module: Module) -> Literal["exported", "missing", "unknown"]:
    """Whether the file itself exports `handler`, before following `export * from`."""
    if "handler" in module.exports:
        return "exported"
    if _assigns_export(module) or _mentions_exports(module):
        return "unknown"  # `export =` or CommonJS forms amplint does not read
    return "missing"


def _assigns_export(module: Module) -> bool:
    """Whether the file has an `export = ...` statement (found where `export` stands)."""
    return any(
        statement is not None
        and statement.type == "export_statement"
        and any(c.type == "=" for c in statement.children)
        for statement in (keyword.parent for keyword in keywords(module, b"export"))
    )


@cache
def _exports_name() -> re.Pattern[bytes]:
    return re.compile(rb"(?<![\w$.])exports(?![\w$])|(?<=module\.)exports(?![\w$])")


def _mentions_exports(module: Module) -> bool:
    """Whether code (not a comment or string) names `exports` or `module.exports`."""
    root = module.file.root
    for match in _exports_name().finditer(module.file.text):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is not None and node.type in ("identifier", "property_identifier"):
            return True
    return False
