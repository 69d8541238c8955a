"""Rule documentation: the Markdown files of `rules/`, shipped inside the wheel."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .records import NamedTuple

if TYPE_CHECKING:
    from .checks import Rule

DOCS_URL = "https://github.com/amplint/amplint/blob/main/rules/{code}.md"


def docs_dir() -> Path:
    packaged = Path(__file__).parent / "_rules"  # in a wheel (see pyproject: force-include)
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "rules"  # in a checkout / editable install


class RuleDoc(NamedTuple):
    code: str
    front_matter: dict[str, str]
    body: str  # Markdown after the front matter

    @property
    def text(self) -> str:
        return self.body.strip() + "\n"


def load(code: str) -> RuleDoc | None:
    path = docs_dir() / f"{code}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        return None
    front: dict[str, str] = {}
    body = raw
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end > 0:
            for line in raw[4:end].splitlines():
                key, _, value = line.partition(":")
                front[key.strip()] = value.strip().strip("'\"")
            body = raw[end + 5 :]
    return RuleDoc(code, front, body)


def help_url(code: str) -> str:
    return DOCS_URL.format(code=code)


def fixable(rule: Rule) -> str:
    """The rule's `fixable:` as its page, `amplint rules` and the README say it: `safe` (`--fix`
    applies the fix), `unsafe` (only `--fix --unsafe-fixes` does) or `no` (the rule has no fix)."""
    return rule.fix_safety or "no"


FIX_LINES = {
    "safe": "Fix: safe (`amplint check --fix` applies it).",
    "unsafe": "Fix: unsafe (it may change what the code does: only `amplint check --fix --unsafe-fixes` applies it).",
    "no": "Fix: none (fix it by hand).",
}


def page_with_fix_line(doc: RuleDoc, rule: Rule) -> str:
    """What `amplint rule CODE` prints: the page, with a line saying whether `--fix` fixes it after the title."""
    title, _, rest = doc.text.partition("\n")
    return f"{title}\n\n{FIX_LINES[fixable(rule)]}\n\n{rest.lstrip(chr(10))}"
