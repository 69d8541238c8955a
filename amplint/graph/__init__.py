"""`amplint graph`'s renderers: each turns `BackendPicture`s (amplint/picture.py) into text, JSON, Mermaid
or DOT. They read the picture only, never the model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..amplify import DEFAULT_SCHEDULE_TIMEZONE

if TYPE_CHECKING:
    from ..picture import BackendPicture, Flow, Place, Setting, StackEdge, StackPicture

# --format -> module of amplint.graph; each has `render(pictures, stacks_only) -> str`.
FORMATS = {"text": "text", "json": "json", "mermaid": "mermaid", "dot": "dot"}
MAX_LABEL = 80  # characters of a drawn label (Mermaid, DOT)


def root_text(picture: BackendPicture) -> str:
    """The backend's folder as users type it (relative to the working directory)."""
    from ..reporters import display_path

    return display_path(Path(picture.root))


def place_text(place: Place) -> str:
    return f"{place.file}:{place.line}:{place.column}"


def member_names(picture: BackendPicture) -> dict[str, str]:
    """What to call each member of the stack graph, by id: a function's name, `data`, the 'exports' stack."""
    names = {m.id: m.name if m.kind != "custom-stack" else f"'{m.name}' stack" for m in picture.stacks.members}
    for fn in picture.functions:
        names.setdefault(fn.id, fn.name or fn.binding or "(unnamed function)")
    return names


def flow_text(flow: Flow, names: dict[str, str]) -> str:
    """`data depends on sync-todos: the schema grants it `allow.resource``."""
    return f"{names.get(flow.dependent, flow.dependent)} depends on {names.get(flow.dependency, flow.dependency)}: {flow.how}"


def setting_text(setting: Setting, unit: str, prefix: str = "") -> str:
    if setting.value is None:
        return "not statically known"
    shown = f"{prefix}{setting.value}{unit}"
    return shown if setting.given else f"{shown} (default)"


def run_text(utc: str, local: str, zone: str) -> str:
    """`2025-01-06 09:00 UTC`, with the local time when the zone is another: `(10:00 Europe/Berlin)`."""
    day, time = utc[:10], utc[11:16]
    shown = f"{day} {time} UTC"
    if zone == DEFAULT_SCHEDULE_TIMEZONE:
        return shown
    local_day, local_time, offset = local[:10], local[11:16], local[16:]
    when = local_time if local_day == day else f"{local_day} {local_time}"
    return f"{shown} ({when} {zone}, UTC{offset})"


def member_links(stacks: StackPicture) -> list[tuple[Flow, bool]]:
    """The references between drawn members, each once, with whether its stack edge is on a cycle."""
    drawn = {m.id for m in stacks.members}
    seen: set[tuple[str, str, str]] = set()
    links: list[tuple[Flow, bool]] = []
    for edge in stacks.edges:
        for flow in edge.flows:
            key = (flow.dependent, flow.dependency, flow.how)
            if key not in seen and flow.dependent in drawn and flow.dependency in drawn:
                seen.add(key)
                links.append((flow, edge.on_cycle))
    return links


def one_line(text: str, limit: int = MAX_LABEL) -> str:
    """Text for a drawn label: on one line, shortened to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text[: limit - 1] + "…" if len(text) > limit else text


def edge_text(edge: StackEdge) -> str:
    """What makes one stack depend on another: the first reference, and how many more there are."""
    more = len(edge.flows) - 1
    return edge.flows[0].how + (f" (+{more} more)" if more else "")
