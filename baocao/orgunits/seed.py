"""Seeding the administrative units: Việt Nam, the 63-province structure (until 1 July 2025),
the 34-province structure (from 1 July 2025), the 2025 merger, and each province's
reporting department.

Sources (all shipped, nothing is fetched at run time):
* the 34 provinces and 3 321 communes: the installed package `vietnam-provinces` (2025.10.1);
* the 63 provinces, districts and communes: data/legacy_63.csv.gz, built by
  data/build_legacy.py from `vietnam-provinces` 0.6.0;
* data/mergers_2025.yaml (Nghị quyết 202/2025/QH15), data/departments.yaml, data/aliases.yaml.

The seed is idempotent: it creates what is missing and corrects what differs from the data,
never deletes, and writes one summary audit event when (and only when) something changed —
one event per row for ~14 000 rows would drown the audit trail.
For the units it seeds the data files are the truth: a name, date or attribute key of a
seeded unit changed through the services is set back on the next run, so lasting
adjustments go into the data files (departments.yaml `overrides`, aliases.yaml). Attribute
keys the files do not name are left alone, and units with other codes are never touched.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vietnam_provinces
import yaml
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from baocao.access.access import require_admin
from baocao.audit.services import record

from .models import OrgUnit, SuccessionKind, UnitLevel, UnitSuccession
from .names import search_key, split_type
from .services import _rewrite_subtree

Actor = AbstractBaseUser | AnonymousUser

DATA_DIR = Path(__file__).resolve().parent / "data"
LEGACY_CSV = DATA_DIR / "legacy_63.csv.gz"
MERGERS_YAML = DATA_DIR / "mergers_2025.yaml"
DEPARTMENTS_YAML = DATA_DIR / "departments.yaml"
ALIASES_YAML = DATA_DIR / "aliases.yaml"
POPULATION_CSV = DATA_DIR / "population.csv"

COUNTRY_CODE = "VN"
LEGACY_PREFIX = {"province": "P63", "district": "D63", "commune": "W63"}
LEGACY_SOURCE = "vietnam-provinces 0.6.0 (dữ liệu 2025-01-04)"

UNIT_FIELDS = ("name", "full_name", "search_name", "level", "gso_code", "valid_from", "valid_to")


class SeedDataError(ValidationError):
    """A problem in the shipped data files; each message names the file and the row."""


@dataclass
class UnitSpec:
    code: str
    name: str
    full_name: str
    level: str
    parent: str | None
    gso_code: str = ""
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    attributes: dict[str, Any] = field(default_factory=dict)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True)
class SuccessionSpec:
    predecessor: str
    successor: str
    date: datetime.date
    kind: str
    legal_basis: str


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)  # by level
    updated: list[str] = field(default_factory=list)  # unit codes
    unchanged: int = 0
    successions_created: int = 0
    successions_updated: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.successions_created or self.successions_updated)

    def summary(self) -> str:
        created = sum(self.created.values())
        return (
            f"{created} đơn vị mới, {len(self.updated)} cập nhật, {self.unchanged} không đổi; "
            f"{self.successions_created} quan hệ kế thừa mới, {self.successions_updated} cập nhật "
            f"({self.seconds:.1f} giây)"
        )


# ---------------------------------------------------------------- reading the data files


def _province_kind(division_type: str) -> str:
    """'tỉnh' or 'thành phố' as a heading writes it ("UBND THÀNH PHỐ HÀ NỘI")."""
    return "thành phố" if division_type.startswith("thành phố") else "tỉnh"


def _legacy_units(merger_day: datetime.date) -> list[UnitSpec]:
    specs: list[UnitSpec] = []
    with gzip.open(LEGACY_CSV, "rt", encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            level = row["level"]
            if level not in LEGACY_PREFIX:
                raise SeedDataError(f"{LEGACY_CSV.name}, dòng {line}, cột level: '{level}' không hợp lệ")
            if level == "province":
                parent = COUNTRY_CODE
            else:
                parent = f"{'P63' if level == 'district' else 'D63'}-{row['parent_gso_code']}"
            specs.append(
                UnitSpec(
                    code=f"{LEGACY_PREFIX[level]}-{row['gso_code']}",
                    name=row["name"],
                    full_name=row["full_name"],
                    level=level,
                    parent=parent,
                    gso_code=row["gso_code"],
                    valid_to=merger_day,
                    attributes={"division_type": row["division_type"]},
                )
            )
    return specs


def _current_units(merger_day: datetime.date) -> list[UnitSpec]:
    nested = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    specs: list[UnitSpec] = []
    for province in nested:
        kind = province["division_type"]
        _, name = split_type(province["name"])
        gso = str(province["code"]).zfill(2)
        specs.append(
            UnitSpec(
                code=f"P34-{gso}",
                name=name,
                full_name=f"{_province_kind(kind).capitalize()} {name}",
                level=UnitLevel.PROVINCE,
                parent=COUNTRY_CODE,
                gso_code=gso,
                valid_from=merger_day,
                attributes={"division_type": kind},
            )
        )
        for ward in province["wards"]:
            _, ward_name = split_type(ward["name"])
            ward_gso = str(ward["code"]).zfill(5)
            specs.append(
                UnitSpec(
                    code=f"W34-{ward_gso}",
                    name=ward_name,
                    full_name=" ".join(ward["name"].split()),
                    level=UnitLevel.COMMUNE,
                    parent=f"P34-{gso}",
                    gso_code=ward_gso,
                    valid_from=merger_day,
                    attributes={"division_type": ward["division_type"]},
                )
            )
    return specs


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SeedDataError(f"{path.name}: YAML không đọc được: {exc}") from exc


def _merger_successions(units: dict[str, UnitSpec]) -> tuple[list[SuccessionSpec], datetime.date]:
    data = _read_yaml(MERGERS_YAML)
    day, basis = data["effective"], data["legal_basis"]
    errors: list[str] = []
    successions: list[SuccessionSpec] = []
    used: dict[str, str] = {}
    for number, entry in enumerate(data["provinces"], start=1):
        where = f"{MERGERS_YAML.name}, mục {number} ({entry.get('name', '?')})"
        new_code = f"P34-{entry['new']}"
        new = units.get(new_code)
        if new is None:
            errors.append(f"{where}, trường new: không có tỉnh mới mã {entry['new']}")
            continue
        if search_key(new.name) != search_key(entry["name"]):
            errors.append(f"{where}, trường name: tỉnh mới mã {entry['new']} là '{new.name}', không phải '{entry['name']}'")
        sources = entry["from"]
        kind = SuccessionKind.MERGE if len(sources) > 1 else SuccessionKind.RENAME
        for old_gso, old_name in sources.items():
            old = units.get(f"P63-{old_gso}")
            if old is None:
                errors.append(f"{where}, trường from: không có tỉnh cũ mã {old_gso}")
                continue
            if search_key(old.name) != search_key(old_name):
                errors.append(f"{where}, trường from: tỉnh cũ mã {old_gso} là '{old.name}', không phải '{old_name}'")
            if old.code in used:
                errors.append(f"{where}, trường from: {old.name} đã thuộc {used[old.code]}")
            used[old.code] = new.name
            successions.append(SuccessionSpec(old.code, new.code, day, kind, basis))
    old_provinces = {c for c, u in units.items() if c.startswith("P63-")}
    new_provinces = {c for c, u in units.items() if c.startswith("P34-")}
    for code in sorted(old_provinces - set(used)):
        errors.append(f"{MERGERS_YAML.name}: tỉnh cũ {units[code].name} ({code}) không thuộc tỉnh mới nào")
    for code in sorted(new_provinces - {s.successor for s in successions}):
        errors.append(f"{MERGERS_YAML.name}: tỉnh mới {units[code].name} ({code}) không có tỉnh tiền thân")
    if errors:
        raise SeedDataError(errors)
    return successions, day


def _fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        return template.format(**values)
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    return template


def _province_departments(province: UnitSpec, data: dict[str, Any], override_of: dict[str, Any]) -> dict[str, UnitSpec]:
    """The departments the template gives one province (by symbol), each within the province's
    lifetime and its own; ``override_of`` the province's overrides by symbol."""
    kind = _province_kind(province.attributes.get("division_type", ""))
    values = {
        "province": province.name,
        "province_upper": province.name.upper(),
        "province_code": province.code,
        "kind": kind,
        "kind_upper": kind.upper(),
    }
    found: dict[str, UnitSpec] = {}
    for entry in data["template"]:
        override = override_of.get(entry["symbol"], {})
        merged = {**entry, **override, "attributes": {**entry.get("attributes", {}), **override.get("attributes", {})}}
        start = max((d for d in (merged.get("valid_from"), province.valid_from) if d), default=None)
        end = min((d for d in (merged.get("valid_to"), province.valid_to) if d), default=None)
        if start and end and start >= end:
            continue  # the entry does not apply to this province's lifetime
        filled = _fill(merged, {**values, "symbol": entry["symbol"]})
        found[entry["symbol"]] = UnitSpec(
            code=_fill(data["code"], {**values, "symbol": entry["symbol"]}),
            name=filled["name"],
            full_name=filled["full_name"],
            level=UnitLevel.DEPARTMENT,
            parent=province.code,
            valid_from=start,
            valid_to=end,
            attributes=filled["attributes"],
        )
    return found


def _department_successions(
    data: dict[str, Any], by_province: dict[str, dict[str, UnitSpec]], province_successions: list[SuccessionSpec]
) -> list[SuccessionSpec]:
    """A department renamed within its province (the rules' "from" → "to"), and departments
    following their provinces across the merger."""
    successions: list[SuccessionSpec] = []
    for rule in data.get("successions") or []:
        for depts in by_province.values():
            before, after = depts.get(rule["from"]), depts.get(rule["to"])
            if before and after and after.valid_from and before.valid_to == after.valid_from:
                successions.append(
                    SuccessionSpec(before.code, after.code, after.valid_from, rule["kind"], rule.get("legal_basis", ""))
                )
    # the one that ended on the merger day hands over to the reporting department of the new province
    for ps in province_successions:
        old = [d for d in by_province.get(ps.predecessor, {}).values() if d.valid_to == ps.date]
        new = [d for d in by_province.get(ps.successor, {}).values() if d.is_valid_on(ps.date)]
        successions.extend(
            SuccessionSpec(before.code, after.code, ps.date, ps.kind, ps.legal_basis) for before in old for after in new
        )
    return successions


def _departments(
    provinces: list[UnitSpec], province_successions: list[SuccessionSpec]
) -> tuple[list[UnitSpec], list[SuccessionSpec]]:
    data = _read_yaml(DEPARTMENTS_YAML)
    overrides: dict[str, dict[str, Any]] = data.get("overrides") or {}
    bad = sorted(set(overrides) - {p.code for p in provinces})
    if bad:
        raise SeedDataError(f"{DEPARTMENTS_YAML.name}, overrides: không có tỉnh mã {', '.join(bad)}")
    by_province = {p.code: _province_departments(p, data, overrides.get(p.code) or {}) for p in provinces}
    specs = [spec for depts in by_province.values() for spec in depts.values()]
    return specs, _department_successions(data, by_province, province_successions)


def _apply_aliases(units: dict[str, UnitSpec]) -> None:
    data = _read_yaml(ALIASES_YAML) or {}
    for code, aliases in data.items():
        if code not in units:
            raise SeedDataError(f"{ALIASES_YAML.name}: không có đơn vị mã {code}")
        units[code].attributes["aliases"] = list(aliases)


def load_specs() -> tuple[list[UnitSpec], list[SuccessionSpec]]:
    """Everything the seed wants in the database, parents before children, checked."""
    merger_day = _read_yaml(MERGERS_YAML)["effective"]
    country = UnitSpec(code=COUNTRY_CODE, name="Việt Nam", full_name="Việt Nam", level=UnitLevel.COUNTRY, parent=None)
    admin_units = [country, *_legacy_units(merger_day), *_current_units(merger_day)]
    by_code = {u.code: u for u in admin_units}
    if len(by_code) != len(admin_units):
        dupes = [c for c, n in Counter(u.code for u in admin_units).items() if n > 1]
        raise SeedDataError(f"Mã đơn vị lặp lại: {', '.join(dupes[:10])}")
    _apply_aliases(by_code)
    province_successions, _ = _merger_successions(by_code)
    provinces = [u for u in admin_units if u.level == UnitLevel.PROVINCE]
    departments, department_successions = _departments(provinces, province_successions)
    units = [*admin_units, *departments]
    by_code.update({d.code: d for d in departments})
    errors = []
    for unit in units:
        unit.attributes = dict(unit.attributes)
        if unit.parent is not None and unit.parent not in by_code:
            errors.append(f"{unit.code}: không có đơn vị cấp trên {unit.parent}")
    if errors:
        raise SeedDataError(errors)
    return units, province_successions + department_successions


def read_population() -> list[dict[str, Any]]:
    """Rows of data/population.csv (unit_code, gso_code, name, year, population, source) —
    for the service that stores them as values of the indicator `dan_so`."""
    with POPULATION_CSV.open(encoding="utf-8", newline="") as fh:
        return [{**row, "year": int(row["year"]), "population": int(row["population"])} for row in csv.DictReader(fh)]


# ---------------------------------------------------------------- writing


def _depth(spec: UnitSpec, by_code: dict[str, UnitSpec]) -> int:
    depth = 0
    while spec.parent is not None:
        depth += 1
        spec = by_code[spec.parent]
    return depth


def _fill_paths() -> None:
    """Set the path of every just-created unit (path "") whose parent already has one.

    One UPDATE per tree level instead of one per row: the seed writes ~14 000 units.
    """
    OrgUnit.objects.filter(path="", parent__isnull=True).update(
        path=Concat(Value("/"), Cast("id", CharField()), Value("/"), output_field=CharField())
    )
    parent_path = OrgUnit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1]
    OrgUnit.objects.filter(path="", parent__isnull=False, parent__path__gt="").update(
        path=Concat(Subquery(parent_path), Cast("id", CharField()), Value("/"), output_field=CharField())
    )


def seed_administrative_units(actor: Actor) -> SeedResult:
    """Create or correct the administrative units, departments and successions (idempotent)."""
    require_admin(actor)
    started = time.monotonic()
    specs, succession_specs = load_specs()
    by_code = {s.code: s for s in specs}
    result = SeedResult()
    with transaction.atomic():
        existing = {u.code: u for u in OrgUnit.objects.all()}
        ids = {code: u.pk for code, u in existing.items()}
        missing_by_depth: dict[int, list[UnitSpec]] = {}
        for spec in specs:
            if spec.code not in existing:
                missing_by_depth.setdefault(_depth(spec, by_code), []).append(spec)
        # Create first, parents before children, so that a unit moved below a new parent
        # (after a data change) finds it; paths of moved subtrees are rewritten afterwards.
        for depth in sorted(missing_by_depth):
            objs = [
                OrgUnit(**_wanted_fields(s), code=s.code, attributes=s.attributes, path="",
                        parent_id=ids[s.parent] if s.parent else None)
                for s in missing_by_depth[depth]
            ]
            OrgUnit.objects.bulk_create(objs, batch_size=1000)
            if any(o.pk is None for o in objs):  # a backend that cannot return ids from bulk inserts
                fresh = dict(OrgUnit.objects.filter(code__in=[o.code for o in objs]).values_list("code", "pk"))
                for o in objs:
                    o.pk = fresh[o.code]
            for o in objs:
                ids[o.code] = o.pk
                result.created[str(o.level)] += 1
            _fill_paths()

        to_update: list[OrgUnit] = []
        moved: list[OrgUnit] = []
        for spec in specs:
            unit = existing.get(spec.code)
            if unit is None:
                continue
            wanted = _wanted_fields(spec)
            # Keys others added to attributes (a signer, a phone number) are kept; the data
            # files own only the keys they name.
            wanted["attributes"] = {**unit.attributes, **spec.attributes}
            wanted["parent_id"] = ids[spec.parent] if spec.parent else None
            if all(getattr(unit, k) == v for k, v in wanted.items()):
                result.unchanged += 1
                continue
            if unit.parent_id != wanted["parent_id"]:
                moved.append(unit)
            for k, v in wanted.items():
                setattr(unit, k, v)
            to_update.append(unit)
            result.updated.append(unit.code)
        if to_update:
            OrgUnit.objects.bulk_update(to_update, [*UNIT_FIELDS, "attributes", "parent"], batch_size=500)
        for unit in moved:
            # Re-read both paths: an earlier move in this loop may have rewritten them.
            old_path = OrgUnit.objects.get(pk=unit.pk).path
            parent_path = OrgUnit.objects.get(pk=unit.parent_id).path if unit.parent_id else "/"
            _rewrite_subtree(old_path, f"{parent_path}{unit.pk}/")

        _seed_successions(succession_specs, ids, result)
        result.seconds = time.monotonic() - started
        if result.changed:
            record(
                actor, "orgunit.seed", "orgunit", "seed",
                summary=f"Nạp đơn vị hành chính: {result.summary()}",
                after={
                    "created": dict(result.created),
                    "updated": result.updated[:100],
                    "updated_count": len(result.updated),
                    "successions_created": result.successions_created,
                    "successions_updated": result.successions_updated,
                    "sources": {
                        "vietnam_provinces": vietnam_provinces.__version__,
                        "legacy": LEGACY_SOURCE,
                    },
                },
                reason="Nạp hoặc cập nhật đơn vị hành chính từ dữ liệu kèm theo phần mềm",
            )
    return result


def _wanted_fields(spec: UnitSpec) -> dict[str, Any]:
    return {
        "name": spec.name,
        "full_name": spec.full_name,
        "search_name": search_key(spec.name),
        "level": spec.level,
        "gso_code": spec.gso_code,
        "valid_from": spec.valid_from,
        "valid_to": spec.valid_to,
    }


def _seed_successions(specs: list[SuccessionSpec], ids: dict[str, int], result: SeedResult) -> None:
    existing = {(s.predecessor_id, s.successor_id): s for s in UnitSuccession.objects.all()}
    to_create: list[UnitSuccession] = []
    to_update: list[UnitSuccession] = []
    for spec in specs:
        key = (ids[spec.predecessor], ids[spec.successor])
        row = existing.get(key)
        if row is None:
            to_create.append(
                UnitSuccession(predecessor_id=key[0], successor_id=key[1], date=spec.date, kind=spec.kind,
                               legal_basis=spec.legal_basis)
            )
        elif (row.date, row.kind, row.legal_basis) != (spec.date, spec.kind, spec.legal_basis):
            row.date, row.kind, row.legal_basis = spec.date, spec.kind, spec.legal_basis
            to_update.append(row)
    UnitSuccession.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        UnitSuccession.objects.bulk_update(to_update, ["date", "kind", "legal_basis"], batch_size=500)
    result.successions_created += len(to_create)
    result.successions_updated += len(to_update)
