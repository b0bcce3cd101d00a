"""A realistic national dataset for measuring: every province and commune, the whole catalog,
quarterly over a span of years.

* Communes report the indicators of a few whole rule groups (documents, dossiers, digital
  certificates); provinces report the rest of the catalog. A rule group stays at one level so
  that its parts add up wherever the rules check them.
* Series move plausibly: flows grow with noise and a seasonal pattern; stocks carry forward
  (stock = previous + inflows − outflows where the catalog has a continuity rule).
* Totals are split top-down into their parts (sum rules "eq" split exactly, "le" rules take
  shares below the total), so every rule of rules.yaml holds by construction.
* Until Q2/2025 the 63 provinces and their communes report; from Q3/2025 the 34 and theirs,
  starting from the level their predecessors had reached.
* Population (dan_so) per province and year, from the 2019 census with ~0.9 % growth.
* Submissions per province and quarter with states and timestamps, some late, some missing.

Rates and formula indicators are never stored: they are computed from their parts.
This module only generates rows; `SynthWriter` subclasses write them (COPY or bulk_create).
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from baocao.catalog.models import Indicator, IndicatorKind
from baocao.catalog.services import RULES_YAML
from baocao.core.periods import Period, regime_for
from baocao.orgunits.models import OrgUnit, UnitLevel, UnitSuccession
from baocao.orgunits.seed import read_population

MERGER_DAY = datetime.date(2025, 7, 1)
POPULATION = "dan_so"
# Whole rule groups reported by communes (prefixes of indicator codes).
COMMUNE_GROUPS = ("cntt.qlvb.vb_", "cntt.cts.", "cntt.hoso.da_giai_quyet", "cntt.hoso.ton")
# Shares that move over the years: online dossiers, signed documents, fibre up; ADSL down.
RISING = ("truc_tuyen", "vb_ky_so", "ftth", "tich_hop", "muc4")
FALLING = ("adsl", "truc_tiep", "tb_co_dinh")


@dataclass
class Plan:
    """What to generate: derived from the catalog, the rules and the scale."""

    years: tuple[int, int]
    scale: float
    seed: int
    commune_codes: list[str]
    province_codes: list[str]
    eq_parts: dict[str, list[str]]  # total → parts that add up exactly
    le_parts: dict[str, list[str]]  # total → parts that stay below it
    flows_of_stock: dict[str, tuple[list[str], list[str]]]  # stock → (inflows, outflows)
    kinds: dict[str, str]
    units_of: dict[str, str]
    ids: dict[str, int]

    @property
    def periods(self) -> list[Period]:
        return [Period.of_quarter(y, q) for y in range(self.years[0], self.years[1] + 1) for q in range(1, 5)]


@dataclass
class Counts:
    values: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    submissions: int = 0
    units: dict[str, int] = field(default_factory=dict)

    def add(self, level: str, n: int) -> None:
        self.values += n
        self.by_level[level] = self.by_level.get(level, 0) + n


@dataclass
class _RuleGroups:
    """What the consistency rules tie together: totals and their parts (equal, at most), and the
    flows of each stock."""

    eq_parts: dict[str, list[str]] = field(default_factory=dict)
    le_parts: dict[str, list[str]] = field(default_factory=dict)
    flows_of_stock: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)

    def close(self, codes: list[str]) -> list[str]:
        return _close_groups(codes, self.eq_parts, self.le_parts, self.flows_of_stock)


def _rule_groups() -> _RuleGroups:
    groups = _RuleGroups()
    claimed: set[str] = set()
    for rule in yaml.safe_load(RULES_YAML.read_text(encoding="utf-8")) or []:
        params = rule.get("params") or {}
        if rule.get("kind") == "sum":
            parts = [p for p in params["parts"] if p not in claimed]
            claimed.update(parts)
            totals = groups.eq_parts if params.get("mode", "eq") == "eq" else groups.le_parts
            totals.setdefault(params["total"], []).extend(parts)
        elif rule.get("kind") == "continuity":
            inflows, outflows = list(params.get("inflows") or []), list(params.get("outflows") or [])
            groups.flows_of_stock[params["stock"]] = (inflows, outflows)
    return groups


def _split_levels(
    indicators: list[Indicator], stored: list[Indicator], groups: _RuleGroups, scale: float
) -> tuple[list[str], list[str]]:
    """The codes communes report and the codes only provinces report, for the dataset's scale."""
    commune = groups.close([i.code for i in stored if i.code.startswith(COMMUNE_GROUPS)])
    province = [i.code for i in stored if i.code not in commune]
    if scale > 1:
        # Bigger than the default: communes also report some province-level groups.
        extra = [c for c in province if c.split(".")[0] in ("cntt", "vb", "tt")]
        moved = groups.close(extra[: min(len(extra), round((scale - 1) * len(commune)))])
        commune += [c for c in moved if c in province]
        province = [c for c in province if c not in commune]
    elif scale < 0.1:
        # A tiny dataset keeps the indicators the rules and formulas need, and few others.
        needed = {c for t, ps in (*groups.eq_parts.items(), *groups.le_parts.items()) for c in (t, *ps)}
        needed |= {c for i in indicators if i.formula for c in _formula_codes(i.formula)}
        province = [c for c in province if c in needed]
    return commune, province


def make_plan(years: tuple[int, int], scale: float, seed: int) -> Plan:
    indicators = list(Indicator.objects.filter(is_active=True).order_by("code"))
    stored = [
        i for i in indicators
        if i.kind != IndicatorKind.RATE and not i.formula and not i.yearly_attribute
    ]  # fmt: skip
    groups = _rule_groups()
    commune, province = _split_levels(indicators, stored, groups, scale)
    return Plan(
        years=years,
        scale=scale,
        seed=seed,
        commune_codes=commune,
        province_codes=province,
        eq_parts=groups.eq_parts,
        le_parts=groups.le_parts,
        flows_of_stock=groups.flows_of_stock,
        kinds={i.code: i.kind for i in indicators},
        units_of={i.code: i.unit for i in indicators},
        ids={i.code: i.pk for i in indicators},
    )


def _formula_codes(formula: str) -> set[str]:
    from baocao.core.formulas import parse_formula

    return set(parse_formula(formula).codes)


def _close_groups(
    codes: list[str],
    eq: dict[str, list[str]],
    le: dict[str, list[str]],
    flows: dict[str, tuple[list[str], list[str]]],
) -> list[str]:
    """Add to `codes` every code that shares a rule with one of them (a group moves whole)."""
    groups = [[t, *ps] for t, ps in (*eq.items(), *le.items())] + [[s, *i, *o] for s, (i, o) in flows.items()]
    result = set(codes)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if result & set(group) and not set(group) <= result:
                result |= set(group)
                changed = True
    return sorted(result)


# -- magnitudes --------------------------------------------------------------------------------
def _base(code: str, unit_label: str, kind: str, size: float, level: str) -> float:
    """A plausible quarterly level of `code` for a unit of relative `size` (1 ≈ a million people
    for a province, an average commune for a commune)."""
    if unit_label == "%":
        return 60.0
    if unit_label == "đồng":
        per_million = {
            "vt.doanh_thu": 7.5e11, "bc.doanh_thu": 1.2e11, "th.dau_tu.von_giao": 6e9,
            "th.dau_tu.giai_ngan": 5e9, "tt.xu_phat.tien": 1.5e8,
        }.get(code, 5e9)  # fmt: skip
        return per_million * size
    if unit_label == "thuê bao":
        per_million = 1.3e6 if "di_dong" in code else 2.5e5 if "internet" in code else 3e4
        return per_million * size
    if unit_label in ("km/điểm",):
        return 3.0
    if unit_label in ("người/điểm",):
        return 5000.0
    if level == UnitLevel.COMMUNE:
        return {"văn bản": 150.0, "hồ sơ": 600.0, "chứng thư": 40.0}.get(unit_label, 20.0) * size
    if kind == IndicatorKind.STOCK:
        return 300.0 * size
    return 60.0 * size


class SeriesMaker:
    """Quarterly values of every generated code for one unit, with its own random stream."""

    def __init__(self, plan: Plan, codes: list[str], size: float, level: str, rng: random.Random) -> None:
        self.plan, self.codes, self.size, self.level, self.rng = plan, set(codes), size, level, rng
        self.growth = {c: rng.gauss(0.06, 0.03) for c in codes}
        self.base = {c: _base(c, plan.units_of[c], plan.kinds[c], size, level) * rng.uniform(0.6, 1.4) for c in codes}
        self.share = {c: rng.uniform(0.2, 0.8) for c in codes}
        self.stock: dict[str, float] = {}
        self._pending: dict[str, float] = {}  # inflows/outflows of this quarter's stocks
        # Roots: codes that are no part of any rule of the generated set.
        parts = {p for ps in (*plan.eq_parts.values(), *plan.le_parts.values()) for p in ps}
        flows = {f for i, o in plan.flows_of_stock.values() for f in (*i, *o)}
        self.roots = [c for c in codes if c not in parts and c not in flows]

    def start_from(self, levels: dict[str, float]) -> None:
        """Continue stocks from given levels (a new unit taking over its predecessors')."""
        self.stock.update({c: v for c, v in levels.items() if c in self.codes})

    def quarter(self, t: int, q: int) -> dict[str, float]:
        """Values of quarter number t (0 = first of the span); q is 1..4 for seasonality."""
        out: dict[str, float] = {}
        season = (0.85, 1.0, 1.0, 1.15)[q - 1]
        for code in self.roots:
            out[code] = self._root(code, t, season)
        for total in list(out):
            self._split(total, out, t)
        return out

    def _root(self, code: str, t: int, season: float) -> float:
        rng = self.rng
        kind, label = self.plan.kinds[code], self.plan.units_of[code]
        if label == "%":
            level = self.stock.get(code, rng.uniform(40, 90))
            self.stock[code] = min(100.0, max(0.0, level + rng.gauss(0.6, 0.8)))
            return round(self.stock[code], 2)
        if kind == IndicatorKind.STOCK:
            inflows, outflows = self.plan.flows_of_stock.get(code, ([], []))
            previous = self.stock.get(code)
            if previous is None:
                previous = self.base[code]
            if inflows or outflows:
                growth = max(self.growth[code], 0.01) / 4
                for f in inflows:
                    self._pending[f] = float(round(previous * rng.uniform(growth, growth * 2.5) + rng.random() * 2))
                for f in outflows:
                    self._pending[f] = float(round(previous * rng.uniform(0.0, growth)))
                value = previous + sum(self._pending[f] for f in inflows) - sum(self._pending[f] for f in outflows)
            else:
                value = previous * (1 + self.growth[code] / 4 + rng.gauss(0, 0.01))
            value = max(value, 0.0)
            self.stock[code] = value
            return value if label in ("km/điểm", "người/điểm") else float(round(value))
        trend = (1 + self.growth[code]) ** (t / 4)
        value = self.base[code] * trend * season * rng.uniform(0.85, 1.15)
        return float(round(value))

    def _split(self, total: str, out: dict[str, float], t: int) -> None:
        """Parts of `total` (and theirs, recursively), from shares that drift over time."""
        value = out[total]
        for f in [*self.plan.flows_of_stock.get(total, ([], []))[0], *self.plan.flows_of_stock.get(total, ([], []))[1]]:
            if f in self.codes:
                out[f] = self._pending.pop(f, 0.0)
        parts = [p for p in self.plan.eq_parts.get(total, []) if p in self.codes]
        if parts:
            weights = [self._weight(p, t) for p in parts]
            scale = sum(weights)
            remaining = value
            for i, p in enumerate(parts):
                if i == len(parts) - 1:
                    out[p] = round(remaining, 2)
                else:
                    share = round(value * weights[i] / scale)
                    out[p] = float(min(share, remaining))
                    remaining -= out[p]
                self._split(p, out, t)
        le = [p for p in self.plan.le_parts.get(total, []) if p in self.codes]
        if le:
            weights = [self._weight(p, t) for p in le]
            scale = sum(weights) / 0.95
            for p, w in zip(le, weights, strict=True):
                out[p] = float(math.floor(value * w / scale))
                self._split(p, out, t)

    def _weight(self, code: str, t: int) -> float:
        base = self.share[code]
        if any(k in code for k in RISING):
            base *= 1 + 0.08 * t
        elif any(k in code for k in FALLING):
            base /= 1 + 0.05 * t
        return base * self.rng.uniform(0.95, 1.05)


# -- rows ----------------------------------------------------------------------------------------
Row = tuple[int, int, Period, float]  # indicator id, unit id, period, value


def _sampled(units: list[OrgUnit], fraction: float, rng: random.Random) -> list[OrgUnit]:
    if fraction >= 1:
        return units
    kept = [u for u in units if rng.random() < fraction]
    return kept or units[:1]


def generate(plan: Plan, counts: Counts) -> Iterator[list[Row]]:
    """Rows in batches, one batch per (level, quarter); stocks continue across the merger."""
    rng = random.Random(plan.seed)
    provinces_old = list(OrgUnit.objects.filter(level=UnitLevel.PROVINCE, valid_to=MERGER_DAY).order_by("code"))
    provinces_new = list(OrgUnit.objects.filter(level=UnitLevel.PROVINCE, valid_from=MERGER_DAY).order_by("code"))
    population = _population(provinces_old + provinces_new)
    fraction = min(plan.scale, 1.0)
    communes: dict[int, list[OrgUnit]] = {}
    commune_rows = OrgUnit.objects.filter(level=UnitLevel.COMMUNE).exclude(path="").order_by("code")
    by_province_path = {p.path: p.pk for p in provinces_old + provinces_new}
    for c in commune_rows.only("id", "path", "code", "valid_from", "valid_to"):
        province_path = "/".join(c.path.split("/")[:3]) + "/"
        if province_path in by_province_path:
            communes.setdefault(by_province_path[province_path], []).append(c)
    for pid in communes:
        communes[pid] = _sampled(communes[pid], fraction, rng)
    counts.units = {
        "provinces_63": len(provinces_old), "provinces_34": len(provinces_new),
        "communes_63": sum(len(communes.get(p.pk, [])) for p in provinces_old),
        "communes_34": sum(len(communes.get(p.pk, [])) for p in provinces_new),
    }  # fmt: skip

    makers: dict[int, SeriesMaker] = {}
    successors = _successors(provinces_new)
    start_levels: dict[int, dict[str, float]] = {}

    def maker(unit: OrgUnit, codes: list[str], size: float, level: str) -> SeriesMaker:
        if unit.pk not in makers:
            makers[unit.pk] = SeriesMaker(plan, codes, size, level, random.Random(rng.random()))
            makers[unit.pk].start_from(start_levels.pop(unit.pk, {}))
        return makers[unit.pk]

    for t, period in enumerate(plan.periods):
        new = period.start >= MERGER_DAY
        provinces = provinces_new if new else provinces_old
        if new and period.start == MERGER_DAY:
            start_levels = _hand_over(plan, makers, successors, communes, provinces_new)
        for level, codes in ((UnitLevel.PROVINCE, plan.province_codes), (UnitLevel.COMMUNE, plan.commune_codes)):
            batch: list[Row] = []
            for province in provinces:
                size = population[province.pk].get(period.year, 1e6) / 1e6
                units = [province] if level == UnitLevel.PROVINCE else communes.get(province.pk, [])
                for unit in units:
                    unit_size = size if level == UnitLevel.PROVINCE else rng.uniform(0.5, 1.5)
                    values = maker(unit, codes, unit_size, level).quarter(t, period.index)
                    batch.extend((plan.ids[c], unit.pk, period, v) for c, v in values.items())
            batch.sort(key=lambda r: r[0])  # (indicator, period) ranges stay together on disk
            counts.add(level, len(batch))
            yield batch
    years = range(plan.years[0], plan.years[1] + 1)
    batch = []
    for province in provinces_old + provinces_new:
        for year in years:
            p = Period.of_year(year)
            if province.overlaps(p.start, p.end):
                batch.append((plan.ids[POPULATION], province.pk, p, float(population[province.pk][year])))
    counts.add("population", len(batch))
    yield batch


def _population(provinces: list[OrgUnit]) -> dict[int, dict[int, int]]:
    census = {r["unit_code"]: r["population"] for r in read_population() if r["year"] == 2019}
    result: dict[int, dict[int, int]] = {}
    for p in provinces:
        base = census.get(p.code, 1_000_000)
        result[p.pk] = {y: round(base * 1.009 ** (y - 2019)) for y in range(1990, 2101)}
    return result


def _successors(provinces_new: list[OrgUnit]) -> dict[int, list[int]]:
    """New province id → its predecessor province ids."""
    result: dict[int, list[int]] = {p.pk: [] for p in provinces_new}
    for s in UnitSuccession.objects.filter(successor__in=provinces_new, predecessor__level=UnitLevel.PROVINCE):
        result[s.successor_id].append(s.predecessor_id)
    return result


def _hand_over(
    plan: Plan,
    makers: dict[int, SeriesMaker],
    successors: dict[int, list[int]],
    communes: dict[int, list[OrgUnit]],
    provinces_new: list[OrgUnit],
) -> dict[int, dict[str, float]]:
    """Stock levels new provinces and communes start from: what their predecessors reached."""
    start: dict[int, dict[str, float]] = {}
    for province in provinces_new:
        preds = successors.get(province.pk, [])
        province_levels: dict[str, float] = {}
        commune_levels: dict[str, float] = {}
        for pred in preds:
            if pred in makers:
                for c, v in makers[pred].stock.items():
                    province_levels[c] = province_levels.get(c, 0.0) + v
            for old in communes.get(pred, []):
                if old.pk in makers:
                    for c, v in makers[old.pk].stock.items():
                        commune_levels[c] = commune_levels.get(c, 0.0) + v
        for c in province_levels:
            if plan.units_of.get(c) in ("%", "km/điểm", "người/điểm"):
                province_levels[c] /= len(preds)  # averages and percentages are not summed
        new_communes = communes.get(province.pk, [])
        share = 1 / max(len(new_communes), 1)
        start[province.pk] = province_levels
        for c in new_communes:
            start[c.pk] = {k: v * share for k, v in commune_levels.items()}
    return start


def submissions(plan: Plan, rng: random.Random) -> Iterator[dict[str, Any]]:
    """Workflow rows per province and quarter: most on time and approved, some late, some missing."""
    regime = regime_for("hanh_chinh")
    provinces = list(OrgUnit.objects.filter(level=UnitLevel.PROVINCE).exclude(path=""))
    last = plan.periods[-1]
    for period in plan.periods:
        due = regime.due_date(period)
        for province in provinces:
            if not province.overlaps(period.start, period.end):
                continue
            roll = rng.random()
            recent = period == last
            if roll < (0.25 if recent else 0.03):
                continue  # missing: never submitted
            late = rng.random() < 0.12
            day = due + datetime.timedelta(days=rng.randint(1, 30) if late else -rng.randint(0, 6))
            at = datetime.datetime.combine(day, datetime.time(rng.randint(7, 17), rng.randint(0, 59)), datetime.UTC)
            state = "submitted" if recent else ("locked" if rng.random() < 0.8 else "approved")
            yield {
                "unit_id": province.pk,
                "period": period.code,
                "state": state,
                "submitted_at": at,
                "approved_at": None if state == "submitted" else at + datetime.timedelta(days=rng.randint(1, 10)),
            }
