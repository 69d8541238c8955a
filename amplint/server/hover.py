"""Hover: what amplint knows about the function under the cursor (a `defineFunction(...)` call, a
`backend.<key>` or a `defineBackend` key): its resolved name, entry, runtime, timeout, the nested
stack it lands in, and its schedules in words with the next runs. The facts are the function's record
in the backend picture (`amplint.picture`), the one `amplint graph` draws."""

from __future__ import annotations

import datetime
from pathlib import Path

from ..graph import run_text, setting_text
from ..model.backend import Backend, FunctionDef, ResourceDef
from ..picture import FunctionPicture, function_picture


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
        if not schedule.runs:
            lines.append("- Next runs: none amplint can compute" if fn.deployed != "no" else "- Never runs")
            continue
        lines.append("- Next runs:")
        lines += [f"  - {run_text(run.utc, run.local, run.zone)}" for run in schedule.runs]
    return "\n".join(lines) + "\n"


def resource_markdown(backend: Backend, resource: ResourceDef) -> str:
    key = backend.backend_key(resource)
    name = {"data": "defineData", "auth": "defineAuth", "storage": "defineStorage"}.get(resource.kind, resource.kind)
    registered = f" (`backend.{key}`)" if key else " (not registered in `defineBackend`)"
    return f"**{name}**{registered}\n\n- Nested stack: `{resource.stack}`\n"


def hover_at(backend: Backend, path: Path, offset: int, now: datetime.datetime | None = None) -> str | None:
    """The hover's text at byte `offset` of `path`: on a `backend.<key>` or a `defineBackend` key,
    what it registers; inside a `defineFunction(...)` (or `defineData`, ...) call, that definition."""
    target: FunctionDef | ResourceDef | None = None
    define = backend.define_backend
    if define is not None and define.module.path == path:
        for use in define.uses:
            if use.member.start_byte <= offset <= use.member.end_byte:
                target = backend.registration_targets.get(use.key)
        for key, registration in define.registrations.items():
            if registration.key_node.start_byte <= offset <= registration.key_node.end_byte:
                target = backend.registration_targets.get(key)
    if target is None:
        calls: list[FunctionDef | ResourceDef] = [*backend.functions, *backend.resources]
        inside = [d for d in calls if d.module.path == path and d.call.start_byte <= offset < d.call.end_byte]
        if inside:
            target = min(inside, key=lambda d: d.call.end_byte - d.call.start_byte)
    if isinstance(target, FunctionDef):
        return markdown(function_picture(backend, target, now=now), backend.backend_key(target))
    if isinstance(target, ResourceDef):
        return resource_markdown(backend, target)
    return None
