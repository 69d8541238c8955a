"""Hover: what amplint knows about the function under the cursor (a `defineFunction(...)` call, a
`backend.<key>` or a `defineBackend` key): its resolved name, entry, runtime, timeout, the nested
stack it lands in, and its schedules in words with the next runs. The facts are the function's record
in the backend picture (`amplint.picture`), the one `amplint graph` draws."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..graph import run_text, setting_text
from ..picture import DefinitionPicture, FunctionPicture, definition_at

if TYPE_CHECKING:
    from ..model.backend import Backend


def markdown(fn: FunctionPicture, key: str | None) -> str:
    """The hover's text for one function's picture; `key`: its `defineBackend` key, if registered."""
    title = f"`{fn.name}`" if fn.name else "a function whose name is not known statically"
    lines = [f"**Function** {title}" + (f" (`backend.{key}`)" if key else ""), ""]
    if fn.deployed == "no":
        lines += [f"Not deployed: {fn.not_deployed_because or 'nothing reachable from `defineBackend` uses it'}.", ""]
    rows = [
        ("Entry", f"`{fn.entry}`" if fn.entry else "not known statically"),
        ("Runtime", setting_text(fn.runtime, "", "Node.js ")),
        ("Timeout", setting_text(fn.timeout, " s")),
        ("Nested stack", f"`{fn.stack}`" if fn.stack else "not known statically"),
    ]
    lines += [f"- {label}: {value}" for label, value in rows]
    for schedule in fn.schedules:
        lines += ["", f"**Schedule** `{schedule.written}`"]
        if schedule.words is None:
            why = schedule.problem or "not static, or not a valid schedule"
            lines.append(f"- amplint cannot tell when it runs ({why})")
            continue
        lines.append(f"- Runs {schedule.words}")
        if schedule.runs_unknown and fn.deployed != "no":
            lines.append(f"- Next runs: not known: {schedule.runs_unknown}")
            continue
        if not schedule.runs:
            lines.append("- Next runs: none amplint can compute" if fn.deployed != "no" else "- Never runs")
            continue
        lines.append("- Next runs:")
        lines += [f"  - {run_text(run.utc, run.local, run.zone)}" for run in schedule.runs]
    return "\n".join(lines) + "\n"


def resource_markdown(resource: DefinitionPicture) -> str:
    name = {"data": "defineData", "auth": "defineAuth", "storage": "defineStorage"}.get(resource.kind, resource.kind)
    registered = f" (`backend.{resource.key}`)" if resource.key else " (not registered in `defineBackend`)"
    return f"**{name}**{registered}\n\n- Nested stack: `{resource.stack}`\n"


def hover_at(backend: Backend, path: Path, offset: int, now: datetime.datetime | None = None) -> str | None:
    """The hover's text at byte `offset` of `path`: on a `backend.<key>` or a `defineBackend` key,
    what it registers; inside a `defineFunction(...)` (or `defineData`, ...) call, that definition."""
    found = definition_at(backend, path, offset, now=now)
    if found is None:
        return None
    if found.function is not None:
        return markdown(found.function, found.key)
    return resource_markdown(found)
