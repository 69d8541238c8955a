"""The backend model: what the Amplify backend IS, as the checks read it.

`Backend` records what the cross-file join (`model/join.py`) found in all modules of a root:
functions, the `defineBackend` registrations and `backend.<key>` uses, data/auth/storage resources
and what they reference. It does not change after construction; the facts derived from it (what
deploys, what a function's code runs, the data schema) are computed on first use. Stack analysis
(`model/stacks.py`) sits above it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property, partial
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar, cast

from tree_sitter import Node

from ..amplify import AMPLIFY_BACKEND, BACKEND_FILE_NAMES, SOURCE_SUFFIXES
from ..diagnostics import Location, Span
from ..records import NamedTuple
from ..syntax import (
    NodeRef,
    call_arguments,
    node_ref,
    property_name,
    string_value,
    text,
    unwrap,
)
from .data import data_variables, default_authorization_mode
from .handlers import (
    IAM_AUTH_MODES,
    ClientRead,
    ConfigureCall,
    DataApiUse,
    HandlerExportState,
    HandlerFacts,
    handler_export,
    handler_facts,
)
from .join import (
    DEFAULT_RESOURCE_GROUP,
    BackendUse,
    DefineBackend,
    ExtraArgument,
    FunctionDef,
    FunctionReference,
    Joined,
    NameSource,
    OptionEntry,
    OptionsObject,
    ReferenceKind,
    ReferenceLevel,
    ReferenceResource,
    Registration,
    ResourceDef,
    ResourceKind,
    ScheduleEntry,
    chain_call,
    function_resolved_to,
    is_amplify_api,
    is_lambda_class,
    prop_value,
    static_value,
)
from .loading import LoadGraph, Site, is_used, program
from .modules import (
    Module,
    calls_named,
    declared_modules,
    define_calls,
    import_closure,
    reference_calls,
)
from .schema import Schema, authorization_rules, combine, read_chain, read_schema
from .values import (
    UNKNOWN,
    Expr,
    External,
    Resolved,
    evaluate,
    object_at,
    resolve,
    resolve_expr,
    resolve_path,
    resolve_written,
)

BACKEND_BUILTINS = frozenset({"createStack", "addOutput", "stack"})
# Entry files CDK's NodejsFunction accepts: "Only JavaScript or TypeScript entry files are supported."
ENTRY_SUFFIXES = SOURCE_SUFFIXES

# The records the join builds, named here too: checks read them from the backend model.
__all__ = [
    "AMPLIFY_BACKEND",
    "BACKEND_BUILTINS",
    "DEFAULT_RESOURCE_GROUP",
    "Backend",
    "BackendUse",
    "DataSchema",
    "DataSigning",
    "DefineBackend",
    "DefinitionInputs",
    "EntryStatus",
    "ExtraArgument",
    "FunctionDef",
    "FunctionReference",
    "HandlerExportStatus",
    "NameSource",
    "OptionEntry",
    "OptionsObject",
    "ReferenceKind",
    "ReferenceLevel",
    "ReferenceResource",
    "Registration",
    "ResourceDef",
    "ResourceKind",
    "ScheduleEntry",
    "backend_key_of",
    "first_line",
    "is_amplify_api",
    "is_lambda_class",
    "static_value",
]


class DefinitionInputs(NamedTuple):
    """What the backend's definitions are read from (see `Backend.definition_inputs`)."""

    modules: frozenset[Module]
    value_imports: frozenset[tuple[Path, str, Path, int]]  # (importer, local name, definition's file and call)


# A function's resolved entry file: there, absent, or not a JS/TS file.
EntryStatus = Literal["found", "missing", "unsupported"]
# How a function's code configures Amplify for its Data clients (see `Backend.data_signing`).
DataSigning = Literal["role", "outputs", "literal", "no-credentials", "none", "unknown"]

_T = TypeVar("_T")


class _HandlerFact(Protocol):
    @property
    def site(self) -> Site: ...


_Fact = TypeVar("_Fact", bound=_HandlerFact)


class DataSchema(NamedTuple):
    """The `a.schema(...)` passed to `defineData`, and its schema-level `.authorization(...)`."""

    resource: ResourceDef
    module: Module
    schema: Expr  # the `a.schema(...)` call
    authorization: Expr | None  # the schema-level `.authorization(...)` call
    authorization_known: bool  # False when the rules are not an inline callback amplint can read

    @property
    def schema_call(self) -> Node:
        return self.schema.node

    @property
    def authorization_call(self) -> Node | None:
        return self.authorization.node if self.authorization is not None else None

    @property
    def fix_location(self) -> Location:
        if self.authorization_call is not None:
            callee = self.authorization_call.child_by_field_name("function")
            prop = callee.child_by_field_name("property") if callee is not None else None
            return self.module.file.location(prop if prop is not None else self.authorization_call)
        callee = self.schema_call.child_by_field_name("function")
        return self.module.file.location(callee if callee is not None else self.schema_call)


class HandlerExportStatus(NamedTuple):
    """Whether a handler file exports `handler`, the name Lambda calls, and where a finding about
    it goes: the default export for "default-only", else the file's first line."""

    state: HandlerExportState
    location: Location


class Backend:
    """Everything amplint knows about one Amplify root: what the join found (`join_files`), never
    changed after construction, and the facts derived from it, each computed on first use."""

    def __init__(self, root: Path, joined: Joined, project_files: dict[Path, bytes] | None = None) -> None:
        self.root = root
        # The project's own configuration beside amplify/ (tsconfig*.json, package.json, next.config.*).
        self.project_files: dict[Path, bytes] = project_files or {}
        self.modules: Mapping[Path, Module] = joined.modules
        self.functions: tuple[FunctionDef, ...] = joined.functions
        self.resources: tuple[ResourceDef, ...] = joined.resources
        self.define_backend: DefineBackend | None = joined.define_backend
        self.references: tuple[FunctionReference, ...] = joined.references
        self._joined = joined
        self._function_facts: dict[tuple[str, FunctionDef], Any] = {}  # see `_per_function`
        self._derived: dict[Callable[[Backend], Any], Any] = {}  # set last: the record is complete

    def __setattr__(self, name: str, value: object) -> None:
        if "_derived" in self.__dict__:
            raise AttributeError(f"a Backend does not change after construction (setting {name!r})")
        object.__setattr__(self, name, value)

    def derived(self, compute: Callable[[Backend], _T]) -> _T:
        """`compute(self)`, computed once per backend: how an analysis above the record (stacks.py)
        keeps what it derives."""
        if compute in self._derived:
            return cast(_T, self._derived[compute])
        value = self._derived[compute] = compute(self)
        return value

    def _per_function(self, name: str, fn: FunctionDef, compute: Callable[[FunctionDef], _T]) -> _T:
        """`compute(fn)`, computed once per function: what a function's code does, which several
        checks ask for."""
        key = (name, fn)
        if key in self._function_facts:
            return cast(_T, self._function_facts[key])
        value = self._function_facts[key] = compute(fn)
        return value

    # -- queries ----------------------------------------------------------------------------

    def function_at(self, module: Module, node: Node) -> FunctionDef | None:
        """The function an expression evaluates to, following names across modules."""
        return self._joined.function_at(module, node)

    def resource_at(self, module: Module, node: Node) -> ResourceDef | None:
        return self._resource_of(resolve(module, node))

    def _resource_of(self, found: Resolved) -> ResourceDef | None:
        if isinstance(found, Expr):
            for resource in self.resources:
                if resource.module is found.module and resource.at == found.range:
                    return resource
        return None

    @cached_property
    def registration_targets(self) -> Mapping[str, FunctionDef | ResourceDef]:
        """The function or resource each `defineBackend` key registers, when amplint can follow it,
        in the registrations' order (computed once)."""
        targets: dict[str, FunctionDef | ResourceDef] = {}
        if self.define_backend is None:
            return targets
        for key, registration in self.define_backend.registrations.items():
            resolved = resolve_expr(registration.value)
            found = function_resolved_to(self._joined.functions_by_call, resolved) or self._resource_of(resolved)
            if found is not None:
                targets[key] = found
        return targets

    @cached_property
    def registered_functions(self) -> Mapping[FunctionDef, Registration]:
        if self.define_backend is None:
            return {}
        registrations = self.define_backend.registrations
        result: dict[FunctionDef, Registration] = {}
        for key, found in self.registration_targets.items():
            if isinstance(found, FunctionDef):
                result.setdefault(found, registrations[key])
        return result

    def backend_key(self, fn_or_resource: FunctionDef | ResourceDef) -> str | None:
        """The `defineBackend` key a function or resource is registered under, if any."""
        return self._registration_keys.get(fn_or_resource)

    @cached_property
    def _registration_keys(self) -> Mapping[FunctionDef | ResourceDef, str]:
        keys: dict[FunctionDef | ResourceDef, str] = {}
        for key, found in self.registration_targets.items():
            keys.setdefault(found, key)
        return keys

    @staticmethod
    def binding_of(definition: FunctionDef | ResourceDef) -> str | None:
        """The name a `define*(...)` result is bound to (`const data = defineData(...)`)."""
        declared = definition.declared
        return declared[0] if declared is not None else None

    @staticmethod
    def static_prop(resource: ResourceDef, key: str) -> Any:
        """The static value of a resource prop: None when absent, UNKNOWN when not static."""
        return prop_value(resource.props, key, None)

    def is_mentioned_elsewhere(self, fn: FunctionDef | ResourceDef) -> bool:
        """Whether the function's binding appears anywhere but where it is declared, imported or
        exported. Errs towards True: a mention amplint cannot interpret keeps rules silent."""
        declared = fn.declared
        if declared is None:
            return True  # inline or default-exported: used where it stands
        name, name_at = declared
        exported_at = tuple(e.at for e in fn.module.exports.values() if e.local == name)
        if is_used(fn.module, name, (name_at, *exported_at)):
            return True
        return any(is_used(module, imp.local, (imp.statement,)) for module, imp in self._value_imports.get(fn, ()))

    def is_imported(self, definition: FunctionDef | ResourceDef) -> bool:
        """Whether another module imports the definition's binding (used or not)."""
        return bool(self._value_imports.get(definition))

    @cached_property
    def _value_imports(self) -> Mapping[FunctionDef | ResourceDef, list[tuple[Module, Any]]]:
        """For each function and resource, the value imports across the workspace that bind it
        (computed once)."""
        functions = self._joined.functions_by_call
        resources = {(r.module.path, *r.at): r for r in self.resources}
        found: dict[FunctionDef | ResourceDef, list[tuple[Module, Any]]] = {}
        for module in self.modules.values():
            if not module.resolved:
                continue  # imports nothing of the workspace
            for index, (path, start, end) in module.carried("import calls", partial(_import_calls, module)):
                definition = functions.get((path, start)) or resources.get((path, start, end))
                if definition is not None:
                    found.setdefault(definition, []).append((module, module.imports[index]))
        return found

    def runtime_modules(self, fn: FunctionDef) -> list[Module]:
        """The workspace modules the function's entry executes, the entry first: value, side-effect
        and re-export imports, transitively (imports only used as types are erased by esbuild)."""
        if fn.handler is None:
            return []
        return self.load_graph(fn.handler).order[::-1]

    def handler_export(self, module: Module) -> HandlerExportStatus | None:
        """Whether a handler file exports `handler` (see `handlers.handler_export`); None when the
        file does not parse cleanly (its exports may be hidden in the broken part)."""
        if module.file.has_error:
            return None
        state = handler_export(module)
        if state == "default-only":
            return HandlerExportStatus(state, module.exports["default"].location)
        return HandlerExportStatus(state, first_line(module))

    @cached_property
    def functions_of_module(self) -> Mapping[Path, list[FunctionDef]]:
        owners: dict[Path, list[FunctionDef]] = {}
        for fn in self.functions:
            for module in self.runtime_modules(fn):
                owners.setdefault(module.path, []).append(fn)
        return owners

    def handler_facts(self, module: Module) -> HandlerFacts:
        """What the module's code does with the Data API and secrets; kept with the module while it
        and the files it imports are unchanged."""
        return module.carried("handler facts", partial(handler_facts, module))

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
        complete = data.options_complete if data is not None else None
        if data is None or complete is None:
            return None
        if data.prop("name") is None:
            return data_variables(None) if complete else None
        return data_variables(data.value("name"))

    @cached_property
    def data_default_auth_mode(self) -> Any:
        """The API's default authorization mode, as `amplify_outputs.json` states it; UNKNOWN when
        amplint cannot tell."""
        data = self.data_resource
        if data is None or not data.options_complete:
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
        keys: set[str] | None
        written = fn.written_environment
        if written is not None:
            keys = set(written)
        elif fn.prop("environment") is None:
            keys = set() if fn.props is not None and fn.props.complete else None
        else:
            shape = fn.object_option("environment")
            keys = set(shape.entries) if shape is not None and shape.complete else None
        if keys is None or added.get(fn) is None and fn in added:
            return None
        return frozenset(keys | (added.get(fn) or set()))

    @cached_property
    def _environment_additions(self) -> list[tuple[str | None, FunctionDef | None, EnvironmentCall]]:
        """Each `backend.<key>.addEnvironment(...)` call in the backend module: the registration key
        (None when the receiver cannot be followed), the function registered under it (None for
        data, auth, storage) and the call."""
        define = self.define_backend
        if define is None or not define.module.file.mentions(b"addEnvironment"):
            return []
        found = []
        for call in define.module.fact(environment_calls, define.binding):
            target = self.registration_targets.get(call.key) if call.key is not None else None
            found.append((call.key, target if isinstance(target, FunctionDef) else None, call))
        return found

    @cached_property
    def added_environment_calls(self) -> list[tuple[FunctionDef, Expr, Expr]]:
        """`backend.<fn>.addEnvironment(NAME, VALUE)` in the backend module: (function, name, value)."""
        define = self.define_backend
        if define is None:
            return []
        return [
            (fn, Expr.at(define.module, call.arguments[0]), Expr.at(define.module, call.arguments[1]))
            for _, fn, call in self._environment_additions
            if fn is not None and len(call.arguments) >= 2
        ]

    @cached_property
    def _added_environment(self) -> Mapping[FunctionDef, set[str] | None] | None:
        """`backend.<key>.addEnvironment('NAME', ...)` names by function (None: a name not static);
        None when a call's receiver cannot be followed."""
        added: dict[FunctionDef, set[str] | None] = {}
        define = self.define_backend
        if define is None:
            return added  # addEnvironment calls are read in the defineBackend module only
        for key, fn, call in self._environment_additions:
            if fn is None:
                if key is None:
                    return None
                continue  # not a function: data, auth, storage
            name = (
                call.name
                if call.name is not None
                else Expr.at(define.module, call.arguments[0]).evaluate()
                if call.arguments
                else UNKNOWN
            )
            if fn in added and added[fn] is None:
                continue
            added[fn] = (added.get(fn) or set()) | {name} if isinstance(name, str) else None
        return added

    def data_api_uses(self, fn: FunctionDef) -> list[tuple[Module, DataApiUse]]:
        """What in the function's code needs `allow.resource`: `getAmplifyDataClientConfig`, a Data
        client it reads (`client.models`, `client.graphql`), a data variable Amplify sets (not one
        the backend sets itself). Code that only another function calls does not count."""
        return self._per_function("data_api_uses", fn, self._data_api_uses)

    def _data_api_uses(self, fn: FunctionDef) -> list[tuple[Module, DataApiUse]]:
        if fn.handler is None:
            return []
        graph = self.load_graph(fn.handler)
        variables = self.data_variables
        own = self.user_environment(fn) if variables is not None else None
        found = []
        for module in self.runtime_modules(fn):
            for use in self.handler_facts(module).data_api:
                if use.kind == "env" and (
                    own is None or variables is None or use.variable not in variables or use.variable in own
                ):
                    continue
                if graph.may_run(module, use.site):
                    found.append((module, use))
        if not any(use.kind == "client" for _, use in found):
            # A configuration without a client in use calls nothing, unless it runs (and throws) on load.
            found = [(m, u) for m, u in found if u.kind != "getAmplifyDataClientConfig" or u.runs == "load"]
        return found

    def data_client_reads(self, fn: FunctionDef) -> list[tuple[Module, ClientRead]]:
        """Reads of Data clients (`client.models.X`, `client.graphql`) the function's code may run."""
        return self._per_function("data_client_reads", fn, lambda fn: self._run_by(fn, lambda f: f.client_reads))

    def data_configuration(self, fn: FunctionDef) -> list[tuple[Module, ConfigureCall]]:
        """The `Amplify.configure(...)` calls the function's code may run."""
        return self._per_function("data_configuration", fn, lambda fn: self._run_by(fn, lambda f: f.configures))

    def _run_by(self, fn: FunctionDef, pick: Callable[[HandlerFacts], Iterable[_Fact]]) -> list[tuple[Module, _Fact]]:
        """(module, fact) for the handler facts `pick` selects that the function's code may run."""
        if fn.handler is None:
            return []
        graph = self.load_graph(fn.handler)
        return [
            (m, fact)
            for m in self.runtime_modules(fn)
            for fact in pick(self.handler_facts(m))
            if graph.may_run(m, fact.site)
        ]

    def data_signing(self, fn: FunctionDef) -> tuple[DataSigning, Module | None, ConfigureCall | None]:
        """How the function's code configures Amplify for its Data clients: "role"
        (`getAmplifyDataClientConfig`: its own role), "outputs" (every configuration is
        `amplify_outputs.json`), "literal" (every one is an object literal with a default auth mode
        other than IAM), "no-credentials" (object literals that give IAM no credentials: no `Auth`
        section, no `libraryOptions`), "none" (nothing configures Amplify), or "unknown". With the
        first configuration of that kind and its module."""
        return self._per_function("data_signing", fn, self._data_signing)

    def _data_signing(self, fn: FunctionDef) -> tuple[DataSigning, Module | None, ConfigureCall | None]:
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
        schemas = [self._read_schema(part) for part in parts]
        return schemas[0] if len(schemas) == 1 else combine(schemas)

    def _read_schema(self, part: DataSchema) -> Schema:
        """One `a.schema(...)` read whole; a session keeps it while the files it imports are unchanged."""
        authorization = part.authorization_call
        key = (
            "schema",
            part.schema_call.start_byte,
            part.schema_call.end_byte,
            None if authorization is None else (authorization.start_byte, authorization.end_byte),
            part.authorization_known,
        )
        return part.module.carried(
            key, lambda: read_schema(part.module, part.schema_call, authorization, part.authorization_known)
        )

    @cached_property
    def files(self) -> frozenset[Path]:
        """The paths of the root's source files."""
        return frozenset(self.modules)

    @cached_property
    def schema_models(self) -> frozenset[str] | None:
        """The names of the schema's models (`a.model(...)` entries of `a.schema({...})`); None when
        amplint cannot list them all (no single schema, a spread, a computed key, `a.combine`)."""
        data = self.data_resource
        schemas = [s for s in self.data_schemas if s.resource is data]
        if data is None or len(schemas) != 1:
            return None
        schema = schemas[0]
        deployed = self.deployed_schema
        if deployed is not None and deployed.call == schema.schema_call and deployed.complete:
            # Read already, entry by entry: every entry is an `a.*` chain that needs no name followed.
            return frozenset(deployed.models)
        args = call_arguments(schema.schema_call)
        entries = object_at(schema.module, args[0]) if args else None
        if entries is None or not entries.complete:
            return None
        models = set()
        for name, expr in entries.entries.items():
            chain = read_chain(expr.module, expr.node, through_names=True)
            if chain is None:
                return None  # an entry amplint cannot classify may be a model
            if chain.root == "model":
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
    def data_schemas(self) -> tuple[DataSchema, ...]:
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
        return tuple(schemas)

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
        return program(entry)

    def entry_status(self, fn: FunctionDef) -> EntryStatus | None:
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

    def resources_defined_on_load(self, kind: ResourceKind) -> list[ResourceDef]:
        """The `define<Kind>` calls that certainly run as `backend.ts` loads, in the order they run
        (module evaluation order, then source order)."""
        entry = self.backend_module
        if entry is None:
            return []
        graph = self.load_graph(entry)
        loaded = set(graph.order)
        calls = sorted(
            (graph.position(r.module, r.at[0]), r)
            for r in self.resources
            if r.kind == kind and r.module in loaded and r.on_load
        )
        return [resource for _, resource in calls]

    @cached_property
    def output_sections(self) -> frozenset[str | None]:
        """The sections `backend.addOutput({...})` writes to amplify_outputs.json (None: one amplint
        cannot read)."""
        define = self.define_backend
        sections: set[str | None] = set()
        for use in define.uses if define is not None else ():
            call = use.member.parent
            if use.key != "addOutput" or call is None or call.type != "call_expression":
                continue
            args = call_arguments(call)
            shape = object_at(define.module, args[0]) if args and define is not None else None
            if shape is None or not shape.complete:
                sections.add(None)
            else:
                sections.update(shape.entries)
        return frozenset(sections)

    @cached_property
    def undeployed_functions(self) -> tuple[FunctionDef, ...]:
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
            return ()
        registered = self.registered_functions
        referenced = {ref.function for ref in self.references}
        unused = [
            fn
            for fn in self.functions
            if fn not in registered and fn not in referenced and not self.is_mentioned_elsewhere(fn)
        ]
        # A leftover copy (or a compiled `resource.js` beside `resource.ts`) of a function that another
        # definition deploys under the same name: that name is deployed, whatever this copy does.
        unused_set = set(unused)
        used_names = {fn.name for fn in self.functions if fn not in unused_set and isinstance(fn.name, str)}
        return tuple(fn for fn in unused if not (isinstance(fn.name, str) and fn.name in used_names))

    @cached_property
    def deployable_functions(self) -> tuple[FunctionDef, ...]:
        """The functions that may deploy: every rule that claims a synth, deploy or runtime
        consequence looks only at these. A function in a file `backend.ts` never loads, or one
        nothing uses, is never instantiated, so Amplify never validates or bundles it."""
        unused = set(self.undeployed_functions)
        return tuple(fn for fn in self.functions if fn not in unused and self.loads(fn.module))

    def is_deployed(self, fn: FunctionDef) -> bool:
        """Certainly instantiated: registered in defineBackend, or used by a registered data, auth or
        storage resource."""
        return fn in self.registered_functions or fn in self._used_by_registered

    @cached_property
    def _used_by_registered(self) -> frozenset[FunctionDef]:
        """The functions a registered data, auth or storage resource uses (see `is_deployed`)."""
        kinds = {r.kind for r in self.resources if self.backend_key(r) is not None}
        return frozenset(
            ref.function
            for ref in self.references
            if ref.function is not None
            and (ref.kind != "allow.resource" or ref.level in ("schema", "auth", "storage"))
            and (
                ref.owner is not None
                and self.backend_key(ref.owner) is not None
                or ref.owner is None
                and ref.resource in kinds
            )
        )

    @cached_property
    def definition_modules(self) -> frozenset[Path]:
        """Backend definition files: backend.*, every resource.*, and any module that calls a
        define* function of @aws-amplify/backend."""
        paths = {p for p, m in self.modules.items() if p.stem == "resource"}
        if self.backend_module is not None:
            paths.add(self.backend_module.path)
        paths |= {fn.module.path for fn in self.functions} | {r.module.path for r in self.resources}
        if self.define_backend is not None:
            paths.add(self.define_backend.module.path)
        return frozenset(paths)

    @cached_property
    def definition_inputs(self) -> DefinitionInputs:
        """What the checks that read only the backend's definitions read (`checks.DEFINITION_CHECKS`):
        the definition files (`definition_modules`), every module that calls a `define*` function or
        holds a reference (`allow.resource(fn)`, `a.handler.function(fn)`), every module these import,
        directly or not, and the modules that import a function or resource by value
        (`is_mentioned_elsewhere`), with what each such import binds. Two runs of a session with the
        same inputs (the same module objects: their files unchanged) and the same set of files give
        those checks the same findings."""
        seeds = [
            module
            for path, module in self.modules.items()
            if path in self.definition_modules or define_calls(module) or reference_calls(module)
        ]
        imports = frozenset(
            (module.path, imp.local, definition.module.path, definition.at[0])
            for definition, uses in self._value_imports.items()
            for module, imp in uses
        )
        importers = {module for uses in self._value_imports.values() for module, _ in uses}
        return DefinitionInputs(import_closure(*seeds) | importers, imports)

    @cached_property
    def declared_modules(self) -> frozenset[str]:
        """Module names declared with `declare module '...'` (for example `env.d.ts` shims)."""
        return frozenset(name for module in self.modules.values() for name in declared_modules(module))


def _import_calls(module: Module) -> tuple[tuple[int, tuple[Path, int, int]], ...]:
    """The value imports of workspace modules that bind a call (`export const fn = defineFunction(...)`):
    each import's index in `module.imports`, with the call's file and byte range. A session keeps it
    while the module and what it imports are unchanged; each run looks up its own definitions by it."""
    found = []
    for index, imp in enumerate(module.imports):
        if imp.type_only or module.resolved.get(imp.source) is None:
            continue
        target = resolve_path(module, (imp.local,))  # what `resolve` finds for the imported name
        if isinstance(target, Expr) and target.type == "call_expression":
            found.append((index, (target.module.path, *target.range)))
    return tuple(found)


def backend_key_of(module: Module, node: Node | None, binding: str | None, depth: int = 0) -> str | None:
    """The `defineBackend` key at the root of `backend.<key>.resources.lambda` (through casts and
    `const` names in the same module; `binding` is the name `defineBackend(...)` is bound to); None
    when the root is not the backend object."""
    while node is not None and depth < 16:
        node = unwrap(node)
        if node.type == "member_expression":
            obj = node.child_by_field_name("object")
            if obj is None:
                return None
            obj = unwrap(obj)
            if obj.type == "identifier" and text(obj) == binding:
                prop = node.child_by_field_name("property")
                return property_name(prop) if prop is not None else None
            node = obj
        elif node.type == "identifier":
            value = module.bindings.get(text(node))
            if value is None or value.kind != "const" or value.value is None or value.import_ is not None:
                return None
            node, depth = module.value_of(value), depth + 1
        else:
            return None
    return None


class EnvironmentCall(NamedTuple):
    """`<receiver>.addEnvironment(...)` in the backend module, as its text gives it (a per-file fact)."""

    key: str | None  # the `defineBackend` key at the root of the receiver (`backend_key_of`)
    arguments: tuple[NodeRef, ...]
    name: str | None  # the first argument, when it is a plain string


def environment_calls(module: Module, binding: str | None) -> tuple[EnvironmentCall, ...]:
    """The module's `.addEnvironment(...)` calls, `binding` being the name `defineBackend(...)` is bound to."""
    found = []
    for call, callee, _ in calls_named(module, (b"addEnvironment",), members_only=True):
        args = call_arguments(call)
        first = unwrap(args[0]) if args else None
        found.append(
            EnvironmentCall(
                backend_key_of(module, callee.child_by_field_name("object"), binding),
                tuple(node_ref(arg) for arg in args),
                string_value(first) if first is not None and first.type == "string" else None,
            )
        )
    return tuple(found)


def first_line(module: Module) -> Location:
    """Where a finding about a whole file goes: its first line."""
    source = module.file
    end = source.text.find(b"\n")
    end = len(source.text) if end < 0 else end
    if source.text[:end].endswith(b"\r"):
        end -= 1  # CRLF: the line ends before the carriage return
    return Location(source.path, Span(1, 1, 1, source.column(end, end), 0, end))


def _mentions_in_code(module: Module, word: bytes) -> bool:
    """Whether `word` stands in code, even inside a longer name or as a property (`Amplify.configure`,
    `configureAmplify`), not only in a comment or a string."""
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


def _combined_parts(resource: ResourceDef, expr: Expr) -> list[DataSchema] | None:
    """The parts of `a.combine([schemaA, schemaB])`; None when the schema is not a combine, or a
    part cannot be read."""
    found = resolve(expr.module, expr.node)
    if not isinstance(found, Expr) or unwrap(found.node).type != "call_expression":
        return None
    call = unwrap(found.node)
    callee = call.child_by_field_name("function")
    if callee is None or not is_amplify_api(resolve(found.module, callee), "a.combine"):
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
    """Walk `a.schema({...}).authorization(allow => [...])` down to `a.schema(...)`, each call as its
    module's facts give it (`chain_call`)."""
    found = resolve_expr(expr)
    authorization: Expr | None = None
    known = True
    for _ in range(64):
        if not isinstance(found, Expr) or found.type != "call_expression":
            return None
        module = found.module
        call = module.fact(chain_call, found.range)
        if call is None:
            return None
        resolved_callee = resolve_written(module, call.callee, call.callee_path, call.callee_opaque)
        if (
            isinstance(resolved_callee, External)
            and resolved_callee.source == AMPLIFY_BACKEND
            and resolved_callee.name == "a.schema"
        ):
            if authorization is not None and authorization.module is not module:
                known = False
            return DataSchema(resource, module, found, authorization, known)
        if call.obj is None:
            return None
        if call.member == "authorization":
            if authorization is not None or not call.inline_rules:
                known = False
            authorization = found
        found = resolve_written(module, *call.obj)
    return None
