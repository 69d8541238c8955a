"""CDK code in backend files: schedules, durations, event targets and construct ids, read statically."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal, TypeAlias

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import (
    FUNCTION_KINDS,
    ByteRange,
    NamePath,
    NodeRef,
    ancestors,
    byte_range,
    call_arguments,
    name_path,
    node_ref,
    string_value,
    text,
)
from .modules import Module, calls_named, keywords, members_named, new_expressions
from .values import (
    UNKNOWN,
    Expr,
    External,
    ObjectShape,
    Resolved,
    Static,
    Unknown,
    is_number,
    object_of,
    resolve,
    resolve_expr,
    resolve_path,
    resolve_written,
)

DurationUnit: TypeAlias = Literal["millis", "seconds", "minutes", "hours", "days"]
DURATION_UNITS: dict[DurationUnit, float] = {"millis": 0.001, "seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_DURATION_UNITS_BY_NAME: dict[str, DurationUnit] = {unit: unit for unit in DURATION_UNITS}
# The service a schedule or a target belongs to: EventBridge rules (aws-events) or EventBridge Scheduler.
ScheduleService: TypeAlias = Literal["events", "scheduler"]
# `Schedule.cron(...)` or `Schedule.rate(...)` (the same two on the scheduler's `ScheduleExpression`).
ScheduleKind: TypeAlias = Literal["cron", "rate"]
_SCHEDULE_KINDS: dict[str, ScheduleKind] = {"cron": "cron", "rate": "rate"}

EVENTS = ("aws-cdk-lib/aws-events", "aws_events")
SCHEDULER = ("aws-cdk-lib/aws-scheduler", "aws_scheduler", "@aws-cdk/aws-scheduler-alpha")
EVENTS_TARGETS = ("aws-cdk-lib/aws-events-targets", "aws_events_targets")
SCHEDULER_TARGETS = (
    "aws-cdk-lib/aws-scheduler-targets",
    "aws_scheduler_targets",
    "@aws-cdk/aws-scheduler-targets-alpha",
)


def cdk_name(found: Resolved) -> tuple[str, str] | None:
    """(`module`, `Name.path`) of a value from aws-cdk-lib, with `cdk.aws_events.X` folded into
    (`aws_events`, `X`); None for anything else."""
    if not isinstance(found, External):
        return None
    source, name = found.source, found.name
    if source in ("aws-cdk-lib", "aws-cdk-lib/core"):
        head, _, rest = name.partition(".")
        if head.startswith("aws_") and rest:
            return head, rest
        return "aws-cdk-lib", name
    if source.startswith(("aws-cdk-lib/", "@aws-cdk/")):
        return source, name
    return None


class Duration(NamedTuple):
    """`Duration.<unit>(amount)`: `seconds` is UNKNOWN when the amount is not static."""

    unit: DurationUnit
    amount: Static
    module: Module
    at: ByteRange  # the call

    @property
    def location(self) -> Location:
        """The `Duration.<unit>(...)` call."""
        return self.module.file.location_at(self.at)

    @property
    def seconds(self) -> int | float | Unknown:
        amount = self.amount
        if not is_number(amount):
            return UNKNOWN
        return amount * DURATION_UNITS[self.unit]


def duration_of(expr: Expr) -> Duration | None:
    """The CDK `Duration` an expression (a prop's value) builds, following `const` bindings: from its
    module's per-file facts where they say enough."""
    found = resolve_expr(expr)
    if not isinstance(found, Expr) or found.type != "call_expression":
        return None
    call = found.module.fact(_unit_call, found.range)
    if call is None:
        return None
    unit, owner_ref, owner_path, amount = call
    owner = cdk_name(resolve_written(found.module, owner_ref, owner_path))
    if owner is None or owner[1].rsplit(".", 1)[-1] != "Duration":
        return None
    value = Expr.at(found.module, amount).evaluate() if amount is not None else UNKNOWN
    return Duration(unit, value, found.module, found.range)


def _unit_call(module: Module, at: ByteRange) -> tuple[DurationUnit, NodeRef, NamePath | None, NodeRef | None] | None:
    """Per file: for the call at `at` whose callee is `<x>.<unit>` (`minutes`, `days`, ...), the unit,
    `<x>` with its name path, and the first argument; None for any other call."""
    call = module.file.node_at(at, "call_expression")
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "member_expression":
        return None
    unit = _DURATION_UNITS_BY_NAME.get(text(callee.child_by_field_name("property")))
    owner = callee.child_by_field_name("object")
    if unit is None or owner is None:
        return None
    args = call_arguments(call)
    return unit, node_ref(owner), name_path(owner), node_ref(args[0]) if args else None


class DurationMember(NamedTuple):
    """A read of a member named `Duration` (`cdk.Duration`, `events.Duration`), with the package
    value it resolves to, if it comes from one."""

    text: str  # as written
    origin: External | None
    location: Location


def duration_members(module: Module) -> list[DurationMember]:
    found: list[DurationMember] = []
    for path, written, location in module.fact(_duration_members):
        origin = resolve_path(module, path) if path is not None else None
        found.append(DurationMember(written, origin if isinstance(origin, External) else None, location))
    return found


def _duration_members(module: Module) -> tuple[tuple[NamePath | None, str, Location], ...]:
    """Per file: each member read named `Duration`, as the name path it resolves through (None: not
    one, `f().Duration`), as written, with its location."""
    return tuple(
        (name_path(member), text(member), module.file.location(member)) for member in members_named(module, b"Duration")
    )


class ScheduleCall(NamedTuple):
    """`Schedule.cron|rate(...)` of aws-events, or `ScheduleExpression.cron|rate(...)` of the scheduler."""

    service: ScheduleService
    kind: ScheduleKind
    module: Module
    at: ByteRange  # the call
    argument: NodeRef | None  # the first argument
    options: ObjectShape | None  # for cron

    @property
    def location(self) -> Location:
        return self.module.file.location_at(self.at)

    @property
    def argument_location(self) -> Location | None:
        return self.module.file.location_at(self.argument[0]) if self.argument is not None else None

    @property
    def rate(self) -> Duration | None:
        """For `rate`: the `Duration` its argument builds, if amplint can read it."""
        if self.kind != "rate" or self.argument is None:
            return None
        return duration_of(Expr.at(self.module, self.argument))


class EventTarget(NamedTuple):
    """An EventBridge rule target (`new targets.LambdaFunction(fn, props)`) or a Scheduler target
    (`new LambdaInvoke(fn, props)`) with its props."""

    service: ScheduleService
    name: str
    module: Module
    props: ObjectShape | None


class ConstructCreation(NamedTuple):
    """`new X(scope, 'id', ...)` of a CDK construct, run exactly once as the module loads."""

    module: Module
    construct_id: str
    id_at: ByteRange
    scope_text: str  # as written
    scope: NodeRef

    @property
    def id_location(self) -> Location:
        return self.module.file.location_at(self.id_at)

    def scope_key(self) -> str | None:
        """What the scope resolves to, as written without spaces: two creations with the same key are
        in the same scope; None for `this` and scopes amplint cannot compare (a call such as
        `backend.createStack(...)` may make a new scope each time; `Stack.of(...)` does not). It
        reads the module's tree: ask it only of creations whose id another one shares."""
        return _scope_key(self.module, self.module.file.node_at(*self.scope))


class ModuleScopeThis(NamedTuple):
    """`new X(this, ...)` at the top level of a module, where `this` is `undefined`."""

    constructor: str  # `X`, as written
    location: Location  # the first argument


def schedule_calls(module: Module) -> Iterator[ScheduleCall]:
    for at, callee, kind, argument, path in module.fact(_schedule_calls):
        name = cdk_name(resolve_path(module, callee)) if callee is not None else None
        if name is None:
            continue
        source, cdk_path = name
        service: ScheduleService
        if source in EVENTS and cdk_path == f"Schedule.{kind}":
            service = "events"
        elif source in SCHEDULER and cdk_path == f"ScheduleExpression.{kind}":
            service = "scheduler"
        else:
            continue
        options = None
        if kind == "cron" and argument is not None:
            options = object_of(resolve_written(module, argument, path))
        yield ScheduleCall(service, kind, module, at, argument, options)


def _schedule_calls(
    module: Module,
) -> tuple[tuple[ByteRange, NamePath | None, ScheduleKind, NodeRef | None, NamePath | None], ...]:
    """Per file: `<x>.cron(...)` and `<x>.rate(...)` calls, with the name path of their callee (None:
    not one, `f().cron(...)`), their kind, and their first argument with its name path, if any."""
    if not module.file.mentions(b".cron", b".rate"):
        return ()
    found = []
    for named in calls_named(module, (kind.encode() for kind in _SCHEDULE_KINDS), members_only=True):
        args = call_arguments(named.call)
        argument = args[0] if args else None
        found.append(
            (
                byte_range(named.call),
                name_path(named.callee),
                _SCHEDULE_KINDS[text(named.name)],
                node_ref(argument) if argument is not None else None,
                name_path(argument) if argument is not None else None,
            )
        )
    return tuple(found)


def _constructions(module: Module) -> tuple[tuple[NamePath, NodeRef | None, NamePath | None], ...]:
    """Per file: each `new X(...)` whose constructor is a name path (`targets.LambdaFunction`), with
    it, and its second argument (a target's props) with that argument's name path, if any."""
    found = []
    for new, path in _named_news(module):
        args = call_arguments(new)
        props = args[1] if len(args) > 1 else None
        found.append(
            (path, node_ref(props) if props is not None else None, name_path(props) if props is not None else None)
        )
    return tuple(found)


def _named_news(module: Module) -> Iterator[tuple[Node, NamePath]]:
    """Each `new X(...)` of the module whose constructor is a name path, with that path."""
    for new in new_expressions(module):
        constructor = new.child_by_field_name("constructor")
        path = name_path(constructor) if constructor is not None else None
        if path is not None:
            yield new, path


def event_targets(module: Module) -> Iterator[EventTarget]:
    for constructor, props, props_path in module.fact(_constructions):
        name = cdk_name(resolve_path(module, constructor))
        if name is None:
            continue
        source, class_name = name
        service: ScheduleService
        if source in EVENTS_TARGETS:
            service = "events"
        elif source in SCHEDULER_TARGETS:
            service = "scheduler"
        else:
            continue
        shape = object_of(resolve_written(module, props, props_path)) if props is not None else None
        yield EventTarget(service, class_name, module, shape)


def construct_creations(module: Module) -> Iterator[ConstructCreation]:
    """CDK constructs created with a literal id in straight-line top-level code (not in a function,
    loop or branch, where the same line may run for other scopes or not at all)."""
    for constructor, scope, scope_text, construct_id, id_at in module.fact(_creations):
        found = resolve_path(module, constructor)
        if not isinstance(found, External) or not found.source.startswith(("aws-cdk-lib", "@aws-cdk/", "constructs")):
            continue
        yield ConstructCreation(module, construct_id, id_at, scope_text, scope)


def _creations(module: Module) -> tuple[tuple[NamePath, NodeRef, str, str, ByteRange], ...]:
    """Per file: (constructor, scope, scope's text, id, id's range) of each `new X(scope, 'id', ...)`
    in straight-line top-level code whose constructor is a name path."""
    found = []
    for new, path in _named_news(module):
        args = call_arguments(new)
        if len(args) < 2:
            continue
        construct_id = string_value(args[1])
        if construct_id is None or not _runs_once(new):
            continue
        found.append((path, node_ref(args[0]), text(args[0]), construct_id, byte_range(args[1])))
    return tuple(found)


def _scope_key(module: Module, scope: Node) -> str | None:
    """Scopes compare by what they resolve to; `this` and unknown scopes do not compare."""
    if scope.type == "this":
        return None
    found = resolve(module, scope)
    node = getattr(found, "node", None)
    if node is None:
        return None
    if node.type == "call_expression" and not text(node.child_by_field_name("function")).endswith("Stack.of"):
        return None  # each call may make a new scope (`backend.createStack(...)`)
    return "".join(text(node).split())


_BRANCHING = (
    frozenset(
        {
            "if_statement",
            "for_statement",
            "for_in_statement",
            "while_statement",
            "do_statement",
            "switch_statement",
            "ternary_expression",
            "try_statement",
            "class_body",
            "binary_expression",
        }
    )
    | FUNCTION_KINDS
)


def _runs_once(node: Node) -> bool:
    return not any(a.type in _BRANCHING for a in ancestors(node))


def module_scope_this(module: Module) -> tuple[ModuleScopeThis, ...]:
    """`this` used as the scope of a `new X(this, ...)` outside any function or class, where it is
    `undefined` in an ES module (a per-file fact)."""
    return module.fact(_module_scope_this)


def _module_scope_this(module: Module) -> tuple[ModuleScopeThis, ...]:
    return tuple(_read_module_scope_this(module))


def _read_module_scope_this(module: Module) -> Iterator[ModuleScopeThis]:
    for node in keywords(module, b"this"):
        args = node.parent
        if args is None or args.type != "arguments":
            continue
        new = args.parent
        if new is None or new.type != "new_expression" or call_arguments(new)[:1] != [node]:
            continue
        if any(
            a.type in FUNCTION_KINDS and a.type != "arrow_function" or a.type == "class_body" for a in ancestors(node)
        ):
            continue
        yield ModuleScopeThis(
            text(new.child_by_field_name("constructor")), module.file.location(args.named_children[0])
        )
