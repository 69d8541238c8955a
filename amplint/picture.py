"""The backend at a glance: one plain, serialisable picture of a backend computed from the model, which
`amplint graph` draws (text, JSON, Mermaid, DOT) and an editor's hover can show one function of.

`picture(backend)` gives the whole `BackendPicture`: every function (its resolved name, entry, runtime,
timeout, memory, schedules in words with their next runs, how it is reached, the data operations it
may call and those its code performs, the nested stack it lands in) and the stack graph AMP203 reads
(stacks, the dependencies between them with the line that creates each, the cycles with AMP203's fix).
`function_picture(backend, fn)` gives one function's record, `definition_at(backend, path, offset)` the
definition at a place in the source (an editor's hover).
Records hold strings, numbers and tuples only; paths are relative to the backend's root."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from .amplify import DEFAULT_MEMORY_MB, DEFAULT_RUNTIME
from .diagnostics import Location
from .model.backend import Backend, FunctionDef, FunctionReference, ResourceDef, ScheduleEntry
from .model.schedules.zones import zone_info
from .model.schema import CustomOperation
from .model.stacks import (
    CustomStack,
    Owner,
    StackCycle,
    StackFlow,
    StackGraph,
    custom_stacks,
    cycle_advice,
    stack_cycles,
    stack_graph,
)
from .model.values import UNKNOWN, is_number
from .records import NamedTuple
from .syntax import text

RUN_COUNT = 3  # next runs shown per schedule
DATA_OPERATIONS = ("query", "mutate", "listen")  # what `allow.resource(fn)` grants without `.to(...)`

# How a function is reached: what makes Amplify deploy it and what calls it.
ReachKind = Literal["registered", "trigger", "sender", "schema-handler", "data-functions", "grant"]
Deployed = Literal["yes", "no", "unknown"]
MemberKind = Literal["function", "data", "auth", "storage", "custom-stack"]
StackKind = Literal["group", "data", "auth", "storage", "custom"]
ScheduleStatus = Literal["valid", "invalid", "unknown"]


class Place(NamedTuple):
    """Where something is written: the file relative to the backend's root (forward slashes), 1-based
    line and column (Unicode code points)."""

    file: str
    line: int
    column: int


class Setting(NamedTuple):
    """A function setting: its value (None when not statically known) and whether it is written
    (False: Amplify's default)."""

    value: int | float | str | None
    given: bool


class ScheduleRun(NamedTuple):
    """One coming run: the instant in UTC and the same instant in `zone` (ISO 8601, to the minute)."""

    utc: str
    local: str
    zone: str


class SchedulePicture(NamedTuple):
    """One entry of `defineFunction({ schedule })`."""

    written: str  # the schedule as written in the source
    status: ScheduleStatus  # valid: Amplify deploys it; invalid: it does not (AMP401/AMP404); unknown: not static
    cron: str | None  # the EventBridge cron Amplify deploys
    words: str | None  # when it runs, in words
    timezone: str | None  # the zone EventBridge evaluates it in (UTC unless the schedule says); None: unknown
    runs: tuple[ScheduleRun, ...]  # the next runs
    problem: str | None  # why it does not deploy (the AMP4xx message)
    place: Place
    runs_unknown: str | None = None  # why amplint cannot count the next runs of a schedule that deploys


class Reach(NamedTuple):
    """One way a function is reached: a `defineBackend` key, an auth or storage trigger, a custom
    sender, a schema handler, `defineData({ functions })`, or an `allow.resource` grant."""

    kind: ReachKind
    detail: str  # in words: `backend.syncTodos`, "auth trigger `postConfirmation`", "handler of query `echo`"
    place: Place


class Grant(NamedTuple):
    """`allow.resource(fn)` (with its `.to([...])`) in data, auth or storage."""

    resource: str  # data, auth, storage
    level: str  # for data: schema, model, field, custom-operation (only schema-level grants work, AMP205)
    operations: tuple[str, ...] | None  # None: not statically known
    written: bool  # `.to([...])` is written (else data's default: query, mutate, listen)
    place: Place


class Performed(NamedTuple):
    """A call through a Data client in the function's code and the operations it needs."""

    operations: tuple[str, ...]
    place: Place


class Flow(NamedTuple):
    """A reference that makes the stack of `dependent` depend on the stack of `dependency` (member ids)."""

    dependent: str
    dependency: str
    how: str
    place: Place


class FunctionPicture(NamedTuple):
    id: str  # the member id in the stack graph
    name: str | None  # the resolved name; None when not statically known
    binding: str | None  # the `const` it is bound to
    place: Place  # the `defineFunction` call
    custom: bool  # `defineFunction((scope) => ...)`
    entry: str | None  # the handler file, relative to the root when inside it
    entry_status: str | None  # found, missing, unsupported; None when not statically known
    runtime: Setting  # Node.js major version
    timeout: Setting  # seconds
    memory: Setting  # MB
    stack: str | None  # the nested stack it lands in (its resourceGroupName); None when unknown
    deployed: Deployed
    not_deployed_because: str | None
    reached: tuple[Reach, ...]
    schedules: tuple[SchedulePicture, ...]
    allowed: tuple[Grant, ...]  # what `allow.resource(...)` lets it call
    performed: tuple[Performed, ...]  # what its code calls through a Data client
    flows: tuple[Flow, ...]  # the references between its stack and others that it makes or receives


class Member(NamedTuple):
    """Something that lands in a nested stack."""

    id: str  # unique in the picture: fn1, data, auth, storage, stack1 ...
    kind: MemberKind
    name: str  # the function's name, the resource's `defineBackend` key, the custom stack's name
    stack: str
    place: Place


class StackNode(NamedTuple):
    name: str
    kind: StackKind  # group: a function resource group ('function' by default); custom: createStack
    members: tuple[str, ...]  # member ids


class StackEdge(NamedTuple):
    """The stack `dependent` depends on `dependency`, because of each flow in `flows`."""

    dependent: str
    dependency: str
    on_cycle: bool
    flows: tuple[Flow, ...]


class StackCyclePicture(NamedTuple):
    """A circular dependency between nested stacks, as AMP203 reports it."""

    stacks: tuple[str, ...]  # around the cycle, first and last the same
    function: str  # the member id of the function AMP203 reports it on
    function_name: str | None
    fix: str | None  # the `resourceGroupName` that breaks it; None when no single group does
    advice: str  # the fix in words
    place: Place


class StackPicture(NamedTuple):
    stacks: tuple[StackNode, ...]
    members: tuple[Member, ...]
    edges: tuple[StackEdge, ...]
    cycles: tuple[StackCyclePicture, ...]


class BackendPicture(NamedTuple):
    root: str  # absolute path of the folder holding amplify/
    now: str  # the instant the next runs follow (UTC, ISO 8601)
    zone: str | None  # the time zone runs are shown in besides UTC (None: each schedule's own)
    functions: tuple[FunctionPicture, ...]
    stacks: StackPicture


def picture(backend: Backend, *, now: datetime.datetime | None = None, zone: str | None = None) -> BackendPicture:
    """The whole backend: its functions and its stack graph. `now` (default: the current time) is the
    instant next runs are counted from; `zone` the IANA time zone to show them in besides UTC (default:
    each schedule's own). Raises ValueError for a zone the host does not know."""
    instant = _instant(now)
    _shown_zone(zone)  # an unknown zone fails before anything else is done
    ids = _Ids(backend)
    functions = tuple(_function(backend, fn, ids, instant, zone) for fn in _in_source_order(backend.functions))
    return BackendPicture(str(backend.root), _iso_utc(instant), zone, functions, _stacks(backend, ids))


def function_picture(
    backend: Backend, fn: FunctionDef, *, now: datetime.datetime | None = None, zone: str | None = None
) -> FunctionPicture:
    """One function's record, as `picture` gives it."""
    _shown_zone(zone)
    return _function(backend, fn, _Ids(backend), _instant(now), zone)


class DefinitionPicture(NamedTuple):
    """The definition at a place in the source (what an editor's hover shows)."""

    kind: Literal["function", "data", "auth", "storage"]
    key: str | None  # its `defineBackend` key; None when not registered
    stack: str | None  # the nested stack it lands in
    function: FunctionPicture | None  # a function's record, as `picture` gives it


def definition_at(
    backend: Backend, path: Path, offset: int, *, now: datetime.datetime | None = None
) -> DefinitionPicture | None:
    """The definition at byte `offset` of the file at `path` (absolute): on a `backend.<key>` or a
    `defineBackend` key, what it registers; else the innermost `defineFunction(...)` (or `defineData`,
    `defineAuth`, `defineStorage`) call holding it. None when there is none."""
    target = _definition_at(backend, path, offset)
    if target is None:
        return None
    key = backend.backend_key(target)
    if isinstance(target, FunctionDef):
        shown = function_picture(backend, target, now=now)
        return DefinitionPicture("function", key, shown.stack, shown)
    return DefinitionPicture(target.kind, key, target.stack, None)


def _definition_at(backend: Backend, path: Path, offset: int) -> FunctionDef | ResourceDef | None:
    target: FunctionDef | ResourceDef | None = None
    define = backend.define_backend
    if define is not None and define.module.path == path:
        for use in define.uses:
            if use.member.start_byte <= offset <= use.member.end_byte:
                target = backend.registration_targets.get(use.key)
        for key, registration in define.registrations.items():
            if registration.key_at[0] <= offset <= registration.key_at[1]:
                target = backend.registration_targets.get(key)
    if target is not None:
        return target
    calls: list[FunctionDef | ResourceDef] = [*backend.functions, *backend.resources]
    inside = [d for d in calls if d.module.path == path and d.call.start_byte <= offset < d.call.end_byte]
    return min(inside, key=lambda d: d.call.end_byte - d.call.start_byte) if inside else None


# -- functions ---------------------------------------------------------------------------------------


def _in_source_order(functions: Iterable[FunctionDef]) -> list[FunctionDef]:
    return sorted(functions, key=lambda fn: fn.source_order)


class _Ids:
    """Stable ids for what lands in stacks: functions fn1, fn2 ... in source order (by the root-relative
    path, so they do not depend on where the project lives), data/auth/storage by kind, custom stacks
    stack1 ...."""

    def __init__(self, backend: Backend) -> None:
        self.by_owner: dict[Owner, str] = {}
        functions = sorted(backend.functions, key=lambda fn: (backend.relative(fn.module.path), fn.call.start_byte))
        for number, fn in enumerate(functions, 1):
            self.by_owner[fn] = f"fn{number}"
        counts: dict[str, int] = {}
        for resource in backend.resources:
            counts[resource.kind] = counts.get(resource.kind, 0) + 1
            n = counts[resource.kind]
            self.by_owner[resource] = resource.kind if n == 1 else f"{resource.kind}{n}"
        for number, stack in enumerate(custom_stacks(backend), 1):
            self.by_owner[stack] = f"stack{number}"

    def of(self, owner: Owner) -> str:
        return self.by_owner[owner]  # every function, resource and custom stack has one


def _place(backend: Backend, location: Location) -> Place:
    return Place(backend.relative(location.path), location.span.start_line, location.span.start_column)


def _setting(value: object, given: bool) -> Setting:
    if value is UNKNOWN:
        return Setting(None, given)
    if is_number(value) and not isinstance(value, bool):
        return Setting(value, given)
    return Setting(value if isinstance(value, str) else repr(value), given)


def _function(
    backend: Backend, fn: FunctionDef, ids: _Ids, now: datetime.datetime, zone: str | None
) -> FunctionPicture:
    graph = stack_graph(backend)
    if fn.custom:
        runtime, memory = Setting(None, False), Setting(None, False)
    else:
        runtime = _setting(fn.value("runtime", DEFAULT_RUNTIME), fn.prop("runtime") is not None)
        memory = _setting(fn.value("memoryMB", DEFAULT_MEMORY_MB), fn.prop("memoryMB") is not None)
    seconds, timeout_expr = fn.timeout
    deployed, because = _deployed(backend, fn)
    entry = backend.relative(fn.entry) if fn.entry is not None else None
    into, out = graph.cross_flows(fn)
    return FunctionPicture(
        id=ids.of(fn),
        name=fn.name if isinstance(fn.name, str) else None,
        binding=fn.binding,
        place=_place(backend, fn.location),
        custom=fn.custom,
        entry=entry,
        entry_status=backend.entry_status(fn),
        runtime=runtime,
        timeout=_setting(seconds, timeout_expr is not None),
        memory=memory,
        stack=graph.stack(fn),
        deployed=deployed,
        not_deployed_because=because,
        reached=tuple(_reached(backend, fn)),
        schedules=tuple(_schedule(backend, fn, entry, now, zone, deployed != "no") for entry in fn.schedules),
        allowed=tuple(_grants(backend, fn)),
        performed=tuple(_performed(backend, fn)),
        flows=tuple(_flow(backend, ids, flow) for flow in (*into, *out)),
    )


def _deployed(backend: Backend, fn: FunctionDef) -> tuple[Deployed, str | None]:
    if not backend.loads(fn.module):
        return "no", "backend.ts never loads the file that defines it"
    if fn in backend.undeployed_functions:
        return "no", "nothing uses it: it is not registered in `defineBackend`, nor a trigger, handler or grant"
    if backend.is_deployed(fn):
        return "yes", None
    return "unknown", None


def _counts(backend: Backend, ref: FunctionReference) -> bool:
    """Whether the reference is made by a resource that deploys (as `Backend.is_deployed` counts)."""
    if ref.kind == "allow.resource" and ref.level not in ("schema", "auth", "storage"):
        return False
    if ref.owner is not None:
        return backend.backend_key(ref.owner) is not None
    return any(r.kind == ref.resource and backend.backend_key(r) is not None for r in backend.resources)


def _reached(backend: Backend, fn: FunctionDef) -> list[Reach]:
    found = []
    key = backend.backend_key(fn)
    if key is not None:
        registration = backend.registered_functions.get(fn)
        where = (
            _place(backend, registration.value.location) if registration is not None else _place(backend, fn.location)
        )
        found.append(Reach("registered", f"`backend.{key}`", where))
    for ref in backend.references:
        if ref.function is not fn or not _counts(backend, ref):
            continue
        where = _place(backend, ref.expr.location)
        if ref.kind == "trigger":
            found.append(Reach("trigger", f"{ref.resource} trigger" + (f" `{ref.key}`" if ref.key else ""), where))
        elif ref.kind == "sender":
            found.append(Reach("sender", "auth custom sender" + (f" `{ref.key}`" if ref.key else ""), where))
        elif ref.kind == "a.handler.function":
            operation = _operation_of(backend, ref)
            words = f"handler of custom {operation.kind} `{operation.name}`" if operation else "schema handler"
            found.append(Reach("schema-handler", words + (" (async)" if ref.is_async else ""), where))
        elif ref.kind == "functions":
            found.append(Reach("data-functions", "listed in `defineData({ functions })`", where))
        else:
            found.append(Reach("grant", f"{ref.resource} grants it `allow.resource`", where))
    return found


def _operation_of(backend: Backend, ref: FunctionReference) -> CustomOperation | None:
    """The custom query, mutation or subscription whose `.handler(...)` holds the reference."""
    schema = backend.deployed_schema
    call = ref.call
    for operation in schema.operations.values() if schema is not None else ():
        node = operation.chain.node
        if operation.chain.module is ref.expr.module and node.start_byte <= call.start_byte < node.end_byte:
            return operation
    return None


def _grants(backend: Backend, fn: FunctionDef) -> Iterable[Grant]:
    for ref in backend.references:
        if ref.kind != "allow.resource" or ref.function is not fn:
            continue
        written = ref.operations_at is not None
        operations: tuple[str, ...] | None
        if not written:
            operations = DATA_OPERATIONS if ref.resource == "data" else None
        elif isinstance(ref.operations, list) and all(isinstance(op, str) for op in ref.operations):
            operations = tuple(ref.operations)
        else:
            operations = None
        yield Grant(ref.resource, ref.level, operations, written, _place(backend, ref.callee_location))


def _performed(backend: Backend, fn: FunctionDef) -> Iterable[Performed]:
    """Every Data client call in the modules the function's entry runs (as AMP206 counts them)."""
    for module in backend.runtime_modules(fn):
        for use in backend.handler_facts(module).operations:
            yield Performed(tuple(use.operations), _place(backend, use.location))


# -- schedules ---------------------------------------------------------------------------------------


def _schedule(
    backend: Backend, fn: FunctionDef, entry: ScheduleEntry, now: datetime.datetime, zone: str | None, fires: bool
) -> SchedulePicture:
    """One schedule; no runs when it never `fires` (the function is never deployed)."""
    from .model.schedules import check_function_schedule, deployed_cron, explain_schedule
    from .model.schedules.define_function import deployed_timing
    from .model.schedules.runs import next_runs

    written = " ".join(text(entry.expr.node).split())
    place = _place(backend, entry.location)
    value = entry.value
    if not isinstance(value, (str, dict)):
        return SchedulePicture(written, "unknown", None, None, None, (), None, place)
    timing = deployed_timing(value)
    if timing is None:
        timeout = fn.value("timeoutSeconds", None)
        problems = check_function_schedule(value, timeout if is_number(timeout) else None)
        problem = next((p.message for p in problems if p.kind in ("invalid", "invalid-timezone")), None)
        status: ScheduleStatus = "invalid" if problem is not None else "unknown"
        return SchedulePicture(written, status, None, None, None, (), problem, place)
    spec, own_zone = timing
    runs: tuple[ScheduleRun, ...] = ()
    if own_zone is not None and fires:
        shown = zone or own_zone
        own_info, shown_info = zone_info(own_zone), zone_info(shown)
        if own_info is None or shown_info is None:
            unknown = own_zone if own_info is None else shown
            why = f"time zone `{unknown}` is not known on this host (no time-zone database, or not an IANA name)"
            return SchedulePicture(
                written, "valid", deployed_cron(value), explain_schedule(value), own_zone, (), None, place, why
            )
        runs = tuple(
            ScheduleRun(_iso_utc(run), _iso_local(run.astimezone(shown_info)), shown)
            for run in next_runs(spec, own_info, now, RUN_COUNT)
        )
    return SchedulePicture(written, "valid", deployed_cron(value), explain_schedule(value), own_zone, runs, None, place)


def _instant(now: datetime.datetime | None) -> datetime.datetime:
    if now is None:
        return datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    return now if now.tzinfo is not None else now.replace(tzinfo=datetime.timezone.utc)


def _shown_zone(zone: str | None) -> None:
    """Raises ValueError for a zone to show runs in that this host does not know (as AMP404 judges names)."""
    if zone is not None and zone_info(zone) is None:
        raise ValueError(f"time zone `{zone}` is not known on this host (use an IANA name such as `Europe/Berlin`)")


def _iso_utc(instant: datetime.datetime) -> str:
    return instant.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


def _iso_local(instant: datetime.datetime) -> str:
    return instant.isoformat(timespec="minutes")


# -- the stack graph ---------------------------------------------------------------------------------


def _flow(backend: Backend, ids: _Ids, flow: StackFlow) -> Flow:
    return Flow(ids.of(flow.dependent), ids.of(flow.dependency), flow.how, _place(backend, flow.location))


def _member(backend: Backend, ids: _Ids, graph: StackGraph, owner: Owner) -> Member | None:
    stack = graph.stack(owner)
    if stack is None:
        return None
    if isinstance(owner, FunctionDef):
        name = owner.name if isinstance(owner.name, str) else owner.binding or "?"
        return Member(ids.of(owner), "function", name, stack, _place(backend, owner.location))
    if isinstance(owner, CustomStack):
        return Member(ids.of(owner), "custom-stack", stack, stack, _place(backend, owner.location))
    key = backend.backend_key(owner) or owner.kind
    return Member(ids.of(owner), owner.kind, key, stack, _place(backend, owner.location))


def _stacks(backend: Backend, ids: _Ids) -> StackPicture:
    graph = stack_graph(backend)
    owners: dict[Owner, None] = {}
    for fn in _in_source_order(backend.deployable_functions):
        owners[fn] = None
    for resource in backend.resources:
        if backend.backend_key(resource) is not None:
            owners[resource] = None
    for stack in custom_stacks(backend):
        owners[stack] = None
    crossing = [
        flow
        for flow in graph.flows
        if (a := graph.stack(flow.dependent)) is not None and (b := graph.stack(flow.dependency)) is not None and a != b
    ]
    for flow in crossing:
        owners.setdefault(flow.dependent, None)
        owners.setdefault(flow.dependency, None)
    members = [m for m in (_member(backend, ids, graph, owner) for owner in owners) if m is not None]
    kinds: dict[str, StackKind] = {}
    for member in members:
        # Amplify's own stacks keep their kind whatever else joins them (a function's resourceGroupName).
        kinds[member.stack] = _AMPLIFY_STACKS.get(member.stack) or (
            "custom" if member.kind == "custom-stack" else kinds.get(member.stack, "group")
        )
    order = {"data": 1, "auth": 2, "storage": 3}
    names = sorted(kinds, key=lambda name: (order.get(name, 0 if kinds[name] == "group" else 4), name))
    nodes = tuple(StackNode(name, kinds[name], tuple(m.id for m in members if m.stack == name)) for name in names)
    components = graph.components()
    edges = []
    for source in sorted(graph.edges):
        for target in sorted(graph.edges[source]):
            on_cycle = any(source in c and target in c for c in components)
            flows = tuple(_flow(backend, ids, flow) for flow in graph.edges[source][target])
            edges.append(StackEdge(source, target, on_cycle, flows))
    cycles = tuple(_cycle(backend, ids, graph, cycle) for cycle in stack_cycles(backend))
    return StackPicture(nodes, tuple(members), tuple(edges), cycles)


_AMPLIFY_STACKS: dict[str, StackKind] = {"data": "data", "auth": "auth", "storage": "storage"}


def _cycle(backend: Backend, ids: _Ids, graph: StackGraph, cycle: StackCycle) -> StackCyclePicture:
    fn = cycle.function
    fix = cycle.fix(graph)
    return StackCyclePicture(
        tuple(cycle.stacks),
        ids.of(fn),
        fn.name if isinstance(fn.name, str) else None,
        fix,
        cycle_advice(fix),
        _place(backend, fn.location),
    )
