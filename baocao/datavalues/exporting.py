"""Exporting stored values (scoped by what the user may see) as CSV, XLSX or JSON.

The columns are those the importer reads, so an export can be edited and imported back. Text
that a spreadsheet would run as a formula is neutralised (`baocao.core.cells`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from baocao.access.access import Perm, visible_units
from baocao.core.cells import neutralise
from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit

from .models import DataValue

COLUMNS = [
    "indicator",
    "indicator_name",
    "unit",
    "unit_name",
    "period",
    "period_label",
    "value",
    "qualifier",
    "target",
    "regime",
    "source",
    "comment",
]
FORMATS = ("csv", "xlsx", "json")


def values_for(
    user: AbstractBaseUser | AnonymousUser,
    *,
    units: Iterable[OrgUnit] | None = None,
    periods: Iterable[Period] | None = None,
    indicators: Iterable[str] | None = None,
) -> QuerySet[DataValue]:
    qs = DataValue.objects.filter(unit__in=visible_units(user, Perm.VIEW)).select_related("indicator", "unit")
    if units is not None:
        qs = qs.filter(unit__in=list(units))
    if periods is not None:
        qs = qs.filter(period__in=[p.code for p in periods])
    if indicators is not None:
        qs = qs.filter(indicator__code__in=list(indicators))
    return qs.order_by("unit__path", "period_start", "period_type", "indicator__code", "is_target")


def _plain(value: Decimal) -> str:
    """No grouping and a decimal comma: "1599", "73,95", "1,959" read back unambiguously."""
    return format(value.normalize(), "f").replace(".", ",")


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def rows(values: Iterable[DataValue]) -> Iterable[dict[str, Any]]:
    for dv in values:
        yield {
            "indicator": dv.indicator.code,
            "indicator_name": dv.indicator.name_vi,
            "unit": dv.unit.code,
            "unit_name": dv.unit.name,
            "period": dv.period,
            "period_label": Period.from_code(dv.period).label,
            "value": dv.value,
            "qualifier": dv.qualifier,
            "target": "1" if dv.is_target else "0",
            "regime": dv.regime,
            "source": dv.source,
            "comment": dv.comment,
        }


def export(values: Iterable[DataValue], fmt: str) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(
            {k: neutralise(v) for k, v in {**row, "value": _plain(row["value"])}.items()} for row in rows(values)
        )
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "json":
        items = [{**row, "value": _json_number(row["value"])} for row in rows(values)]
        return json.dumps({"values": items}, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("so_lieu")
        sheet.append(COLUMNS)
        for row in rows(values):
            sheet.append([_json_number(row[c]) if c == "value" else neutralise(row[c]) for c in COLUMNS])
        buffer_b = io.BytesIO()
        book.save(buffer_b)
        return buffer_b.getvalue()
    raise ValueError(f"Định dạng '{fmt}' không được hỗ trợ ({', '.join(FORMATS)})")
