"""The picture as a Graphviz DOT `digraph` (`amplint graph --format dot | dot -Tpng -o backend.png`). Each
nested stack is a cluster holding what lands in it; an edge goes from what depends to what it depends
on, labelled with the reference that makes it, red on a circular dependency. `--stacks` draws the stacks
alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import MAX_LABEL, edge_text, member_links, one_line

if TYPE_CHECKING:
    from ..picture import BackendPicture, Member

CYCLE_COLOR = "#d73a49"
_SHAPES = {"function": "box", "data": "cylinder", "storage": "cylinder", "auth": "hexagon", "custom-stack": "folder"}


def quoted(text: str, limit: int = MAX_LABEL) -> str:
    """Text as a DOT double-quoted string on one line, shortened: backslashes and quotes escaped."""
    text = one_line(text, limit)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _node(member: Member) -> str:
    style = ', style="rounded"' if member.kind == "function" else ""
    return f"n_{member.id} [label={quoted(member.name)}, shape={_SHAPES[member.kind]}{style}];"


def digraph(picture: BackendPicture, stacks_only: bool = False) -> list[str]:
    stacks = picture.stacks
    ids = {node.name: f"s{number}" for number, node in enumerate(stacks.stacks, 1)}
    cyclic = {name for edge in stacks.edges if edge.on_cycle for name in (edge.dependent, edge.dependency)}
    lines = [
        "digraph amplint {",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica"];',
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    if stacks_only:
        for node in stacks.stacks:
            color = f', color="{CYCLE_COLOR}"' if node.name in cyclic else ""
            lines.append(f"  {ids[node.name]} [label={quoted(f'{node.name} stack')}, shape=box3d{color}];")
        for edge in stacks.edges:
            how = quoted(edge_text(edge))
            lines.append(f"  {ids[edge.dependent]} -> {ids[edge.dependency]} [label={how}{_red(edge.on_cycle)}];")
    else:
        by_id = {m.id: m for m in stacks.members}
        for node in stacks.stacks:
            color = f'    color="{CYCLE_COLOR}";' if node.name in cyclic else '    color="gray";'
            lines.append(f"  subgraph cluster_{ids[node.name]} {{")
            lines.append(f"    label={quoted(f'{node.name} stack')};")
            lines.append(color)
            lines.extend(f"    {_node(by_id[m])}" for m in node.members)
            lines.append("  }")
        for flow, on_cycle in member_links(stacks):
            lines.append(f"  n_{flow.dependent} -> n_{flow.dependency} [label={quoted(flow.how)}{_red(on_cycle)}];")
    lines.append("}")
    return lines


def _red(on_cycle: bool) -> str:
    return f', color="{CYCLE_COLOR}", fontcolor="{CYCLE_COLOR}", penwidth=2' if on_cycle else ""


def render(pictures: Sequence[BackendPicture], stacks_only: bool = False) -> str:
    """One digraph (the CLI draws one backend at a time in this format)."""
    return "\n".join(line for picture in pictures for line in digraph(picture, stacks_only)) + "\n"
