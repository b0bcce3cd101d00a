"""How numbers leave the API: a JSON number for convenience, the exact decimal as a string,
and the Vietnamese spelling a report would print; and how a list is paged."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from baocao.core.vnnum import format_number

M = TypeVar("M", bound=Model)


def exact(value: Decimal | None) -> str | None:
    """'73.95', '1599' — no exponent, no trailing zeros, never rounded."""
    if value is None:
        return None
    text = format(value.normalize(), "f") if value else "0"
    return text


def number_fields(value: Decimal | None, *, rounded: bool = False) -> dict[str, object]:
    """`rounded` for computed figures (a rate of 28 significant digits reads as '80,71')."""
    if value is None:
        return {"value": None, "exact": None, "display": None}
    display = format_number(value, max_decimals=2) if rounded else format_number(value.normalize())
    return {"value": float(value), "exact": exact(value), "display": display}


def page(qs: QuerySet[M], limit: int, offset: int, render: Callable[[list[M]], list[Any]]) -> dict[str, Any]:
    """`limit` rows from `offset` (as `render` writes them) and how many there are in all."""
    rows = list(qs[offset : offset + limit])
    return {"count": qs.count(), "limit": limit, "offset": offset, "items": render(rows)}
