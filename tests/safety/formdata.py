"""What a browser would send back for a form of a page: every input's and select's value."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.select: str | None = None
        self.first_option: str | None = None
        self.data: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            self.data[a["name"]] = a.get("value", "")
        elif tag == "select":
            self.select, self.first_option = a.get("name"), None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
                self.data.setdefault(self.select, self.first_option)
            if "selected" in a:
                self.data[self.select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None


def form_data(html: str, form_id: str) -> dict[str, str]:
    parser = _Form(form_id)
    parser.feed(html)
    return parser.data


# The names of one row's boxes on the entry form: value "v:<code>" with its hidden initial and
# version ("initial-v:", "b:v:"), qualifier "q:", comment "c:"; the plan "t:" with its own.
_ROW_BOX = re.compile(r"^(?:initial-|b:)?([vtqc]):(.+)$")


def _row(name: str) -> str | None:
    m = _ROW_BOX.match(name)
    return None if m is None else ("t:" if m.group(1) == "t" else "v:") + m.group(2)


def browser_sends(shown: dict[str, str], typed: dict[str, str]) -> dict[str, str]:
    """What the entry page's script (web/js/entry.js) sends when the person types `typed` into the
    form as `shown`: only the rows with a box changed (with their shown values and versions), the
    other fields (csrf token, reason) as they are."""
    sent = {**shown, **typed}
    keep = {_row(name) for name, value in typed.items() if shown.get(name) != value}
    return {name: value for name, value in sent.items() if _row(name) is None or _row(name) in keep}
