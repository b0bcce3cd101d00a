"""The org-unit write path: permission, validation, paths, audit, atomicity."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from baocao.access.access import AccessDenied
from baocao.audit.models import AuditEvent
from baocao.orgunits import services
from baocao.orgunits.lookup import predecessors, successors
from baocao.orgunits.models import OrgUnit, SuccessionKind, UnitLevel, UnitSuccession
from baocao.orgunits.services import close_unit, create_unit, record_succession, update_unit

pytestmark = pytest.mark.django_db

D2026 = datetime.date(2026, 1, 1)


def vn() -> OrgUnit:
    return OrgUnit.objects.get(code="VN")


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def events(entity_id: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(entity="orgunit", entity_id=str(entity_id)).order_by("id"))


def test_create_sets_path_search_name_and_audit(system_actor) -> None:  # type: ignore[no-untyped-def]
    province = create_unit(
        system_actor, code="T-PROV", name="Đắk Thử", full_name="Tỉnh Đắk Thử", level=UnitLevel.PROVINCE,
        parent=vn(), gso_code="99", valid_from=D2026, attributes={"division_type": "tỉnh"}, reason="thử",
    )
    assert province.path == f"{vn().path}{province.pk}/"
    assert province.search_name == "dak thu"
    assert unit("T-PROV").path == province.path
    (created,) = events(province.pk)
    assert created.action == "orgunit.create" and created.before is None
    assert created.after["code"] == "T-PROV" and created.after["parent"] == "VN"
    assert created.after["valid_from"] == "2026-01-01"
    assert created.reason == "thử" and created.actor_id == system_actor.pk and created.unit_id == province.pk


def test_validation_errors_name_the_field(system_actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        create_unit(system_actor, code="P34-86", name="", level="tinh", parent=vn(),
                    valid_from=D2026, valid_to=datetime.date(2025, 1, 1))
    errors = excinfo.value.message_dict
    assert set(errors) == {"code", "name", "level", "valid_to"}
    assert "P34-86" in errors["code"][0] and "đã có" in errors["code"][0]
    # A department cannot outlive its province.
    with pytest.raises(ValidationError) as excinfo:
        create_unit(system_actor, code="T-DEPT", name="Sở thử", level=UnitLevel.DEPARTMENT, parent=unit("P63-84"))
    assert "01/07/2025" in excinfo.value.message_dict["valid_to"][0]
    with pytest.raises(ValidationError) as excinfo:
        update_unit(system_actor, unit("P34-86"), path="/1/")
    assert "path" in excinfo.value.message_dict
    assert not OrgUnit.objects.filter(code__startswith="T-").exists()


def test_permission_denied_for_non_admin(plain_user, province_admin) -> None:  # type: ignore[no-untyped-def]
    for user in (plain_user, province_admin):
        with pytest.raises(AccessDenied):
            create_unit(user, code="T-X", name="X", level=UnitLevel.PROVINCE, parent=vn())
        with pytest.raises(AccessDenied):
            update_unit(user, unit("P34-86"), name="Vĩnh Long mới")
        with pytest.raises(AccessDenied):
            close_unit(user, unit("P34-86"), D2026, "thử")
        with pytest.raises(AccessDenied):
            record_succession(user, [unit("P63-84")], unit("P34-86"), datetime.date(2025, 7, 1))
    with pytest.raises(AccessDenied):
        create_unit(plain_user, code="T-SUB", name="Phòng thử", level=UnitLevel.SUBUNIT, parent=unit("P34-86-SKHCN"))
    assert not OrgUnit.objects.filter(code__startswith="T-").exists()
    assert unit("P34-86").name == "Vĩnh Long"


def test_province_admin_manages_units_of_own_department(province_admin) -> None:  # type: ignore[no-untyped-def]
    dept = unit("P34-86-SKHCN")
    office = create_unit(province_admin, code="T-PHONG", name="Phòng Bưu chính", level=UnitLevel.SUBUNIT,
                         parent=dept, valid_from=datetime.date(2025, 7, 1))
    assert office.path.startswith(dept.path)
    office = update_unit(province_admin, office, name="Phòng Bưu chính, Viễn thông", reason="đổi tên")
    assert office.search_name == "phong buu chinh vien thong"
    # …but not under another province's department.
    with pytest.raises(AccessDenied):
        create_unit(province_admin, code="T-PHONG2", name="Phòng", level=UnitLevel.SUBUNIT,
                    parent=unit("P34-01-SKHCN"), valid_from=datetime.date(2025, 7, 1))
    with pytest.raises(AccessDenied):
        update_unit(province_admin, office, parent=unit("P34-01-SKHCN"))


def test_move_rewrites_the_subtree(system_actor) -> None:  # type: ignore[no-untyped-def]
    district = unit("D63-844")  # Huyện Càng Long, Trà Vinh
    old_path = district.path
    descendants = list(OrgUnit.objects.filter(path__startswith=district.path).exclude(pk=district.pk))
    assert descendants
    target = unit("P63-86")  # Vĩnh Long (old)
    moved = update_unit(system_actor, district, parent=target, reason="thử chuyển")
    assert moved.path == f"{target.path}{district.pk}/"
    for child in descendants:
        child.refresh_from_db()
        assert child.path == f"{moved.path}{child.pk}/"
        assert target.is_ancestor_of(child)
        assert not unit("P63-84").is_ancestor_of(child)
    assert not OrgUnit.objects.filter(path__startswith=old_path).exists()  # nothing left at the old place
    assert district.path == moved.path  # the caller's instance is refreshed too
    event = events(district.pk)[-1]
    assert event.action == "orgunit.move"
    assert event.before["parent"] == "P63-84" and event.after["parent"] == "P63-86"
    assert event.before["path"] == old_path and event.after["path"] == moved.path
    assert event.after["moved_descendants"] == len(descendants)


def test_cannot_move_under_own_subtree(system_actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        update_unit(system_actor, unit("P63-84"), parent=unit("D63-844"))
    assert "parent" in excinfo.value.message_dict


def test_update_audits_before_and_after(system_actor) -> None:  # type: ignore[no-untyped-def]
    dept = unit("P63-84-STTTT")
    attrs = {**dept.attributes, "place": "TP. Trà Vinh"}
    update_unit(system_actor, dept, attributes=attrs, reason="sửa địa danh")
    event = events(dept.pk)[-1]
    assert event.action == "orgunit.update"
    assert event.before["attributes"]["place"] == "Trà Vinh"
    assert event.after["attributes"]["place"] == "TP. Trà Vinh"
    assert event.reason == "sửa địa danh"
    # No change, no event.
    count = AuditEvent.objects.count()
    update_unit(system_actor, unit("P63-84-STTTT"), attributes=attrs)
    assert AuditEvent.objects.count() == count


def test_failing_service_leaves_nothing_half_written(system_actor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    district = unit("D63-844")
    paths = dict(OrgUnit.objects.filter(path__startswith=district.path).values_list("pk", "path"))
    events_before = AuditEvent.objects.count()

    def broken_record(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "record", broken_record)
    with pytest.raises(RuntimeError):
        update_unit(system_actor, district, parent=unit("P63-86"), name="Càng Long mới")
    with pytest.raises(RuntimeError):
        create_unit(system_actor, code="T-HALF", name="Nửa chừng", level=UnitLevel.PROVINCE, parent=vn())
    with pytest.raises(RuntimeError):
        record_succession(system_actor, [unit("P63-84-SKHCN")], unit("P34-01-SKHCN"), datetime.date(2025, 7, 1))
    district.refresh_from_db()
    assert district.parent.code == "P63-84" and district.name == "Càng Long"
    assert dict(OrgUnit.objects.filter(path__startswith=district.path).values_list("pk", "path")) == paths
    assert not OrgUnit.objects.filter(code="T-HALF").exists()
    assert not UnitSuccession.objects.filter(predecessor__code="P63-84-SKHCN", successor__code="P34-01-SKHCN").exists()
    assert AuditEvent.objects.count() == events_before

    monkeypatch.setattr(services, "record_many", broken_record)
    province = unit("P34-86")
    with pytest.raises(RuntimeError):
        close_unit(system_actor, province, D2026, "thử")
    assert not OrgUnit.objects.filter(path__startswith=province.path, valid_to=D2026).exists()


def test_close_unit_closes_the_subtree(system_actor) -> None:  # type: ignore[no-untyped-def]
    province = unit("P34-86")
    subtree = OrgUnit.objects.filter(path__startswith=province.path)
    size = subtree.count()
    close_unit(system_actor, province, D2026, "thử đóng")
    assert subtree.filter(valid_to=D2026).count() == size
    closed = AuditEvent.objects.filter(action="orgunit.close")
    assert closed.count() == size
    own = closed.get(entity_id=str(province.pk))
    assert own.before["valid_to"] is None and own.after["valid_to"] == "2026-01-01"
    # The same date again changes nothing; a later one is refused.
    close_unit(system_actor, unit("P34-86"), D2026, "lại")
    assert AuditEvent.objects.filter(action="orgunit.close").count() == size
    with pytest.raises(ValidationError) as excinfo:
        close_unit(system_actor, unit("P34-86"), datetime.date(2027, 1, 1), "muộn hơn")
    assert "valid_to" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        close_unit(system_actor, unit("P34-01"), D2026, "")
    assert "reason" in excinfo.value.message_dict


def test_close_before_start_is_refused(system_actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        close_unit(system_actor, unit("P34-86"), datetime.date(2025, 7, 1), "trước khi có")
    assert "valid_to" in excinfo.value.message_dict


def test_narrowing_interval_with_open_children_is_refused(system_actor) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        update_unit(system_actor, unit("P34-86"), valid_to=D2026)
    assert "close_unit" in excinfo.value.message_dict["valid_to"][0]


def test_reorganisation_workflow(system_actor) -> None:  # type: ignore[no-untyped-def]
    """Two new provinces merge in 2026: create, close, record; the lineage follows."""
    day = D2026
    a = create_unit(system_actor, code="T-A", name="Tỉnh A", level=UnitLevel.PROVINCE, parent=vn(),
                    valid_from=datetime.date(2025, 7, 1))
    b = create_unit(system_actor, code="T-B", name="Tỉnh B", level=UnitLevel.PROVINCE, parent=vn(),
                    valid_from=datetime.date(2025, 7, 1))
    ab = create_unit(system_actor, code="T-AB", name="Tỉnh AB", level=UnitLevel.PROVINCE, parent=vn(), valid_from=day)
    with pytest.raises(ValidationError) as excinfo:
        record_succession(system_actor, [a, b], ab, day)
    assert "close_unit" in excinfo.value.message_dict["predecessors"][0]
    a = close_unit(system_actor, a, day, "sáp nhập")
    b = close_unit(system_actor, b, day, "sáp nhập")
    created = record_succession(system_actor, [a, b], ab, day, legal_basis="Nghị quyết thử", reason="thử")
    assert len(created) == 2
    assert {u.code for u in predecessors(ab)} == {"T-A", "T-B"}
    assert successors(a) == [ab]
    event = AuditEvent.objects.filter(action="succession.create").latest("id")
    assert event.after["successor"] == "T-AB" and event.after["legal_basis"] == "Nghị quyết thử"
    # Recording it again, a cycle or a successor that did not exist then are refused.
    with pytest.raises(ValidationError):
        record_succession(system_actor, [a], ab, day)
    with pytest.raises(ValidationError) as excinfo:
        record_succession(system_actor, [ab], a, day, kind=SuccessionKind.TRANSFER)
    assert "successor" in excinfo.value.message_dict or "predecessors" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        record_succession(system_actor, [], ab, day, kind="bogus")
    assert set(excinfo.value.message_dict) == {"predecessors", "kind"}


def test_root_admin_without_superuser_flag(root_admin) -> None:  # type: ignore[no-untyped-def]
    created = create_unit(root_admin, code="T-ROOT", name="Tỉnh thử", level=UnitLevel.PROVINCE, parent=vn())
    assert created.parent == vn()
