"""Org units: the tree (scoped to what the caller may see), with validity and successions."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Path, Query, Router

from baocao.access.access import Perm, require, visible_units
from baocao.orgunits.models import OrgUnit, UnitLevel, UnitSuccession
from baocao.orgunits.names import search_key

from ..auth import actor
from ..errors import not_found
from ..params import (
    NO_NUL,
    SEARCH_MAX,
    UNIT_EXAMPLES,
    UNIT_MAX,
    LimitParam,
    OffsetParam,
    locate_unit,
    text_query,
)
from ..present import page
from ..schemas import ERRORS, SuccessionOut, UnitDetail, UnitPage, UnitRef

router = Router(tags=["Đơn vị / Org units"])


def unit_ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(
        code=unit.code, name=unit.name, level=unit.level, valid_from=unit.valid_from, valid_to=unit.valid_to
    )


def unit_out(unit: OrgUnit) -> dict[str, object]:
    return {
        "code": unit.code,
        "name": unit.name,
        "full_name": unit.full_name,
        "level": unit.level,
        "level_label": UnitLevel(unit.level).label if unit.level in UnitLevel.values else unit.level,
        "parent": unit_ref(unit.parent) if unit.parent_id else None,
        "gso_code": unit.gso_code,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
    }


def valid_on_filter(qs: QuerySet[OrgUnit], day: datetime.date) -> QuerySet[OrgUnit]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


@router.get("/units", response={200: UnitPage, **ERRORS}, summary="Danh sách đơn vị (trong phạm vi được xem)")
def list_units(
    request: HttpRequest,
    *,
    level: UnitLevel | None = None,
    parent: str | None = text_query(None, UNIT_MAX, "Mã hoặc tên đơn vị cha", UNIT_EXAMPLES[0]),
    valid_on: datetime.date | None = Query(None, description="Chỉ đơn vị có hiệu lực ngày này (YYYY-MM-DD)"),
    search: str | None = text_query(None, SEARCH_MAX, "Tên, không cần dấu", "tra vinh"),
    limit: LimitParam,
    offset: OffsetParam,
) -> dict[str, object]:
    user = actor(request)
    qs = visible_units(user, Perm.VIEW).select_related("parent")
    if level is not None:
        qs = qs.filter(level=level)
    if parent is not None:
        # The parent itself may lie outside the caller's scope (a district user listing the
        # communes of their district by naming the province is fine): the result is scoped.
        qs = qs.filter(parent=locate_unit(user, parent, on=valid_on, field="parent"))
    if valid_on is not None:
        qs = valid_on_filter(qs, valid_on)
    if search is not None:
        key = search_key(search)
        qs = qs.filter(Q(search_name__contains=key) | Q(code__iexact=search.strip())) if key else qs.none()
    return page(qs.order_by("path"), limit, offset, lambda rows: [unit_out(u) for u in rows])


def _successions(rows: QuerySet[UnitSuccession], other: str) -> list[SuccessionOut]:
    return [
        SuccessionOut(unit=unit_ref(getattr(s, other)), date=s.date, kind=s.kind, legal_basis=s.legal_basis)
        for s in rows.select_related(other).order_by("date", "id")
    ]


@router.get(
    "/units/{code}",
    response={200: UnitDetail, **ERRORS},
    summary="Một đơn vị: đơn vị con, tiền thân, kế thừa",
)
def get_unit(
    request: HttpRequest,
    code: str = Path(..., min_length=1, max_length=64, pattern=NO_NUL, example="P63-84"),
) -> dict[str, object]:
    unit = OrgUnit.objects.select_related("parent").filter(code__iexact=code).first()
    if unit is None:
        raise not_found(f"Không có đơn vị mã '{code}'", "code")
    require(actor(request), unit, Perm.VIEW)
    return {
        **unit_out(unit),
        "children": [unit_ref(c) for c in unit.children.order_by("path")],
        "predecessors": _successions(UnitSuccession.objects.filter(successor=unit), "predecessor"),
        "successors": _successions(UnitSuccession.objects.filter(predecessor=unit), "successor"),
    }
