"""The rows of a data-entry section: each indicator with its stored value, plan, last period's
value, the figure computed from its formula and the validation findings that involve it.

Only reads, all for one unit the caller has already checked with `access.require`.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from baocao.catalog.models import Field, Indicator, ValidationRule
from baocao.core.periods import Period
from baocao.core.vnnum import (
    VietnameseNumberError,
    has_foreign_digits,
    number_problem,
    parse_number,
    parse_quantity,
    storable_number_problem,
)
from baocao.datavalues.aggregation import Aggregator, Resolved
from baocao.datavalues.models import DataValue, Qualifier
from baocao.datavalues.services import DEFAULT_REGIME, LockedValues, lock_values
from baocao.datavalues.validation import FAIL, Finding, Validator
from baocao.ops.stamps import Kept
from baocao.orgunits.models import OrgUnit

# A jump finding's message starts with the indicator code: "cntt.qlvb.vb_di: 1.200 so với …".
_CODE_AT_START = re.compile(r"^([a-z_][a-z0-9_.]*):")


@dataclass
class EntryRow:
    indicator: Indicator
    current: DataValue | None
    plan: DataValue | None
    previous: Resolved
    computed: Resolved | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def has_formula(self) -> bool:
        return bool(self.indicator.formula)


@dataclass
class EntrySection:
    unit: OrgUnit
    period: Period
    field: Field
    rows: list[EntryRow]
    findings: list[Finding]  # failures involving this section's indicators
    findings_elsewhere: list[Finding]  # the period's other failures, for a count and a link
    # Values of codes a formula of this section uses but that are entered elsewhere (dân số):
    # the browser needs them to recompute rates as the user types.
    outside_values: dict[str, Decimal]


def codes_of_finding(finding: Finding, rules: dict[str, ValidationRule]) -> set[str]:
    rule = rules.get(finding.rule)
    codes = rule.indicator_codes() if rule is not None else set()
    match = _CODE_AT_START.match(finding.message)
    if match:
        codes.add(match.group(1))
    return codes


def failures(
    unit: OrgUnit, period: Period, agg: Aggregator | None = None
) -> tuple[list[Finding], dict[str, set[str]]]:
    """Failing findings of the unit's period and, per indicator code, the rules it fails in;
    `agg` to share its figures with the rest of the page (an entry form's rows)."""
    active = list(ValidationRule.objects.filter(is_active=True))  # read once: checked, then named
    found = [f for f in Validator(agg).validate(unit, period, active) if f.status == FAIL]
    rules = {r.code: r for r in active}
    by_code: dict[str, set[str]] = defaultdict(set)
    for index, finding in enumerate(found):
        for code in codes_of_finding(finding, rules):
            by_code[code].add(str(index))
    return found, by_code


def _field_indicators(field: str) -> tuple[Indicator, ...]:
    """The field's active indicators in the form's order, each with its field (one query)."""
    found = Indicator.objects.filter(field__code=field, is_active=True).select_related("field")
    return tuple(found.order_by("order", "code"))


# A field's indicators between requests, while the catalog is unchanged (ops/stamps.py); handed
# out as kept: `section_indicators` copies the ones it returns.
_FIELD_INDICATORS: Kept[str, tuple[Indicator, ...]] = Kept(
    ("catalog_field", "catalog_indicator"), give=lambda found: found
)


def section_indicators(field: str, period: Period, codes: Collection[str] | None = None) -> list[Indicator]:
    """The indicators of the field (by its code) in force in the period (a replaced series leaves
    the form), each with its field; only those of `codes` when given (the rows a save carries).
    The period is checked on the rows read (`Indicator.applies_to`, what `in_force` asks in SQL).
    The process keeps a field's indicators while the catalog is unchanged; each call gets copies."""
    kept = _FIELD_INDICATORS.get(field, lambda: _field_indicators(field) or None) or ()
    wanted = [i for i in kept if (codes is None or i.code in codes) and i.applies_to(period)]
    fields: dict[int, Field] = {}
    mine = []
    for indicator in wanted:
        own = copy.copy(indicator)
        if indicator.field_id not in fields:
            fields[indicator.field_id] = copy.copy(indicator.field)
        own.field = fields[indicator.field_id]
        mine.append(own)
    return mine


@dataclass
class SectionValues:
    """What saving a section needs: its field, its indicators and the values and plans stored
    for them (two queries). The page's previous figures, formulas and findings are `build_section`'s."""

    unit: OrgUnit
    period: Period
    field: Field
    indicators: list[Indicator]
    current: dict[str, DataValue | None]
    plans: dict[str, DataValue | None]
    locked: LockedValues | None = None  # read and locked in the save's transaction (`lock=True`)


def section_values(
    unit: OrgUnit, period: Period, field: str, codes: Collection[str] | None = None, *, lock: bool = False
) -> SectionValues:
    """The section's indicators and stored values; only those of `codes` when given. The field
    (by its code) comes with its indicators; Field.DoesNotExist when there is no such field.
    `lock`: inside a save's transaction, the values are read locked (`lock_values`), and the save
    writes against them without reading them again."""
    indicators = section_indicators(field, period, codes)
    field_obj = indicators[0].field if indicators else Field.objects.get(code=field)
    if lock:
        locked = lock_values(unit, period, indicators)
        return SectionValues(unit, period, field_obj, indicators, dict(locked.values), dict(locked.plans), locked)
    by_id = {i.pk: i for i in indicators}
    stored = DataValue.objects.filter(unit=unit, period=period.code, regime=DEFAULT_REGIME, indicator_id__in=by_id)
    current: dict[str, DataValue | None] = {}
    plans: dict[str, DataValue | None] = {}
    for dv in stored:
        dv.indicator = by_id[dv.indicator_id]  # the indicator already read: no query per value
        dv.unit = unit
        (plans if dv.is_target else current)[dv.indicator.code] = dv
    return SectionValues(unit, period, field_obj, indicators, current, plans)


def build_section(
    unit: OrgUnit, period: Period, field_obj: Field, values: SectionValues | None = None
) -> EntrySection:
    """The page's rows; `values` when the caller has already read them (a form shown again)."""
    values = values or section_values(unit, period, field_obj.code)
    indicators, current, plans = values.indicators, values.current, values.plans
    codes = [i.code for i in indicators]
    # One aggregator for the checks and the rows: the checks read the period's every figure (and
    # the previous period's, for jumps), so the rows' previous figures and formulas are mostly
    # already resolved — a second aggregator resolved them all again.
    agg = Aggregator()
    previous = period.previous()
    found, by_code = failures(unit, period, agg)
    here_ids = {i for code in codes for i in by_code.get(code, set())}
    here = [f for i, f in enumerate(found) if str(i) in here_ids]
    elsewhere = [f for i, f in enumerate(found) if str(i) not in here_ids]
    rows = []
    for ind in indicators:
        computed = agg.resolve(ind.code, unit, period) if ind.formula else None
        row_findings = [found[int(i)] for i in sorted(by_code.get(ind.code, set()), key=int)]
        rows.append(
            EntryRow(ind, current.get(ind.code), plans.get(ind.code), agg.resolve(ind.code, unit, previous),
                     computed, row_findings)
        )
    outside: dict[str, Decimal] = {}
    for ind in indicators:
        for code in agg.formula_codes(ind.code):
            if code not in codes:
                value = agg.resolve(code, unit, period).value
                if value is not None:
                    outside[code] = value
    return EntrySection(unit, period, field_obj, rows, here, elsewhere, outside)


class InputError(ValueError):
    """A typed value that cannot be read; the message says why, in Vietnamese."""


def parse_input(text: str, indicator: Indicator) -> tuple[Decimal, str | None]:
    """Read what a person typed into a value box: "1.599", "73,95", "hơn 150", "76 tỷ đồng".

    Returns the number in the indicator's unit and the qualifier the text carried (None when
    the text had none, so the qualifier select decides).
    """
    raw = " ".join(text.split())
    if has_foreign_digits(raw):
        raise InputError(number_problem(raw))
    try:
        return _storable(raw, parse_number(raw)), None
    except VietnameseNumberError:
        pass
    try:
        quantity = parse_quantity(raw)
    except VietnameseNumberError:
        raise InputError(f"'{raw}' không phải là số (ví dụ: 1.599 hoặc 73,95)") from None
    unit = quantity.unit
    fits = unit is None or unit == indicator.unit or (unit == "%" and indicator.is_percent) or (
        unit == "đồng" and indicator.is_money
    )
    if not fits and unit in ("%", "đồng"):
        raise InputError(f"'{raw}': đơn vị '{unit}' không khớp đơn vị tính của chỉ tiêu ({indicator.unit})")
    if not fits:
        # "1.2OO" reads as 1,2 followed by the word "OO": a typing slip, not a unit.
        raise InputError(f"'{raw}' không phải là số (ví dụ: 1.599 hoặc 73,95)")
    qualifier = quantity.qualifier if quantity.qualifier != Qualifier.EXACT else None
    return _storable(raw, quantity.value), qualifier


def _storable(raw: str, value: Decimal) -> Decimal:
    """The value, unless the database could not keep it exactly (more than 15 digits)."""
    problem = storable_number_problem(value)
    if problem:
        raise InputError(f"'{raw}' {problem}")
    return value
