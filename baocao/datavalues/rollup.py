"""Set-based roll-up: the answers of `aggregation.Aggregator`, computed by the database.

The Aggregator walks the tree unit by unit, which is right for one report and far too slow for
"every province, from ten thousand communes". Here the work is split in two:

* a *plan*, built in Python from the small structure only (units, successions, periods — never
  value rows): which subtree is rolled up for which period, and how the pieces combine
  (predecessors summed across the 2025 merger, quarters of a year that straddles it, formula
  parts of a rate);
* one SQL query for all the plan's subtrees at once. It joins the values with the unit-ancestor
  table (`jobs_unitancestor`, kept by triggers), picks per unit the rows the Aggregator would
  use (its own value for the period, else quarters, else months; flows summed, stocks the last
  sub-period with data), drops units hidden by the Aggregator's precedence (an ancestor that
  reported the period itself; a unit whose descendants have data), and sums per subtree.

Precedence is checked on units in tree order (path, compared bytewise): a unit has data below
it exactly when the next unit in that order lies in its subtree, and it lies under an ancestor
that reported the period when the running maximum of "path + '~'" over such units passes it.

On PostgreSQL each subtree's answer is kept in a summary table (`rollup_cache`) that triggers
keep true as values and units change, so a page asked again reads stored rows.

Known differences from the Aggregator, on data that a deployment does not produce: a
non-rate indicator with a formula (vt.doanh_thu_bcvt) stored below the level asked is summed
as stored rather than recomputed unit by unit; `incomplete` flags are not computed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Q

from baocao.access.access import User, visible_units
from baocao.catalog.models import Indicator, IndicatorKind
from baocao.core.formulas import Formula, parse_formula
from baocao.core.periods import Period, PeriodType
from baocao.orgunits.models import OrgUnit, UnitLevel, UnitSuccession

from . import rollup_cache
from .aggregation import How, Resolved, combine_qualifiers

DEFAULT_REGIME = "hanh_chinh"
_SUBPERIOD_TYPES: dict[PeriodType, tuple[PeriodType, ...]] = {
    PeriodType.YEAR: (PeriodType.QUARTER, PeriodType.MONTH),
    PeriodType.HALF: (PeriodType.QUARTER, PeriodType.MONTH),
    PeriodType.QUARTER: (PeriodType.MONTH,),
    PeriodType.MONTH: (),
}
_CODE_RE = re.compile(r"^\d{4}(?:[QS]\d|\d{2})?$")
_OWN_GROUP = 99  # sort key of a unit's own value for the period: before every sub-period
Key = tuple[int, str]  # (unit id, period code)


@dataclass(frozen=True)
class RolledUp:
    unit: OrgUnit
    period: Period
    value: Decimal | None
    qualifier: str = "exact"
    parts: dict[str, Decimal | None] = field(default_factory=dict)
    units: int = 0  # units whose figures were used
    via_predecessors: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return self.value is not None

    def resolved(self, code: str) -> Resolved:
        """The Aggregator's shape for pages that show either; `incomplete` is not known here."""
        if self.value is None:
            return Resolved(code, self.unit, self.period, None, parts=self.parts)
        if self.via_predecessors:
            how, note = How.PREDECESSORS, f"cộng gộp từ đơn vị trước sắp xếp: {', '.join(self.via_predecessors)}"
        elif self.parts:
            how, note = How.COMPUTED, f"tính từ thành phần, tổng hợp từ {self.units} đơn vị có số liệu"
        else:
            how, note = How.CHILDREN, f"tổng hợp từ {self.units} đơn vị có số liệu"
        return Resolved(
            code, self.unit, self.period, self.value, self.qualifier, how, note, self.parts,
            via_predecessors=self.via_predecessors,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Found:
    value: Decimal
    qualifier: str = "exact"
    units: int = 0
    via: tuple[str, ...] = ()


# -- plan nodes -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Leaf:  # the precedence roll-up of one subtree for one period (SQL)
    code: str
    unit_id: int
    period: Period
    yearly: bool = False


@dataclass(frozen=True, slots=True)
class _Exact:  # the value stored for exactly this unit and period
    code: str
    unit_id: int
    period: Period


@dataclass(frozen=True, slots=True)
class _Sum:
    items: tuple[_Node, ...]
    via: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _First:
    items: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Subperiods:  # groups tried in turn (quarters, then months): flows summed, stocks the last
    stock: bool
    groups: tuple[tuple[_Node, ...], ...]


@dataclass(frozen=True, slots=True)
class _Computed:
    formula: Formula
    parts: tuple[tuple[str, _Node], ...]


@dataclass(frozen=True, slots=True)
class _Approx:  # an earlier year's figure standing in for this one
    item: _Node


@dataclass(frozen=True, slots=True)
class _Missing:
    pass


_Node = _Leaf | _Exact | _Sum | _First | _Subperiods | _Computed | _Approx | _Missing
_PlanKey = tuple[str, int, str]  # (indicator code, unit id, period code)

# a plan built, the keys its building looked at, and which of them were busy then
_Memo = tuple[_Node, frozenset[_PlanKey], frozenset[_PlanKey]]
_NOTHING_BUSY: frozenset[_PlanKey] = frozenset()


class Rollup:
    """Roll-ups for many (unit, period) pairs at once; one instance may serve a whole page."""

    def __init__(self, *, regime: str = DEFAULT_REGIME, is_target: bool = False, using: str = "default") -> None:
        self.regime = regime
        self.is_target = is_target
        self.using = using
        self._indicators = {i.code: i for i in Indicator.objects.using(using).all()}
        self._formulas = {c: parse_formula(i.formula) for c, i in self._indicators.items() if i.formula}
        self._units: dict[int, OrgUnit] = {}
        self._preds: dict[int, list[OrgUnit]] = {}
        self._provinces: dict[int, list[OrgUnit]] = {}  # the country's children, every structure
        self._groups: dict[tuple[int, str], list[tuple[OrgUnit, list[OrgUnit]]]] = {}  # (country, period)
        self._plans: dict[_PlanKey, list[_Memo]] = {}
        self._touching: list[set[_PlanKey]] = []  # keys each plan under way was built from
        # per yearly attribute (population): the units asked about, and the (unit, period) it is stored for
        self._stored: dict[str, tuple[set[int], set[tuple[int, str]]]] = {}

    # -- public ---------------------------------------------------------------------------------
    def resolve_many(self, code: str, keys: Sequence[tuple[OrgUnit, Period]]) -> list[RolledUp]:
        """The roll-up of `code` for every (unit, period); in the order given."""
        return self.resolve_codes([(code, unit, period) for unit, period in keys])

    def resolve_codes(self, keys: Sequence[tuple[str, OrgUnit, Period]]) -> list[RolledUp]:
        """The roll-up of each (code, unit, period), in the order given, in one batch of queries
        (a page of fourteen indicators asks the database once, not fourteen times)."""
        for code, unit, _ in keys:
            self._indicator(code)
            self._units[unit.id] = unit
        self._load_predecessors([u for _, u, _ in keys])
        plans = [self._plan(code, unit, period, frozenset()) for code, unit, period in keys]
        leaves: set[_Leaf] = set()
        exacts: set[_Exact] = set()
        seen: set[int] = set()
        for plan in plans:
            _collect(plan, leaves, exacts, seen)
        found: dict[_Leaf | _Exact, _Found] = {}
        found.update(self._run_leaves(leaves))
        found.update(self._run_exacts(exacts))
        results = []
        done: dict[int, _Found | None] = {}  # plans share nodes: each is evaluated once
        for (_code, unit, period), plan in zip(keys, plans, strict=True):
            result = _evaluate(plan, found, done)
            parts: dict[str, Decimal | None] = {}
            if isinstance(plan, _First) and isinstance(plan.items[0], _Computed):
                parts = {c: getattr(_evaluate(n, found, done), "value", None) for c, n in plan.items[0].parts}
            elif isinstance(plan, _Computed):
                parts = {c: getattr(_evaluate(n, found, done), "value", None) for c, n in plan.parts}
            if result is None:
                results.append(RolledUp(unit, period, None, parts=parts))
            else:
                results.append(
                    RolledUp(unit, period, result.value, result.qualifier, parts, result.units, result.via)
                )
        return results

    def resolve(self, code: str, unit: OrgUnit, period: Period) -> RolledUp:
        return self.resolve_many(code, [(unit, period)])[0]

    def series(self, code: str, unit: OrgUnit, periods: Iterable[Period]) -> list[RolledUp]:
        return self.resolve_many(code, [(unit, p) for p in periods])

    def national(
        self, code: str, period: Period, *, on: datetime.date | None = None, user: User | None = None
    ) -> list[RolledUp]:
        """Every province valid on `on` (default: the period's last day), rolled up for `period`.

        With `on` after the 2025 merger and a period before it, the 34 provinces are rolled up
        from their predecessors' subtrees. With `user`, only provinces the user may see.
        """
        return self.resolve_many(code, [(p, period) for p in provinces_on(on or period.end, user=user)])

    # -- planning -------------------------------------------------------------------------------
    def _indicator(self, code: str) -> Indicator:
        try:
            return self._indicators[code]
        except KeyError:
            raise LookupError(f"Mã chỉ tiêu '{code}' không có trong danh mục") from None

    def _load_predecessors(self, units: list[OrgUnit]) -> None:
        """Predecessors of these units and, transitively, of theirs — a few queries in all."""
        frontier = {u.id for u in units if u.id not in self._preds}
        while frontier:
            for uid in frontier:
                self._preds[uid] = []
            rows = (
                UnitSuccession.objects.using(self.using)
                .filter(successor_id__in=frontier, predecessor__valid_to__isnull=False)
                .select_related("predecessor")
                .order_by("id")
            )
            nxt: set[int] = set()
            for s in rows:
                self._preds[s.successor_id].append(s.predecessor)
                self._units[s.predecessor_id] = s.predecessor
                if s.predecessor_id not in self._preds:
                    nxt.add(s.predecessor_id)
            frontier = nxt

    def _plan(self, code: str, unit: OrgUnit, period: Period, busy: frozenset[_PlanKey]) -> _Node:
        """The plan of one (code, unit, period), built once per instance: a page asks the same
        province and year for every period and part (the country's key figures planned 33 000
        nodes for 1 000 keys).

        Planning depends on `busy` (the keys being planned above, where a cycle is cut) only
        through the keys it looks at: a plan is kept with those keys and with which of them
        were busy, and reused wherever the same of them are busy. A plan that met a cycle is
        kept too (it was not, and a population of a province created mid-year, whose year is
        its quarters' and each quarter falls back on the year, was planned anew for every
        density and period: two thirds of the ministry's key figures)."""
        key = (code, unit.id, period.code)
        if key in busy:  # a formula or roll-up that leads back to itself yields nothing
            if self._touching:
                self._touching[-1].add(key)
            return _Missing()
        for node, looked_at, was_busy in self._plans.get(key, ()):
            if busy & looked_at == was_busy:
                if self._touching:
                    self._touching[-1].update(looked_at)
                return node
        self._touching.append({key})
        try:
            node = self._plan_uncached(code, unit, period, busy | {key})
        finally:
            touched = self._touching.pop()
        if self._touching:
            self._touching[-1].update(touched)
        looked_at = frozenset(touched)
        # most plans met no busy key: share one empty set (fewer objects for the collector)
        was_busy = busy & looked_at if not busy.isdisjoint(looked_at) else _NOTHING_BUSY
        self._plans.setdefault(key, []).append((node, looked_at, was_busy))
        return node

    def _plan_uncached(
        self, code: str, unit: OrgUnit, period: Period, busy: frozenset[_PlanKey]
    ) -> _Node:
        ind = self._indicator(code)
        formula = self._formulas.get(code)
        if ind.kind == IndicatorKind.RATE:
            if formula is None:
                return _Exact(code, unit.id, period)
            return _First((self._computed(formula, unit, period, busy), _Exact(code, unit.id, period)))
        own = self._plan_own(code, ind, unit, period, busy)
        if formula is not None:
            return _First((_Exact(code, unit.id, period), self._computed(formula, unit, period, busy), own))
        return own

    def _computed(
        self, formula: Formula, unit: OrgUnit, period: Period, busy: frozenset[_PlanKey]
    ) -> _Computed:
        parts = tuple((c, self._plan(c, unit, period, busy)) for c in sorted(formula.codes))
        return _Computed(formula, parts)

    def _plan_own(
        self, code: str, ind: Indicator, unit: OrgUnit, period: Period, busy: frozenset[_PlanKey]
    ) -> _Node:
        yearly = ind.yearly_attribute
        if yearly and self._is_stored(code, unit.id, period.code):
            # The plan below starts with this stored figure and goes no further when there is
            # one: the roll-up, the year and the ten-year look-back are planned only without it.
            return _Exact(code, unit.id, period)
        if unit.level == UnitLevel.COUNTRY:
            return _First((_Exact(code, unit.id, period), self._plan_provinces(code, unit, period, busy)))
        leaf = _Leaf(code, unit.id, period, yearly)
        steps: list[_Node] = []
        preds = self._preds.get(unit.id, [])
        if unit.valid_from is not None and unit.valid_from > period.start and preds:
            if unit.valid_from <= period.end:
                # The unit appeared during the period: only sub-periods can be attributed cleanly.
                steps.append(self._subperiods(code, ind, unit, period, busy))
            else:
                self._load_predecessors(preds)
                items = tuple(self._plan(code, p, period, busy) for p in preds)
                steps.append(_Sum(items, tuple(sorted(p.name for p in preds))))
        if not yearly:
            # A leaf covers the unit's own value, its subtree and its own sub-periods.
            if not steps:
                return leaf
            return _First((_Exact(code, unit.id, period), *steps, leaf))
        steps.append(leaf)
        if period.type != PeriodType.YEAR:
            steps.append(self._plan(code, unit, period.parent(PeriodType.YEAR), busy))
        else:
            for back in range(1, 11):
                earlier = self._stated(code, unit, Period.of_year(period.year - back))
                steps.append(_Approx(earlier))
                if isinstance(earlier, _Exact) and self._is_stored(code, earlier.unit_id, earlier.period.code):
                    break  # a stored year answers: the years before it are never reached
        return _First((_Exact(code, unit.id, period), *steps))

    def _plan_provinces(
        self, code: str, country: OrgUnit, period: Period, busy: frozenset[_PlanKey]
    ) -> _Node:
        """The country as the sum of its provinces of the period, each rolled up as itself.

        One subtree for the whole country would count a year that straddles the 2025 merger
        twice (the old provinces' first half, and the new ones' figures that already include
        it) and would take the old provinces' mid-year stock for the year's. As the Aggregator
        does, a province created during the period stands for its predecessors when it has a
        figure; without one, they are summed."""
        groups = self._province_groups(country, period)
        items: list[_Node] = []
        for c, preds in groups:
            plan = self._plan(code, c, period, busy)
            pred_plans = tuple(self._plan(code, p, period, busy) for p in preds)
            items.append(_First((plan, _Sum(pred_plans))) if pred_plans else plan)
        return _Sum(tuple(items))

    def _province_groups(self, country: OrgUnit, period: Period) -> list[tuple[OrgUnit, list[OrgUnit]]]:
        """The provinces summed for the country in `period`, each with the predecessors it stands
        for (see `_plan_provinces`); the same for every indicator, so worked out once a period."""
        found = self._groups.get((country.id, period.code))
        if found is not None:
            return found
        if country.id not in self._provinces:
            self._provinces[country.id] = list(OrgUnit.objects.using(self.using).filter(parent=country).order_by("code"))
            for c in self._provinces[country.id]:
                self._units[c.id] = c
            self._load_predecessors(self._provinces[country.id])
        children = [c for c in self._provinces[country.id] if c.overlaps(period.start, period.end)]
        present = {c.id for c in children}
        preds: dict[int, list[OrgUnit]] = {}
        for c in children:
            if c.valid_from is not None and c.valid_from > period.start:
                preds[c.id] = [self._units[p.id] for p in self._preds.get(c.id, []) if p.id in present]
        covered = {p.id for group in preds.values() for p in group}
        found = [(c, preds.get(c.id, [])) for c in children if c.id not in covered]
        self._groups[(country.id, period.code)] = found
        return found

    def _subperiods(
        self, code: str, ind: Indicator, unit: OrgUnit, period: Period, busy: frozenset[_PlanKey]
    ) -> _Node:
        groups = tuple(
            tuple(self._plan(code, unit, sub, busy) for sub in period.subperiods(t))
            for t in _SUBPERIOD_TYPES[period.type]
        )
        return _Subperiods(ind.kind == IndicatorKind.STOCK, groups)

    def _stated(self, code: str, unit: OrgUnit, year: Period) -> _Node:
        """A year's value as stated for the unit or, before it existed, for its predecessors."""
        exact = _Exact(code, unit.id, year)
        preds = self._preds.get(unit.id, [])
        if unit.valid_from is None or unit.valid_from <= year.start or not preds:
            return exact
        if self._is_stored(code, unit.id, year.code):
            return exact  # stated for the unit itself: its predecessors' are never reached
        self._load_predecessors(preds)
        return _First((exact, _Sum(tuple(self._stated(code, p, year) for p in preds))))

    def _is_stored(self, code: str, unit_id: int, period_code: str) -> bool:
        """Whether a value of the yearly attribute `code` is stored for exactly this unit and
        period (what an `_Exact` of them finds). Read for every unit the instance knows at
        once (the provinces of the country and their predecessors: a few hundred rows), again
        only for a unit met later."""
        asked, stored = self._stored.setdefault(code, (set(), set()))
        if unit_id not in asked:
            units = {uid for uid in self._units if uid not in asked} | {unit_id}
            sql = (
                "SELECT unit_id, period FROM datavalues_datavalue WHERE regime = %s AND is_target = %s "
                f"AND indicator_id = {int(self._indicators[code].pk)} AND unit_id IN ({_ints(units)})"
            )
            with connections[self.using].cursor() as cursor:
                cursor.execute(sql, [self.regime, self.is_target])
                stored.update((int(uid), str(period)) for uid, period in cursor.fetchall())
            asked.update(units)
        return (unit_id, period_code) in stored

    # -- running --------------------------------------------------------------------------------
    def _run_exacts(self, exacts: set[_Exact]) -> dict[_Leaf | _Exact, _Found]:
        if not exacts:
            return {}
        ids = {self._indicators[e.code].pk: e.code for e in exacts}
        wanted = {(e.code, e.unit_id, e.period.code): e for e in exacts}
        sql = (
            "SELECT indicator_id, unit_id, period, value, qualifier FROM datavalues_datavalue "
            f"WHERE regime = %s AND is_target = %s AND indicator_id IN ({_ints(ids)}) "
            f"AND unit_id IN ({_ints(e.unit_id for e in exacts)}) "
            f"AND period IN ({_codes(e.period.code for e in exacts)})"
        )
        found: dict[_Leaf | _Exact, _Found] = {}
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [self.regime, self.is_target])
            for ind_id, unit_id, period, value, qualifier in cursor.fetchall():
                exact = wanted.get((ids[ind_id], unit_id, period))
                if exact is not None:
                    found[exact] = _Found(_decimal(value), qualifier, 1)
        return found

    def _run_leaves(self, leaves: set[_Leaf]) -> dict[_Leaf | _Exact, _Found]:
        """The leaves' figures: from the summary table where stored, else computed and stored."""
        if not leaves:
            return {}
        connection = connections[self.using]
        cached = rollup_cache.supported(connection)
        keys = {leaf: self._cache_key(leaf) for leaf in leaves}
        found: dict[_Leaf | _Exact, _Found] = {}
        with transaction.atomic(using=self.using), connection.cursor() as cursor:
            fillable: set[int] = set()
            todo: Iterable[_Leaf] = leaves
            if cached:
                stored = rollup_cache.lookup(
                    cursor, list(keys.values()), regime=self.regime, is_target=self.is_target
                )
                todo = []
                for leaf, key in keys.items():  # one pass: a page's thousands of leaves hash once each
                    figure = stored.get(key)
                    if figure is None:
                        todo.append(leaf)
                    elif figure.value is not None:
                        found[leaf] = _Found(figure.value, figure.qualifier, figure.units)
                if not todo:
                    return found
                fillable = rollup_cache.lock_for_fill(cursor, {keys[leaf].indicator_id for leaf in todo})
            todo = sorted(todo, key=lambda x: (x.code, x.unit_id, x.period.code))  # a stable query
            computed = self._compute_leaves(cursor, todo)
            found.update(computed)
            rollup_cache.store(
                cursor,
                {keys[leaf]: _cached(computed.get(leaf)) for leaf in todo if keys[leaf].indicator_id in fillable},
                regime=self.regime,
                is_target=self.is_target,
            )
        return found

    def _cache_key(self, leaf: _Leaf) -> rollup_cache.CacheKey:
        ind = self._indicators[leaf.code]
        return rollup_cache.CacheKey(
            ind.pk, leaf.unit_id, _checked(leaf.period.code), leaf.yearly, ind.kind == IndicatorKind.STOCK
        )

    def _compute_leaves(self, cursor: CursorWrapper, ordered: list[_Leaf]) -> dict[_Leaf, _Found]:
        psets: dict[tuple[str, bool], int] = {}
        leaf_rows, code_rows = [], []
        for i, leaf in enumerate(ordered):
            pkey = (leaf.period.code, leaf.yearly)
            if pkey not in psets:
                psets[pkey] = len(psets)
                code_rows.extend((psets[pkey], *row) for row in _period_rows(leaf.period, leaf.yearly))
            leaf_rows.append((i, leaf.unit_id, psets[pkey], self._indicators[leaf.code].pk))
        kinds = {self._indicators[x.code].pk: self._indicators[x.code].kind == IndicatorKind.STOCK for x in ordered}
        vendor = connections[self.using].vendor
        sql = _leaf_sql(vendor, leaf_rows, code_rows, kinds)
        if vendor == "postgresql":
            # The planner cannot see into the VALUES lists and, guessing one row each, picks
            # nested loops that probe the values once per unit of every subtree (seconds);
            # hash joins over the one index scan of the values take milliseconds.
            cursor.execute("SET LOCAL enable_nestloop = off")
            cursor.execute("SET LOCAL work_mem = '32MB'")
            # compiling this query's 160 expressions takes longer than running it
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, [self.regime, self.is_target])
        found: dict[_Leaf, _Found] = {}
        for leaf_idx, total, count, qmin, qmax in cursor.fetchall():
            if total is None:
                continue
            quals = [q for q in {qmin, qmax} if q] or ["exact"]
            found[ordered[leaf_idx]] = _Found(_decimal(total), combine_qualifiers(quals), int(count))
        return found


def provinces_on(day: datetime.date, *, user: User | None = None) -> list[OrgUnit]:
    """The provinces valid on `day`, in code order (63 before 1 July 2025, 34 after)."""
    qs = OrgUnit.objects.filter(level=UnitLevel.PROVINCE).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    if user is not None:
        qs = qs.filter(pk__in=visible_units(user).values("pk"))
    return list(qs.order_by("code"))


def provinces_on_days(days: Sequence[datetime.date]) -> dict[datetime.date, list[OrgUnit]]:
    """`provinces_on` for several days from one query (a ten-year series asked once per year)."""
    every = list(OrgUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("code"))
    return {
        day: [p for p in every if (p.valid_from is None or p.valid_from <= day) and (p.valid_to is None or p.valid_to > day)]
        for day in days
    }


# -- helpers ----------------------------------------------------------------------------------------
def _collect(plan: _Node, leaves: set[_Leaf], exacts: set[_Exact], seen: set[int]) -> None:
    """The leaves and exact look-ups under `plan`; a shared sub-plan (the same province in many
    keys) is walked once. A loop, not recursion: this walks every node of a page's plans."""
    stack = [plan]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, _Leaf):
            leaves.add(node)
        elif isinstance(node, _Exact):
            exacts.add(node)
        elif isinstance(node, _Sum | _First):
            stack.extend(node.items)
        elif isinstance(node, _Subperiods):
            for group in node.groups:
                stack.extend(group)
        elif isinstance(node, _Computed):
            stack.extend(part for _, part in node.parts)
        elif isinstance(node, _Approx):
            stack.append(node.item)


def _cached(found: _Found | None) -> rollup_cache.CachedFigure:
    if found is None:
        return rollup_cache.CachedFigure(None)
    return rollup_cache.CachedFigure(found.value, found.qualifier, found.units)


def _sum(items: list[_Found], via: tuple[str, ...] = ()) -> _Found | None:
    if not items:
        return None
    return _Found(
        sum((f.value for f in items), Decimal(0)),
        combine_qualifiers([f.qualifier for f in items]),
        sum(f.units for f in items),
        tuple(sorted({*via, *(n for f in items for n in f.via)})),
    )


def _evaluate(node: _Node, found: dict[_Leaf | _Exact, _Found], done: dict[int, _Found | None]) -> _Found | None:
    """Combine the SQL results along the plan — work proportional to the plan, not the rows;
    `done` holds what shared nodes came to (by identity, for the plans alive in one call)."""
    if id(node) not in done:
        done[id(node)] = _evaluate_node(node, found, done)
    return done[id(node)]


_Results = dict[_Leaf | _Exact, _Found]
_Done = dict[int, _Found | None]


def _evaluate_first(node: _First, found: _Results, done: _Done) -> _Found | None:
    for item in node.items:
        result = _evaluate(item, found, done)
        if result is not None:
            return result
    return None


def _evaluate_subperiods(node: _Subperiods, found: _Results, done: _Done) -> _Found | None:
    """A stock's last sub-period with data; a flow's sum over the first group of sub-periods
    (quarters, then months) that has any."""
    for group in node.groups:
        results = [_evaluate(i, found, done) for i in group]
        if node.stock:
            last = next((r for r in reversed(results) if r is not None), None)
            if last is not None:
                return last
            continue
        present = [r for r in results if r is not None]
        if present:
            return _sum(present)
    return None


def _evaluate_formula(node: _Computed, found: _Results, done: _Done) -> _Found | None:
    parts = {c: _evaluate(n, found, done) for c, n in node.parts}
    value = node.formula.evaluate({c: r.value for c, r in parts.items() if r is not None})
    if value is None:
        return None
    present = [r for r in parts.values() if r is not None]
    return _Found(
        value,
        combine_qualifiers([r.qualifier for r in present]),
        max((r.units for r in present), default=0),
        tuple(sorted({n for r in present for n in r.via})),
    )


def _evaluate_node(node: _Node, found: _Results, done: _Done) -> _Found | None:
    if isinstance(node, _Leaf | _Exact):
        return found.get(node)
    if isinstance(node, _Missing):
        return None
    if isinstance(node, _Approx):
        inner = _evaluate(node.item, found, done)
        return None if inner is None else _Found(inner.value, "approx", inner.units, inner.via)
    if isinstance(node, _First):
        return _evaluate_first(node, found, done)
    if isinstance(node, _Sum):
        return _sum([r for r in (_evaluate(i, found, done) for i in node.items) if r is not None], node.via)
    if isinstance(node, _Subperiods):
        return _evaluate_subperiods(node, found, done)
    return _evaluate_formula(node, found, done)


def _period_rows(period: Period, yearly: bool) -> list[tuple[str, int, int, int]]:
    """(code, level, group, order) of the period and the sub-periods that may stand for it.

    Level 0 is the period itself, 1 its first sub-period type (quarters of a year), 2 the next
    (months); group is the level-1 sub-period a row belongs to, order its place in time.
    """
    rows = [(period.code, 0, _OWN_GROUP, 0)]
    if yearly:
        return rows
    types = _SUBPERIOD_TYPES[period.type]
    if not types:
        return rows
    firsts = period.subperiods(types[0])
    for g, sub in enumerate(firsts, start=1):
        rows.append((sub.code, 1, g, g))
        if len(types) > 1:
            for o, inner in enumerate(sub.subperiods(types[1]), start=1):
                rows.append((inner.code, 2, g, o))
    return rows


def _ints(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in sorted(set(values)))


_CHECKED: set[str] = set()  # period codes already checked (a page checks the same few thousands of times)


def _checked(code: str) -> str:
    if code in _CHECKED:
        return code
    if not _CODE_RE.match(code):  # codes are inlined in SQL: accept nothing but period codes
        raise ValueError(f"not a period code: {code!r}")
    if len(_CHECKED) < 100_000:
        _CHECKED.add(code)
    return code


def _codes(values: Iterable[str]) -> str:
    return ", ".join(f"'{_checked(c)}'" for c in sorted(set(values)))


def _decimal(raw: object) -> Decimal:
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, float):
        # SQLite sums in binary floating point; six decimals is what the column stores.
        return Decimal(repr(raw)).quantize(Decimal("0.000001")).normalize()
    return Decimal(str(raw))


def _leaf_sql(
    vendor: str,
    leaves: list[tuple[int, int, int, int]],
    codes: list[tuple[int, str, int, int, int]],
    kinds: dict[int, bool],
) -> str:
    """The one query for every leaf: (leaf, total, units, qualifier min, qualifier max)."""
    pg = vendor == "postgresql"
    collate = ' COLLATE "C"' if pg else ""  # tree order is byte order whatever the locale
    leaf_values = ", ".join(f"({a}, {b}, {c}, {d})" for a, b, c, d in leaves)
    for _, code, *_ in codes:
        _checked(code)
    code_values = ", ".join(f"({p}, '{c}', {lvl}, {g}, {o})" for p, c, lvl, g, o in codes)
    kind_values = ", ".join(f"({i}, {1 if s else 0})" for i, s in kinds.items())
    all_codes = _codes(c for _, c, *_ in codes)
    roots = _ints(root for _, root, _, _ in leaves)
    # the last sub-period with data is only looked for when a stock is asked (one sort less)
    row_number = (
        "ROW_NUMBER() OVER (PARTITION BY leaf, unit ORDER BY grp DESC, lvl, ord DESC)" if any(kinds.values()) else "1"
    )
    return f"""
WITH leaf(leaf, root, pset, ind) AS (VALUES {leaf_values}),
pcode(pset, code, lvl, grp, ord) AS (VALUES {code_values}),
kinds(ind, stock) AS (VALUES {kind_values}),
vals AS MATERIALIZED (
    -- The values first, by the (indicator, period) index, each under each root asked for: the
    -- planner cannot estimate the VALUES lists above and would otherwise probe the values once
    -- per unit of every subtree, or multiply every value by every leaf of its indicator.
    SELECT v.unit_id, v.indicator_id, v.period, v.value, v.qualifier, a.ancestor_id
    FROM datavalues_datavalue v JOIN jobs_unitancestor a ON a.descendant_id = v.unit_id
    WHERE v.indicator_id IN ({_ints(kinds)}) AND v.period IN ({all_codes})
      AND v.regime = %s AND v.is_target = %s AND a.ancestor_id IN ({roots})
),
wanted AS MATERIALIZED (
    -- (leaf, root, indicator, period code): a value meets exactly the leaves that want it
    SELECT l.leaf, l.root, l.ind, p.code, p.lvl, p.grp, p.ord, k.stock
    FROM leaf l JOIN pcode p ON p.pset = l.pset JOIN kinds k ON k.ind = l.ind
),
cand AS (
    SELECT w.leaf, v.unit_id AS unit, v.value, v.qualifier, w.lvl, w.grp, w.ord, w.stock
    FROM vals v
    JOIN wanted w ON w.root = v.ancestor_id AND w.ind = v.indicator_id AND w.code = v.period
),
ranked AS (
    SELECT c.*,
           MIN(lvl) OVER (PARTITION BY leaf, unit) AS ulvl,
           MIN(lvl) OVER (PARTITION BY leaf, unit, grp) AS glvl,
           {row_number} AS rn
    FROM cand c
),
chosen AS (
    SELECT leaf, unit, ulvl, value, qualifier
    FROM ranked
    WHERE CASE WHEN ulvl = 0 THEN lvl = 0 WHEN stock = 1 THEN rn = 1 ELSE lvl = glvl END
),
units AS (
    -- a unit's path only now, once per unit rather than once per value
    SELECT g.*, self.path{collate} AS path
    FROM (
        SELECT leaf, unit, MIN(ulvl) AS ulvl, SUM(value) AS value,
               MIN(CASE WHEN qualifier <> 'exact' THEN qualifier END) AS qmin,
               MAX(CASE WHEN qualifier <> 'exact' THEN qualifier END) AS qmax
        FROM chosen GROUP BY leaf, unit
    ) g JOIN jobs_unitancestor self ON self.descendant_id = g.unit AND self.ancestor_id = g.unit
),
tree AS (
    SELECT u.*,
           LEAD(path) OVER w AS next_path,
           MAX(CASE WHEN ulvl = 0 THEN path || '~' END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
               AS cover
    FROM units u
    WINDOW w AS (PARTITION BY leaf ORDER BY path{collate})
)
SELECT leaf, SUM(value), COUNT(*), MIN(qmin), MAX(qmax)
FROM tree
WHERE (cover IS NULL OR cover{collate} <= path{collate})
  AND (ulvl = 0 OR next_path IS NULL OR substr(next_path, 1, length(path)) <> path)
GROUP BY leaf
"""
