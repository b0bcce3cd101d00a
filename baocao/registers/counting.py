"""Counts of registered documents feed the catalog's vb.* indicators, so nobody types them twice.

Design: the counts are *stored* as data values (through datavalues.services.save_values, so
they are validated, audited and visible to the API, aggregation and validation rules like
any figure) rather than computed at report time.  Every document change re-counts the
periods it belongs to.  A value is written by the register only when

* there is no value yet for that indicator, unit and period (and the count is not zero), or
* the existing value was written by the register itself (its source_ref is SYNC_MARK).

A value entered by hand or imported is never overwritten: when it differs from the
register's count the difference is returned as a Conflict and listed in the report's review
appendix, so the department decides which is right.

Only kinds a department registers completely are counted: what it drafted for UBND tỉnh,
and the plans and decisions it issued.  Its own công văn (thousands a year) are not, so
vb.so_ban_hanh.tong stays a figure entered by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from baocao.core.periods import Period, PeriodType
from baocao.core.vnnum import format_number
from baocao.datavalues.models import DataValue, Source
from baocao.datavalues.services import DEFAULT_REGIME, SaveResult, ValueInput, save_values
from baocao.orgunits.models import OrgUnit

from .models import Document, Origin

Actor = AbstractBaseUser | AnonymousUser

SYNC_MARK = "sổ văn bản"
# Report periods the counts are kept for (months are not a report type of the department).
COUNTED_PERIOD_TYPES = (PeriodType.QUARTER, PeriodType.HALF, PeriodType.YEAR)


@dataclass(frozen=True)
class CountRule:
    origin: str
    issuer: str | None = None
    kind: str | None = None

    def matches(self, doc: Document) -> bool:
        return (
            doc.origin == self.origin
            and (self.issuer is None or doc.issuer == self.issuer)
            and (self.kind is None or doc.kind == self.kind)
        )


COUNTED: dict[str, CountRule] = {
    "vb.thammuu_ubnd.tong": CountRule(Origin.DRAFTED, issuer="UBND"),
    "vb.thammuu_ubnd.quyet_dinh": CountRule(Origin.DRAFTED, issuer="UBND", kind="Quyết định"),
    "vb.thammuu_ubnd.ke_hoach": CountRule(Origin.DRAFTED, issuer="UBND", kind="Kế hoạch"),
    "vb.thammuu_ubnd.cong_van": CountRule(Origin.DRAFTED, issuer="UBND", kind="Công văn"),
    "vb.so_ban_hanh.ke_hoach": CountRule(Origin.ISSUED, kind="Kế hoạch"),
    "vb.so_ban_hanh.quyet_dinh": CountRule(Origin.ISSUED, kind="Quyết định"),
}


@dataclass(frozen=True)
class Conflict:
    indicator: str
    period: Period
    entered: Decimal
    counted: int

    def message(self, name: str = "") -> str:
        what = f"{name} ({self.indicator})" if name else self.indicator
        return (
            f"{what} {self.period.label}: số liệu đã nhập {format_number(self.entered)}, "
            f"sổ văn bản ghi nhận {self.counted} văn bản"
        )


@dataclass
class SyncResult:
    counts: dict[str, int] = field(default_factory=dict)
    saved: SaveResult | None = None
    conflicts: list[Conflict] = field(default_factory=list)


def documents_in(unit: OrgUnit, period: Period) -> list[Document]:
    """The unit's registered documents whose reporting period lies within ``period``."""
    docs = Document.objects.filter(unit=unit).select_related("field")
    return [d for d in docs if period.contains(Period.from_code(d.period))]


def count_documents(unit: OrgUnit, period: Period) -> dict[str, int]:
    docs = [d for d in documents_in(unit, period) if d.origin != Origin.CITED]
    return {code: sum(1 for d in docs if rule.matches(d)) for code, rule in COUNTED.items()}


def periods_counting(period_code: str) -> list[Period]:
    """The report periods whose counts include a document of this reporting period."""
    own = Period.from_code(period_code)
    return [own.parent(t) for t in COUNTED_PERIOD_TYPES if t.months >= own.type.months]


def _existing(unit: OrgUnit, period: Period) -> dict[str, DataValue]:
    rows = DataValue.objects.filter(
        unit=unit,
        period=period.code,
        regime=DEFAULT_REGIME,
        is_target=False,
        indicator__code__in=list(COUNTED),
    ).select_related("indicator")
    return {dv.indicator.code: dv for dv in rows}


def register_conflicts(unit: OrgUnit, period: Period) -> list[Conflict]:
    """Hand-entered vb.* values that differ from the register's count (read only)."""
    counts = count_documents(unit, period)
    conflicts = []
    for code, dv in _existing(unit, period).items():
        counted = counts.get(code, 0)
        # A zero count means the register is not used for that kind: nothing to compare.
        if dv.source_ref != SYNC_MARK and counted and dv.value != counted:
            conflicts.append(Conflict(code, period, dv.value, counted))
    return conflicts


def sync_document_counts(actor: Actor, unit: OrgUnit, period: Period, *, reason: str = "") -> SyncResult:
    """Write the register's counts for one period where that overwrites nothing typed by hand."""
    result = SyncResult(counts=count_documents(unit, period))
    existing = _existing(unit, period)
    inputs: list[ValueInput] = []
    for code, counted in result.counts.items():
        dv = existing.get(code)
        if dv is None:
            if counted:
                inputs.append(ValueInput(code, unit, period, counted, where=f"sổ văn bản {period.label}"))
        elif dv.source_ref == SYNC_MARK:
            if dv.value != counted:
                inputs.append(ValueInput(code, unit, period, counted, where=f"sổ văn bản {period.label}"))
        elif counted and dv.value != counted:
            result.conflicts.append(Conflict(code, period, dv.value, counted))
    if inputs:
        result.saved = save_values(
            actor,
            inputs,
            source=Source.ENTRY,
            source_ref=SYNC_MARK,
            reason=reason or "Đếm từ sổ văn bản",
        )
    return result


def sync_periods(actor: Actor, unit: OrgUnit, period_codes: Iterable[str], *, reason: str = "") -> None:
    """Re-count every report period that contains one of these document periods."""
    periods = sorted({p for code in period_codes if code for p in periods_counting(code)})
    for period in periods:
        if unit.overlaps(period.start, period.end):
            sync_document_counts(actor, unit, period, reason=reason)
