"""find_unit and the lineage helpers on the seeded units."""

from __future__ import annotations

import datetime

import pytest

from baocao.access.access import visible_units
from baocao.orgunits.lookup import UnitNotFound, find_unit, predecessors, successors, unit_on, units_on
from baocao.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

OLD = datetime.date(2022, 1, 1)
NEW = datetime.date(2025, 8, 1)


def code(text: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return find_unit(text, **kwargs).code


@pytest.mark.parametrize("text", ["Trà Vinh", "tỉnh Trà Vinh", "Tỉnh Trà Vinh", "Tra Vinh", "TRÀ VINH", " tra  vinh "])
def test_names_of_old_tra_vinh(text: str) -> None:
    assert code(text, on=OLD) == "P63-84"


@pytest.mark.parametrize("text", ["TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Hồ Chí Minh", "TPHCM", "TP.HCM", "tp ho chi minh"])
def test_names_of_ho_chi_minh_city(text: str) -> None:
    assert code(text, on=OLD) == "P63-79"
    assert code(text, on=NEW) == "P34-79"


def test_on_picks_the_unit_valid_that_day() -> None:
    assert code("Vĩnh Long", on=OLD) == "P63-86"
    assert code("Vĩnh Long", on=NEW) == "P34-86"
    assert code("Vĩnh Long") == "P34-86"  # default: today
    assert code("Vĩnh Long", on=datetime.date(2025, 6, 30)) == "P63-86"
    assert code("Vĩnh Long", on=datetime.date(2025, 7, 1)) == "P34-86"


def test_province_wins_over_district_of_the_same_name() -> None:
    assert code("Trà Vinh", on=OLD) == "P63-84"
    assert code("Trà Vinh", on=OLD, level="district") == "D63-842"
    assert code("Thành phố Trà Vinh", on=OLD, level="district") == "D63-842"
    assert code("huyện Càng Long", on=OLD) == "D63-844"


def test_codes() -> None:
    assert code("VN") == "VN"
    assert code("P34-86") == "P34-86"
    assert code("p63-84", on=NEW) == "P63-84"  # an explicit code is taken as is, whatever the day
    assert code("P34-1") == "P34-01"
    assert code("84", on=OLD) == "P63-84"  # GSO code
    assert code("86", on=NEW) == "P34-86"


def test_aliases() -> None:
    assert code("Thừa Thiên Huế", on=OLD) == "P63-46"
    assert code("Huế", on=OLD) == "P63-46"
    assert code("Huế", on=NEW) == "P34-46"


def test_merged_away_province_lists_where_it_went() -> None:
    with pytest.raises(UnitNotFound) as excinfo:
        find_unit("Trà Vinh", on=NEW, level="province")
    message = str(excinfo.value)
    assert "P63-84" in message and "Tỉnh Vĩnh Long (P34-86" in message
    assert [u.code for u in excinfo.value.candidates] == ["P63-84"]


def test_not_found_suggests_similar_names() -> None:
    with pytest.raises(UnitNotFound) as excinfo:
        find_unit("Trà Vin", on=OLD)
    assert "Trà Vinh" in str(excinfo.value)
    with pytest.raises(UnitNotFound):
        find_unit("Không có tỉnh này")
    with pytest.raises(UnitNotFound):
        find_unit("   ")


def test_ambiguous_lists_candidates() -> None:
    with pytest.raises(UnitNotFound) as excinfo:
        find_unit("Phường 1", on=OLD)
    assert len(excinfo.value.candidates) > 1
    assert "W63-" in str(excinfo.value)


def test_restricted_to_given_units(province_admin) -> None:  # type: ignore[no-untyped-def]
    from baocao.access.access import Perm

    scope = visible_units(province_admin, Perm.VIEW)
    assert find_unit("Trà Vinh", on=OLD, units=scope).code == "P63-84"  # a predecessor of Vĩnh Long
    with pytest.raises(UnitNotFound):
        find_unit("Hà Nội", on=OLD, units=scope)


def test_predecessors_and_successors() -> None:
    new = OrgUnit.objects.get(code="P34-86")
    assert [u.code for u in predecessors(new, transitive=False)] == ["P63-83", "P63-84", "P63-86"]
    old = OrgUnit.objects.get(code="P63-84")
    assert predecessors(old) == []
    assert [u.code for u in successors(old)] == ["P34-86"]
    stttt = OrgUnit.objects.get(code="P63-84-STTTT")
    assert [u.code for u in successors(stttt)] == ["P63-84-SKHCN"]
    assert [u.code for u in successors(stttt, transitive=True)] == ["P63-84-SKHCN", "P34-86-SKHCN"]


def test_unit_on() -> None:
    old = OrgUnit.objects.get(code="P63-84")
    new = OrgUnit.objects.get(code="P34-86")
    assert unit_on(old, OLD) == old
    assert unit_on(old, NEW) == new
    assert unit_on(OrgUnit.objects.get(code="P34-01"), OLD).code == "P63-01"
    assert [u.code for u in units_on(new, OLD)] == ["P63-83", "P63-84", "P63-86"]
    with pytest.raises(UnitNotFound) as excinfo:
        unit_on(new, OLD)
    assert len(excinfo.value.candidates) == 3
    dept = OrgUnit.objects.get(code="P34-86-SKHCN")
    assert [u.code for u in units_on(dept, datetime.date(2025, 4, 1))] == [
        "P63-83-SKHCN", "P63-84-SKHCN", "P63-86-SKHCN",
    ]
    assert unit_on(OrgUnit.objects.get(code="P63-84-STTTT"), NEW).code == "P34-86-SKHCN"


def test_a_former_province_name_is_not_silently_read_as_a_ward() -> None:
    # Since 1 July 2025 "Trà Vinh" is a ward of Vĩnh Long; a report saying "Trà Vinh" means
    # the former province far more often, so find_unit refuses to guess.
    with pytest.raises(UnitNotFound) as excinfo:
        find_unit("Trà Vinh", on=NEW)
    message = str(excinfo.value)
    assert "W34-29242" in message and "P63-84" in message and "P34-86" in message
    assert code("Trà Vinh", on=NEW, level="commune") == "W34-29242"
    assert code("phường Trà Vinh", on=NEW) == "W34-29242"
