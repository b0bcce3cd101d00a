"""The seeded administrative units (the session database is seeded once by tests/conftest.py)."""

from __future__ import annotations

import datetime
import time
from collections import Counter

import pytest
import yaml

from baocao.access.access import AccessDenied
from baocao.audit.models import AuditEvent
from baocao.orgunits import seed as seed_module
from baocao.orgunits.lookup import department_of, predecessors, successors
from baocao.orgunits.models import OrgUnit, SuccessionKind, UnitLevel, UnitSuccession
from baocao.orgunits.seed import MERGERS_YAML, load_specs, read_population, seed_administrative_units

MERGER_DAY = datetime.date(2025, 7, 1)
DEPT_MERGER_DAY = datetime.date(2025, 3, 1)


def _count(prefix: str, level: str) -> int:
    return OrgUnit.objects.filter(code__startswith=prefix, level=level).count()


@pytest.mark.django_db
def test_counts() -> None:
    assert OrgUnit.objects.filter(level=UnitLevel.COUNTRY).count() == 1
    assert _count("P63-", UnitLevel.PROVINCE) == 63
    assert _count("P34-", UnitLevel.PROVINCE) == 34
    # vietnam-provinces 0.6.0 is the state of January 2025: 696 districts (705 before the
    # 2023–2025 rearrangements) and 10 051 communes.
    assert _count("D63-", UnitLevel.DISTRICT) == 696
    assert _count("W63-", UnitLevel.COMMUNE) == 10_051
    assert _count("W34-", UnitLevel.COMMUNE) == 3_321
    assert _count("P63-", UnitLevel.DEPARTMENT) == 63 * 2
    assert _count("P34-", UnitLevel.DEPARTMENT) == 34


@pytest.mark.django_db
def test_every_unit_has_a_consistent_path() -> None:
    units = {u.pk: u for u in OrgUnit.objects.filter(code__regex=r"^(VN|[PDW](34|63)-)")}
    for unit in units.values():
        if unit.parent_id is None:
            assert unit.path == f"/{unit.pk}/"
        else:
            assert unit.path == f"{units[unit.parent_id].path}{unit.pk}/", unit.code


@pytest.mark.django_db
def test_structure_validity_intervals() -> None:
    old = OrgUnit.objects.get(code="P63-84")
    assert (old.valid_from, old.valid_to) == (None, MERGER_DAY)
    assert old.full_name == "Tỉnh Trà Vinh" and old.name == "Trà Vinh"
    new = OrgUnit.objects.get(code="P34-86")
    assert (new.valid_from, new.valid_to) == (MERGER_DAY, None)
    assert new.full_name == "Tỉnh Vĩnh Long"
    assert not OrgUnit.objects.filter(code__startswith="W63-").exclude(valid_to=MERGER_DAY).exists()
    assert not OrgUnit.objects.filter(code__startswith="W34-").exclude(valid_from=MERGER_DAY).exists()
    hanoi = OrgUnit.objects.get(code="P34-01")
    assert (hanoi.name, hanoi.full_name) == ("Hà Nội", "Thành phố Hà Nội")
    ward = OrgUnit.objects.get(code="W34-00070")
    assert (ward.name, ward.full_name, ward.parent, ward.attributes["division_type"]) == (
        "Hoàn Kiếm", "Phường Hoàn Kiếm", hanoi, "phường",
    )
    commune = OrgUnit.objects.get(code="W63-00001")
    assert commune.parent.code == "D63-001" and commune.parent.parent.code == "P63-01"


@pytest.mark.django_db
def test_second_run_changes_nothing(system_actor) -> None:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.count()
    successions = UnitSuccession.objects.count()
    started = time.monotonic()
    result = seed_administrative_units(system_actor)
    assert time.monotonic() - started < 10
    assert not result.changed
    assert result.unchanged == OrgUnit.objects.filter(code__regex=r"^(VN|[PDW](34|63)-)").count()
    assert AuditEvent.objects.count() == events
    assert UnitSuccession.objects.count() == successions


@pytest.mark.django_db
def test_seed_repairs_a_changed_unit_with_one_summary_event(system_actor) -> None:  # type: ignore[no-untyped-def]
    OrgUnit.objects.filter(code="P63-84").update(name="Tra Vinh sai", search_name="tra vinh sai")
    OrgUnit.objects.filter(code="P63-84-STTTT").update(attributes={"place": "Sai", "signer": "Nguyễn Văn A"})
    events = AuditEvent.objects.count()
    result = seed_administrative_units(system_actor)
    assert sorted(result.updated) == ["P63-84", "P63-84-STTTT"]
    assert OrgUnit.objects.get(code="P63-84").name == "Trà Vinh"
    dept = OrgUnit.objects.get(code="P63-84-STTTT")
    assert dept.attributes["place"] == "Trà Vinh"
    assert dept.attributes["signer"] == "Nguyễn Văn A"  # keys the data files do not name are kept
    assert AuditEvent.objects.count() == events + 1
    summary = AuditEvent.objects.latest("id")
    assert summary.action == "orgunit.seed" and summary.after["updated_count"] == 2


@pytest.mark.django_db
def test_seed_needs_a_system_administrator(plain_user, province_admin) -> None:  # type: ignore[no-untyped-def]
    for user in (plain_user, province_admin):
        with pytest.raises(AccessDenied):
            seed_administrative_units(user)


def test_merger_file_maps_each_old_province_to_exactly_one_new() -> None:
    data = yaml.safe_load(MERGERS_YAML.read_text(encoding="utf-8"))
    assert "202/2025/QH15" in data["legal_basis"]
    assert data["effective"] == MERGER_DAY
    news = [e["new"] for e in data["provinces"]]
    olds = [code for e in data["provinces"] for code in e["from"]]
    assert len(news) == len(set(news)) == 34
    assert len(olds) == len(set(olds)) == 63
    assert all(len(e["from"]) >= 1 for e in data["provinces"])
    assert sum(1 for e in data["provinces"] if len(e["from"]) == 1) == 11


@pytest.mark.django_db
def test_merger_in_database() -> None:
    province_successions = UnitSuccession.objects.filter(
        predecessor__level=UnitLevel.PROVINCE, successor__level=UnitLevel.PROVINCE
    )
    per_old = Counter(province_successions.values_list("predecessor__code", flat=True))
    assert len(per_old) == 63 and set(per_old.values()) == {1}
    per_new = Counter(province_successions.values_list("successor__code", flat=True))
    assert len(per_new) == 34 and min(per_new.values()) >= 1
    assert set(province_successions.values_list("date", flat=True)) == {MERGER_DAY}

    def names(unit: OrgUnit) -> set[str]:
        return {u.name for u in predecessors(unit) if u.level == UnitLevel.PROVINCE}

    assert names(OrgUnit.objects.get(code="P34-86")) == {"Trà Vinh", "Bến Tre", "Vĩnh Long"}
    assert names(OrgUnit.objects.get(code="P34-82")) == {"Tiền Giang", "Đồng Tháp"}
    assert names(OrgUnit.objects.get(code="P34-33")) == {"Thái Bình", "Hưng Yên"}
    assert names(OrgUnit.objects.get(code="P34-79")) == {"Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}
    hanoi = UnitSuccession.objects.get(predecessor__code="P63-01", successor__code="P34-01")
    assert hanoi.kind == SuccessionKind.RENAME
    travinh = UnitSuccession.objects.get(predecessor__code="P63-84")
    assert travinh.kind == SuccessionKind.MERGE and "202/2025/QH15" in travinh.legal_basis
    assert successors(OrgUnit.objects.get(code="P63-84")) == [OrgUnit.objects.get(code="P34-86")]


@pytest.mark.django_db
def test_departments() -> None:
    stttt = OrgUnit.objects.get(code="P63-84-STTTT")
    assert stttt.level == UnitLevel.DEPARTMENT and stttt.parent.code == "P63-84"
    assert (stttt.valid_from, stttt.valid_to) == (None, DEPT_MERGER_DAY)
    assert stttt.attributes == {
        "governing_body": "UBND TỈNH TRÀ VINH",
        "agency": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "symbol": "STTTT",
        "place": "Trà Vinh",
        "reporting": True,
    }
    old_skhcn = OrgUnit.objects.get(code="P63-84-SKHCN")
    assert (old_skhcn.valid_from, old_skhcn.valid_to) == (DEPT_MERGER_DAY, MERGER_DAY)
    assert old_skhcn.attributes["symbol"] == "SKHCN"
    assert old_skhcn.attributes["agency"] == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert OrgUnit.objects.get(code="P63-01-STTTT").attributes["governing_body"] == "UBND THÀNH PHỐ HÀ NỘI"
    # Only the Sở KH&CN under the provinces created on 1 July 2025.
    assert not OrgUnit.objects.filter(code__startswith="P34-", code__endswith="-STTTT").exists()
    new = OrgUnit.objects.get(code="P34-86-SKHCN")
    assert new.attributes["governing_body"] == "UBND TỈNH VĨNH LONG"
    # Overrides from departments.yaml.
    hue = OrgUnit.objects.get(code="P63-46-STTTT").attributes
    assert hue["governing_body"] == "UBND TỈNH THỪA THIÊN HUẾ"
    assert OrgUnit.objects.get(code="P34-79-SKHCN").attributes["place"] == "Thành phố Hồ Chí Minh"

    merge = UnitSuccession.objects.get(predecessor=stttt)
    assert (merge.successor, merge.kind, merge.date) == (old_skhcn, SuccessionKind.MERGE, DEPT_MERGER_DAY)
    assert {u.code for u in predecessors(new)} == {
        "P63-83-SKHCN", "P63-84-SKHCN", "P63-86-SKHCN", "P63-83-STTTT", "P63-84-STTTT", "P63-86-STTTT",
    }


@pytest.mark.django_db
def test_department_of() -> None:
    travinh = OrgUnit.objects.get(code="P63-84")
    assert department_of(travinh, datetime.date(2022, 6, 30)).code == "P63-84-STTTT"
    assert department_of(travinh, datetime.date(2025, 3, 1)).code == "P63-84-SKHCN"
    # After the merger the old province's reports are the new province's department's.
    assert department_of(travinh, datetime.date(2025, 9, 1)).code == "P34-86-SKHCN"
    commune = OrgUnit.objects.get(code="W63-00001")  # a commune of Hà Nội
    assert department_of(commune, datetime.date(2020, 1, 1)).code == "P63-01-STTTT"
    # New Vĩnh Long in 2022 was three provinces: no single department.
    assert department_of(OrgUnit.objects.get(code="P34-86"), datetime.date(2022, 1, 1)) is None
    assert department_of(OrgUnit.objects.get(code="VN"), datetime.date(2022, 1, 1)) is None


def test_population_file() -> None:
    rows = read_population()
    old = {r["unit_code"]: r for r in rows if r["unit_code"].startswith("P63-")}
    new = {r["unit_code"]: r for r in rows if r["unit_code"].startswith("P34-")}
    assert len(old) == 63 and len(new) == 34
    # TĐTDS 2019: 96 208 984 persons; the six regional totals of the published results.
    assert sum(r["population"] for r in old.values()) == 96_208_984
    assert old["P63-84"]["population"] == 1_009_168
    assert all(r["year"] == 2019 for r in rows)
    mergers = yaml.safe_load(MERGERS_YAML.read_text(encoding="utf-8"))["provinces"]
    for entry in mergers:
        expected = sum(old[f"P63-{code}"]["population"] for code in entry["from"])
        assert new[f"P34-{entry['new']}"]["population"] == expected
        assert "tổng" in new[f"P34-{entry['new']}"]["source"].lower()


def test_specs_are_consistent() -> None:
    units, successions = load_specs()
    codes = {u.code for u in units}
    assert len(codes) == len(units)
    by_code = {u.code: u for u in units}
    for unit in units:
        if unit.parent:
            parent = by_code[unit.parent]
            # A unit lives within its parent's lifetime.
            assert parent.valid_from is None or (unit.valid_from or datetime.date.min) >= parent.valid_from
            assert parent.valid_to is None or (unit.valid_to or datetime.date.max) <= parent.valid_to
    for s in successions:
        assert by_code[s.predecessor].valid_to == s.date, s
        assert by_code[s.successor].is_valid_on(s.date), s


def test_bad_merger_file_is_reported_with_its_place(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = MERGERS_YAML.read_text(encoding="utf-8").replace('"84": "Trà Vinh", ', "")
    bad = tmp_path / "mergers_2025.yaml"
    bad.write_text(text, encoding="utf-8")
    monkeypatch.setattr(seed_module, "MERGERS_YAML", bad)
    with pytest.raises(seed_module.SeedDataError) as excinfo:
        load_specs()
    assert "Trà Vinh (P63-84) không thuộc tỉnh mới nào" in str(excinfo.value)


def test_build_legacy_rows() -> None:
    from baocao.orgunits.data.build_legacy import build_rows

    nested = [
        {
            "name": "Tỉnh Trà Vinh", "code": 84,
            "districts": [
                {"name": "Thành Phố Trà Vinh", "code": 842, "wards": [{"name": "Phường 1", "code": 29242}]},
                {"name": "Huyện Càng Long", "code": 844, "wards": [{"name": "Thị trấn Càng Long", "code": 29254}]},
            ],
        }
    ]
    rows = build_rows(nested)
    assert [(r["level"], r["gso_code"], r["parent_gso_code"], r["division_type"], r["name"], r["full_name"])
            for r in rows] == [
        ("province", "84", "", "tỉnh", "Trà Vinh", "Tỉnh Trà Vinh"),
        ("district", "842", "84", "thành phố", "Trà Vinh", "Thành phố Trà Vinh"),
        ("commune", "29242", "842", "phường", "Phường 1", "Phường 1"),
        ("district", "844", "84", "huyện", "Càng Long", "Huyện Càng Long"),
        ("commune", "29254", "844", "thị trấn", "Càng Long", "Thị trấn Càng Long"),
    ]
