"""Catalog codes and formula syntax turned into the catalog's Vietnamese names, for every text a
clerk reads: "cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di * 100" → "Văn bản ký số / Văn bản đi × 100".

Codes stay in the data and the API; only what is put on a page passes through here.
"""

from __future__ import annotations

import re
import time
from typing import Any

# A catalog code: field prefix, a dot, then dotted snake_case ("cntt.qlvb.vb_di", "dan_so").
CODE_RE = re.compile(r"(?<![\w.])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+|[a-z][a-z0-9]*_[a-z0-9_]+)(?![\w.])")
_OPERATORS = {"*": "×", "/": "/", "+": "+", "-": "−"}
_CACHE_SECONDS = 30
_cache: dict[str, Any] = {"at": 0.0, "names": {}}


def indicator_names() -> dict[str, str]:
    """code → Vietnamese name; re-read every half minute so a catalog edit shows soon."""
    now = time.monotonic()
    if now - _cache["at"] > _CACHE_SECONDS or not _cache["names"]:
        from baocao.catalog.models import Indicator

        _cache["names"] = dict(Indicator.objects.values_list("code", "name_vi"))
        _cache["at"] = now
    return dict(_cache["names"])


def forget() -> None:
    """Tests load a catalog and read it at once."""
    _cache["at"] = 0.0


def name(code: str) -> str:
    return indicator_names().get(code, code)


def formula_in_words(formula: str) -> str:
    """ "a / b * 100" with the codes named and the operators as printed: "A / B × 100"."""
    if not formula:
        return ""
    names = indicator_names()
    text = CODE_RE.sub(lambda m: names.get(m.group(1), m.group(1)), formula)
    text = re.sub(r"\s*([*/+])\s*", lambda m: f" {_OPERATORS[m.group(1)]} ", text)
    text = re.sub(r"(?<=\S) - (?=\S)", " − ", text)
    return " ".join(text.split())


def in_words(text: str) -> str:
    """Any text (a finding, a note) with the catalog codes it names replaced by their names."""
    if not text:
        return ""
    names = indicator_names()

    def named(match: re.Match[str]) -> str:
        return names.get(match.group(1), match.group(1))

    # "Doanh thu dịch vụ bưu chính (bc.doanh_thu)": the name is already there, the code goes
    text = str(text)

    def aside(match: re.Match[str]) -> str:
        name = names.get(match.group(1))
        if name is None:
            return match.group(0)
        return "" if name in text else f" ({name})"

    text = re.sub(r"\s*\((" + CODE_RE.pattern + r")\)", aside, text)
    replaced = CODE_RE.sub(named, text)
    # a formula quoted in a note: "(A / B * 100; …)" reads with the printed multiplication sign
    return re.sub(r"(?<=\S) \* (?=\S)", " × ", replaced)


# The stored narrative syntax: {code|modifiers} for a figure, [16/KH-UBND|modifiers] for a document.
_FIGURE_RE = re.compile(r"(?<!\{)\{([a-z][a-z0-9_.]*)(?:\|[^{}\n]*)?\}(?!\})")
_CITATION_RE = re.compile(r"(?<!\[)\[(\d[^\[\]|\n]*/[^\[\]|\n]+)(?:\|[^\[\]\n]*)?\](?!\])")


def readable(text: str) -> str:
    """Narrative text without its syntax: a figure by its indicator's name in «», a document by
    its number ("… đạt «Văn bản điện tử đi» văn bản theo Kế hoạch 16/KH-UBND")."""
    if not text:
        return ""
    names = indicator_names()
    text = _FIGURE_RE.sub(lambda m: f"«{names.get(m.group(1), m.group(1))}»", str(text))
    text = _CITATION_RE.sub(lambda m: m.group(1), text)
    return text.replace("{{", "{").replace("}}", "}").replace("[[", "[").replace("]]", "]")


def section_heading(key: str, on: Any = None) -> str:
    """A report section's heading from the default report template ("thanh_tra" → "Công tác thanh tra…")."""
    return _section_headings().get(key, key)


_headings: dict[str, str] = {}


def _section_headings() -> dict[str, str]:
    if not _headings:
        from datetime import date

        from baocao.core.periods import PeriodType
        from baocao.reports.config import load_config

        for ptype in (PeriodType.YEAR, PeriodType.HALF, PeriodType.QUARTER):
            try:
                config = load_config([], ptype, date.today())
            except Exception:
                continue
            for section in config.all_sections():
                heading = re.sub(r"\s*\{[a-z_]+\}", "", section.heading).strip(" ,:")
                _headings.setdefault(section.key, heading or section.key)
    return _headings


def indicator_choices() -> list[tuple[str, str]]:
    """(code, label) of every active indicator for a picker by name: "Văn bản điện tử đi (văn bản)";
    a name used by two indicators also names its field, so every label picks exactly one."""
    from baocao.catalog.models import Indicator

    rows = list(Indicator.objects.filter(is_active=True).select_related("field").order_by("field__order", "order"))
    seen: dict[str, int] = {}
    for ind in rows:
        seen[ind.name_vi.casefold()] = seen.get(ind.name_vi.casefold(), 0) + 1
    choices = []
    for ind in rows:
        label = f"{ind.name_vi} ({ind.unit})" if ind.unit else ind.name_vi
        if seen[ind.name_vi.casefold()] > 1 and ind.field_id:
            label += f" — {ind.field.name_vi}"
        choices.append((ind.code, label))
    return choices


def indicator_from_label(text: str) -> str | None:
    """The code a picker's label (or a code, for administrators) stands for; None if not exactly one."""
    from baocao.orgunits.names import search_key

    text = " ".join(text.split())
    choices = indicator_choices()
    for code, label in choices:
        if text in (label, code):
            return code
    key = search_key(text)
    exact = [code for code, label in choices if search_key(label.split(" (")[0]) == key]
    if len(exact) == 1:
        return exact[0]
    partial = [code for code, label in choices if key and key in search_key(label)]
    return partial[0] if len(partial) == 1 else None
