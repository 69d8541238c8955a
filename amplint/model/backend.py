"""The backend model: what the Amplify backend IS, built once from all modules of a root.

Functions, the `defineBackend` registrations and `backend.<key>` uses, data/auth/storage
resources and what they reference, and the dependencies `backend.ts` adds between them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from tree_sitter import Node

from ..diagnostics import Location, Span
from ..syntax import (
    FUNCTION_KINDS,
    SourceFile,
    ancestors,
    call_arguments,
    declarator_of,
    property_name,
    string_value,
    text,
    unwrap,
)
from .cdk import cdk_name, duration_at
from .data import data_variables, default_authorization_mode
from .handlers import IAM_AUTH_MODES, ClientRead, ConfigureCall, DataApiUse, HandlerFacts, handler_facts
from .loading import LoadEdge, LoadGraph, load_edges, load_graph, runs_on_load
from .modules import Module, build_module, resolve_specifier
from .schema import Schema, authorization_rules, combine, read_schema
from .stacks import CustomStack, StackFlow, stack_flows
from .values import UNKNOWN, Expr, External, ObjectShape, evaluate, object_at, resolve

AMPLIFY_BACKEND = "@aws-amplify/backend"
DEFAULT_RESOURCE_GROUP = "function"
SOURCE_EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
BACKEND_BUILTINS = frozenset({"createStack", "addOutput", "stack"})
# ampx looks for backend.js, .mjs, .cjs, then .ts (platform-core BackendLocator: "Give preference to JS").
BACKEND_FILE_NAMES = tuple(f"backend{ext}" for ext in (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"))
# Entry files CDK's NodejsFunction accepts: "Only JavaScript or TypeScript entry files are supported."
ENTRY_SUFFIXES = frozenset(SOURCE_EXTENSIONS)


def is_amplify_api(found: Any, name: str) -> bool:
    """True when `found` (a resolution result) is `name` exported by `@aws-amplify/backend`."""
    return isinstance(found, External) and found.source == AMPLIFY_BACKEND and found.name == name


@dataclass(eq=False, slots=True)
class FunctionDef:
    """One `defineFunction(...)` call."""

    module: Module
    call: Node
    callee: Node
    custom: bool  # defineFunction((scope) => ..., { resourceGroupName })
    props: ObjectShape | None  # None when not an object literal (unknown)
    name: str | Any  # resolved exactly as Amplify does; UNKNOWN when not static
    name_source: str  # "name" | "entry" | "folder"
    entry: Path | None  # None for custom functions or a non-static entry
    resource_group: str | Any
    handler: Module | None = None

    @property
    def location(self) -> Location:
        return self.module.file.location(self.callee)

    def prop(self, key: str) -> Expr | None:
        if self.props is None:
            return None
        return self.props.entries.get(key)

    @property
    def timeout(self) -> tuple[Any, Expr | None]:
        """The function's timeout in seconds and the expression that sets it: `timeoutSeconds`
        (Amplify's default 3), or for a custom function the `timeout` of the one Lambda construct
        its callback creates (CDK's default 3); UNKNOWN when amplint cannot tell."""
        if not self.custom:
            value = self.value("timeoutSeconds", 3)
            return value, self.prop("timeoutSeconds")
        args = call_arguments(self.call)
        callback = unwrap(args[0]) if args else None
        constructs = [
            new
            for new in self.module.file.index.news
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
        duration = duration_at(expr.module, expr.node)
        return (duration.seconds if duration is not None else UNKNOWN), expr

    def value(self, key: str, default: Any = UNKNOWN) -> Any:
        """The static value of a prop; `default` when absent from a complete object; UNKNOWN when
        it may be there but cannot be read."""
        expr = self.prop(key)
        if expr is None:
            return default if self.props is not None and self.props.complete else UNKNOWN
        return evaluate(expr.module, expr.node)

    @property
    def binding(self) -> str | None:
        """The name the `defineFunction(...)` result is bound to (`const report = defineFunction(...)`)."""
        declarator = declarator_of(self.call)
        return text(declarator.child_by_field_name("name")) if declarator is not None else None

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


@dataclass(eq=False, slots=True)
class ResourceDef:
    """A `defineData`, `defineAuth` or `defineStorage` call."""

    kind: str  # "data" | "auth" | "storage"
    module: Module
    call: Node
    callee: Node
    props: ObjectShape | None

    @property
    def location(self) -> Location:
        return self.module.file.location(self.callee)

    def prop(self, key: str) -> Expr | None:
        return self.props.entries.get(key) if self.props is not None else None

    @property
    def stack(self) -> str:
        return self.kind  # Amplify's built-in groups: 'data', 'auth', 'storage'


@dataclass(frozen=True, slots=True)
class Registration:
    key: str
    key_node: Node
    value: Expr


@dataclass(eq=False, slots=True)
class DefineBackend:
    module: Module
    call: Node
    registrations: dict[str, Registration]
    complete: bool  # False when a spread, computed key or unresolvable argument hides keys
    binding: str | None  # `const backend = defineBackend(...)`
    uses: list[BackendUse] = field(default_factory=list)
    extra_arguments: tuple[Node, ...] = ()  # defineBackend takes one argument; anything after it


@dataclass(frozen=True, slots=True)
class BackendUse:
    """`backend.<key>` in the backend module."""

    key: str
    node: Node  # the property node
    member: Node  # the whole `backend.<key>` expression


@dataclass(frozen=True, slots=True)
class FunctionReference:
    """A place where data, auth or storage refers to a function, which makes it depend on it."""

    kind: str  # allow.resource | a.handler.function | functions | trigger | access
    level: str  # for allow.resource: schema | model | field | custom-operation | auth | storage | unknown
    resource: str  # data | auth | storage
    expr: Expr  # the argument that names the function
    call: Node  # the referencing call (allow.resource(...), a.handler.function(...)) or the pair
    function: FunctionDef | None  # None when the argument cannot be followed
    operations: Any = None  # `.to([...])` value for allow.resource, UNKNOWN when not static
    operations_node: Node | None = None
    is_async: bool = False  # a.handler.function(fn).async()
    owner: ResourceDef | None = None  # the defineAuth/defineStorage whose `access` or `triggers` it is in


@dataclass(frozen=True, slots=True)
class DataSchema:
    """The `a.schema(...)` passed to `defineData`, and its schema-level `.authorization(...)`."""

    resource: ResourceDef
    module: Module
    schema_call: Node
    authorization_call: Node | None
    authorization_known: bool  # False when the rules are not an inline callback amplint can read

    @property
    def fix_location(self) -> Location:
        if self.authorization_call is not None:
            callee = self.authorization_call.child_by_field_name("function")
            return self.module.file.location(callee.child_by_field_name("property"))
        return self.module.file.location(self.schema_call.child_by_field_name("function"))


class Backend:
    """Everything amplint knows about one Amplify root."""

    def __init__(self, root: Path, files: list[SourceFile], project_files: dict[Path, bytes] | None = None):
        self.root = root
        # The project's own configuration beside amplify/ (tsconfig*.json, package.json, next.config.*).
        self.project_files = project_files or {}
        self.modules: dict[Path, Module] = {f.path: build_module(f) for f in files}
        self._by_name = {str(path): module for path, module in self.modules.items()}
        for module in self.modules.values():
            for spec in (
                {imp.source for imp in module.imports}
                | {s for s, _ in module.star_exports}
                | {e.source for e in module.exports.values() if e.source}
            ):
                module.resolved[spec] = resolve_specifier(module.path, spec, self._by_name)
        self.functions: list[FunctionDef] = []
        self.resources: list[ResourceDef] = []
        self.define_backend: DefineBackend | None = None
        self.references: list[FunctionReference] = []
        self._by_call: dict[tuple[Path, int], FunctionDef] = {}
        self._facts: dict[Path, HandlerFacts] = {}
        self._load_graphs: dict[Path, LoadGraph] = {}
        self._edges: dict[Path, list[LoadEdge]] = {}
        self._read_calls()

    # -- construction -----------------------------------------------------------------------

    def _read_calls(self) -> None:
        backend_calls: list[tuple[Module, Node]] = []
        for module in self.modules.values():
            if not module.file.mentions(b"define"):
                continue
            for call in module.file.index.calls:
                callee = call.child_by_field_name("function")
                if callee is None or callee.type not in ("identifier", "member_expression"):
                    continue
                last = callee if callee.type == "identifier" else callee.child_by_field_name("property")
                if last is None or not last.text.startswith(b"define"):
                    continue
                found = resolve(module, callee)
                if not isinstance(found, External) or found.source != AMPLIFY_BACKEND:
                    continue
                if found.name == "defineFunction":
                    self._add_function(module, call, callee)
                elif found.name in ("defineData", "defineAuth", "defineStorage"):
                    kind = found.name[len("define") :].lower()
                    args = call_arguments(call)
                    props = object_at(module, args[0]) if args else None
                    self.resources.append(ResourceDef(kind, module, call, callee, props))
                elif found.name == "defineBackend":
                    backend_calls.append((module, call))
        if backend_calls:
            self.define_backend = _read_define_backend(*backend_calls[0])
        self._read_references()

    def _add_function(self, module: Module, call: Node, callee: Node) -> None:
        args = call_arguments(call)
        first = unwrap(args[0]) if args else None
        custom = first is not None and first.type in FUNCTION_KINDS
        props_node = args[1] if custom and len(args) > 1 else (args[0] if args and not custom else None)
        if props_node is None:
            props = ObjectShape(call, {}, {}, True)
        else:
            props = object_at(module, props_node)
        fn = FunctionDef(module, call, callee, custom, props, UNKNOWN, "name", None, UNKNOWN)
        caller_dir = module.path.parent
        resource_group = fn.value("resourceGroupName", DEFAULT_RESOURCE_GROUP)
        fn.resource_group = resource_group if isinstance(resource_group, str) else UNKNOWN
        if custom:
            fn.name, fn.name_source = UNKNOWN, "custom"
        else:
            name, entry = fn.value("name", None), fn.value("entry", None)
            if isinstance(entry, str):
                fn.entry = Path(os.path.normpath(os.path.join(caller_dir, entry)))
            elif entry is None:
                fn.entry = caller_dir / "handler.ts"
            if isinstance(name, str):
                fn.name, fn.name_source = name, "name"
            elif name is None and isinstance(entry, str):
                fn.name, fn.name_source = os.path.splitext(os.path.basename(entry))[0], "entry"
            elif name is None and entry is None:
                fn.name, fn.name_source = caller_dir.name, "folder"
            if fn.entry is not None:
                fn.handler = self.modules.get(fn.entry)
        self.functions.append(fn)
        self._by_call[(module.path, call.start_byte)] = fn

    def _read_references(self) -> None:
        for module in self.modules.values():
            if not module.file.mentions(b".resource", b".function"):
                continue
            for call in module.file.index.calls:
                callee = call.child_by_field_name("function")
                if callee is None or callee.type != "member_expression":
                    continue
                prop = callee.child_by_field_name("property")
                if prop is None:
                    continue
                if text(prop) == "resource":
                    self._read_allow_resource(module, call, callee)
                elif text(prop) == "function" and text(callee).replace(" ", "").endswith("handler.function"):
                    found = resolve(module, callee)
                    if (
                        isinstance(found, External)
                        and found.source == AMPLIFY_BACKEND
                        and found.name == "a.handler.function"
                    ):
                        self._read_handler_function(module, call)
        for resource in self.resources:
            if resource.kind == "data":
                self._read_named_functions(resource, "functions", "functions")
            else:
                self._read_named_functions(resource, "triggers", "trigger")
            if resource.kind == "auth":
                self._read_senders(resource)

    def _read_allow_resource(self, module: Module, call: Node, callee: Node) -> None:
        allow = callee.child_by_field_name("object")
        if allow is None or allow.type != "identifier":
            return
        level, resource = _authorization_level(module, call, text(allow))
        if level is None:
            return
        args = call_arguments(call)
        if not args:
            return
        operations, operations_node = None, None
        parent = call.parent
        if (
            parent is not None
            and parent.type == "member_expression"
            and text(parent.child_by_field_name("property")) == "to"
        ):
            to_call = parent.parent
            if to_call is not None and to_call.type == "call_expression":
                to_args = call_arguments(to_call)
                operations_node = to_args[0] if to_args else None
                operations = evaluate(module, operations_node) if operations_node is not None else UNKNOWN
        owner = self._enclosing_resource(module, call) if level in ("auth", "storage") else None
        self.references.append(
            FunctionReference(
                "allow.resource",
                level,
                resource,
                Expr(module, args[0]),
                call,
                self.function_at(module, args[0]),
                operations,
                operations_node,
                owner=owner,
            )
        )

    def _enclosing_resource(self, module: Module, node: Node) -> ResourceDef | None:
        """The defineAuth/defineStorage call whose `access` callback holds `node`."""
        calls = {r.call.start_byte: r for r in self.resources if r.module is module}
        return next(
            (calls[a.start_byte] for a in ancestors(node) if a.start_byte in calls and calls[a.start_byte].call == a),
            None,
        )

    def _read_handler_function(self, module: Module, call: Node) -> None:
        args = call_arguments(call)
        if not args:
            return
        is_async = False
        parent = call.parent
        if (
            parent is not None
            and parent.type == "member_expression"
            and text(parent.child_by_field_name("property")) == "async"
        ):
            is_async = True
        self.references.append(
            FunctionReference(
                "a.handler.function",
                "data",
                "data",
                Expr(module, args[0]),
                call,
                self.function_at(module, args[0]),
                is_async=is_async,
            )
        )

    def _read_named_functions(self, resource: ResourceDef, key: str, kind: str) -> None:
        expr = resource.prop(key)
        if expr is None:
            return
        shape = object_at(expr.module, expr.node)
        if shape is None:
            return
        for value in shape.entries.values():
            self.references.append(
                FunctionReference(
                    kind,
                    resource.kind,
                    resource.kind,
                    value,
                    value.node,
                    self.function_at(value.module, value.node),
                    owner=resource,
                )
            )

    def _read_senders(self, auth: ResourceDef) -> None:
        """`defineAuth({ senders: { email: { handler: fn } } })`: auth invokes the function."""
        expr = auth.prop("senders")
        shape = object_at(expr.module, expr.node) if expr is not None else None
        for sender in shape.entries.values() if shape is not None else ():
            config = object_at(sender.module, sender.node)
            handler = config.entries.get("handler") if config is not None else None
            if handler is not None:
                self.references.append(
                    FunctionReference(
                        "sender",
                        "auth",
                        "auth",
                        handler,
                        handler.node,
                        self.function_at(handler.module, handler.node),
                        owner=auth,
                    )
                )

    # -- queries ----------------------------------------------------------------------------

    def function_at(self, module: Module, node: Node) -> FunctionDef | None:
        """The function an expression evaluates to, following names across modules."""
        found = resolve(module, node)
        if isinstance(found, Expr) and found.node.type == "call_expression":
            return self._by_call.get((found.module.path, found.node.start_byte))
        return None

    def resource_at(self, module: Module, node: Node) -> ResourceDef | None:
        found = resolve(module, node)
        if isinstance(found, Expr):
            for resource in self.resources:
                if resource.module is found.module and resource.call == found.node:
                    return resource
        return None

    @cached_property
    def registered_functions(self) -> dict[FunctionDef, Registration]:
        if self.define_backend is None:
            return {}
        result = {}
        for registration in self.define_backend.registrations.values():
            fn = self.function_at(registration.value.module, registration.value.node)
            if fn is not None:
                result.setdefault(fn, registration)
        return result

    def backend_key(self, fn_or_resource: FunctionDef | ResourceDef) -> str | None:
        """The `defineBackend` key a function or resource is registered under, if any."""
        return self._registration_keys.get(id(fn_or_resource))

    @cached_property
    def _registration_keys(self) -> dict[int, str]:
        keys: dict[int, str] = {}
        if self.define_backend is None:
            return keys
        for registration in self.define_backend.registrations.values():
            target = registration.value
            found = self.function_at(target.module, target.node) or self.resource_at(target.module, target.node)
            if found is not None:
                keys.setdefault(id(found), registration.key)
        return keys

    @staticmethod
    def binding_of(definition: FunctionDef | ResourceDef) -> str | None:
        """The name a `define*(...)` result is bound to (`const data = defineData(...)`)."""
        declarator = declarator_of(definition.call)
        return text(declarator.child_by_field_name("name")) if declarator is not None else None

    @staticmethod
    def static_prop(resource: ResourceDef, key: str) -> Any:
        """The static value of a resource prop: None when absent, UNKNOWN when not static."""
        expr = resource.prop(key)
        if expr is None:
            return None if resource.props is not None and resource.props.complete else UNKNOWN
        return evaluate(expr.module, expr.node)

    def is_mentioned_elsewhere(self, fn: FunctionDef | ResourceDef) -> bool:
        """Whether the function's binding appears anywhere but where it is declared, imported or
        exported. Errs towards True: a mention amplint cannot interpret keeps rules silent."""
        declarator = declarator_of(fn.call)
        if declarator is None:
            return True  # inline or default-exported: used where it stands
        name = text(declarator.child_by_field_name("name"))
        exported_at = tuple(e.node for e in fn.module.exports.values() if e.local == name)
        own = _mentions(fn.module, name, skip=(declarator.child_by_field_name("name"), *exported_at))
        if own:
            return True
        return any(
            _mentions(module, imp.local, skip=(imp.statement,)) for module, imp in self._value_imports.get(fn, ())
        )

    def is_imported(self, definition: FunctionDef | ResourceDef) -> bool:
        """Whether another module imports the definition's binding (used or not)."""
        return bool(self._value_imports.get(definition))

    @cached_property
    def _value_imports(self) -> dict[FunctionDef | ResourceDef, list[tuple[Module, Any]]]:
        """For each function and resource, the value imports across the workspace that bind it
        (computed once)."""
        found: dict[FunctionDef | ResourceDef, list[tuple[Module, Any]]] = {}
        for module in self.modules.values():
            for imp in module.imports:
                if imp.type_only or module.resolved.get(imp.source) is None:
                    continue
                definition = self.function_at(module, imp.node) or self.resource_at(module, imp.node)
                if definition is not None:
                    found.setdefault(definition, []).append((module, imp))
        return found

    def runtime_modules(self, fn: FunctionDef) -> list[Module]:
        """The workspace modules the function's entry executes, the entry first: value, side-effect
        and re-export imports, transitively (imports only used as types are erased by esbuild)."""
        if fn.handler is None:
            return []
        return self.load_graph(fn.handler).order[::-1]

    @cached_property
    def functions_of_module(self) -> dict[Path, list[FunctionDef]]:
        owners: dict[Path, list[FunctionDef]] = {}
        for fn in self.functions:
            for module in self.runtime_modules(fn):
                owners.setdefault(module.path, []).append(fn)
        return owners

    def handler_facts(self, module: Module) -> HandlerFacts:
        facts = self._facts.get(module.path)
        if facts is None:
            facts = self._facts[module.path] = handler_facts(module)
        return facts

    # -- what a function's code does with the Data API -------------------------------------------

    @cached_property
    def data_resource(self) -> ResourceDef | None:
        """The data resource that deploys: the registered `defineData`, else the only one."""
        datas = [r for r in self.resources if r.kind == "data"]
        registered = [r for r in datas if self.backend_key(r) is not None]
        chosen = registered or datas
        return chosen[0] if len(chosen) == 1 else None

    @cached_property
    def data_variables(self) -> frozenset[str] | None:
        """The environment variables `allow.resource(fn)` gives a function; None when unknown."""
        data = self.data_resource
        if data is None or data.props is None:
            return None
        expr = data.prop("name")
        if expr is None:
            return data_variables(None) if data.props.complete else None
        return data_variables(evaluate(expr.module, expr.node))

    @cached_property
    def data_default_auth_mode(self) -> Any:
        """The API's default authorization mode, as `amplify_outputs.json` states it; UNKNOWN when
        amplint cannot tell."""
        data = self.data_resource
        if data is None or data.props is None or not data.props.complete:
            return UNKNOWN
        expr = data.prop("authorizationModes")
        modes = evaluate(expr.module, expr.node) if expr is not None else None
        if self.has_auth is None:
            return UNKNOWN
        return default_authorization_mode(modes, self.has_auth)

    @cached_property
    def has_auth(self) -> bool | None:
        """Whether an auth resource (user pool and identity pool) is registered; None when unknown."""
        if any(r.kind == "auth" and self.backend_key(r) is not None for r in self.resources):
            return True
        if self.define_backend is None or not self.define_backend.complete:
            return None  # auth may be registered where amplint cannot see
        return False

    def user_environment(self, fn: FunctionDef) -> frozenset[str] | None:
        """The variables the backend itself sets on the function (`environment`, `addEnvironment`);
        None when some cannot be read."""
        added = self._added_environment
        if added is None:
            return None
        expr = fn.prop("environment")
        if expr is None:
            keys: set[str] = set() if fn.props is not None and fn.props.complete else None
        else:
            shape = object_at(expr.module, expr.node)
            keys = set(shape.keys) if shape is not None and shape.complete else None
        if keys is None or added.get(id(fn)) is None and id(fn) in added:
            return None
        return frozenset(keys | (added.get(id(fn)) or set()))

    @cached_property
    def _environment_additions(self) -> list[tuple[str | None, FunctionDef | None, list[Node]]]:
        """Each `backend.<key>.addEnvironment(...)` call in the backend module: the registration key
        (None when the receiver cannot be followed), the function registered under it (None for
        data, auth, storage) and the call's arguments."""
        define = self.define_backend
        if define is None or not define.module.file.mentions(b"addEnvironment"):
            return []
        module = define.module
        found = []
        for call in module.file.index.calls:
            callee = call.child_by_field_name("function")
            if (
                callee is None
                or callee.type != "member_expression"
                or text(callee.child_by_field_name("property")) != "addEnvironment"
            ):
                continue
            key = _backend_key_of(module, callee.child_by_field_name("object"), define.binding)
            registration = define.registrations.get(key) if key is not None else None
            fn = self.function_at(registration.value.module, registration.value.node) if registration else None
            found.append((key, fn, call_arguments(call)))
        return found

    @cached_property
    def added_environment_calls(self) -> list[tuple[FunctionDef, Expr, Expr]]:
        """`backend.<fn>.addEnvironment(NAME, VALUE)` in the backend module: (function, name, value)."""
        module = self.define_backend.module if self.define_backend is not None else None
        return [
            (fn, Expr(module, args[0]), Expr(module, args[1]))
            for _, fn, args in self._environment_additions
            if fn is not None and len(args) >= 2
        ]

    @cached_property
    def _added_environment(self) -> dict[int, set[str] | None] | None:
        """`backend.<key>.addEnvironment('NAME', ...)` names by function (None: a name not static);
        None when a call's receiver cannot be followed."""
        added: dict[int, set[str] | None] = {}
        for key, fn, args in self._environment_additions:
            if fn is None:
                if key is None:
                    return None
                continue  # not a function: data, auth, storage
            name = evaluate(self.define_backend.module, args[0]) if args else UNKNOWN
            if id(fn) in added and added[id(fn)] is None:
                continue
            added[id(fn)] = (added.get(id(fn)) or set()) | {name} if isinstance(name, str) else None
        return added

    def data_api_uses(self, fn: FunctionDef) -> list[tuple[Module, DataApiUse]]:
        """What in the function's code needs `allow.resource`: `getAmplifyDataClientConfig`, a Data
        client it reads (`client.models`, `client.graphql`), a data variable Amplify sets (not one
        the backend sets itself). Code that only another function calls does not count."""
        if fn.handler is None:
            return []
        graph = self.load_graph(fn.handler)
        variables = self.data_variables
        own = self.user_environment(fn) if variables is not None else None
        found = []
        for module in self.runtime_modules(fn):
            for use in self.handler_facts(module).data_api:
                if use.kind == "env" and (own is None or use.variable not in variables or use.variable in own):
                    continue
                if graph.may_run(module, use.node):
                    found.append((module, use))
        if not any(use.kind == "client" for _, use in found):
            # A configuration without a client in use calls nothing, unless it runs (and throws) on load.
            found = [(m, u) for m, u in found if u.kind != "getAmplifyDataClientConfig" or u.runs == "load"]
        return found

    def data_client_reads(self, fn: FunctionDef) -> list[tuple[Module, ClientRead]]:
        """Reads of Data clients (`client.models.X`, `client.graphql`) the function's code may run."""
        return self._run_by(fn, lambda facts: facts.client_reads)

    def data_configuration(self, fn: FunctionDef) -> list[tuple[Module, ConfigureCall]]:
        """The `Amplify.configure(...)` calls the function's code may run."""
        return self._run_by(fn, lambda facts: facts.configures)

    def _run_by(self, fn: FunctionDef, pick) -> list:
        """(module, fact) for the handler facts `pick` selects that the function's code may run."""
        if fn.handler is None:
            return []
        graph = self.load_graph(fn.handler)
        return [
            (m, fact)
            for m in self.runtime_modules(fn)
            for fact in pick(self.handler_facts(m))
            if graph.may_run(m, fact.node)
        ]

    def data_signing(self, fn: FunctionDef) -> tuple[str, Module | None, ConfigureCall | None]:
        """How the function's code configures Amplify for its Data clients: "role"
        (`getAmplifyDataClientConfig`: its own role), "outputs" (every configuration is
        `amplify_outputs.json`), "literal" (every one is an object literal with a default auth mode
        other than IAM), "no-credentials" (object literals that give IAM no credentials: no `Auth`
        section, no `libraryOptions`), "none" (nothing configures Amplify), or "unknown". With the
        first configuration of that kind and its module."""
        configures = self.data_configuration(fn)
        if not configures:
            graph = self.load_graph(fn.handler) if fn.handler is not None else None
            if (
                graph is None
                or any(_mentions_in_code(m, b"configure") for m in graph.order)
                or any(
                    edge.target is None and _may_be_workspace(edge.source)
                    for edges in graph.edges.values()
                    for edge in edges
                )
            ):
                return "unknown", None, None  # configured where amplint cannot see
            return "none", None, None
        sources = {c.source for _, c in configures}
        module, first = configures[0]
        if sources == {"data-client-config"}:
            return "role", module, first
        if sources == {"outputs"}:
            return "outputs", module, first
        if sources == {"literal"} and all(
            isinstance(c.default_auth_mode, str) and c.default_auth_mode not in IAM_AUTH_MODES for _, c in configures
        ):
            return "literal", module, first
        if sources == {"literal"} and all(c.without_credentials for _, c in configures):
            return "no-credentials", module, first
        return "unknown", module, first

    @cached_property
    def deployed_schema(self) -> Schema | None:
        """The schema of the data resource `defineBackend` registers, read whole; None when there
        is none amplint can read, or the data resource never deploys."""
        data = self.data_resource
        if data is None or self.backend_key(data) is None:
            return None
        expr = data.prop("schema")
        parts = _combined_parts(data, expr) if expr is not None else None
        if parts is None:
            parts = [s for s in self.data_schemas if s.resource is data]
            if len(parts) != 1:
                return None
        schemas = [read_schema(p.module, p.schema_call, p.authorization_call, p.authorization_known) for p in parts]
        return schemas[0] if len(schemas) == 1 else combine(schemas)

    @cached_property
    def schema_models(self) -> frozenset[str] | None:
        """The names of the schema's models (`a.model(...)` entries of `a.schema({...})`); None when
        amplint cannot list them all (no single schema, a spread, a computed key, `a.combine`)."""
        data = self.data_resource
        schemas = [s for s in self.data_schemas if s.resource is data]
        if data is None or len(schemas) != 1:
            return None
        schema = schemas[0]
        args = call_arguments(schema.schema_call)
        entries = object_at(schema.module, args[0]) if args else None
        if entries is None or not entries.complete:
            return None
        models = set()
        for name, expr in entries.entries.items():
            root = _schema_entry_kind(expr.module, expr.node)
            if root is None:
                return None  # an entry amplint cannot classify may be a model
            if root == "a.model":
                models.add(name)
        return frozenset(models)

    def model_allows(self, model: str, strategy: str) -> bool | None:
        """Whether the schema's rules for `model` include `allow.<strategy>()`: its own
        `.authorization`, else the schema-level one; None when amplint cannot read them."""
        schema = self.deployed_schema
        found = schema.models.get(model) if schema is not None else None
        if found is None:
            return None
        if found.authorization is not None:
            rules = authorization_rules(found.chain.module, found.authorization)
        else:
            rules = found.schema_rules.rules
        return None if rules is None else strategy in rules

    @cached_property
    def data_schemas(self) -> list[DataSchema]:
        schemas = []
        for resource in self.resources:
            if resource.kind != "data":
                continue
            expr = resource.prop("schema")
            if expr is None:
                continue
            schema = _data_schema(resource, expr)
            if schema is not None:
                schemas.append(schema)
        return schemas

    @cached_property
    def stack_flows(self) -> list[StackFlow]:
        """Every reference between nested stacks: data/auth/storage to the functions they use,
        data to auth, and what backend.ts adds (grants, environment, event sources, constructs)."""
        return list(stack_flows(self))

    @cached_property
    def custom_stacks(self) -> list[CustomStack]:
        """`backend.createStack(name)` calls in the defineBackend module, in source order."""
        define = self.define_backend
        stacks = []
        for use in define.uses if define is not None else ():
            call = use.member.parent
            if (
                use.key != "createStack"
                or call is None
                or call.type != "call_expression"
                or call.child_by_field_name("function") != use.member
            ):
                continue
            args = call_arguments(call)
            name = evaluate(define.module, args[0]) if args else UNKNOWN
            stacks.append(
                CustomStack(name if isinstance(name, str) else UNKNOWN, call, define.module, runs_on_load(call))
            )
        return stacks

    @cached_property
    def backend_module(self) -> Module | None:
        """The module of `amplify/backend.*`, the program ampx runs."""
        amplify = self.root / "amplify"
        return next(
            (self.modules[amplify / name] for name in BACKEND_FILE_NAMES if amplify / name in self.modules), None
        )

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project root."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def load_graph(self, entry: Module) -> LoadGraph:
        """The workspace modules `entry` executes, in evaluation order (computed once per entry)."""
        graph = self._load_graphs.get(entry.path)
        if graph is None:
            graph = self._load_graphs[entry.path] = load_graph(entry, self._load_edges)
        return graph

    def _load_edges(self, module: Module) -> list[LoadEdge]:
        edges = self._edges.get(module.path)
        if edges is None:
            edges = self._edges[module.path] = load_edges(module, self._by_name)
        return edges

    def entry_status(self, fn: FunctionDef) -> str | None:
        """'found', 'missing' or 'unsupported' (not a JS/TS file) for a function's resolved entry;
        None when the entry is not statically known."""
        if fn.custom or fn.entry is None:
            return None
        if fn.entry.suffix not in ENTRY_SUFFIXES:
            return "unsupported"
        if fn.handler is not None:
            return "found"
        # Not among the linted files: it may still exist (excluded, outside amplify/, not source).
        return "found" if os.path.isfile(fn.entry) else "missing"

    @cached_property
    def loaded_modules(self) -> frozenset[Path] | None:
        """The modules `backend.ts` executes (what ampx runs at synth); None when it imports
        something amplint cannot resolve that may be workspace code (a path alias)."""
        entry = self.backend_module
        if entry is None:
            return None
        graph = self.load_graph(entry)
        for edges in graph.edges.values():
            if any(edge.target is None and _may_be_workspace(edge.source) for edge in edges):
                return None
        return frozenset(m.path for m in graph.order)

    def loads(self, module: Module) -> bool:
        """Whether synth may run this module's code (True unless certainly never loaded)."""
        loaded = self.loaded_modules
        return loaded is None or module.path in loaded

    @cached_property
    def undeployed_functions(self) -> list[FunctionDef]:
        """Functions certainly never instantiated: not registered in a complete `defineBackend`,
        referenced by nothing, named nowhere else (AMP102 reports these)."""
        define = self.define_backend
        if (
            define is None
            or not define.complete
            or any(ref.function is None and self.loads(ref.expr.module) for ref in self.references)
        ):
            # Something synth runs refers to a function amplint cannot follow: it may be any of them.
            # (An unreadable reference in a file synth never loads, such as a broken draft, deploys nothing.)
            return []
        registered = self.registered_functions
        referenced = {ref.function for ref in self.references}
        unused = [
            fn
            for fn in self.functions
            if fn not in registered and fn not in referenced and not self.is_mentioned_elsewhere(fn)
        ]
        # A leftover copy (or a compiled `resource.js` beside `resource.ts`) of a function that another
        # definition deploys under the same name: that name is deployed, whatever this copy does.
        unused_ids = {id(fn) for fn in unused}
        used_names = {fn.name for fn in self.functions if id(fn) not in unused_ids and isinstance(fn.name, str)}
        return [fn for fn in unused if not (isinstance(fn.name, str) and fn.name in used_names)]

    @cached_property
    def deployable_functions(self) -> list[FunctionDef]:
        """The functions that may deploy: every rule that claims a synth, deploy or runtime
        consequence looks only at these. A function in a file `backend.ts` never loads, or one
        nothing uses, is never instantiated, so Amplify never validates or bundles it."""
        unused = {id(fn) for fn in self.undeployed_functions}
        return [fn for fn in self.functions if id(fn) not in unused and self.loads(fn.module)]

    def is_deployed(self, fn: FunctionDef) -> bool:
        """Certainly instantiated: registered in defineBackend, or used by a registered data, auth or
        storage resource."""
        if fn in self.registered_functions:
            return True
        kinds = {r.kind for r in self.resources if self.backend_key(r) is not None}
        return any(
            ref.function is fn
            and (
                ref.owner is not None
                and self.backend_key(ref.owner) is not None
                or ref.owner is None
                and ref.resource in kinds
            )
            for ref in self.references
            if ref.kind != "allow.resource" or ref.level in ("schema", "auth", "storage")
        )

    @cached_property
    def definition_modules(self) -> set[Path]:
        """Backend definition files: backend.*, every resource.*, and any module that calls a
        define* function of @aws-amplify/backend."""
        paths = {p for p, m in self.modules.items() if p.stem == "resource"}
        if self.backend_module is not None:
            paths.add(self.backend_module.path)
        paths |= {fn.module.path for fn in self.functions} | {r.module.path for r in self.resources}
        if self.define_backend is not None:
            paths.add(self.define_backend.module.path)
        return paths

    @cached_property
    def declared_modules(self) -> set[str]:
        """Module names declared with `declare module '...'` (for example `env.d.ts` shims)."""
        names = set()
        for module in self.modules.values():
            for statement in module.file.root.named_children:
                if statement.type != "ambient_declaration":
                    continue
                for part in statement.named_children:
                    if part.type == "module":
                        name = part.child_by_field_name("name")
                        value = string_value(name) if name is not None else None
                        if value is not None:
                            names.add(value)
        return names


def _mentions_in_code(module: Module, word: bytes) -> bool:
    """Whether `word` stands in code (not only in a comment or a string)."""
    at = module.file.text.find(word)
    while at >= 0:
        node = module.file.root.descendant_for_byte_range(at, at + len(word))
        if node is not None and node.type not in ("comment", "string_fragment", "string", "template_string"):
            return True
        at = module.file.text.find(word, at + len(word))
    return False


def _may_be_workspace(specifier: str) -> bool:
    """An unresolved import that may still name workspace code: a path alias (`@/amplify/...`,
    `~/...`, `#lib`), not a package or a relative path to a file outside the workspace."""
    return specifier.startswith(("@/", "~/", "#", "src/", "amplify/")) and not specifier.endswith(".json")


def first_line(module: Module) -> Location:
    """Where a finding about a whole file goes: its first line."""
    source = module.file
    end = source.text.find(b"\n")
    end = len(source.text) if end < 0 else end
    if source.text[:end].endswith(b"\r"):
        end -= 1  # CRLF: the line ends before the carriage return
    return Location(source.path, Span(1, 1, 1, source.column(end, end), 0, end))


def _mentions(module: Module, name: str, skip: tuple[Node | None, ...]) -> bool:
    pattern = re.compile(rb"(?<![\w$.])" + re.escape(name.encode()) + rb"(?![\w$])")
    source = module.file.text
    for match in pattern.finditer(source):
        if any(s is not None and s.start_byte <= match.start() < s.end_byte for s in skip):
            continue
        node = module.file.root.descendant_for_byte_range(match.start(), match.end())
        if node is not None and node.type in ("identifier", "shorthand_property_identifier"):
            return True  # a use of the name, not a string or comment that happens to spell it
    return False


def _backend_key_of(module: Module, node: Node | None, binding: str | None, depth: int = 0) -> str | None:
    """The `defineBackend` key at the root of `backend.<key>.resources.lambda` (through casts and
    `const` names in the same module); None when the root is not the backend object."""
    while node is not None and depth < 16:
        node = unwrap(node)
        if node.type == "member_expression":
            obj = unwrap(node.child_by_field_name("object"))
            if obj.type == "identifier" and text(obj) == binding:
                return property_name(node.child_by_field_name("property"))
            node = obj
        elif node.type == "identifier":
            value = module.bindings.get(text(node))
            if value is None or value.kind != "const" or value.value is None or value.import_ is not None:
                return None
            node, depth = value.value, depth + 1
        else:
            return None
    return None


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


def _schema_entry_kind(module: Module, node: Node, depth: int = 0) -> str | None:
    """`a.model`, `a.customType`, `a.enum`, `a.query`, ... for a schema entry (a chain that starts
    with that call, possibly behind a `const`); None when it cannot be read."""
    found = resolve(module, node)
    while isinstance(found, Expr) and depth < 64:
        depth += 1
        current = unwrap(found.node)
        if current.type != "call_expression":
            return None
        callee = current.child_by_field_name("function")
        origin = resolve(found.module, callee) if callee is not None else None
        if isinstance(origin, External) and origin.source == AMPLIFY_BACKEND and origin.name.startswith("a."):
            return origin.name
        if callee is None or callee.type != "member_expression":
            return None
        found = Expr(found.module, callee.child_by_field_name("object"))
        found = resolve(found.module, found.node)
    return None


def _hidden_grants(module: Module, callback: Node) -> bool:
    """Whether an authorization callback may grant functions in ways amplint does not read: a
    `.resource(...)` call on something other than its `allow` parameter (a helper wrapping it)."""
    names = _parameter_names(callback)
    for member in module.file.index.members:
        if (
            callback.start_byte <= member.start_byte < callback.end_byte
            and text(member.child_by_field_name("property")) == "resource"
        ):
            obj = member.child_by_field_name("object")
            if obj is None or obj.type != "identifier" or text(obj) not in names:
                return True
    return False


def _read_define_backend(module: Module, call: Node) -> DefineBackend:
    args = call_arguments(call)
    shape = object_at(module, args[0]) if args else None
    registrations = {}
    if shape is not None:
        for key, value in shape.entries.items():
            registrations[key] = Registration(key, shape.keys[key], value)
    declarator = declarator_of(call)
    binding = text(declarator.child_by_field_name("name")) if declarator is not None else None
    backend = DefineBackend(
        module, call, registrations, shape is not None and shape.complete, binding, extra_arguments=tuple(args[1:])
    )
    if binding is not None:
        for member in module.file.index.members:
            obj = member.child_by_field_name("object")
            prop = member.child_by_field_name("property")
            if (
                obj is not None
                and prop is not None
                and obj.type == "identifier"
                and text(obj) == binding
                and prop.type == "property_identifier"
            ):
                backend.uses.append(BackendUse(text(prop), prop, member))
    return backend


_SCHEMA_ROOTS = {
    "schema": "schema",
    "model": "model",
    "query": "custom-operation",
    "mutation": "custom-operation",
    "subscription": "custom-operation",
    "generation": "custom-operation",
    "conversation": "custom-operation",
}


def _authorization_level(module: Module, call: Node, allow_name: str) -> tuple[str | None, str]:
    """Where an `allow.resource(...)` call sits: schema-level, model, field, custom operation,
    or the `access` callback of defineAuth/defineStorage. (None, "") when `allow` is not an
    authorization callback's parameter."""
    for ancestor in ancestors(call):
        if ancestor.type not in ("arrow_function", "function_expression"):
            continue
        if allow_name not in _parameter_names(ancestor):
            continue
        holder = ancestor.parent
        if holder is None:
            return None, ""
        if holder.type == "pair" and property_name(holder.child_by_field_name("key")) == "access":
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
        return _receiver_kind(module, auth_callee.child_by_field_name("object")), "data"
    return None, ""


def _parameter_names(function: Node) -> set[str]:
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


def _enclosing_define_call(node: Node) -> str | None:
    for ancestor in ancestors(node):
        if ancestor.type == "call_expression":
            callee = ancestor.child_by_field_name("function")
            name = text(callee)
            if name in ("defineAuth", "defineStorage"):
                return name[len("define") :].lower()
            return None
    return None


def _receiver_kind(module: Module, node: Node | None, depth: int = 0) -> str:
    """Classify the chain an `.authorization(...)` is called on by the `a.<x>(...)` at its root."""
    while node is not None and depth < 64:
        depth += 1
        node = unwrap(node)
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is None:
                return "unknown"
            found = resolve(module, callee)
            if isinstance(found, External) and found.name.startswith("a."):
                return _SCHEMA_ROOTS.get(found.name[2:], "field")
            if callee.type == "member_expression":
                node = callee.child_by_field_name("object")
                continue
            return "unknown"
        if node.type in ("identifier", "member_expression"):
            found = resolve(module, node)
            if isinstance(found, Expr) and found.node != node:
                module, node = found.module, found.node
                continue
        return "unknown"
    return "unknown"


def _combined_parts(resource: ResourceDef, expr: Expr) -> list[DataSchema] | None:
    """The parts of `a.combine([schemaA, schemaB])`; None when the schema is not a combine, or a
    part cannot be read."""
    found = resolve(expr.module, expr.node)
    if not isinstance(found, Expr) or unwrap(found.node).type != "call_expression":
        return None
    call = unwrap(found.node)
    callee = resolve(found.module, call.child_by_field_name("function"))
    if not is_amplify_api(callee, "a.combine"):
        return None
    args = call_arguments(call)
    listed = resolve(found.module, args[0]) if args else None
    if not isinstance(listed, Expr) or unwrap(listed.node).type != "array":
        return None
    parts = []
    for element in unwrap(listed.node).named_children:
        if element.type == "comment":
            continue
        part = _data_schema(resource, Expr(listed.module, element))
        if part is None:
            return None
        parts.append(part)
    return parts or None


def _data_schema(resource: ResourceDef, expr: Expr) -> DataSchema | None:
    """Walk `a.schema({...}).authorization(allow => [...])` down to `a.schema(...)`."""
    found = resolve(expr.module, expr.node)
    authorization, known = None, True
    for _ in range(64):
        if not isinstance(found, Expr) or found.node.type != "call_expression":
            return None
        module, call = found.module, found.node
        callee = call.child_by_field_name("function")
        if callee is None:
            return None
        resolved_callee = resolve(module, callee)
        if (
            isinstance(resolved_callee, External)
            and resolved_callee.source == AMPLIFY_BACKEND
            and resolved_callee.name == "a.schema"
        ):
            if authorization is not None and authorization[0] is not module:
                known = False
            return DataSchema(resource, module, call, authorization[1] if authorization else None, known)
        if callee.type != "member_expression":
            return None
        if text(callee.child_by_field_name("property")) == "authorization":
            args = call_arguments(call)
            if (
                authorization is not None
                or not args
                or unwrap(args[0]).type not in FUNCTION_KINDS
                or _hidden_grants(module, unwrap(args[0]))
            ):
                known = False
            authorization = (module, call)
        found = resolve(module, callee.child_by_field_name("object"))
    return None
