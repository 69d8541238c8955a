"""AMP203: a function closes a circular dependency between nested stacks (function, data, auth,
storage, custom stacks). The cycles are the model's (`model.stacks.stack_cycles`, which `amplint graph`
draws too); this check words them and offers the `resourceGroupName` fix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..diagnostics import Diagnostic, Fix, RelatedLocation
from ..model.backend import Backend, FunctionDef
from ..model.edit_sites import function_options_literal, options_value_literal
from ..model.stacks import StackFlow, StackGraph, cycle_advice, cycle_fix, stack_cycles, stack_graph

FUNCTION_STACK_CYCLE = "AMP203"


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


def _with_graph_note(backend: Backend, found: Diagnostic, stacks: list[str]) -> Diagnostic:
    """The cycle as a short path, on the `defineBackend` call, with the command that draws it."""
    define = backend.define_backend
    if define is None:
        return found
    note = f"the cycle is {' → '.join(stacks)}; `amplint graph --stacks` on the folder holding this `amplify/` draws it"
    return found._replace(related=(*found.related, RelatedLocation(define.location, note)))


def _diagnostic(graph: StackGraph, fn: FunctionDef, into: StackFlow, out: StackFlow, stacks: list[str]) -> Diagnostic:
    home, source, target = graph.stack(fn), graph.stack(into.dependent), graph.stack(out.dependency)
    advice = cycle_advice(cycle_fix(graph, fn, into, out))
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
