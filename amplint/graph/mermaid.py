"""The picture as a Mermaid `flowchart`, which GitHub draws in place in a ```mermaid block (a pull
request, an issue comment, a README). Each nested stack is a subgraph holding what lands in it; an
arrow goes from what depends to what it depends on, labelled with the reference that makes it, and
the arrows of a circular dependency are red. `--stacks` draws the stacks alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import MAX_LABEL, edge_text, member_links, one_line

if TYPE_CHECKING:
    from ..picture import BackendPicture, Member

CYCLE_STYLE = "stroke:#d73a49,stroke-width:3px,color:#d73a49"
# Mermaid reads these inside a quoted label (`#`, entity codes, HTML, a link's `|`, Markdown strings):
# each is written as Mermaid's entity code. `#` first: the codes themselves start with it.
_ESCAPES = (
    ("#", "#35;"),
    ('"', "#quot;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("&", "#amp;"),
    ("|", "#124;"),
    ("`", "#96;"),
    ("\\", "#92;"),
)
# A member's shape by kind: `(...)` rounded, `[(...)]` a cylinder for data and storage, `{{...}}` auth.
_SHAPES = {
    "function": ("(", ")"),
    "data": ("[(", ")]"),
    "storage": ("[(", ")]"),
    "auth": ("{{", "}}"),
    "custom-stack": ("[/", "/]"),
}


def label(text: str, limit: int = MAX_LABEL) -> str:
    """Text as a quoted Mermaid label: one line, shortened, with every character Mermaid would read
    as syntax written as an entity code."""
    text = one_line(text, limit)
    for raw, code in _ESCAPES:
        text = text.replace(raw, code)
    return f'"{text}"'


def _node(member: Member) -> str:
    opening, closing = _SHAPES[member.kind]
    return f"n_{member.id}{opening}{label(member.name)}{closing}"


def flowchart(picture: BackendPicture, stacks_only: bool = False) -> list[str]:
    stacks = picture.stacks
    ids = {node.name: f"s{number}" for number, node in enumerate(stacks.stacks, 1)}
    lines = ["flowchart LR"]
    links: list[tuple[str, str, str, bool]] = []  # (from, to, label, on a cycle)
    if stacks_only:
        for node in stacks.stacks:
            lines.append(f"  {ids[node.name]}[{label(f'{node.name} stack')}]")
        for edge in stacks.edges:
            links.append((ids[edge.dependent], ids[edge.dependency], edge_text(edge), edge.on_cycle))
    else:
        by_id = {m.id: m for m in stacks.members}
        for node in stacks.stacks:
            lines.append(f"  subgraph {ids[node.name]}[{label(f'{node.name} stack')}]")
            lines.extend(f"    {_node(by_id[m])}" for m in node.members)
            lines.append("  end")
        links.extend(
            (f"n_{flow.dependent}", f"n_{flow.dependency}", flow.how, on_cycle)
            for flow, on_cycle in member_links(stacks)
        )
    for source, target, how, _ in links:
        lines.append(f"  {source} -->|{label(how)}| {target}")
    red = [str(number) for number, link in enumerate(links) if link[3]]
    if red:
        lines.append(f"  linkStyle {','.join(red)} {CYCLE_STYLE}")
    return lines


def render(pictures: Sequence[BackendPicture], stacks_only: bool = False) -> str:
    """One flowchart (the CLI draws one backend at a time in this format)."""
    return "\n".join(line for picture in pictures for line in flowchart(picture, stacks_only)) + "\n"
