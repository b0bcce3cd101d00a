"""Streaming bulk import: set validation naming file/line/field, all-or-nothing, history of changes."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from baocao.access.access import AccessDenied
from baocao.access.models import Membership, Role
from baocao.audit.models import AuditEvent
from baocao.datavalues.bulk import BulkImportError, bulk_import
from baocao.datavalues.models import DataValue, ValueChange

pytestmark = pytest.mark.django_db


def _csv(tmp_path: Path, lines: list[str], name: str = "so_lieu.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_is_loaded_and_changes_keep_old_values(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    rows = ["indicator,unit,period,value"] + [
        f"cntt.qlvb.vb_di,{travinh.code},2022Q{q},{100 * q}" for q in range(1, 5)
    ] + ["cntt.cts.tong,Trà Vinh,quý IV/2022,\"2.597\""]
    result = bulk_import(system_actor, _csv(tmp_path, rows))
    assert (result.rows, result.created, result.updated, result.unchanged) == (5, 5, 0, 0)
    assert DataValue.objects.get(indicator__code="cntt.cts.tong", unit=travinh, period="2022Q4").value == 2597
    again = ["indicator,unit,period,value", f"cntt.qlvb.vb_di,{travinh.code},2022Q1,150",
             f"cntt.qlvb.vb_di,{travinh.code},2022Q2,200"]  # fmt: skip
    result = bulk_import(system_actor, _csv(tmp_path, again, "sua.csv"), reason="sửa số quý I")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    change = ValueChange.objects.get()
    assert (change.old_value, change.new_value) == (Decimal(100), Decimal(150))
    event = change.event
    assert event.action == "value.bulk_import" and event.reason == "sửa số quý I" and event.entity_id == "sua.csv"
    assert event.after["updated"] == 1


def test_errors_name_file_line_and_field_and_nothing_is_stored(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    rows = [
        "indicator;unit;period;value",
        f"cntt.qlvb.vb_di;{travinh.code};2022;10",
        f"khong.co;{travinh.code};2022;10",
        f"cntt.qlvb.vb_den;{travinh.code};quý V/2022;10",
        "cntt.qlvb.vb_den;Không Có Tỉnh Này;2022;10",
        f"cntt.qlvb.vb_ky_so;{travinh.code};2022;mười",
        f"cntt.qlvb.vb_ky_so;{travinh.code};2026;5",
        f"cntt.qlvb.vb_di;{travinh.code};2022;11",
    ]
    with pytest.raises(BulkImportError) as info:
        bulk_import(system_actor, _csv(tmp_path, rows))
    text = "\n".join(info.value.messages)
    assert "so_lieu.csv, dòng 3, cột indicator: mã chỉ tiêu 'khong.co'" in text
    assert "dòng 4, cột period" in text and "dòng 5, cột unit" in text
    assert "dòng 6, cột value" in text and "dòng 7, cột unit" in text
    assert DataValue.objects.count() == 0
    rows = ["indicator,unit,period,value", f"cntt.qlvb.vb_di,{travinh.code},2022,10", f"cntt.qlvb.vb_di,{travinh.code},2022,11"]
    with pytest.raises(BulkImportError, match=re.escape("dòng 3: giá trị cntt.qlvb.vb_di kỳ 2022 lặp lại")):
        bulk_import(system_actor, _csv(tmp_path, rows))
    assert not AuditEvent.objects.filter(action="value.bulk_import").exists()


def test_permission_is_checked_per_unit(travinh, tmp_path):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username="nhap.travinh", password="x-very-long-pass-1")
    Membership.objects.create(user=user, unit=travinh, role=Role.DATA_ENTRY)
    other = travinh.parent.children.exclude(pk=travinh.pk).filter(level="province").first()
    ok = ["indicator,unit,period,value", f"cntt.qlvb.vb_di,{travinh.code},2022,10"]
    assert bulk_import(user, _csv(tmp_path, ok)).created == 1
    bad = [*ok, f"cntt.qlvb.vb_di,{other.code},2022,10"]
    with pytest.raises(AccessDenied, match="không có quyền nhập"):
        bulk_import(user, _csv(tmp_path, bad, "b.csv"))
    assert DataValue.objects.count() == 1


def test_json_and_xlsx_stream_too(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    items = [{"indicator": "cntt.qlvb.vb_di", "period": f"2021Q{q}", "value": q} for q in range(1, 5)]
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"values": items}, ensure_ascii=False, indent=1), encoding="utf-8")
    assert bulk_import(system_actor, path, unit=travinh).created == 4
    lines = tmp_path / "v.jsonl"
    lines.write_text("\n".join(json.dumps({**i, "period": i["period"].replace("2021", "2020")}) for i in items))
    assert bulk_import(system_actor, lines, unit=travinh).created == 4
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã chỉ tiêu", "Kỳ", "Giá trị"])
    sheet.append(["cntt.cts.tong", "2022", 12.5])
    book.save(tmp_path / "v.xlsx")
    assert bulk_import(system_actor, tmp_path / "v.xlsx", unit=travinh).created == 1
    bad = tmp_path / "bad.json"
    bad.write_text('[{"indicator": "cntt.qlvb.vb_di", "period": "2022", "value": 1},\n {"indicator": ', encoding="utf-8")
    with pytest.raises(BulkImportError, match=re.escape("bad.json, dòng 2")):
        bulk_import(system_actor, bad, unit=travinh)
