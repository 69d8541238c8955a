"""The picture for a person: an outline of the backend, drawn as a rich tree on a terminal and as plain
indented text otherwise (a pipe, a file, NO_COLOR)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..amplify import DEFAULT_SCHEDULE_TIMEZONE
from ..records import NamedTuple
from ..reporters import clean
from . import flow_text, member_names, place_text, root_text, run_text, setting_text

if TYPE_CHECKING:
    from ..picture import BackendPicture, FunctionPicture, Member, Place, SchedulePicture, StackNode

# (text, style) pieces of one line; the style is a rich style, ignored in plain text.
Piece = tuple[str, str]
_STYLE = {"name": "bold", "where": "dim", "cycle": "bold red", "stack": "cyan", "no": "yellow", "head": "bold"}


class Line(NamedTuple):
    pieces: tuple[Piece, ...]
    children: tuple[Line, ...] = ()


def _line(*pieces: Piece | str, children: Sequence[Line] = ()) -> Line:
    return Line(tuple((p, "") if isinstance(p, str) else p for p in pieces), tuple(children))


def outline(picture: BackendPicture, stacks_only: bool = False) -> Line:
    """The whole picture as nested lines."""
    names = member_names(picture)
    sections = []
    if not stacks_only:
        functions = [_function(fn, names) for fn in picture.functions]
        sections.append(_line(("functions", _STYLE["head"]), children=functions or [_line("(none)")]))
    stacks = picture.stacks
    by_id = {m.id: m for m in stacks.members}
    sections.append(
        _line(
            ("stacks", _STYLE["head"]),
            children=[_stack(node, by_id) for node in stacks.stacks] or [_line("(none)")],
        )
    )
    edges = []
    for edge in stacks.edges:
        head = [(f"'{edge.dependent}' → '{edge.dependency}'", _STYLE["stack"])]
        if edge.on_cycle:
            head.append(("  on a cycle", _STYLE["cycle"]))
        edges.append(
            _line(
                *head,
                children=[_line(flow_text(flow, names), _at(flow.place)) for flow in edge.flows],
            )
        )
    sections.append(_line(("dependencies between stacks", _STYLE["head"]), children=edges or [_line("(none)")]))
    cycles = [
        _line(
            (" → ".join(f"'{s}'" for s in cycle.stacks), _STYLE["cycle"]),
            f", closed by {cycle.function_name or names.get(cycle.function, 'a function')}: {cycle.advice}",
            _at(cycle.place),
        )
        for cycle in stacks.cycles
    ]
    sections.append(_line(("circular dependencies (AMP203)", _STYLE["head"]), children=cycles or [_line("(none)")]))
    return _line(("backend ", _STYLE["head"]), (root_text(picture), _STYLE["name"]), children=sections)


def _at(place: Place) -> Piece:
    """Where something is written, dimmed after what it is."""
    return (f"  {place_text(place)}", _STYLE["where"])


def _stack(node: StackNode, by_id: dict[str, Member]) -> Line:
    names = ", ".join(by_id[m].name for m in node.members if by_id[m].kind != "custom-stack")
    created = [by_id[m] for m in node.members if by_id[m].kind == "custom-stack"]
    pieces: list[Piece | str] = [(f"'{node.name}'", _STYLE["stack"]), f" ({node.kind})"]
    if names:
        pieces.append(f": {names}")
    if created:
        pieces.append((f"  backend.createStack at {place_text(created[0].place)}", _STYLE["where"]))
    return _line(*pieces)


def _function(fn: FunctionPicture, names: dict[str, str]) -> Line:
    rows: list[Line] = []
    if fn.custom:
        rows.append(_line("custom function (`defineFunction((scope) => ...)`)"))
    if fn.entry is not None:
        status = "" if fn.entry_status in (None, "found") else f" ({fn.entry_status})"
        rows.append(_line("entry ", fn.entry + status))
    rows.append(
        _line(
            f"runtime {setting_text(fn.runtime, '', 'Node.js ')}, timeout {setting_text(fn.timeout, ' s')}, "
            f"memory {setting_text(fn.memory, ' MB')}"
        )
    )
    if fn.deployed != "no":
        rows.append(_line("stack ", (f"'{fn.stack}'", _STYLE["stack"]) if fn.stack else "not statically known"))
    if fn.deployed == "no":
        rows.append(_line(("never deployed", _STYLE["no"]), f": {fn.not_deployed_because}"))
    elif fn.deployed == "unknown":
        rows.append(_line("deployed: amplint cannot tell (it may be used where amplint cannot follow)"))
    for reach in fn.reached:
        rows.append(_line(f"reached: {reach.detail}", _at(reach.place)))
    for schedule in fn.schedules:
        rows.append(_schedule(schedule, fn.deployed == "no"))
    for grant in fn.allowed:
        ops = ", ".join(grant.operations) if grant.operations is not None else "operations not statically known"
        how = "" if grant.written else " (no `.to(...)`: every operation)"
        level = (
            "" if grant.level in ("schema", grant.resource) else f" at {grant.level} level (only schema level works)"
        )
        rows.append(_line(f"may call {grant.resource}: {ops}{how}{level}", _at(grant.place)))
    for use in fn.performed:
        rows.append(_line(f"calls data: {', '.join(use.operations)}", _at(use.place)))
    for flow in fn.flows:
        rows.append(_line(flow_text(flow, names), _at(flow.place)))
    title = fn.name or (f"{fn.binding} (name not statically known)" if fn.binding else "(name not statically known)")
    return _line((title, _STYLE["name"]), _at(fn.place), children=rows)


def _schedule(schedule: SchedulePicture, never: bool) -> Line:
    head = f"schedule {schedule.written}"
    if schedule.status == "unknown":
        return _line(head, ": not statically known")
    if schedule.status == "invalid":
        return _line(head, (": Amplify rejects it", _STYLE["no"]), f" ({schedule.problem})" if schedule.problem else "")
    words = f": {schedule.words}" if schedule.words else ""
    zone = f", {schedule.timezone}" if schedule.timezone and schedule.timezone != DEFAULT_SCHEDULE_TIMEZONE else ""
    runs: list[Line]
    if never:
        runs = [_line("never runs: the function is never deployed")]
    elif schedule.runs_unknown:
        runs = [_line(f"next runs: not known: {schedule.runs_unknown}")]
    elif schedule.runs:
        runs = [_line("next ", run_text(r.utc, r.local, r.zone)) for r in schedule.runs]
    else:
        runs = [_line("no coming run found" if schedule.timezone else "next runs: time zone not statically known")]
    return _line(head, words, f" (cron {schedule.cron}{zone})" if schedule.cron else "", children=runs)


def _plain(line: Line, depth: int = 0) -> Iterator[str]:
    yield "  " * depth + clean("".join(text for text, _ in line.pieces))
    for child in line.children:
        yield from _plain(child, depth + 1)


def render(pictures: Sequence[BackendPicture], stacks_only: bool = False) -> str:
    """Plain indented text, one outline a backend, a blank line between them."""
    return "\n".join("\n".join(_plain(outline(p, stacks_only))) + "\n" for p in pictures)


def write_to_stdout(pictures: Sequence[BackendPicture], stacks_only: bool, choice: str = "auto") -> None:
    """A rich tree when the output is styled (a terminal, `--color always`), plain text otherwise."""
    from ..reporters.text import use_color

    try:
        isatty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        isatty = False
    if not use_color(choice, isatty):
        sys.stdout.write(render(pictures, stacks_only))
        return
    from rich.text import Text
    from rich.tree import Tree

    from ..reporters.text import console

    def tree(line: Line, into: Tree | None = None) -> Tree:
        label = Text()
        for text, style in line.pieces:
            label.append(clean(text), style)
        node = Tree(label, guide_style="dim") if into is None else into.add(label)
        for child in line.children:
            tree(child, node)
        return node

    out = console(choice)
    for number, picture in enumerate(pictures):
        if number:
            out.print()
        out.print(tree(outline(picture, stacks_only)), soft_wrap=True)
