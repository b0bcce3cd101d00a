"""What the signed-in user may see, in the shapes the pages need.

Every read of a unit's data by a view starts here, and everything here goes through
`baocao.access.access` (visible_units / can / require): no page decides access on its own.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from baocao.access.access import POLICY, AccessDenied, Perm, can, require, require_admin, visible_units
from baocao.access.models import Membership
from baocao.core.periods import Period, PeriodError, PeriodType, parse_period
from baocao.datavalues.models import DataValue, ScopePeriod, Submission
from baocao.ops.stamps import Kept
from baocao.orgunits.models import OrgUnit, UnitLevel

User = AbstractBaseUser | AnonymousUser

# Levels a person picks from lists; communes are far too many and report through districts.
PICKABLE_LEVELS = (UnitLevel.COUNTRY, UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.DEPARTMENT)


# Units by code between requests, while the unit table is unchanged (ops/stamps.py).
_UNITS_BY_CODE: Kept[str, OrgUnit] = Kept(("orgunits_orgunit",))


def unit_for(user: User, code: str, perm: Perm = Perm.VIEW) -> OrgUnit:
    """The unit with this code if `user` holds `perm` on it; 404 for an unknown code, 403 otherwise.
    The unit is the process's kept copy while the unit table is unchanged."""
    unit = _UNITS_BY_CODE.get(code, OrgUnit.objects.filter(code=code).first)
    if unit is None:
        raise Http404(f"Không có đơn vị mã '{code}'")
    require(user, unit, perm)
    return unit


def period_from(code: str) -> Period:
    try:
        return Period.from_code(code)
    except PeriodError:
        try:
            return parse_period(code)
        except PeriodError as exc:
            raise Http404(f"Kỳ báo cáo không hợp lệ: {code}") from exc


def is_system_admin(user: User) -> bool:
    try:
        require_admin(user)
    except AccessDenied:
        return False
    return True


def roots(user: User, perm: Perm = Perm.VIEW) -> list[OrgUnit]:
    """The top units of the user's scope: where their roles were granted (the country for a superuser)."""
    if is_system_admin(user):
        return list(OrgUnit.objects.filter(parent__isnull=True).order_by("code"))
    # the units of the user's roles, as the policy read them for this request (no query of its own)
    found = sorted({u.pk: u for u in POLICY.granted_units(user, perm)}.values(), key=lambda u: u.path)
    # Drop a root that lies inside another root: its subtree is already covered.
    return [u for u in found if not any(o.pk != u.pk and u.path.startswith(o.path) for o in found)]


def pickable_units(user: User, perm: Perm = Perm.VIEW, *, on: date | None = None) -> list[OrgUnit]:
    """Units offered in pickers: the user's roots and their units down to district level.

    For a country root that is the provinces (not their ~700 districts); a province root
    brings its districts and its department. `on` keeps only units valid that day.
    """
    result: list[OrgUnit] = []
    seen: set[int] = set()
    for root in roots(user, perm):
        below = OrgUnit.objects.filter(path__startswith=root.path, level__in=PICKABLE_LEVELS)
        if root.level == UnitLevel.COUNTRY:
            below = below.filter(level__in=(UnitLevel.COUNTRY, UnitLevel.PROVINCE))
        for unit in below.order_by("path"):
            if unit.pk in seen or (on is not None and not unit.is_valid_on(on)):
                continue
            seen.add(unit.pk)
            result.append(unit)
    # search_name is the name without diacritics: "Đà Nẵng" sorts among the D's, as people expect.
    return sorted(result, key=lambda u: (u.path.count("/"), u.search_name, u.code))


def reporting_units(root: OrgUnit, period: Period) -> list[OrgUnit]:
    """The units whose completeness a root's page lists for a period.

    A country lists its provinces; a province itself and its districts; anything else itself.
    Units not existing during the period (the 34 new provinces in 2022) are left out.
    """
    if root.level == UnitLevel.COUNTRY:
        children = OrgUnit.objects.filter(parent=root, level=UnitLevel.PROVINCE)
        return sorted((u for u in children if u.overlaps(period.start, period.end)), key=lambda u: u.search_name)
    if root.level == UnitLevel.PROVINCE:
        children = OrgUnit.objects.filter(parent=root, level=UnitLevel.DISTRICT)
        districts = sorted(
            (u for u in children if u.overlaps(period.start, period.end)), key=lambda u: u.search_name
        )
        return [root, *districts] if root.overlaps(period.start, period.end) else districts
    return [root]


def comparable_children(user: User, parent: OrgUnit, period: Period) -> list[OrgUnit]:
    """Children of `parent` to compare for a period: provinces of a country, districts of a
    province — only those the user may view."""
    level = UnitLevel.PROVINCE if parent.level == UnitLevel.COUNTRY else UnitLevel.DISTRICT
    # the read scope in the same query (asked unit by unit, the country's 97 provinces took
    # two queries each)
    visible = visible_units(user, Perm.VIEW).values("pk")
    return [
        u
        for u in OrgUnit.objects.filter(parent=parent, level=level, pk__in=visible).order_by("search_name", "code")
        if u.overlaps(period.start, period.end)
    ]


def recent_periods(user: User, *, limit: int = 16) -> list[Period]:
    """Periods with data or a submission in the user's scope, then this year and quarter."""
    units = visible_units(user, Perm.VIEW)
    # The summary table, by the scope's top units: never a scan of the values (see scope_periods).
    top = [u.pk for u in roots(user, Perm.VIEW)]
    codes = set(ScopePeriod.objects.filter(unit_id__in=top).values_list("period", flat=True).distinct()[:200])
    codes |= set(Submission.objects.filter(unit__in=units).values_list("period", flat=True).distinct()[:200])
    today = timezone.localdate()
    periods = {Period.for_date(today, PeriodType.YEAR), Period.for_date(today, PeriodType.QUARTER)}
    for code in codes:
        try:
            periods.add(Period.from_code(code))
        except PeriodError:
            continue
    return sorted(periods, key=lambda p: (p.end, p.type.months), reverse=True)[:limit]


BUSIEST_CAP = 5000  # enough to tell a reported quarter from a register's half-year count


def default_period(user: User) -> Period:
    """The latest period that has data in the user's scope (a fresh system: the current year)."""
    units = visible_units(user, Perm.VIEW)
    top = [u.pk for u in roots(user, Perm.VIEW)]
    seen = ScopePeriod.objects.filter(unit_id__in=top)
    latest = seen.order_by("-period_end").values_list("period_end", flat=True).first()
    if latest is None:
        return Period.for_date(timezone.localdate(), PeriodType.YEAR)
    # Several periods end that day (year, half, quarter, month); the one holding most figures is
    # the one people report — counts kept from a register must not make "6 tháng cuối" the default.
    # Each is counted up to a cap, on an index: by unit for a province, by indicator for the
    # country. The order matters only to the planner: unordered, it may read the country's
    # values from the table's start until the cap, and the latest period's rows, written last,
    # lie at its end (0.5–0.7 s on the national dataset); in the index's order it stops there.
    candidates = sorted(set(seen.filter(period_end=latest).values_list("period", flat=True)))
    results = DataValue.objects.filter(unit__in=units, is_target=False)

    def weight(code: str) -> tuple[int, date]:
        period = Period.from_code(code)
        return -results.filter(period=code).order_by("indicator_id")[:BUSIEST_CAP].count(), period.start

    return Period.from_code(min(candidates, key=weight))


def memberships_for(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=int(user.pk)).select_related("unit").order_by("unit__path", "role")


def forbid(message: str) -> PermissionDenied:
    return AccessDenied(message)


def can_view(user: User, unit: OrgUnit) -> bool:
    return can(user, unit, Perm.VIEW)
