"""Read-only look-ups: a unit from what a report or a user wrote, and a unit's lineage.

These resolve names; they do not decide who may read what. A caller acting for a user passes
`units=visible_units(user)` to `find_unit` or scopes the result itself.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from .models import OrgUnit, UnitLevel, UnitSuccession
from .names import search_key, strip_key_prefix

# When a name fits units of several levels on one day ("Vĩnh Long": the province, the city
# of the old structure, maybe a commune), reports almost always mean the higher one.
LEVEL_RANK: dict[str, int] = {
    UnitLevel.COUNTRY: 0,
    UnitLevel.PROVINCE: 1,
    UnitLevel.DEPARTMENT: 2,
    UnitLevel.DISTRICT: 3,
    UnitLevel.COMMUNE: 4,
    UnitLevel.SUBUNIT: 5,
    UnitLevel.ENTERPRISE: 6,
}
MAX_LISTED = 10

# Seeded codes carry zero-padded GSO numbers ("P34-01"); accept "P34-1" as well.
_SEED_CODE = re.compile(r"^([PDW])(34|63)-(\d{1,5})$", re.IGNORECASE)
_GSO_WIDTH = {"P": 2, "D": 3, "W": 5}


class UnitNotFound(LookupError):
    """No unit, or more than one, fits; the message lists the candidates."""

    def __init__(self, message: str, candidates: Iterable[OrgUnit] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


def _fmt(day: datetime.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def describe(unit: OrgUnit) -> str:
    """'Tỉnh Trà Vinh (P63-84, đến 01/07/2025)' — enough to tell look-alikes apart."""
    parts = [unit.code]
    if unit.valid_from:
        parts.append(f"từ {_fmt(unit.valid_from)}")
    if unit.valid_to:
        parts.append(f"đến {_fmt(unit.valid_to)}")
    return f"{unit.full_name or unit.name} ({', '.join(parts)})"


def _listing(units: list[OrgUnit]) -> str:
    shown = "; ".join(describe(u) for u in units[:MAX_LISTED])
    more = len(units) - MAX_LISTED
    return shown + (f"; và {more} đơn vị khác" if more > 0 else "")


def _normalise_code(text: str) -> str:
    match = _SEED_CODE.match(text)
    if not match:
        return text
    letter, structure, number = match.groups()
    return f"{letter.upper()}{structure}-{number.zfill(_GSO_WIDTH[letter.upper()])}"


def _by_key(base: QuerySet[OrgUnit], key: str, levels: Iterable[str] = ()) -> list[OrgUnit]:
    """Units whose name or one of whose aliases has this search key."""
    levels = list(levels)
    qs = base.filter(level__in=levels) if levels else base
    found = {u.pk: u for u in qs.filter(search_name=key)}
    # Aliases are few (a handful of provinces), so they are checked in Python rather than
    # with a JSON containment query, which SQLite does not support.
    for unit in qs.filter(attributes__has_key="aliases"):
        if key in {search_key(a) for a in unit.attributes.get("aliases", [])}:
            found.setdefault(unit.pk, unit)
    return sorted(found.values(), key=lambda u: (LEVEL_RANK.get(u.level, 9), u.code))


def find_unit(
    text: str,
    *,
    on: datetime.date | None = None,
    level: str | None = None,
    units: QuerySet[OrgUnit] | None = None,
) -> OrgUnit:
    """The unit that `text` names on day `on` (default today).

    `text` may be a unit code ("P34-86", "VN": returned as is, whatever the day), a GSO code
    ("84"), or a name with or without its type word and diacritics ("tỉnh Trà Vinh",
    "Tra Vinh", "TP. Hồ Chí Minh"). When several units of different levels fit, the highest
    level wins (a province over a district of the same name); `level` restricts the search.
    Raises UnitNotFound listing the candidates when none or several fit.
    """
    raw = " ".join((text or "").split())
    if not raw:
        raise UnitNotFound("Chưa ghi tên hoặc mã đơn vị")
    if level is not None and level not in UnitLevel.values:
        raise UnitNotFound(f"Cấp '{level}' không hợp lệ ({', '.join(UnitLevel.values)})")
    day = on or timezone.localdate()
    base = (units if units is not None else OrgUnit.objects.all()).select_related(None)
    if level is not None:
        base = base.filter(level=level)

    by_code = base.filter(code__iexact=_normalise_code(raw)).first()
    if by_code is not None:
        return by_code

    candidates = _named(base, raw, level)
    where = f" cấp {UnitLevel(level).label}" if level else ""
    if not candidates:
        similar = _similar(base, raw)
        hint = f"; có thể là: {_listing(similar)}" if similar else ""
        raise UnitNotFound(f"Không tìm thấy đơn vị{where} '{raw}'{hint}", similar)
    return _the_one_valid(raw, where, candidates, day)


def _named(base: QuerySet[OrgUnit], raw: str, level: str | None) -> list[OrgUnit]:
    """Units that a GSO code or a name (with or without its type word) names."""
    if raw.isdigit():
        return list(base.filter(gso_code=raw).order_by("code"))
    key = search_key(raw)
    candidates = _by_key(base, key)
    if not candidates:
        stripped, hinted_levels = strip_key_prefix(key)
        allowed = [lv for lv in hinted_levels if level in (None, lv)]
        if allowed:
            candidates = _by_key(base, stripped, allowed)
    return candidates


def _the_one_valid(raw: str, where: str, candidates: list[OrgUnit], day: datetime.date) -> OrgUnit:
    """The one candidate in force on ``day`` at the highest level; UnitNotFound saying why not."""
    valid = [u for u in candidates if u.is_valid_on(day)]
    if not valid:
        now_part_of: list[OrgUnit] = []
        for unit in candidates:
            now_part_of.extend(u for u in units_on(unit, day) if u not in now_part_of)
        hint = f"; ngày đó thuộc về: {_listing(now_part_of)}" if now_part_of else ""
        raise UnitNotFound(
            f"Không có đơn vị{where} '{raw}' có hiệu lực ngày {_fmt(day)}; "
            f"các đơn vị cùng tên: {_listing(candidates)}{hint}",
            candidates,
        )
    best_rank = min(LEVEL_RANK.get(u.level, 9) for u in valid)
    best = [u for u in valid if LEVEL_RANK.get(u.level, 9) == best_rank]
    higher_elsewhen = [u for u in candidates if LEVEL_RANK.get(u.level, 9) < best_rank]
    if higher_elsewhen:
        # "Trà Vinh" in August 2025 is only a ward, but a report saying "Trà Vinh" almost
        # surely means the former province: refuse to guess rather than pick the ward.
        now_part_of = [w for u in higher_elsewhen for w in units_on(u, day)]
        hint = f" (ngày đó thuộc về: {_listing(now_part_of)})" if now_part_of else ""
        raise UnitNotFound(
            f"'{raw}' ngày {_fmt(day)} chỉ là {_listing(best)}, nhưng cũng là tên của "
            f"{_listing(higher_elsewhen)}{hint} — hãy ghi cấp (tỉnh, huyện, xã…) hoặc mã đơn vị",
            best + higher_elsewhen,
        )
    if len(best) == 1:
        return best[0]
    raise UnitNotFound(
        f"'{raw}' ứng với nhiều đơn vị có hiệu lực ngày {_fmt(day)}: {_listing(best)} — hãy ghi mã đơn vị hoặc cấp",
        best,
    )


def _similar(base: QuerySet[OrgUnit], raw: str) -> list[OrgUnit]:
    key, _ = strip_key_prefix(search_key(raw))
    if len(key) < 2:
        return []
    rows = base.filter(search_name__contains=key).order_by("path")[:50]
    return sorted(rows, key=lambda u: (LEVEL_RANK.get(u.level, 9), u.code))[:MAX_LISTED]


def _walk(unit: OrgUnit, backwards: bool, transitive: bool) -> list[OrgUnit]:
    """Breadth-first over successions: nearest first, each unit once."""
    seen = {unit.pk}
    result: list[OrgUnit] = []
    frontier = [unit.pk]
    while frontier:
        if backwards:
            rows = UnitSuccession.objects.filter(successor_id__in=frontier).select_related("predecessor")
        else:
            rows = UnitSuccession.objects.filter(predecessor_id__in=frontier).select_related("successor")
        step: list[OrgUnit] = []
        for succession in rows.order_by("-date" if backwards else "date", "id"):
            other = succession.predecessor if backwards else succession.successor
            if other.pk not in seen:
                seen.add(other.pk)
                step.append(other)
        step.sort(key=lambda u: u.code)
        result.extend(step)
        if not transitive:
            break
        frontier = [u.pk for u in step]
    return result


def predecessors(unit: OrgUnit, transitive: bool = True) -> list[OrgUnit]:
    """Units `unit` replaced; with `transitive`, also the ones those replaced, nearest first.

    New Vĩnh Long → old Bến Tre, Trà Vinh, Vĩnh Long. Its Sở KH&CN → the three old Sở KH&CN
    and then the three Sở TT&TT.
    """
    return _walk(unit, backwards=True, transitive=transitive)


def successors(unit: OrgUnit, transitive: bool = False) -> list[OrgUnit]:
    """Units that replaced `unit` (directly, unless `transitive`)."""
    return _walk(unit, backwards=False, transitive=transitive)


def units_on(unit: OrgUnit, day: datetime.date) -> list[OrgUnit]:
    """The units of `unit`'s lineage valid on `day`: itself, or the nearest successors (for a day
    after it ended) or predecessors (for a day before it began) that were. May be several
    (the new Vĩnh Long on a day in 2022 is three old provinces) or none."""
    if unit.is_valid_on(day):
        return [unit]
    backwards = unit.valid_from is not None and day < unit.valid_from
    found: list[OrgUnit] = []
    seen = {unit.pk}
    frontier = [unit]
    while frontier:
        step: list[OrgUnit] = []
        for current in frontier:
            for other in _walk(current, backwards=backwards, transitive=False):
                if other.pk in seen:
                    continue
                seen.add(other.pk)
                if other.is_valid_on(day):
                    found.append(other)
                else:
                    step.append(other)
        frontier = step
    return found


def unit_on(unit: OrgUnit, day: datetime.date) -> OrgUnit:
    """The one unit of `unit`'s lineage valid on `day`; UnitNotFound when none or several."""
    found = units_on(unit, day)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnitNotFound(f"{describe(unit)}: không có đơn vị kế thừa hoặc tiền thân nào có hiệu lực ngày {_fmt(day)}")
    raise UnitNotFound(f"{describe(unit)} ứng với nhiều đơn vị ngày {_fmt(day)}: {_listing(found)}", found)


def ancestor_at_level(unit: OrgUnit, level: str) -> OrgUnit | None:
    """The unit itself or its nearest ancestor of `level` (from the materialised path)."""
    if unit.level == level:
        return unit
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return OrgUnit.objects.filter(pk__in=ids, level=level).order_by("-path").first()


def province_of(unit: OrgUnit) -> OrgUnit | None:
    return ancestor_at_level(unit, UnitLevel.PROVINCE)


def department_of(unit: OrgUnit, on: datetime.date) -> OrgUnit | None:
    """The reporting department (Sở) of `unit`'s province on day `on`.

    Before 1 March 2025 the Sở Thông tin và Truyền thông, from then the Sở Khoa học và Công
    nghệ. A province that no longer (or not yet) existed that day is followed to the one
    province of its lineage that did; None when there is none or several (new Vĩnh Long in
    2022 was three provinces with three departments).
    """
    province = province_of(unit)
    if province is None:
        return None
    found = units_on(province, on)
    if len(found) != 1:
        return None
    departments = [
        d
        for d in OrgUnit.objects.filter(parent=found[0], level=UnitLevel.DEPARTMENT).order_by("code")
        if d.is_valid_on(on)
    ]
    reporting = [d for d in departments if d.attributes.get("reporting")] or departments
    return reporting[0] if reporting else None


def find_unit_or_former(
    text: str, *, on: datetime.date | None = None, level: str | None = None, units: QuerySet[OrgUnit] | None = None
) -> OrgUnit:
    """`find_unit`; but when no date is given, a name that was only ever one province
    ("Trà Vinh", merged in 2025) means that province, whenever it existed."""
    try:
        return find_unit(text, on=on, level=level, units=units)
    except UnitNotFound as exc:
        provinces = [c for c in exc.candidates if c.level == UnitLevel.PROVINCE]
        if on is None and level in (None, UnitLevel.PROVINCE) and len(provinces) == 1:
            return provinces[0]
        raise
