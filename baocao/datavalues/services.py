"""The write path of data values: permission, validation, audit and atomic commit.

Every writer — data-entry forms, the API, importers, extraction review and the CLI — calls
`save_values` (or `set_value` / `delete_value` for one value). A batch is all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from baocao.access.policy import POLICY
from baocao.audit.services import event, record_many
from baocao.catalog.models import Indicator
from baocao.core.periods import Period, RegimeError, regime_for, storable_period_problem
from baocao.core.vnnum import has_foreign_digits, number_problem, storable_number_problem
from baocao.orgunits.models import OrgUnit

from .models import DataValue, Qualifier, Source

DEFAULT_REGIME = "hanh_chinh"
MAX_ABS_VALUE = Decimal("1e23")  # what DecimalField(30, 6) can hold
MAX_DECIMALS = 6

Actor = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class ValueInput:
    """One value to store. `where` names its origin for error messages ("tệp.csv, dòng 12")."""

    indicator: str
    unit: OrgUnit
    period: Period
    value: Decimal | int | float | str
    qualifier: str = Qualifier.EXACT
    is_target: bool = False
    regime: str = DEFAULT_REGIME
    comment: str = ""
    flag: str = ""
    where: str = ""
    # The version the writer read (`version_of`); "" = the writer saw no value; None = no check.
    expected: str | None = None


@dataclass(frozen=True)
class ValueDeletion:
    """One stored value to delete, in a batch with the values to store (`save_values`)."""

    value: DataValue
    expected: str | None = None  # the version the deleter saw; None = no check
    where: str = ""


class ValueError_(ValidationError):
    """A batch of values was refused; `.messages` lists every problem with its place."""


@dataclass
class SaveResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    values: list[DataValue] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        return f"{self.created} giá trị mới, {self.updated} cập nhật, {self.unchanged} không đổi"


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def version_of(dv: DataValue | None) -> str:
    """The version of a stored value as a reader saw it: its last-change time in microseconds
    ("" for no value). Every write path sets updated_at, so a changed value has a new version."""
    if dv is None:
        return ""
    return str((dv.updated_at - _EPOCH) // _MICROSECOND)


@dataclass(frozen=True)
class Conflict:
    """A write based on a version that is no longer the stored one: both values, for people."""

    where: str
    label: str
    yours: Decimal | None  # None: you were deleting it
    theirs: Decimal | None  # None: someone deleted it
    by: str
    at: datetime | None
    version: str  # the stored version now: a write based on it is no longer stale

    @property
    def message(self) -> str:
        from baocao.core.vnnum import format_number

        theirs = format_number(self.theirs) if self.theirs is not None else "(đã xóa)"
        yours = format_number(self.yours) if self.yours is not None else "(xóa)"
        when = f" lúc {timezone.localtime(self.at):%H:%M:%S %d/%m/%Y}" if self.at else ""
        where = f"{self.where}: " if self.where else ""
        return (
            f"{where}{self.label}: {self.by} đã sửa thành {theirs}{when} sau khi bạn mở số liệu; "
            f"bạn gửi {yours}. Chưa lưu — hãy xem lại rồi lưu lần nữa nếu vẫn muốn thay"
        )


class StaleWrite(ValidationError):
    """A write refused because what it was based on changed meanwhile (HTTP 409 in the API)."""

    def __init__(self, conflicts: list[Conflict], events: list[Any] | None = None) -> None:
        self.conflicts = conflicts
        self.events = events or []
        super().__init__([c.message for c in conflicts])

    def audit(self) -> None:
        """Record the refusal once, in a transaction of its own. The service does it itself
        unless called inside a caller's transaction (which the refusal rolls back): that caller
        calls this after leaving it."""
        if self.events:
            events, self.events = self.events, []
            with transaction.atomic():
                record_many(events)


def _conflict(row: ValueInput, dv: DataValue | None, yours: Decimal | None) -> Conflict | None:
    """The conflict of a write with the value stored now, or None when it is not stale (or
    would store what is already there)."""
    if row.expected is None or row.expected == version_of(dv):
        return None
    if dv is not None and yours is not None and dv.value == yours:
        return None
    if dv is None and yours is None:
        return None
    by = dv.updated_by.get_username() if dv is not None and dv.updated_by_id and dv.updated_by else "người khác"
    label = f"{row.indicator}{' (kế hoạch)' if row.is_target else ''} {row.unit.name} {row.period.label}"
    return Conflict(row.where, label, yours, dv.value if dv else None, by, dv.updated_at if dv else None,
                    version_of(dv))


def _refuse_stale(actor: Actor, conflicts: list[Conflict], rows: list[ValueInput]) -> None:
    """Refuse the stale write; its audit is a refusal, never an update (see StaleWrite.audit)."""
    events = [
        event(
            actor, "value.conflict", "datavalue", f"{row.indicator}|{row.unit.code}|{row.period.code}",
            unit=row.unit, period=row.period.code, summary=f"Từ chối ghi đè: {c.label}",
            before={"value": c.theirs, "version": c.version, "by": c.by},
            after={"value": c.yours, "version": row.expected},
            reason="Số liệu đã được sửa sau khi người gửi mở nó; không ghi",
        )
        for c, row in zip(conflicts, rows, strict=True)
    ]
    refusal = StaleWrite(conflicts, events)
    if not transaction.get_connection().in_atomic_block:
        refusal.audit()
    raise refusal


def _snapshot(dv: DataValue) -> dict[str, Any]:
    return {
        "value": dv.value,
        "qualifier": dv.qualifier,
        "source": dv.source,
        "source_ref": dv.source_ref,
        "flag": dv.flag,
        "comment": dv.comment,
    }


def _label(dv: DataValue) -> str:
    return _label_of(dv.indicator.code, dv.is_target, dv.unit, Period.from_code(dv.period))


def _label_of(code: str, is_target: bool, unit: OrgUnit, period: Period) -> str:
    """The audit summary of a value, from what the caller already holds (no query per value)."""
    target = " (kế hoạch)" if is_target else ""
    return f"{code}{target} {unit.name} {period.label}"


def _as_decimal(raw: Decimal | int | float | str) -> Decimal:
    if isinstance(raw, float):
        raw = repr(raw)
    number = Decimal(str(raw))
    if not number.is_finite():
        raise InvalidOperation
    return number


def _storable_problem(row: ValueInput, number: Decimal) -> str | None:
    """A figure or period the database cannot keep exactly (the limits of `baocao.core`)."""
    if isinstance(row.value, str) and has_foreign_digits(row.value):
        return f"trường value: {number_problem(row.value)}"
    if problem := storable_number_problem(number):
        return f"trường value: {row.value} {problem}"
    if problem := storable_period_problem(row.period, timezone.localdate().year):
        return f"trường period: {problem}"
    return None


def require_editable(actor: Actor, unit: OrgUnit, period: Period, *, regime: str = DEFAULT_REGIME) -> None:
    """Refuse a change to what belongs to `period` unless the permission policy allows it: entry
    rights on the unit, and neither the period nor a unit or period containing it closed."""
    POLICY.require_change(actor, unit, period, regime)


def _stale(
    clean: list[tuple[ValueInput, Indicator, Decimal]], existing: dict[tuple[int, int, str, str, bool], DataValue]
) -> list[tuple[Conflict, ValueInput]]:
    found = []
    for row, indicator, number in clean:
        dv = existing.get((indicator.pk, row.unit.pk, row.period.code, row.regime, row.is_target))
        conflict = _conflict(row, dv, number)
        if conflict is not None:
            found.append((conflict, row))
    return found


_UPDATED_FIELDS = ("value", "qualifier", "source", "source_ref", "flag", "comment", "updated_by", "updated_at")


def _write_updates(values: list[DataValue]) -> None:
    """Write the changed values: one parameterised UPDATE sent for all of them (executemany).
    Django's bulk_update builds a CASE expression per field and value, which for a form of a
    hundred values costs more than the writing itself. updated_at is set by the caller (the
    new version), as auto_now is not applied here."""
    if not values:
        return
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    meta = DataValue._meta
    fields = [meta.get_field(name) for name in _UPDATED_FIELDS]
    sets = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr]
    sql = f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s"  # type: ignore[union-attr]
    rows = [
        [f.get_db_prep_save(getattr(dv, f.attname), connection) for f in fields] + [dv.pk]  # type: ignore[union-attr]
        for dv in values
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _number_problem(row: ValueInput, number: Decimal) -> str | None:
    """Why ``number`` (the row's value read as a decimal) cannot be stored, or None."""
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        return f"trường value: {row.value} có quá {MAX_DECIMALS} chữ số thập phân"
    if abs(number) >= MAX_ABS_VALUE:
        return f"trường value: {row.value} vượt quá độ lớn lưu được"
    if problem := _storable_problem(row, number):
        return problem
    if number < 0:
        return f"trường value: chỉ tiêu '{row.indicator}' không nhận giá trị âm ({row.value})"
    return None


def _row_problem(row: ValueInput, indicator: Indicator | None) -> tuple[str | None, Decimal]:
    """What is wrong with one row (None when nothing), and its value as a decimal."""
    if indicator is None:
        return f"trường indicator: mã chỉ tiêu '{row.indicator}' không có trong danh mục", Decimal(0)
    if not indicator.is_active:
        return f"trường indicator: chỉ tiêu '{row.indicator}' đã ngừng sử dụng", Decimal(0)
    try:
        number = _as_decimal(row.value)
    except (InvalidOperation, ValueError):
        return f"trường value: '{row.value}' không phải là số", Decimal(0)
    if problem := _number_problem(row, number):
        return problem, number
    if row.qualifier not in Qualifier.values:
        return f"trường qualifier: '{row.qualifier}' không hợp lệ ({', '.join(Qualifier.values)})", number
    try:
        regime_for(row.regime)
    except RegimeError as exc:
        return f"trường regime: {exc}", number
    if not row.unit.overlaps(row.period.start, row.period.end):
        return f"trường unit: {row.unit} không tồn tại trong {row.period.label}", number
    return None, number


def _indicators(rows: list[ValueInput], known: Mapping[str, Indicator] | None) -> dict[str, Indicator]:
    """The rows' indicators: those the caller has just read (`known`), the others from the catalog."""
    codes = {r.indicator for r in rows}
    found = {code: known[code] for code in codes if known and code in known}
    if missing := codes - found.keys():
        found.update((i.code, i) for i in Indicator.objects.filter(code__in=missing))
    return found


def _validated(
    rows: list[ValueInput], known: Mapping[str, Indicator] | None = None
) -> list[tuple[ValueInput, Indicator, Decimal]]:
    """The rows with their indicators and values; ValueError_ listing every bad row (with where it
    stands) and every value given twice."""
    indicators = _indicators(rows, known)
    errors: list[str] = []
    clean: list[tuple[ValueInput, Indicator, Decimal]] = []
    seen: dict[tuple[str, int, str, str, bool], str] = {}
    for row in rows:
        where = f"{row.where}: " if row.where else ""
        indicator = indicators.get(row.indicator)
        problem, number = _row_problem(row, indicator)
        if problem is not None or indicator is None:
            errors.append(f"{where}{problem}")
            continue
        key = (row.indicator, row.unit.pk, row.period.code, row.regime, row.is_target)
        if key in seen:
            errors.append(f"{where}giá trị {row.indicator} {row.period.label} lặp lại ({seen[key] or 'trước đó'})")
            continue
        seen[key] = row.where
        clean.append((row, indicator, number))
    if errors:
        raise ValueError_(errors)
    return clean


@dataclass(frozen=True)
class LockedValues:
    """The stored values of some indicators of one unit's period, read and locked in the
    caller's transaction by `lock_values`: the caller shows or compares them (a form's save),
    and `save_values(locked=…)` writes against them instead of reading them again."""

    unit: OrgUnit
    period: Period
    regime: str
    indicator_ids: frozenset[int]
    values: dict[str, DataValue]  # results, by indicator code
    plans: dict[str, DataValue]  # plans (targets), by indicator code
    block: object  # the atomic block they were locked in
    mark: Callable[[], None]  # registered on commit when they were locked: gone once that work ends

    def holds(self, clean: list[tuple[ValueInput, Indicator, Decimal]]) -> bool:
        """Whether these are, still locked, every stored value the rows could change: the block
        that locked them is still open, its transaction neither committed nor rolled back (nor
        the savepoint it locked them in), and they cover every row."""
        connection = transaction.get_connection()
        if connection.needs_rollback or not any(block is self.block for block in connection.atomic_blocks):
            return False
        # Django drops a transaction's on-commit callbacks when it commits or rolls back, and a
        # savepoint's when it is rolled back (and with it the locks taken after it).
        if not any(entry[1] is self.mark for entry in connection.run_on_commit):
            return False
        return all(
            row.unit.pk == self.unit.pk and row.period.code == self.period.code and row.regime == self.regime
            and indicator.pk in self.indicator_ids
            for row, indicator, _ in clean
        )  # fmt: skip

    def by_key(self) -> dict[tuple[int, int, str, str, bool], DataValue]:
        return {
            (dv.indicator_id, dv.unit_id, dv.period, dv.regime, dv.is_target): dv
            for dv in [*self.values.values(), *self.plans.values()]
        }


def lock_values(
    unit: OrgUnit, period: Period, indicators: Iterable[Indicator], *, regime: str = DEFAULT_REGIME
) -> LockedValues:
    """The stored values and plans of these indicators for the unit's period, locked until the
    caller's transaction ends (one query; each value with its indicator and unit as given). Only
    inside `transaction.atomic()`: a form's save reads once what it compares, and passes them to
    `save_values` in the same block (writing nothing to those rows in between)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError("lock_values: only inside transaction.atomic()")

    def mark() -> None:
        """Nothing to do on commit: its presence says the locking work is still open."""

    transaction.on_commit(mark)
    by_id = {i.pk: i for i in indicators}
    values: dict[str, DataValue] = {}
    plans: dict[str, DataValue] = {}
    for dv in _select_locked(connection, unit, period.code, regime, list(by_id)):
        dv.indicator = by_id[dv.indicator_id]  # the indicator already read: no query per value
        dv.unit = unit
        (plans if dv.is_target else values)[dv.indicator.code] = dv
    return LockedValues(unit, period, regime, frozenset(by_id), values, plans, connection.atomic_blocks[-1], mark)


def _select_locked(
    connection: Any, unit: OrgUnit, period: str, regime: str, indicator_ids: list[int]
) -> list[DataValue]:
    """The stored values of these indicators for one unit's period, locked (FOR UPDATE where the
    database has it; SQLite's write transaction is already exclusive). Written out: the same
    query through the ORM cost a save ~0.5 ms of building it. The person named on a value
    (`updated_by`) is read only when a conflict names them."""
    if not indicator_ids:
        return []
    meta = DataValue._meta
    quote = connection.ops.quote_name
    column = {name: quote(meta.get_field(name).column) for name in ("unit", "period", "regime", "indicator")}
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in meta.concrete_fields)} FROM {quote(meta.db_table)} "
        f"WHERE {column['unit']} = %s AND {column['period']} = %s AND {column['regime']} = %s "
        f"AND {column['indicator']} IN ({', '.join(['%s'] * len(indicator_ids))})"
    )
    if connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return list(DataValue.objects.raw(sql, [unit.pk, period, regime, *indicator_ids]))


def _locked_existing(
    clean: list[tuple[ValueInput, Indicator, Decimal]],
) -> dict[tuple[int, int, str, str, bool], DataValue]:
    """The stored values the rows would change, locked for the transaction."""
    return {
        (dv.indicator_id, dv.unit_id, dv.period, dv.regime, dv.is_target): dv
        for dv in DataValue.objects.select_for_update(of=("self",))
        .filter(
            unit_id__in={row.unit.pk for row, _, _ in clean},
            period__in={r.period.code for r, _, _ in clean},
            indicator_id__in={i.pk for _, i, _ in clean},
        )
        .select_related("updated_by")
    }


@dataclass
class _Writes:
    """What one save writes: new values, changed values and their audit events."""

    create: list[DataValue] = field(default_factory=list)
    update: list[DataValue] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)


def _stage_row(
    actor: Actor,
    item: tuple[ValueInput, Indicator, Decimal],
    dv: DataValue | None,
    wanted: dict[str, Any],
    writes: _Writes,
    reason: str,
) -> tuple[DataValue, bool]:
    """Stage one row's write into ``writes``; the value it leaves and whether it changes."""
    row, indicator, number = item
    user = actor if actor.is_authenticated else None
    if dv is None:
        dv = DataValue(
            indicator=indicator,
            unit=row.unit,
            period=row.period.code,
            period_type=row.period.type.value,
            period_start=row.period.start,
            period_end=row.period.end,
            regime=row.regime,
            is_target=row.is_target,
            updated_by=user,
            **wanted,
        )
        writes.create.append(dv)
        action, before = "value.create", None
    else:
        before = _snapshot(dv)
        if before["value"] == number and all(before[k] == wanted[k] for k in ("qualifier", "flag", "comment")):
            return dv, False
        for name, val in wanted.items():
            setattr(dv, name, val)
        dv.updated_by = user
        dv.updated_at = timezone.now()  # bulk_update leaves auto_now alone: the new version
        writes.update.append(dv)
        action = "value.update"
    writes.events.append(
        event(
            actor,
            action,
            "datavalue",
            f"{indicator.code}|{row.unit.code}|{row.period.code}|{row.regime}|{int(row.is_target)}",
            unit=row.unit,
            period=row.period.code,
            summary=_label_of(indicator.code, row.is_target, row.unit, row.period),
            before=before,
            after=wanted,
            reason=reason,
        )
    )
    return dv, True


def save_values(
    actor: Actor,
    inputs: Iterable[ValueInput],
    *,
    source: str = Source.ENTRY,
    source_ref: str = "",
    reason: str = "",
    deletions: Iterable[ValueDeletion] = (),
    indicators: Mapping[str, Indicator] | None = None,
    locked: LockedValues | None = None,
) -> SaveResult:
    """Validate and store a batch of values, and delete `deletions`, atomically: nothing is
    stored or deleted if anything is wrong or stale. The permission policy is asked once for the
    whole batch. `indicators`: catalog rows the caller has just read (by code), not read again.
    `locked`: the stored values the caller read and locked in its open transaction
    (`lock_values`), used for the version checks and the writes when they cover every row (and
    the transaction is still the one that locked them); otherwise the service locks and reads."""
    clean = _validated(list(inputs), indicators)
    gone = list(deletions)
    if gone and not reason.strip():
        raise ValidationError({"reason": "Cần ghi lý do khi xóa số liệu"})
    POLICY.require_change_many(
        actor,
        [(r.unit, r.period, r.regime, r.where) for r, _, _ in clean]
        + [(d.value.unit, Period.from_code(d.value.period), d.value.regime, d.where) for d in gone],
    )
    result = SaveResult()
    writes = _Writes()
    held = locked if locked is not None and locked.holds(clean) else None
    # Inside the caller's transaction that locked the values, no savepoint of its own: anything
    # failing here rolls that whole transaction back.
    with transaction.atomic(savepoint=held is None):
        existing = held.by_key() if held is not None else _locked_existing(clean)
        conflicts = _stale(clean, existing) + _stale_deletions(gone, locked)
        for item in [] if conflicts else clean:  # a stale batch writes nothing
            row, indicator, number = item
            dv = existing.get((indicator.pk, row.unit.pk, row.period.code, row.regime, row.is_target))
            wanted = {
                "value": number,
                "qualifier": row.qualifier,
                "source": source,
                "source_ref": source_ref,
                "flag": row.flag,
                "comment": row.comment,
            }
            written, changed = _stage_row(actor, item, dv, wanted, writes, reason)
            result.unchanged += not changed
            result.values.append(written)
        DataValue.objects.bulk_create(writes.create, batch_size=2000)
        _write_updates(writes.update)
        if gone and not conflicts:
            writes.events.extend(_delete(actor, gone, reason))
        record_many(writes.events)
    if conflicts:
        _refuse_stale(actor, [c for c, _ in conflicts], [r for _, r in conflicts])
    result.created, result.updated, result.deleted = len(writes.create), len(writes.update), len(gone)
    return result


def set_value(
    actor: Actor,
    *,
    indicator: str,
    unit: OrgUnit,
    period: Period,
    value: Decimal | int | float | str,
    qualifier: str = Qualifier.EXACT,
    is_target: bool = False,
    regime: str = DEFAULT_REGIME,
    comment: str = "",
    flag: str = "",
    source: str = Source.ENTRY,
    source_ref: str = "",
    reason: str = "",
) -> DataValue:
    item = ValueInput(indicator, unit, period, value, qualifier, is_target, regime, comment, flag)
    return save_values(actor, [item], source=source, source_ref=source_ref, reason=reason).values[0]


def delete_value(
    actor: Actor, value: DataValue, *, reason: str, expected: str | None = None, where: str = ""
) -> None:
    """Delete one value; `expected` (the version the deleter saw) refuses a stale delete."""
    save_values(actor, [], reason=reason, deletions=[ValueDeletion(value, expected, where)])


def _deletion_row(item: ValueDeletion) -> ValueInput:
    value = item.value
    return ValueInput(value.indicator.code, value.unit, Period.from_code(value.period), value.value,
                      is_target=value.is_target, regime=value.regime, expected=item.expected, where=item.where)


def _stale_deletions(gone: list[ValueDeletion], locked: LockedValues | None = None) -> list[tuple[Conflict, ValueInput]]:
    """The values to delete as stored now (locked), compared with the versions the deleter saw."""
    checked = [item for item in gone if item.expected is not None]
    if not checked:
        return []
    rows = [(_deletion_row(item), item.value.indicator, Decimal(0)) for item in checked]
    if locked is not None and locked.holds(rows):
        held = {dv.pk: dv for dv in locked.by_key().values()}
        now = {item.value.pk: held[item.value.pk] for item in checked if item.value.pk in held}
    else:
        query = DataValue.objects.select_for_update(of=("self",)).select_related("updated_by")
        now = query.in_bulk([item.value.pk for item in checked])
    found = []
    for item in checked:
        row = _deletion_row(item)
        conflict = _conflict(row, now.get(item.value.pk), None)
        if conflict is not None:
            found.append((conflict, row))
    return found


def _delete(actor: Actor, gone: list[ValueDeletion], reason: str) -> list[Any]:
    """Delete the values; their audit events."""
    events = [
        event(
            actor,
            "value.delete",
            "datavalue",
            f"{v.indicator.code}|{v.unit.code}|{v.period}|{v.regime}|{int(v.is_target)}",
            unit=v.unit,
            period=v.period,
            summary=_label(v),
            before=_snapshot(v),
            reason=reason,
        )
        for v in (item.value for item in gone)
    ]
    DataValue.objects.filter(pk__in=[item.value.pk for item in gone]).delete()
    return events
