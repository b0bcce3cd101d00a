"""Names a person reads instead of the keys the system stores: audit actions, snapshot fields,
choice values (task status, state, role…), period codes and the system's own accounts.

The words live in data/audit_labels.yaml (see its header for the shape); value names come from
the models' own choices, so a new status needs no change here.
"""

from __future__ import annotations

import importlib
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from baocao.core.periods import Period, PeriodError
from baocao.core.vnnum import format_number

LABELS_FILE = Path(__file__).parent / "data" / "audit_labels.yaml"


@cache
def _data() -> dict[str, Any]:
    with LABELS_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), f"{LABELS_FILE}: expected a mapping"
    return data


@cache
def _choices(dotted: str) -> dict[str, str]:
    module, _, name = dotted.rpartition(".")
    choices = getattr(importlib.import_module(module), name)
    return {str(value): str(label) for value, label in choices.choices}


def action(key: str) -> str:
    """"task.create" → "Thêm nhiệm vụ"; an unknown key reads as its entity's name."""
    known = _data()["actions"].get(key)
    if known:
        return str(known)
    head = key.partition(".")[0]
    return str(_data()["entities"].get(head, head)).capitalize()


def field(key: str) -> str:
    return str(_data()["fields"].get(key, key.replace("_", " ")))


def entity(key: str) -> str:
    return str(_data()["entities"].get(key, key))


def actor(name: str) -> str:
    return str(_data()["actors"].get(name, name))


def value(key: str, raw: Any) -> str:
    """A stored value as a person reads it: choice labels, period names, dates, numbers."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, bool):
        return "có" if raw else "không"
    text = str(raw)
    dotted = _data()["values"].get(key)
    if dotted:
        return _choices(dotted).get(text, text)
    if key in _data()["periods"]:
        try:
            return Period.from_code(text).label
        except PeriodError:
            return text
    if key in _data()["dates"]:
        try:
            return date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return text
    if key == "value" and isinstance(raw, str | int | float):
        from decimal import Decimal, InvalidOperation

        try:
            return format_number(Decimal(text))
        except (ArithmeticError, ValueError, InvalidOperation):
            return text
    return text


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with "…" (never in the middle of a word)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def job_items(data: Any) -> list[tuple[str, str]]:
    """A job's parameters or result as (name, value) lines: only the keys a person reads (no
    server paths, no internal ids), lists joined, units by name."""
    if not isinstance(data, dict):
        return []
    names = _data().get("job_fields", {})
    rows: list[tuple[str, str]] = []
    for key, raw in data.items():
        if key not in names or raw in (None, "", [], {}):
            continue
        rows.append((str(names[key]), _job_value(key, raw)))
    return rows


def _job_value(key: str, raw: Any) -> str:
    if key == "unit_id":
        from baocao.orgunits.models import OrgUnit

        unit = OrgUnit.objects.filter(pk=raw).first()
        return unit.name if unit else str(raw)
    if key == "period":
        return value("period", raw)
    if isinstance(raw, list):
        return "; ".join(str(item if not isinstance(item, dict) else ", ".join(map(str, item.values())))
                         for item in raw[:20]) + (" …" if len(raw) > 20 else "")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return format_number(raw)
    return str(raw)
