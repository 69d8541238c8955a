"""AMP203: a function closes a circular dependency between nested stacks (function, data, auth,
storage, custom stacks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic, Fix, RelatedLocation
from ..model.backend import Backend, FunctionDef
from ..model.edit_sites import function_options_literal, options_value_literal
from ..model.stacks import StackFlow, StackGraph, stack_graph

FUNCTION_STACK_CYCLE = "AMP203"

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
        return _fix(graph, self.function, self.into, self.out)


def cycle_advice(fix: str | None) -> str:
    """What to do about a cycle, as AMP203's message ends, for the `resourceGroupName` `fix`."""
    if fix is not None:
        return f"add `resourceGroupName: '{fix}'` to its `defineFunction`"
    return (
        "no single `resourceGroupName` breaks it: create the constructs that refer to other stacks "
        "inside `Stack.of(...)` of the stack they refer to"
    )


def function_stack_cycle(backend: Backend) -> Iterator[Diagnostic]:
    graph = stack_graph(backend)
    cycles = list(stack_cycles(backend))
    groups = [cycle.fix(graph) for cycle in cycles]
    # `--fix` applies the fixes together: offer them only when the moves, all made, take each moved
    # function off every cycle and make no cycle that was not there before.
    moves = [(cycle.function, group) for cycle, group in zip(cycles, groups) if group is not None]
    fixed = graph
    for moved, group in moves:
        fixed = fixed.moved(moved, group)
    before = graph.components()
    certain = not any(fixed.on_cycle(fn) for fn, _ in moves) and all(
        any(component <= old for old in before) for component in fixed.components()
    )
    for cycle, to in zip(cycles, groups):
        found = _diagnostic(graph, cycle.function, cycle.into, cycle.out, cycle.stacks)
        fix = _group_fix(cycle.function, to) if certain and to is not None else None
        yield _with_graph_note(backend, found._replace(fix=fix), cycle.stacks)


def _group_fix(fn: FunctionDef, group: str) -> Fix | None:
    """Set `resourceGroupName` in the options object written in the `defineFunction` call."""
    written = options_value_literal(fn, "resourceGroupName")
    if written is not None:
        return Fix(f"Set `resourceGroupName: '{group}'`", (written.replace(group),), "safe")
    literal = function_options_literal(fn)
    options = fn.options
    if literal is None or options is None or not options.complete or "resourceGroupName" in options.entries:
        return None  # not written in the call, or set where amplint cannot edit it
    return Fix(f"Add `resourceGroupName: '{group}'`", literal.add_last(f"resourceGroupName: {literal.string(group)}"))


def stack_cycles(backend: Backend) -> Iterator[StackCycle]:
    """The cycles AMP203 reports, one per function it reports (`amplint graph` draws the same)."""
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


def _with_graph_note(backend: Backend, found: Diagnostic, stacks: list[str]) -> Diagnostic:
    """The cycle as a short path, on the `defineBackend` call, with the command that draws it."""
    define = backend.define_backend
    if define is None:
        return found
    note = f"the cycle is {' → '.join(stacks)}; `amplint graph --stacks` on the folder holding this `amplify/` draws it"
    return found._replace(related=(*found.related, RelatedLocation(define.location, note)))


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


def _fix(graph: StackGraph, fn: FunctionDef, into: StackFlow, out: StackFlow) -> str | None:
    """The `resourceGroupName` that takes the function out of every cycle, trying the stack that
    depends on it first (the documented fix), then the one it depends on."""
    candidates = [graph.stack(into.dependent), graph.stack(out.dependency), *_GROUPS]
    for candidate in dict.fromkeys(c for c in candidates if c in _GROUPS or c == "function"):
        if candidate != graph.stack(fn) and not graph.moved(fn, candidate).on_cycle(fn):
            return candidate
    return None


def _diagnostic(graph: StackGraph, fn: FunctionDef, into: StackFlow, out: StackFlow, stacks: list[str]) -> Diagnostic:
    home, source, target = graph.stack(fn), graph.stack(into.dependent), graph.stack(out.dependency)
    fix = _fix(graph, fn, into, out)
    advice = (
        f"add `resourceGroupName: '{fix}'` to its `defineFunction`"
        if fix is not None
        else "no single `resourceGroupName` breaks it: create the constructs that refer to other stacks "
        "inside `Stack.of(...)` of the stack they refer to"
    )
    related = [
        RelatedLocation(
            into.location,
            f"'{source}' depends on the function here"
            if into.dependency is fn
            else f"'{source}' depends on the '{home}' stack here",
        )
    ]
    related.append(
        RelatedLocation(
            out.location,
            f"the function depends on '{target}' here"
            if out.dependent is fn
            else f"'{home}' depends on '{target}' here",
        )
    )
    if out.dependent is fn and into.dependency is fn and source == target:
        message = (
            f"{fn.label} is in the '{home}' stack, but the '{source}' stack depends on it ({into.how}) "
            f"and it depends on '{target}' through {out.how}: the deployment fails with a circular "
            f"dependency between nested stacks; {advice}"
        )
    else:
        hops = [graph.first_flow(a, b) for a, b in zip(stacks[1:-2], stacks[2:-1])]
        related[1:1] = [
            RelatedLocation(h.location, f"'{graph.stack(h.dependent)}' depends on '{graph.stack(h.dependency)}' here")
            for h in hops
        ]
        via = "".join(f", which depends on '{graph.stack(h.dependency)}' ({h.how})" for h in hops)
        who = "it" if into.dependency is fn else f"the stack it shares with {_label(into.dependency)}"
        depends = (
            f"{fn.label} depends on '{target}' through {out.how}"
            if out.dependent is fn
            else f"the '{home}' stack depends on '{target}' ({out.how})"
        )
        message = (
            f"{fn.label} is in the '{home}' stack and closes the circular dependency "
            f"{' -> '.join(stacks)} between nested stacks: '{source}' depends on {who} ({into.how}), "
            f"and {depends}{via}; {advice}"
        )
    return Diagnostic(FUNCTION_STACK_CYCLE, message, fn.location, related=tuple(related))


def _label(owner: Any) -> str:  # a FunctionDef, ResourceDef or CustomStack
    return owner.label if isinstance(owner, FunctionDef) else f"'{owner.stack}'"
