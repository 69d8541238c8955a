"""Nested stacks and the references between them: which stack depends on which, and through what,
so that circular dependencies show up before CloudFormation rejects the deployment.

Stack analysis reads the backend record (`model/backend.py`) and sits above it: `custom_stacks`,
`stack_flows` and `stack_graph` take a `Backend`; what they compute is kept once per backend."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import Any

from tree_sitter import Node

from ..diagnostics import Location
from ..records import NamedTuple
from ..syntax import FUNCTION_KINDS, ByteRange, byte_range, call_arguments, property_name, text, unwrap
from .backend import Backend, FunctionDef, ResourceDef
from .loading import runs_on_load
from .modules import Module, calls_named, in_document_order, members_named, new_expressions
from .values import UNKNOWN, evaluate, object_shape

MAX_FOLLOW = 16  # const bindings followed from one expression
# Values of a stack (`backend.data.stack.account`, `Stack.of(x).region`, `resource.env.account`) that
# aws-cdk-lib renders as the `AWS::` pseudo parameter in whichever stack reads them: no export, no
# import, no dependency between nested stacks. Every other attribute of a resource is a token that
# references the stack holding it.
PSEUDO_PARAMETERS = frozenset({"account", "region", "partition", "urlSuffix"})

# Calls in backend.ts whose receiver's stack ends up holding a reference to their arguments.
RECEIVER_DEPENDS = frozenset(
    {
        "addEnvironment",
        "addEventSource",
        "addEventSourceMapping",
        "addToRolePolicy",
        "addPermission",
        "addLayers",
        "addEventNotification",
        "addObjectCreatedNotification",
        "addObjectRemovedNotification",
        "addTarget",
        "addTrigger",
        "addPropertyOverride",
        "addOverride",
        "addDependency",
        # API Gateway: an integration created without a scope binds in the stack of the API it joins.
        "addRoutes",
        "addRoute",
        "addMethod",
    }
)
_RECEIVER_DEPENDS = tuple(sorted(method.encode() for method in RECEIVER_DEPENDS))


class CustomStack:
    """`backend.createStack(name)`: a nested stack of the user's own (one object per call)."""

    __slots__ = ("name", "call", "module", "on_load")

    def __init__(self, name: str | Any, call: Node, module: Module, on_load: bool) -> None:
        self.name = name  # str, or UNKNOWN when not static
        self.call = call
        self.module = module
        self.on_load = on_load  # certainly created once, as backend.ts runs

    def __repr__(self) -> str:
        return f"CustomStack({self.name!r}, {self.module!r}:{self.call.start_point[0] + 1})"

    @property
    def stack(self) -> str | Any:
        return self.name

    @property
    def name_node(self) -> Node:
        args = call_arguments(self.call)
        return args[0] if args else self.call

    @property
    def location(self) -> Location:
        return self.module.file.location(self.name_node)


# What lives in a nested stack: a function (its resource group), data/auth/storage, a custom stack.
Owner = FunctionDef | ResourceDef | CustomStack


class StackFlow(NamedTuple):
    """A reference that makes the nested stack holding `dependent` depend on the one holding
    `dependency`."""

    dependent: Owner
    dependency: Owner
    how: str  # what makes the reference, in words ("`t.grantReadData(...)` in backend.ts")
    location: Location


class StackGraph:
    """Stacks as nodes, flows as edges; `moves` places one function in another group, to try a fix.
    Not changed after construction: `moved` makes a new graph."""

    def __init__(self, flows: Iterable[StackFlow], moves: Mapping[Owner, str] | None = None):
        self.moves: Mapping[Owner, str] = moves or {}
        self.flows = list(flows)
        self.edges: dict[str, dict[str, list[StackFlow]]] = {}
        # Flows by the object they point to and by the one they start from, for `cross_flows`.
        self._into: dict[Owner, list[StackFlow]] = {}
        self._out: dict[Owner, list[StackFlow]] = {}
        for flow in self.flows:
            self._into.setdefault(flow.dependency, []).append(flow)
            self._out.setdefault(flow.dependent, []).append(flow)
        for flow in self.flows:
            source, target = self.stack(flow.dependent), self.stack(flow.dependency)
            if source is not None and target is not None and source != target:
                self.edges.setdefault(source, {}).setdefault(target, []).append(flow)

    def stack(self, owner: Owner) -> str | None:
        name = self.moves.get(owner, owner.stack)
        return name if isinstance(name, str) else None

    def moved(self, owner: Owner, stack: str) -> StackGraph:
        return StackGraph(self.flows, {**self.moves, owner: stack})

    def path(self, start: str, goal: str, avoid: str | None = None) -> list[str] | None:
        """The shortest chain of stacks from `start` to `goal` (both included), not through `avoid`."""
        if start == goal:
            return [start]
        previous: dict[str, str] = {start: start}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for following in self.edges.get(current, {}):
                if following in previous or following == avoid:
                    continue
                previous[following] = current
                if following == goal:
                    chain = [goal]
                    while chain[-1] != start:
                        chain.append(previous[chain[-1]])
                    return chain[::-1]
                queue.append(following)
        return None

    def cross_flows(self, owner: Owner) -> tuple[list[StackFlow], list[StackFlow]]:
        """The owner's flows that cross stacks: (into it, out of it)."""
        home = self.stack(owner)
        into = [f for f in self._into.get(owner, ()) if self.stack(f.dependent) not in (None, home)]
        out = [f for f in self._out.get(owner, ()) if self.stack(f.dependency) not in (None, home)]
        return into, out

    def on_cycle(self, owner: Owner) -> bool:
        """Whether any reference into or out of the owner's stack, made by the owner, lies on a cycle."""
        home = self.stack(owner)
        if home is None:
            return False
        into, out = self.cross_flows(owner)  # each crosses to a known stack
        return any(self.path(target, home) for f in out if (target := self.stack(f.dependency)) is not None) or any(
            self.path(home, source) for f in into if (source := self.stack(f.dependent)) is not None
        )

    def first_flow(self, source: str, target: str, prefer: Owner | None = None) -> StackFlow:
        flows = self.edges[source][target]
        return next((f for f in flows if prefer is not None and prefer in (f.dependent, f.dependency)), flows[0])

    def components(self) -> list[set[str]]:
        """Strongly connected sets of two or more stacks (Kosaraju, iterative)."""
        nodes = set(self.edges) | {t for targets in self.edges.values() for t in targets}
        order: list[str] = []
        seen: set[str] = set()
        for node in sorted(nodes):
            if node in seen:
                continue
            seen.add(node)
            stack = [(node, iter(sorted(self.edges.get(node, {}))))]
            while stack:
                current, children = stack[-1]
                child = next(children, None)
                if child is None:
                    stack.pop()
                    order.append(current)
                elif child not in seen:
                    seen.add(child)
                    stack.append((child, iter(sorted(self.edges.get(child, {})))))
        reverse: dict[str, set[str]] = {}
        for source, targets in self.edges.items():
            for target in targets:
                reverse.setdefault(target, set()).add(source)
        assigned: set[str] = set()
        components = []
        for node in reversed(order):
            if node in assigned:
                continue
            component: set[str] = set()
            todo = [node]
            while todo:
                current = todo.pop()
                if current in assigned:
                    continue
                assigned.add(current)
                component.add(current)
                todo.extend(reverse.get(current, ()))
            if len(component) > 1:
                components.append(component)
        return components


def custom_stacks(backend: Backend) -> tuple[CustomStack, ...]:
    """`backend.createStack(name)` calls in the defineBackend module, in source order."""
    return backend.derived(_custom_stacks)


def stack_graph(backend: Backend) -> StackGraph:
    """The nested stacks of the backend and every reference between them (`stack_flows`)."""
    return backend.derived(_stack_graph)


def _custom_stacks(backend: Backend) -> tuple[CustomStack, ...]:
    define = backend.define_backend
    if define is None:
        return ()
    stacks = []
    for use in define.uses:
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
        stacks.append(CustomStack(name if isinstance(name, str) else UNKNOWN, call, define.module, runs_on_load(call)))
    return tuple(stacks)


def _stack_graph(backend: Backend) -> StackGraph:
    return StackGraph(stack_flows(backend))


# -- building the flows ----------------------------------------------------------------------------

_REFERENCE_WORDS = {
    "allow.resource": "the schema grants it `allow.resource`",
    "a.handler.function": "the schema uses it as a handler (`a.handler.function`)",
    "functions": "`defineData({ functions })` lists it",
    "trigger": "{resource} lists it as a trigger",
    "access": "{resource} grants it `allow.resource` in `access`",
    "sender": "auth uses it as a custom sender",
}
_STORAGE_AUTH_RULES = frozenset({"authenticated", "guest", "groups", "entity"})


def stack_flows(backend: Backend) -> Iterator[StackFlow]:
    """Every reference between nested stacks: data/auth/storage to the functions they use, data to
    auth, and what backend.ts adds (grants, environment, event sources, constructs)."""
    registered = [r for r in backend.resources if backend.backend_key(r) is not None]
    by_kind: dict[str, list[ResourceDef]] = {}
    for resource in registered:
        by_kind.setdefault(resource.kind, []).append(resource)
    # data, auth and storage hold what refers to a function (policies, resolvers, triggers).
    for ref in backend.references:
        if ref.function is None or (ref.kind == "allow.resource" and ref.level not in ("schema", "auth", "storage")):
            continue
        owner = ref.owner if ref.owner is not None and ref.owner in registered else None
        if owner is None and len(by_kind.get(ref.resource, ())) == 1 and ref.owner is None:
            owner = by_kind[ref.resource][0]
        if owner is None:
            continue
        kind = "access" if ref.kind == "allow.resource" and ref.level != "schema" else ref.kind
        words = _REFERENCE_WORDS.get(kind, "{resource} refers to it").replace("{resource}", ref.resource)
        yield StackFlow(owner, ref.function, words, ref.expr.location)
    # The data API always uses auth's user pool and roles; storage rules for users use auth's roles.
    for auth in by_kind.get("auth", [])[:1]:
        for data in by_kind.get("data", []):
            yield StackFlow(data, auth, "the data API uses auth's user pool and identity pool roles", data.location)
        for storage in by_kind.get("storage", []):
            rule = _user_access_rule(storage)
            if rule is not None:
                yield StackFlow(
                    storage,
                    auth,
                    f"storage grants `{text(rule)}` access through auth's roles",
                    storage.module.file.location(rule),
                )
    yield from _backend_flows(backend)


def _user_access_rule(storage: ResourceDef) -> Node | None:
    access = storage.prop("access")
    if access is None:
        return None
    node, module = access.node, access.module
    rules = [member for rule in _STORAGE_AUTH_RULES for member in members_named(module, rule.encode())]
    for member in in_document_order(rules):
        if node.start_byte <= member.start_byte < node.end_byte:
            return member
    return None


def _backend_flows(backend: Backend) -> Iterator[StackFlow]:
    define = backend.define_backend
    if define is None or define.binding is None:
        return
    module = define.module
    custom = {stack.call.start_byte: stack for stack in custom_stacks(backend)}
    by_key = backend.registration_targets
    # What each reference in backend.ts refers to, as registration keys and custom stacks: kept
    # between the runs of a session while backend.ts and what it imports are unchanged; each run
    # looks up its own functions and resources by them.
    read = partial(_backend_references, module, define.binding, frozenset(custom))
    references = module.carried(("backend references", define.binding, frozenset(custom)), read)

    def owners(refs: tuple[_OwnerRef, ...]) -> list[Owner]:
        """The owners the references name, each once, in the order found (not by identity hash: the
        flows, and so the reference a message names, must not depend on where objects live)."""
        found: dict[Owner, None] = {}
        for ref in refs:
            owner = by_key.get(ref) if isinstance(ref, str) else custom[ref]
            if owner is not None:
                found[owner] = None
        return list(found)

    for receiver_refs, other_refs, into_receiver, how, at in references:
        receivers = owners(receiver_refs)
        if len(receivers) != 1:
            continue
        (receiver,) = receivers
        for other in owners(other_refs):
            if other is not receiver:
                yield (
                    StackFlow(other, receiver, how, module.file.location_at(at))
                    if into_receiver
                    else StackFlow(receiver, other, how, module.file.location_at(at))
                )


# An owner as backend.ts names it: a `defineBackend` key, or the start byte of a `backend.createStack(...)` call.
_OwnerRef = str | int


class _BackendReference(NamedTuple):
    """Code in backend.ts that makes what `others` name refer to what `receivers` name (or, with
    `into_receiver`, the other way round)."""

    receivers: tuple[_OwnerRef, ...]
    others: tuple[_OwnerRef, ...]
    into_receiver: bool
    how: str
    at: ByteRange  # where, for the flow's location


def _backend_references(module: Module, binding: str, custom: frozenset[int]) -> tuple[_BackendReference, ...]:
    """The grants, assignments and constructs of backend.ts that may make one stack refer to another."""
    refs = _Refs(module, binding, custom)
    found = []
    for call, callee, prop in calls_named(module, _RECEIVER_DEPENDS, prefixes=(b"grant",), members_only=True):
        args = call.child_by_field_name("arguments")
        if args is None:
            continue
        receivers = refs.of(callee.child_by_field_name("object"))
        if not receivers:
            continue
        # grantX(role): the policy lands on the grantee's role, in the grantee's stack.
        grant = text(prop).startswith("grant")
        found.append(
            _BackendReference(
                receivers, refs.of(args), grant, f"`{_short(call)}` in {module.path.name}", byte_range(call)
            )
        )
    # `cfnUserPool.lambdaConfig = { ... }`: the assigned object's owner holds what the value refers to.
    for statement in module.file.root.named_children if module.file.mentions(b"= ") else ():
        assignment = (
            statement.named_children[0]
            if statement.type == "expression_statement" and statement.named_child_count
            else None
        )
        if assignment is None or assignment.type != "assignment_expression":
            continue
        left, right = assignment.child_by_field_name("left"), assignment.child_by_field_name("right")
        if left is None or right is None or left.type != "member_expression":
            continue
        receivers = refs.of(left.child_by_field_name("object"))
        if not receivers:
            continue
        how = f"`{' '.join(text(left).split())} = ...` in {module.path.name}"
        found.append(_BackendReference(receivers, refs.of(right), False, how, byte_range(assignment)))
    for new in new_expressions(module):
        scope, props = _constructcall_arguments(module, new)
        if scope is None:
            continue
        holders = refs.of(scope)
        if not holders:
            continue
        others = refs.of(props) if props is not None else ()
        found.append(
            _BackendReference(holders, others, False, f"`{_short(new)}` in {module.path.name}", byte_range(new))
        )
    return tuple(found)


# Members that lead from a construct or stack to another stack (its parent).
_LEAVES_STACK = frozenset({"nestedStackParent", "parentStack", "nestedStackResource"})
# Operators whose result is a boolean: no token of their operands flows into it.
_BOOLEAN_OPERATORS = frozenset({"===", "!==", "==", "!=", "<", ">", "<=", ">=", "instanceof", "in"})


def _value_parts(node: Node) -> list[Node]:
    """The parts of an expression whose values can flow into its value (and so carry a reference to
    a stack): not a ternary's condition, not the operands of a comparison, not the arguments of a
    helper function of the user's (what it returns is unknown: unknown means no edge)."""
    kind = node.type
    if kind == "ternary_expression":
        return [
            c
            for c in (node.child_by_field_name("consequence"), node.child_by_field_name("alternative"))
            if c is not None
        ]
    if kind == "binary_expression" and text(node.child_by_field_name("operator")) in _BOOLEAN_OPERATORS:
        return []
    if kind == "unary_expression" and text(node.child_by_field_name("operator")) in ("!", "typeof"):
        return []
    if kind == "call_expression":
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "identifier":
            return []  # `helper(x)`: a function of the user's; `Fn.join(...)` and `x.toString()` flow
    return node.named_children


def _constructcall_arguments(module: Module, new: Node) -> tuple[Node | None, Node | None]:
    """`new C(scope, 'id', props)`: a construct created in `scope`'s stack (the id must be static)."""
    args = call_arguments(new)
    if len(args) < 2 or not isinstance(evaluate(module, args[1]), str):
        return None, None
    return args[0], args[2] if len(args) > 2 else None


def _short(node: Node) -> str:
    if node.type == "new_expression":
        constructor = node.child_by_field_name("constructor")
        return f"new {text(constructor)}(...)"
    callee = node.child_by_field_name("function")
    return f"{text(callee)}(...)" if callee is not None else text(node)[:60]


class _Refs:
    """Which functions, resources and custom stacks an expression in backend.ts refers to, by the
    `defineBackend` key or the `createStack` call that names each."""

    def __init__(self, module: Module, binding: str, custom: frozenset[int]):
        self.module = module
        self.binding = binding
        self.custom = custom  # the start bytes of the `backend.createStack(...)` calls

    def of(self, node: Node | None) -> tuple[_OwnerRef, ...]:
        """What `node` refers to, each once, in the order found."""
        found: dict[_OwnerRef, None] = {}
        if node is None:
            return ()
        todo: list[tuple[Node, int]] = [(node, 0)]
        while todo:
            current, depth = todo.pop()
            kind = current.type
            if kind == "call_expression" and current.start_byte in self.custom:
                found[current.start_byte] = None
                continue
            if kind == "member_expression":
                prop = text(current.child_by_field_name("property"))
                if prop in PSEUDO_PARAMETERS:
                    continue  # the same pseudo parameter in every stack
                if (
                    prop in _LEAVES_STACK
                    or prop in ("scope", "root")
                    and text(current.child_by_field_name("object")).endswith(".node")
                ):
                    continue  # a parent (`stack.node.scope` is the root stack): not the owner's stack
                obj = current.child_by_field_name("object")
                picked = self._property_of_object(obj, prop)
                if picked is not None:
                    todo.extend((part, depth + 1) for part in picked)
                    continue
                if obj is not None and obj.type == "identifier" and text(obj) == self.binding:
                    key = current.child_by_field_name("property")
                    found[(property_name(key) if key is not None else None) or ""] = None
                    continue
            if kind == "identifier":
                if depth < MAX_FOLLOW:
                    value = self._const_value(text(current))
                    if value is not None and unwrap(value).type not in FUNCTION_KINDS:
                        todo.append((self._holder(value), depth + 1))
                continue
            # A leaf other than a name refers to nothing: not queued.
            todo.extend(
                (child, depth)
                for child in _value_parts(current)
                if child.named_child_count or child.type == "identifier"
            )
        return tuple(found)

    def _property_of_object(self, obj: Node | None, prop: str) -> list[Node] | None:
        """For `config.X` where `config` is a `const` object literal: only what `X` can be (its entry,
        or the spreads that may hold it), not every other entry. None when `obj` is no such name."""
        if obj is None or obj.type != "identifier":
            return None
        value = self._const_value(text(obj))
        value = unwrap(value) if value is not None else None
        if value is None or value.type != "object":
            return None
        shape = object_shape(self.module, value)
        entry = shape.entries.get(prop)
        if entry is not None:
            return [entry.node]
        return [child for child in value.named_children if child.type == "spread_element"]

    def _const_value(self, name: str) -> Node | None:
        binding = self.module.bindings.get(name)
        if binding is None or binding.kind != "const" or binding.value is None or binding.import_ is not None:
            return None
        initialiser = self.module.value_of(binding)
        if binding.path and initialiser is not None:
            # `const { cfnUserPool } = backend.auth.resources.cfnResources`: a part of what the
            # initialiser refers to (only that entry when it is an object literal).
            value = unwrap(initialiser)
            if value.type == "object":
                entry = object_shape(self.module, value).entries.get(binding.path[0])
                return entry.node if entry is not None and len(binding.path) == 1 else None
        return initialiser

    def _holder(self, value: Node) -> Node:
        """What decides the stack of a named value: a construct's scope, `Stack.of(x)`'s x, or itself."""
        value = unwrap(value)
        if value.type == "new_expression":
            scope, _ = _constructcall_arguments(self.module, value)
            if scope is not None:
                return scope
        if value.type == "call_expression":
            callee = value.child_by_field_name("function")
            if callee is not None and text(callee).endswith("Stack.of"):
                args = value.child_by_field_name("arguments")
                if args is not None and args.named_child_count:
                    return args.named_children[0]
        return value


# -- circular dependencies -----------------------------------------------------------------------------

# Stacks a function may join with `resourceGroupName` (a custom stack's name would collide: AMP109).
_GROUPS = ("data", "auth", "storage")


class StackCycle(NamedTuple):
    """A circular dependency between nested stacks and the function AMP203 reports it on: the flow into
    the function (or its stack), the flow out of it, and the stacks around the cycle, first and last
    the function's own."""

    function: FunctionDef
    into: StackFlow
    out: StackFlow
    stacks: list[str]

    def fix(self, graph: StackGraph) -> str | None:
        """The `resourceGroupName` AMP203 suggests; None when no single group breaks the cycle."""
        return cycle_fix(graph, self.function, self.into, self.out)


def cycle_advice(fix: str | None) -> str:
    """What to do about a cycle, as AMP203's message ends, for the `resourceGroupName` `fix`."""
    if fix is not None:
        return f"add `resourceGroupName: '{fix}'` to its `defineFunction`"
    return (
        "no single `resourceGroupName` breaks it: create the constructs that refer to other stacks "
        "inside `Stack.of(...)` of the stack they refer to"
    )


def stack_cycles(backend: Backend) -> Iterator[StackCycle]:
    """The circular dependencies between nested stacks, one per function that closes one (the function
    AMP203 reports; `amplint graph` draws the same)."""
    graph = stack_graph(backend)
    functions = [fn for fn in backend.functions if graph.stack(fn) is not None]
    reported: set[str] = set()
    # A function that both is referenced by a stack and refers to one that leads back.
    for fn in functions:
        cycle = _cycle_through(graph, fn)
        home = graph.stack(fn)
        if cycle is None or home is None:
            continue
        into, out, stacks = cycle
        reported.add(home)
        yield StackCycle(fn, into, out, stacks)
    # A stack cycle that no single function closes: one function is referenced, another refers back.
    for component in graph.components():
        if component & reported:
            continue
        for fn in functions:
            home = graph.stack(fn)
            if home is None or home not in component:
                continue
            into_flows, out_flows = graph.cross_flows(fn)
            found: tuple[StackFlow, StackFlow, list[str]] | None = None
            for flow in out_flows:
                target = graph.stack(flow.dependency)
                back = graph.path(target, home) if target is not None and target in component else None
                if back is not None:
                    found = (graph.first_flow(back[-2], home), flow, [home, *back])
                    break
            # Referenced from a stack that the function's own stack depends on: an auth trigger moved
            # into 'data' closes auth -> data -> auth (data uses auth's user pool).
            for flow in into_flows if found is None else ():
                source = graph.stack(flow.dependent)
                ahead = graph.path(home, source) if source is not None and source in component else None
                if ahead is not None:
                    found = (flow, graph.first_flow(home, ahead[1]), [*ahead, home])
                    break
            if found is not None:
                reported.add(home)
                yield StackCycle(fn, *found)
                break


def _cycle_through(graph: StackGraph, fn: FunctionDef) -> tuple[StackFlow, StackFlow, list[str]] | None:
    """(flow into fn, flow out of fn, stacks) for the shortest cycle fn closes by itself."""
    home = graph.stack(fn)
    if home is None:
        return None
    into, out = graph.cross_flows(fn)
    best: tuple[StackFlow, StackFlow, list[str]] | None = None
    for flow_out in out:
        for flow_in in into:
            start, goal = graph.stack(flow_out.dependency), graph.stack(flow_in.dependent)
            if start is None or goal is None:  # cross_flows keeps only flows with both stacks known
                continue
            back = graph.path(start, goal, avoid=home)
            if back is not None and (best is None or len(back) + 2 < len(best[2])):
                best = (flow_in, flow_out, [home, *back, home])
    return best


def cycle_fix(graph: StackGraph, fn: FunctionDef, into: StackFlow, out: StackFlow) -> str | None:
    """The `resourceGroupName` that takes the function out of every cycle, trying the stack that
    depends on it first (the documented fix), then the one it depends on."""
    candidates = [graph.stack(into.dependent), graph.stack(out.dependency), *_GROUPS]
    for candidate in dict.fromkeys(c for c in candidates if c in _GROUPS or c == "function"):
        if candidate != graph.stack(fn) and not graph.moved(fn, candidate).on_cycle(fn):
            return candidate
    return None
