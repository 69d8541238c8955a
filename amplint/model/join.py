"""The cross-file join: the modules of one root with their imports resolved, every `define*` call of
@aws-amplify/backend (functions, data, auth, storage), the `defineBackend` registrations and
`backend.<key>` uses, and the references through which data, auth and storage use functions.

`join_files` reads them once, in that order; `model/backend.py` records the result for the checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, Literal

from tree_sitter import Node

from ..amplify import AMPLIFY_BACKEND, DEFAULT_TIMEOUT_SECONDS
from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import (
    FUNCTION_KINDS,
    ByteRange,
    NamePath,
    NodeRef,
    SourceFile,
    ancestors,
    byte_range,
    call_arguments,
    declared_name,
    name_path,
    node_ref,
    property_name,
    string_value,
    text,
    unwrap,
)
from .cdk import cdk_name, duration_of
from .loading import runs_on_load
from .modules import (
    Module,
    build_module,
    define_calls,
    join_imports,
    members_named,
    new_expressions,
    property_reads,
    reference_calls,
)
from .values import (
    MAX_DEPTH,
    UNKNOWN,
    Expr,
    External,
    ObjectShape,
    Resolved,
    Static,
    entry_key,
    evaluate,
    is_member_of_call,
    named_entries,
    object_at,
    resolve,
    resolve_expr,
    resolve_path,
    resolve_written,
)

DEFAULT_RESOURCE_GROUP = "function"

# What a `defineData`, `defineAuth` or `defineStorage` call defines (and the built-in stack it lands in).
ResourceKind = Literal["data", "auth", "storage"]
# Where a function's resolved name comes from: its `name`, its `entry` file, its folder; none for
# a custom function (`defineFunction((scope) => ...)`).
NameSource = Literal["name", "entry", "folder", "custom"]
# How data, auth or storage refers to a function.
ReferenceKind = Literal["allow.resource", "a.handler.function", "functions", "trigger", "sender"]
# For `allow.resource`: the rules it stands in; for the others, the resource kind.
ReferenceLevel = Literal["schema", "model", "field", "custom-operation", "data", "auth", "storage", "unknown"]
# The resource that refers; "unknown" for an `access` callback amplint cannot place.
ReferenceResource = Literal["data", "auth", "storage", "unknown"]


def is_amplify_api(found: Any, name: str) -> bool:
    """True when `found` (a resolution result) is `name` exported by `@aws-amplify/backend`."""
    return isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name == name


# Lambda function constructs of CDK: (module, class).
_LAMBDA_CLASSES = {
    ("aws-cdk-lib/aws-lambda", "Function"),
    ("aws_lambda", "Function"),
    ("aws-cdk-lib/aws-lambda-nodejs", "NodejsFunction"),
    ("aws_lambda_nodejs", "NodejsFunction"),
    ("@aws-cdk/aws-lambda-python-alpha", "PythonFunction"),
}


def is_lambda_class(module: Module, node: Node | None) -> bool:
    name = cdk_name(resolve(module, node)) if node is not None else None
    return name is not None and (name[0], name[1].rsplit(".", 1)[-1]) in _LAMBDA_CLASSES


def prop_value(props: ObjectShape | None, key: str, default: Any = UNKNOWN) -> Any:
    """The static value of a `define*` prop: `default` when absent from a complete object, UNKNOWN
    when it may be there but cannot be read."""
    expr = props.entries.get(key) if props is not None else None
    if expr is None:
        return default if props is not None and props.complete else UNKNOWN
    return evaluate(expr.module, expr.node)


def _site_value(site: CallSite, key: str, default: Any) -> Any:
    """`prop_value` of a call's options, from what its text says where that is enough: an option it
    does not name, or one of its placing options written as a plain string; else its expression's
    (which follows a name through the facts)."""
    written = site.written
    if written is None:
        return prop_value(site.props, key, default)
    for name, value in written.values:
        if name == key:
            return value
    expr = site.written_prop(key)
    return default if expr is None else expr.evaluate()  # absent from options written whole in the call


def static_value(expr: Expr) -> Static:
    """The static value of an expression the model hands out (UNKNOWN when not static)."""
    return expr.evaluate()


class OptionEntry(NamedTuple):
    """`key: value` in an options object amplint reads: a `define*` call's options, or an object
    among them (`environment`, `layers`, `durableConfig`, ...)."""

    key: str
    key_at: ByteRange  # the model's own: checks read `key_location`
    value: Expr
    in_literal: bool  # written in the object literal itself, not brought in by a spread

    @property
    def key_location(self) -> Location:
        return self.value.module.file.location_at(self.key_at)

    @property
    def location(self) -> Location:
        """Where the value is written."""
        return self.value.location

    @property
    def static(self) -> Static:
        """The value, statically evaluated (UNKNOWN when not static)."""
        return static_value(self.value)

    @property
    def source(self) -> str:
        """The value as written."""
        return self.value.text

    @property
    def literal_object(self) -> OptionsObject | None:
        """The value's entries when it is an object literal written in place (`{ ... }`), else None."""
        if unwrap(self.value.node).type != "object":
            return None
        return options_object(self.value.object_shape())


class OptionsObject(NamedTuple):
    """An object literal's statically named entries, key by key, in source order."""

    entries: Mapping[str, OptionEntry]
    complete: bool  # False when a spread or a computed key may add entries amplint cannot see


def options_object(shape: ObjectShape | None) -> OptionsObject | None:
    """The entries of an object literal as option records; None when there is no object literal."""
    if shape is None:
        return None
    entries = {}
    for key, value in shape.entries.items():
        at = shape.keys[key]
        start, end = shape.expr.range
        in_literal = start <= at[0] < end
        entries[key] = OptionEntry(key, at, value, in_literal)
    return OptionsObject(entries, shape.complete)


class _Definition:
    """A `define*` call of @aws-amplify/backend that the model keeps (compared and hashed by
    identity): where it is, and its options, read from what its text says where that says all
    (`WrittenOptions`), else from the module's tree on first use (see `CallSite`)."""

    __slots__ = ("module", "site")

    def __init__(self, module: Module, site: CallSite) -> None:
        self.module = module
        self.site = site

    @property
    def at(self) -> ByteRange:
        """Where the call is."""
        return self.site.at

    @property
    def call(self) -> Node:
        return self.site.call

    @property
    def callee(self) -> Node:
        return self.site.callee

    @property
    def props(self) -> ObjectShape | None:
        """The options object; None when it is not an object literal (unknown), or not given."""
        return self.site.props

    @property
    def location(self) -> Location:
        return self.module.file.location_at(self.site.callee_at)

    def prop(self, key: str) -> Expr | None:
        written = self.site.written
        if written is not None:  # known without reading the options object
            return self.site.written_prop(key)
        return self.props.entries.get(key) if self.props is not None else None

    def value(self, key: str, default: Any = UNKNOWN) -> Any:
        """The static value of a prop; `default` when absent from a complete object; UNKNOWN when
        it may be there but cannot be read."""
        return _site_value(self.site, key, default)

    @property
    def declared(self) -> tuple[str, ByteRange] | None:
        """The name `const <name> = define...(...)` binds the call's value to, and where it stands."""
        written = self.site.written
        return written.declared if written is not None else _declared(self.call)


class FunctionDef(_Definition):
    """One `defineFunction(...)` call (one object per call: compared and hashed by identity). Its
    nodes and options object are read from the module's tree on first use (see `CallSite`)."""

    __slots__ = (
        "custom",
        "name",
        "name_source",
        "entry",
        "resource_group",
        "handler",
        "_object_options",
    )

    def __init__(
        self,
        module: Module,
        site: CallSite,
        custom: bool,
        name: str | Any,
        name_source: NameSource,
        entry: Path | None,
        resource_group: str | Any,
        handler: Module | None = None,
    ) -> None:
        super().__init__(module, site)
        self.custom = custom  # defineFunction((scope) => ..., { resourceGroupName })
        self.name = name  # resolved exactly as Amplify does; UNKNOWN when not static
        self.name_source = name_source
        self.entry = entry  # None for custom functions or a non-static entry
        self.resource_group = resource_group  # str, or UNKNOWN when not static
        self.handler = handler  # the entry's module, when amplint reads it
        self._object_options: dict[str, OptionsObject | None] = {}  # `object_option`, by key

    def __repr__(self) -> str:
        line = self.module.file.span_at(self.site.at).start_line
        return f"FunctionDef({self.name!r}, {self.module!r}:{line})"

    @property
    def written_environment(self) -> frozenset[str] | None:
        """The names `environment` sets when the call's text says all of them (see `WrittenOptions`):
        the empty set when the options have no `environment`; None when they must be read."""
        written = self.site.written
        if written is None:
            return None
        if "environment" not in written.keys:
            return frozenset()
        return frozenset(written.environment) if written.environment is not None else None

    @property
    def timeout(self) -> tuple[Any, Expr | None]:
        """The function's timeout in seconds and the expression that sets it: `timeoutSeconds`
        (Amplify's default 3), or for a custom function the `timeout` of the one Lambda construct
        its callback creates (CDK's default 3); UNKNOWN when amplint cannot tell."""
        if not self.custom:
            value = self.value("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS)
            return value, self.prop("timeoutSeconds")
        args = call_arguments(self.call)
        callback = unwrap(args[0]) if args else None
        constructs = [
            new
            for new in new_expressions(self.module)
            if callback is not None
            and callback.start_byte <= new.start_byte < callback.end_byte
            and is_lambda_class(self.module, new.child_by_field_name("constructor"))
        ]
        if len(constructs) != 1:
            return UNKNOWN, None
        construct_args = call_arguments(constructs[0])
        props = object_at(self.module, construct_args[2]) if len(construct_args) > 2 else None
        if props is None:
            return UNKNOWN, None
        expr = props.entries.get("timeout")
        if expr is None:
            return (3, None) if props.complete else (UNKNOWN, None)
        duration = duration_of(expr)
        return (duration.seconds if duration is not None else UNKNOWN), expr

    @property
    def binding(self) -> str | None:
        """The name the `defineFunction(...)` result is bound to (`const report = defineFunction(...)`)."""
        declared = self.declared
        return declared[0] if declared is not None else None

    @property
    def label(self) -> str:
        return f"`{self.name}`" if isinstance(self.name, str) else "this function"

    @property
    def stack(self) -> str | Any:
        """The nested stack the function is placed in (its resource group)."""
        return self.resource_group

    @property
    def name_location(self) -> Location:
        """Where the resolved name comes from: the `name`, else the `entry`, else the call."""
        expr = self.prop(self.name_source) if self.name_source in ("name", "entry") else None
        return expr.location if expr is not None else self.location

    @property
    def entry_location(self) -> Location:
        expr = self.prop("entry")
        return expr.location if expr is not None else self.location

    @property
    def source_order(self) -> tuple[str, int]:
        """Sort key: the file, then where the call starts in it."""
        return str(self.module.path), self.site.at[0]

    @property
    def options(self) -> OptionsObject | None:
        """The options object's entries (the second argument of a custom function); None when
        not an object literal."""
        return options_object(self.props)

    @property
    def inline_options(self) -> OptionsObject | None:
        """The options when written as an object literal in the call itself (TypeScript checks
        excess properties only there); None for a custom function."""
        return None if self.custom else _inline_options(self.call, self.props)

    def object_option(self, key: str) -> OptionsObject | None:
        """The entries of the object literal a prop evaluates to (`environment`, `layers`, ...);
        read once: several checks ask."""
        if key in self._object_options:
            return self._object_options[key]
        expr = self.prop(key)
        found = self._object_options[key] = options_object(expr.object_shape()) if expr is not None else None
        return found

    @property
    def schedules(self) -> tuple[ScheduleEntry, ...]:
        """Each schedule of the `schedule` prop: the value itself, or the elements of an array
        literal (through spreads of arrays)."""
        expr = self.prop("schedule")
        return schedule_entries(expr) if expr is not None else ()


class ResourceDef(_Definition):
    """A `defineData`, `defineAuth` or `defineStorage` call (compared and hashed by identity): its
    nodes and options are read from the module's tree when first asked for."""

    __slots__ = ("kind",)

    def __init__(self, kind: ResourceKind, module: Module, site: CallSite):
        super().__init__(module, site)
        self.kind = kind

    def __repr__(self) -> str:
        return f"ResourceDef({self.kind!r}, {self.module!r}:{self.module.file.span_at(self.at).start_line})"

    @property
    def options_complete(self) -> bool | None:
        """Whether amplint sees every option: True for options it reads whole, False when a part is
        hidden (a spread it cannot follow), None when they are not an object literal, or not given."""
        if self.site.written is not None:
            return True
        return self.props.complete if self.props is not None else None

    @property
    def on_load(self) -> bool:
        """Whether the call certainly runs as its module loads (`loading.runs_on_load`)."""
        written = self.site.written
        return written.on_load if written is not None else runs_on_load(self.call)

    @property
    def inline_options(self) -> OptionsObject | None:
        """The options when written as an object literal in the call itself (TypeScript checks
        excess properties only there)."""
        return _inline_options(self.call, self.props)

    @property
    def stack(self) -> ResourceKind:
        return self.kind  # Amplify's built-in groups: 'data', 'auth', 'storage'


def _inline_options(call: Node, props: ObjectShape | None) -> OptionsObject | None:
    args = call_arguments(call)
    if props is None or not args or unwrap(args[0]).type != "object" or unwrap(args[0]) != props.node:
        return None
    return options_object(props)


class ScheduleEntry(NamedTuple):
    """One schedule of a `defineFunction({ schedule })`: the value, or one element of an array."""

    expr: Expr  # the model's own: checks read `value` and the locations

    @property
    def value(self) -> Static:
        return static_value(self.expr)

    @property
    def location(self) -> Location:
        return self.expr.location

    def field_location(self, field: str | None) -> Location:
        """Where a key of the object form is written (`rate`, `cron`, `timezone`); the whole
        schedule when there is no such key."""
        if field:
            shape = self.expr.object_shape()
            if shape is not None and field in shape.entries:
                return shape.entries[field].location
        return self.expr.location


def schedule_entries(expr: Expr) -> tuple[ScheduleEntry, ...]:
    """The schedules a `schedule` value holds: the value itself, or each element of an array
    literal, spreads of arrays followed (iteratively, `MAX_DEPTH` arrays deep at most)."""
    found: list[ScheduleEntry] = []
    # What is still to read, next last: (expression, whether to open it as an array, arrays deep).
    pending: list[tuple[Expr, bool, int]] = [(expr, True, 0)]
    while pending:
        current, expand, depth = pending.pop()
        if not expand:
            found.append(ScheduleEntry(current))
            continue
        array = resolve(current.module, current.node)
        if not isinstance(array, Expr) or array.type != "array":
            found.append(ScheduleEntry(current))
            continue
        if depth >= MAX_DEPTH:
            continue  # arrays spread into themselves: nothing certain to read
        elements: list[tuple[Expr, bool, int]] = []
        for element in array.node.named_children:
            if element.type == "spread_element":
                inner = element.named_children[0] if element.named_child_count else None
                if inner is not None:
                    elements.append((Expr(array.module, inner), True, depth + 1))
            elif element.type != "comment":
                elements.append((Expr(array.module, element), False, depth))
        pending.extend(reversed(elements))
    return tuple(found)


class Registration(NamedTuple):
    """`key: value` in `defineBackend({ ... })`."""

    key: str
    key_at: ByteRange
    value: Expr


class BackendUse(NamedTuple):
    """`backend.<key>` in the backend module."""

    key: str
    at: ByteRange  # the property
    member_at: ByteRange  # the whole `backend.<key>` expression
    file: SourceFile  # the backend module's

    @property
    def node(self) -> Node:
        """The property, as a node of the backend module's tree."""
        return self.file.node_at(self.at, "property_identifier")

    @property
    def member(self) -> Node:
        """The whole `backend.<key>` expression, as a node of the backend module's tree."""
        return self.file.node_at(self.member_at, "member_expression")

    @property
    def location(self) -> Location:
        """The property (`<key>`): worked out when a finding needs it (a backend.ts uses many keys)."""
        return self.file.location_at(self.at)


class ExtraArgument(NamedTuple):
    """An argument after the first of `defineBackend(...)`, which takes only one."""

    source: str  # as written
    location: Location


class DefineBackend:
    """The `defineBackend(...)` call (the first one amplint finds)."""

    __slots__ = ("module", "site", "registrations", "complete", "binding", "uses", "extra_arguments")

    def __init__(
        self,
        module: Module,
        site: CallSite,
        registrations: Mapping[str, Registration],
        complete: bool,
        binding: str | None,
        uses: tuple[BackendUse, ...] = (),
        extra_arguments: tuple[ExtraArgument, ...] = (),
    ) -> None:
        self.module = module
        self.site = site
        self.registrations = registrations
        self.complete = complete  # False when a spread, computed key or unresolvable argument hides keys
        self.binding = binding  # `const backend = defineBackend(...)`
        self.uses = uses
        self.extra_arguments = extra_arguments  # defineBackend takes one argument; anything after it

    def __repr__(self) -> str:
        return f"DefineBackend({self.module!r}, {sorted(self.registrations)})"

    @property
    def call(self) -> Node:
        return self.site.call

    @property
    def location(self) -> Location:
        """Where `defineBackend` is called: its callee."""
        return self.module.file.location_at(self.site.callee_at)


class FunctionReference(NamedTuple):
    """A place where data, auth or storage refers to a function, which makes it depend on it."""

    kind: ReferenceKind
    level: ReferenceLevel
    resource: ReferenceResource
    expr: Expr  # the argument that names the function
    site: Expr  # the referencing call (allow.resource(...), a.handler.function(...)) or the value
    function: FunctionDef | None  # None when the argument cannot be followed
    operations: Any = None  # `.to([...])` value for allow.resource, UNKNOWN when not static
    operations_at: ByteRange | None = None  # where the argument of `.to(...)` is
    is_async: bool = False  # a.handler.function(fn).async()
    owner: ResourceDef | None = None  # the defineAuth/defineStorage whose `access` or `triggers` it is in
    callee_at: ByteRange | None = None  # where the callee of the referencing call is (`allow.resource`)
    # The elements of `.to([...])`, each with its value and where it is, when each is a plain string
    # (None: read them from the tree).
    listed: tuple[tuple[str, ByteRange], ...] | None = None
    # For an entry of `triggers`, `functions` or `senders`: its key (`postConfirmation`, `email`).
    key: str | None = None

    @property
    def call(self) -> Node:
        """The referencing call, or the value, as a node of its module's tree."""
        return self.site.node

    @property
    def callee_location(self) -> Location:
        """Where the referencing call's callee is (`allow.resource`); the site itself for a reference
        that is no call."""
        return self.site.module.file.location_at(self.callee_at) if self.callee_at is not None else self.site.location


class Joined(NamedTuple):
    """What the join found in one root's files."""

    modules: Mapping[Path, Module]
    functions: tuple[FunctionDef, ...]
    resources: tuple[ResourceDef, ...]
    define_backend: DefineBackend | None
    references: tuple[FunctionReference, ...]
    functions_by_call: Mapping[tuple[Path, int], FunctionDef]  # by (module path, call start byte)

    def function_at(self, module: Module, node: Node) -> FunctionDef | None:
        """The function an expression evaluates to, following names across modules."""
        return _function_at(self.functions_by_call, module, node)


def join_files(files: Iterable[SourceFile]) -> Joined:
    """Build each file's module, then join them (`join_modules`)."""
    return join_modules(build_module(f) for f in files)


def join_modules(built: Iterable[Module]) -> Joined:
    """Resolve the imports between the modules of one root, and read the backend's definitions and
    the references between them. A module may come from an earlier join (a long-running session keeps
    the module of each unchanged file): its imports are resolved for this set of files
    (`join_imports`)."""
    modules: dict[Path, Module] = {module.path: module for module in built}
    by_name = {str(path): module for path, module in modules.items()}
    join_imports(modules, by_name)
    reader = _Reader(modules, by_name)
    reader.read_calls()
    return Joined(
        modules,
        tuple(reader.functions),
        tuple(reader.resources),
        reader.define_backend,
        tuple(reader.references),
        reader.by_call,
    )


def _function_at(by_call: Mapping[tuple[Path, int], FunctionDef], module: Module, node: Node) -> FunctionDef | None:
    return function_resolved_to(by_call, resolve(module, node))


def function_resolved_to(by_call: Mapping[tuple[Path, int], FunctionDef], found: Resolved) -> FunctionDef | None:
    """The function whose `defineFunction(...)` call an expression resolves to (`found`), if any."""
    if isinstance(found, Expr) and found.type == "call_expression":
        return by_call.get((found.module.path, found.range[0]))
    return None


class _Reader:
    """The join's state while it reads: what it has found so far."""

    def __init__(self, modules: Mapping[Path, Module], by_name: Mapping[str, Module]) -> None:
        self.modules = modules
        self.by_name = by_name  # the same modules, by path as a string
        self.functions: list[FunctionDef] = []
        self.resources: list[ResourceDef] = []
        self.define_backend: DefineBackend | None = None
        self.references: list[FunctionReference] = []
        self.by_call: dict[tuple[Path, int], FunctionDef] = {}

    def function_at(self, module: Module, node: Node) -> FunctionDef | None:
        return _function_at(self.by_call, module, node)

    def read_calls(self) -> None:
        backend_calls: list[tuple[Module, CallSite]] = []
        for module in self.modules.values():
            if not define_calls(module):
                continue
            # What each call is, read through the module's imports: kept between the runs of a
            # session while they are unchanged; the records of this run are made from it.
            for read in module.carried("define calls", partial(_read_define_calls, module)):
                if read.kind == "function":
                    self._add_function(module, read)
                elif read.kind == "backend":
                    backend_calls.append((module, read.site))
                else:
                    site = read.site
                    self.resources.append(ResourceDef(read.kind, module, site))
        if backend_calls:
            self.define_backend = _read_define_backend(*backend_calls[0])
        self._read_references()

    def _add_function(self, module: Module, read: _DefineCall) -> None:
        function = read.function
        assert function is not None
        entry_name = function.entry_name
        handler = self.by_name.get(entry_name) if entry_name is not None else None
        entry_path = (handler.path if handler is not None else Path(entry_name)) if entry_name is not None else None
        fn = FunctionDef(
            module,
            read.site,
            function.custom,
            function.name,
            function.name_source,
            entry_path,
            function.resource_group,
            handler,
        )
        self.functions.append(fn)
        self.by_call[(module.path, read.site.at[0])] = fn

    def _read_references(self) -> None:
        for module in self.modules.values():
            calls = reference_calls(module)
            if not calls:
                continue
            sites = module.fact(_reference_sites)
            for (_, _, callee), site in zip(calls, sites):
                if isinstance(site, _AllowSite):
                    self._read_allow_resource(module, site)
                elif isinstance(site, _HandlerSite) and callee is not None:
                    found = resolve_path(module, callee)
                    if (
                        isinstance(found, External)
                        and found.source == AMPLIFY_BACKEND
                        and found.name == "a.handler.function"
                    ):
                        self._read_handler_function(module, site)
        for resource in self.resources:
            if resource.kind == "data":
                self._read_named_functions(resource, "functions", "functions")
            else:
                self._read_named_functions(resource, "triggers", "trigger")
            if resource.kind == "auth":
                self._read_senders(resource)

    def _read_allow_resource(self, module: Module, site: _AllowSite) -> None:
        if site.place is not None:
            level, resource = site.place
        else:
            assert site.receiver is not None  # what decides where the callback sits
            level, resource = _receiver_kind(module, *site.receiver), "data"
        operations: Any = None
        if site.to_called:
            operations = (
                UNKNOWN
                if site.to is None
                else [value for value, _ in site.listed]
                if site.listed is not None
                else evaluate(module, module.file.node_at(*site.to))
            )
        owner = None
        if level in ("auth", "storage"):
            calls = {r.at: r for r in self.resources if r.module is module}
            owner = next((calls[at] for at in site.enclosing if at in calls), None)
        argument, path = site.argument
        self.references.append(
            FunctionReference(
                "allow.resource",
                level,
                resource,
                Expr.at(module, argument),
                Expr.at(module, (site.at, "call_expression")),
                self._function_of(module, argument, path),
                operations,
                site.to[0] if site.to is not None else None,
                owner=owner,
                callee_at=site.callee,
                listed=site.listed,
            )
        )

    def _function_of(self, module: Module, argument: NodeRef, path: NamePath | None) -> FunctionDef | None:
        """`function_at` of an argument by its range and name path (no tree needed for a name path)."""
        return function_resolved_to(self.by_call, resolve_written(module, argument, path))

    def _read_handler_function(self, module: Module, site: _HandlerSite) -> None:
        argument, path = site.argument
        self.references.append(
            FunctionReference(
                "a.handler.function",
                "data",
                "data",
                Expr.at(module, argument),
                Expr.at(module, (site.at, "call_expression")),
                self._function_of(module, argument, path),
                is_async=site.is_async,
            )
        )

    def _read_named_functions(self, resource: ResourceDef, key: str, kind: ReferenceKind) -> None:
        expr = resource.prop(key)
        if expr is None:
            return
        shape = expr.object_shape()
        if shape is None:
            return
        for name, value in shape.entries.items():
            self.references.append(
                FunctionReference(
                    kind,
                    resource.kind,
                    resource.kind,
                    value,
                    value,
                    function_resolved_to(self.by_call, resolve_expr(value)),
                    owner=resource,
                    key=name,
                )
            )

    def _read_senders(self, auth: ResourceDef) -> None:
        """`defineAuth({ senders: { email: { handler: fn } } })`: auth invokes the function."""
        expr = auth.prop("senders")
        shape = expr.object_shape() if expr is not None else None
        for name, sender in shape.entries.items() if shape is not None else ():
            config = sender.object_shape()
            handler = config.entries.get("handler") if config is not None else None
            if handler is not None:
                self.references.append(
                    FunctionReference(
                        "sender",
                        "auth",
                        "auth",
                        handler,
                        handler,
                        function_resolved_to(self.by_call, resolve_expr(handler)),
                        owner=auth,
                        key=name,
                    )
                )


class _FunctionRead(NamedTuple):
    """What a `defineFunction(...)` call says, before its entry is looked up among this run's files."""

    custom: bool
    name: str | Any
    name_source: NameSource
    entry_name: str | None  # the entry's path, as a string; None for a custom or non-static entry
    resource_group: str | Any


class CallSite:
    """A `define*` call of a module, by its range: its node, its callee and its options object,
    read from the module's tree when first asked for (a call whose options the join could read
    from the module's per-file facts needs no tree until a check reads them), then kept: a session
    keeps the site with the read of the module's calls it belongs to."""

    __slots__ = ("module", "at", "callee_at", "custom", "written", "resource", "_call", "_props", "_props_read")

    def __init__(
        self,
        module: Module,
        at: ByteRange,
        callee_at: ByteRange,
        custom: bool,
        written: WrittenOptions | None = None,
        resource: bool = False,
    ) -> None:
        self.module = module
        self.at = at
        self.callee_at = callee_at
        self.custom = custom  # `defineFunction((scope) => ..., { ... })`: its options are the second argument
        self.written = written  # what the call's text says of its options, when it says all
        # A `defineData`, `defineAuth` or `defineStorage` call: its options are its first argument,
        # and there are none when it has no argument (a resource has no default options object).
        self.resource = resource
        self._call: Node | None = None
        self._props: ObjectShape | None = None
        self._props_read = False

    @classmethod
    def of(cls, module: Module, call: Node, callee: Node, custom: bool = False, resource: bool = False) -> CallSite:
        """The site of a call read from the tree, its nodes known."""
        site = cls(module, byte_range(call), byte_range(callee), custom, resource=resource)
        site._call = call
        return site

    @property
    def call(self) -> Node:
        if self._call is None:
            self._call = self.module.file.node_at(self.at, "call_expression")
        return self._call

    @property
    def callee(self) -> Node:
        callee = self.call.child_by_field_name("function")
        assert callee is not None  # a call's callee: what the name path was read from
        return callee

    @property
    def props(self) -> ObjectShape | None:
        """The options object (the first argument, or a custom function's second); None when it is
        not an object literal."""
        if not self._props_read:
            self._props = _call_props(self.module, self.call, self.resource)
            self._props_read = True
        return self._props

    def written_prop(self, key: str) -> Expr | None:
        """The expression of the option `key` as the call's text writes it (for a site whose options
        are `written`); None when they do not name it."""
        written = self.written
        assert written is not None
        return Expr.at(self.module, written.entries[written.keys.index(key)][1]) if key in written.keys else None


def _call_props(module: Module, call: Node, resource: bool) -> ObjectShape | None:
    if resource:
        args = call_arguments(call)
        return object_at(module, args[0]) if args else None
    props_node = _options_argument(call)[1]
    return ObjectShape(Expr(module, call), {}, {}, True) if props_node is None else object_at(module, props_node)


def _options_argument(call: Node) -> tuple[bool, Node | None]:
    """Whether a `defineFunction` call defines a custom function (`defineFunction((scope) => ...,
    {...})`), and the argument its options are: the first, or a custom function's second; None when
    there is none."""
    args = call_arguments(call)
    first = unwrap(args[0]) if args else None
    custom = first is not None and first.type in FUNCTION_KINDS
    return custom, args[1] if custom and len(args) > 1 else (args[0] if args and not custom else None)


class _DefineCall(NamedTuple):
    """A `define*` call of @aws-amplify/backend in one module: which one, and where."""

    kind: ResourceKind | Literal["function", "backend"]
    site: CallSite
    function: _FunctionRead | None = None


class WrittenOptions(NamedTuple):
    """What a `define*` call's own text says of its options, when they are an object literal written
    in the call whose entries are all named there (no spread, no computed key) (a per-file fact):
    the join then places the function (its placing options written as plain strings, or followed
    through the facts), and a check learns which options are absent, without the module's tree."""

    callee: ByteRange
    custom: bool
    declared: tuple[str, ByteRange] | None  # `const <name> = defineFunction(...)`: the name and where
    keys: tuple[str, ...]  # every option the object names (a tuple: smaller than a set of a few)
    entries: tuple[tuple[ByteRange, NodeRef], ...]  # where each key is, and its expression as `object_shape` gives it
    arguments: int  # how many arguments the call is given
    values: tuple[tuple[str, str], ...]  # `name`, `entry` and `resourceGroupName`, where plain strings
    environment: tuple[str, ...] | None  # the names of `environment` when it is such an object too
    on_load: bool  # whether the call certainly runs as its module loads (`loading.runs_on_load`)


_PLACING_OPTIONS = ("name", "entry", "resourceGroupName")


def _written_options(module: Module) -> tuple[WrittenOptions | None, ...]:
    """For each of the module's `define*` calls (`define_calls`), its `WrittenOptions`, or None when
    its options are not written so (then the join reads them through the tree, following names and
    spreads)."""
    found: list[WrittenOptions | None] = []
    for at, _ in define_calls(module):
        call = module.file.node_at(at, "call_expression")
        callee = call.child_by_field_name("function")
        custom, props = _options_argument(call)
        entries = named_entries(unwrap(props)) if props is not None else {}
        if callee is None or entries is None:
            found.append(None)
            continue
        values = _placing_values(entries)
        environment = entries.get("environment")
        names = named_entries(unwrap(environment)) if isinstance(environment, Node) else None
        found.append(
            WrittenOptions(
                byte_range(callee),
                custom,
                _declared(call),
                tuple(entries),
                tuple((byte_range(entry_key(value)), node_ref(value)) for value in entries.values()),
                len(call_arguments(call)),
                tuple(values.items()),
                tuple(names) if names is not None else None,
                runs_on_load(call),
            )
        )
    return tuple(found)


def _declared(call: Node) -> tuple[str, ByteRange] | None:
    """The name a `const <name> = <call>` declaration binds the call's value to, and where it
    stands; None when the call is not bound to a plain name."""
    name = declared_name(call)
    return (text(name), byte_range(name)) if name is not None else None


def _placing_values(entries: Mapping[str, Node]) -> dict[str, str]:
    """`name`, `entry` and `resourceGroupName` among an object's entries, where given as a plain
    string (`_site_value` evaluates the others)."""
    values: dict[str, str] = {}
    for key in _PLACING_OPTIONS:
        literal = unwrap(entries[key]) if key in entries else None
        written = string_value(literal) if literal is not None and literal.type == "string" else None
        if written is not None:
            values[key] = written
    return values


_RESOURCE_CALLS: dict[str, ResourceKind] = {"defineData": "data", "defineAuth": "auth", "defineStorage": "storage"}


def _read_define_calls(module: Module) -> tuple[_DefineCall, ...]:
    """The module's `define*` calls that are @aws-amplify/backend's, in source order (names followed
    through its imports): each site from what the call's text says of its options when it says all
    (`WrittenOptions`; the options of a resource or of `defineBackend` must be its first argument),
    else from the tree."""
    found = []
    for index, (at, path) in enumerate(define_calls(module)):
        resolved = resolve_path(module, path) if path is not None else None
        if not isinstance(resolved, External) or resolved.source != AMPLIFY_BACKEND:
            continue
        name = resolved.name
        if name not in ("defineFunction", "defineBackend") and name not in _RESOURCE_CALLS:
            continue
        resource = name in _RESOURCE_CALLS
        written = module.fact(_written_options)[index]
        if written is not None and (name == "defineFunction" or not written.custom):
            site = CallSite(module, at, written.callee, written.custom, written, resource)
        else:
            call = module.file.node_at(at)
            callee = call.child_by_field_name("function")  # what the name path was read from
            assert callee is not None
            custom = name == "defineFunction" and _options_argument(call)[0]
            site = CallSite.of(module, call, callee, custom, resource)
        if name == "defineFunction":
            found.append(_DefineCall("function", site, _function_read(module, site.custom, partial(_site_value, site))))
        elif name == "defineBackend":
            found.append(_DefineCall("backend", site))
        else:
            found.append(_DefineCall(_RESOURCE_CALLS[name], site))
    return tuple(found)


def _function_read(module: Module, custom: bool, value: Callable[[str, Any], Any]) -> _FunctionRead:
    """What a `defineFunction(...)` call says of the function's name, entry and stack, as Amplify
    resolves them; `value(key, default)` is the static value of an option (`default` when absent
    from a complete object, UNKNOWN when it may be there but cannot be read)."""
    caller_dir = os.path.dirname(module.file.path)  # strings: no Path built per function
    group = value("resourceGroupName", DEFAULT_RESOURCE_GROUP)
    resource_group = group if isinstance(group, str) else UNKNOWN
    name: str | Any = UNKNOWN
    name_source: NameSource = "name"
    entry_name: str | None = None
    if custom:
        name_source = "custom"
    else:
        given, entry = value("name", None), value("entry", None)
        entry_name = (
            os.path.normpath(os.path.join(caller_dir, entry))
            if isinstance(entry, str)
            else os.path.join(caller_dir, "handler.ts")
            if entry is None
            else None
        )
        if isinstance(given, str):
            name, name_source = given, "name"
        elif given is None and isinstance(entry, str):
            name, name_source = os.path.splitext(os.path.basename(entry))[0], "entry"
        elif given is None and entry is None:
            name, name_source = os.path.basename(caller_dir), "folder"
    return _FunctionRead(custom, name, name_source, entry_name, resource_group)


def _read_define_backend(module: Module, site: CallSite) -> DefineBackend:
    written = site.written
    extra_arguments: tuple[ExtraArgument, ...] = ()  # defineBackend takes one argument
    if written is not None and written.arguments == 1:  # its options, written in place
        registrations = {
            key: Registration(key, key_at, Expr.at(module, value))
            for key, (key_at, value) in zip(written.keys, written.entries)
        }
        binding = written.declared[0] if written.declared is not None else None
        complete = True
    else:
        call = site.call
        args = call_arguments(call)
        shape = object_at(module, args[0]) if args else None
        registrations = {}
        if shape is not None:
            for key, value in shape.entries.items():
                registrations[key] = Registration(key, shape.keys[key], value)
        name = declared_name(call)
        binding = text(name) if name is not None else None
        complete = shape is not None and shape.complete
        extra_arguments = tuple(ExtraArgument(text(extra), module.file.location(extra)) for extra in args[1:])
    uses = (
        tuple(BackendUse(read.property, read.at, read.member, module.file) for read in property_reads(module, binding))
        if binding is not None
        else ()
    )
    return DefineBackend(module, site, registrations, complete, binding, uses, extra_arguments)


_SCHEMA_ROOTS: dict[str, ReferenceLevel] = {
    "schema": "schema",
    "model": "model",
    "query": "custom-operation",
    "mutation": "custom-operation",
    "subscription": "custom-operation",
    "generation": "custom-operation",
    "conversation": "custom-operation",
}


class _AllowSite(NamedTuple):
    """An `allow.resource(fn)` call as its module's text gives it (a per-file fact, `_reference_sites`):
    where its authorization callback sits, as far as the text alone tells, and its arguments."""

    at: ByteRange  # the call
    callee: ByteRange  # `allow.resource`
    # (level, resource) when the text tells them; None when the `.authorization(...)` the callback is
    # given to decides, by what its chain starts from (`receiver`).
    place: tuple[ReferenceLevel, ReferenceResource] | None
    receiver: tuple[NodeRef, NamePath | None] | None  # what the `.authorization(...)` is called on (unwrapped)
    argument: tuple[NodeRef, NamePath | None]  # the first argument, and its name path if it is one
    to_called: bool  # `allow.resource(fn).to(...)`
    to: NodeRef | None  # the argument of `.to(...)`
    listed: tuple[tuple[str, ByteRange], ...] | None  # its elements, when an array of plain strings
    enclosing: tuple[ByteRange, ...]  # the calls around it, innermost first (for an `access` callback)


class _HandlerSite(NamedTuple):
    """A `<...>handler.function(fn)` call as its module's text gives it (a per-file fact)."""

    at: ByteRange
    argument: tuple[NodeRef, NamePath | None]
    is_async: bool  # `.async()` called on it


def _reference_sites(module: Module) -> tuple[_AllowSite | _HandlerSite | None, ...]:
    """For each of the module's `reference_calls`, what the join reads of it: an `_AllowSite` for
    `allow.resource(fn)` inside an authorization callback whose parameter is `allow`, a `_HandlerSite`
    for `handler.function(fn)`; None for a call with no argument, or not in such a callback."""
    found: list[_AllowSite | _HandlerSite | None] = []
    for at, allow, _ in reference_calls(module):
        call = module.file.node_at(at, "call_expression")
        args = call_arguments(call)
        if not args:
            found.append(None)
            continue
        argument = (node_ref(args[0]), name_path(args[0]))
        parent = call.parent
        chained = (
            text(parent.child_by_field_name("property"))
            if parent is not None and parent.type == "member_expression"
            else None
        )
        if allow is None:
            found.append(_HandlerSite(at, argument, chained == "async"))
            continue
        holder = _authorization_holder(call, allow)
        if holder is None:
            found.append(None)
            continue
        to_call = parent.parent if chained == "to" and parent is not None else None
        to_called = to_call is not None and to_call.type == "call_expression"
        to_args = call_arguments(to_call) if to_call is not None and to_called else []
        to = to_args[0] if to_args else None
        callee = call.child_by_field_name("function")
        place = holder if isinstance(holder, tuple) else None
        found.append(
            _AllowSite(
                at,
                byte_range(callee) if callee is not None else at,
                place,
                None if isinstance(holder, tuple) else (node_ref(unwrap(holder)), name_path(holder)),
                argument,
                to_called,
                node_ref(to) if to is not None else None,
                _listed_strings(to) if to is not None else None,
                tuple(byte_range(a) for a in ancestors(call) if a.type == "call_expression")
                if place is not None and place[0] in ("auth", "storage")
                else (),
            )
        )
    return tuple(found)


def _listed_strings(node: Node) -> tuple[tuple[str, ByteRange], ...] | None:
    """The elements of an array literal, each with where it is, when each is a plain string."""
    node = unwrap(node)
    if node.type != "array":
        return None
    listed = []
    for element in node.named_children:
        if element.type == "comment":
            continue
        value = string_value(element) if element.type == "string" else None
        if value is None:
            return None
        listed.append((value, byte_range(element)))
    return tuple(listed)


def _authorization_holder(call: Node, allow_name: str) -> tuple[ReferenceLevel, ReferenceResource] | Node | None:
    """Where an `allow.resource(...)` call sits, as far as the text tells: (level, resource) for the
    `access` callback of defineAuth/defineStorage or a callback given to anything but
    `.authorization(...)`, the chain an `.authorization(...)` is called on (its level is that of
    what the chain starts from, `_receiver_kind`), or None when `allow` is not an authorization
    callback's parameter."""
    for ancestor in ancestors(call):
        if ancestor.type not in ("arrow_function", "function_expression"):
            continue
        if allow_name not in parameter_names(ancestor):
            continue
        holder = ancestor.parent
        if holder is None:
            return None
        key = holder.child_by_field_name("key") if holder.type == "pair" else None
        if key is not None and property_name(key) == "access":
            resource_call = _enclosing_define_call(holder)
            return (resource_call, resource_call) if resource_call else ("unknown", "unknown")
        if holder.type != "arguments":
            return "unknown", "data"
        auth_call = holder.parent
        auth_callee = auth_call.child_by_field_name("function") if auth_call is not None else None
        if (
            auth_callee is None
            or auth_callee.type != "member_expression"
            or text(auth_callee.child_by_field_name("property")) != "authorization"
        ):
            return "unknown", "data"
        receiver = auth_callee.child_by_field_name("object")
        return receiver if receiver is not None else ("unknown", "data")
    return None


def parameter_names(function: Node) -> set[str]:
    """The plain names a function's parameters bind (`(allow) => ...`, `function (a, b = 1)`)."""
    params = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    if params is None:
        return set()
    if params.type == "identifier":
        return {text(params)}
    names = set()
    for param in params.named_children:
        pattern = param.child_by_field_name("pattern") or param
        if pattern.type == "identifier":
            names.add(text(pattern))
    return names


def _enclosing_define_call(node: Node) -> Literal["auth", "storage"] | None:
    for ancestor in ancestors(node):
        if ancestor.type == "call_expression":
            name = text(ancestor.child_by_field_name("function"))
            if name == "defineAuth":
                return "auth"
            if name == "defineStorage":
                return "storage"
            return None
    return None


def _receiver_kind(module: Module, ref: NodeRef, path: NamePath | None) -> ReferenceLevel:
    """Classify the chain an `.authorization(...)` is called on (the expression at `ref`, with its
    name path) by the `a.<x>(...)` at its root: each call as its module's facts give it
    (`chain_call`), a name followed to the expression it is bound to."""
    for _ in range(MAX_DEPTH):
        if ref[1] == "call_expression":
            call = module.fact(chain_call, ref[0])
            if call is None:
                return "unknown"
            found = resolve_written(module, call.callee, call.callee_path, call.callee_opaque)
            if isinstance(found, External) and found.name.startswith("a."):
                return _SCHEMA_ROOTS.get(found.name[2:], "field")
            if call.member is None or call.obj is None:
                return "unknown"  # not a method called on what the chain goes on with
            ref, path = call.obj
        elif ref[1] in ("identifier", "member_expression"):
            found = resolve_written(module, ref, path)
            if not isinstance(found, Expr) or found.range == ref[0]:
                return "unknown"
            module, ref, path = found.module, (found.range, found.type), None
        else:
            return "unknown"
    return "unknown"


def _hidden_grants(module: Module, callback: Node) -> bool:
    """Whether an authorization callback may grant functions in ways amplint does not read: a
    `.resource(...)` call on something other than its `allow` parameter (a helper wrapping it)."""
    names = parameter_names(callback)
    for member in members_named(module, b"resource"):
        if callback.start_byte <= member.start_byte < callback.end_byte:
            obj = member.child_by_field_name("object")
            if obj is None or obj.type != "identifier" or text(obj) not in names:
                return True
    return False


class ChainCall(NamedTuple):
    """A call of a method chain as its module's text gives it (a per-file fact, by the call's range):
    what the walks down a schema's chain (`backend._data_schema`, `_receiver_kind`) read of it."""

    callee: NodeRef
    callee_path: NamePath | None  # the callee's name path, if it is one
    callee_opaque: bool  # a member read off a call's result: `resolve` gives it as itself
    member: str | None  # the property a member callee reads (`authorization`); None for another callee
    obj: tuple[NodeRef, NamePath | None] | None  # what a member callee is read off (unwrapped), and its name path
    # For `.authorization(...)`: its first argument is a callback whose grants amplint reads all (an
    # inline function, every `.resource(...)` in it called on its parameter).
    inline_rules: bool


def chain_call(module: Module, at: ByteRange) -> ChainCall | None:
    call = module.file.node_at(at, "call_expression")
    callee = call.child_by_field_name("function")
    if callee is None:
        return None
    path, opaque = name_path(callee), is_member_of_call(callee)
    if callee.type != "member_expression":
        return ChainCall(node_ref(callee), path, opaque, None, None, False)
    member = text(callee.child_by_field_name("property"))
    obj = callee.child_by_field_name("object")
    inline_rules = False
    if member == "authorization":
        args = call_arguments(call)
        rules = unwrap(args[0]) if args else None
        inline_rules = rules is not None and rules.type in FUNCTION_KINDS and not _hidden_grants(module, rules)
    return ChainCall(
        node_ref(callee),
        path,
        opaque,
        member,
        (node_ref(unwrap(obj)), name_path(obj)) if obj is not None else None,
        inline_rules,
    )
