"""Figures and periods the database cannot keep exactly are refused with a Vietnamese message that
names the place — in the entry form, the file imports (small and bulk) and the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from web_helpers import client_for

from baocao.api.services import issue_token
from baocao.core.periods import Period
from baocao.datavalues.bulk import BulkImportError, bulk_import
from baocao.datavalues.importing import ImportFileError, import_file
from baocao.datavalues.models import DataValue
from baocao.datavalues.services import ValueError_, set_value

pytestmark = pytest.mark.django_db
SIXTEEN = "1234567890123456"


def test_the_service_refuses_what_it_cannot_store(system_actor, travinh):  # type: ignore[no-untyped-def]
    for value, message in ((SIXTEEN, "quá 15 chữ số"), ("١٢٣", "chữ số không phải 0–9")):
        with pytest.raises(ValueError_, match=message):
            set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=travinh, period=Period.of_year(2022), value=value)
    with pytest.raises(ValueError_, match="năm 1944 ngoài khoảng lưu số liệu"):
        set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=travinh, period=Period.of_year(1944), value=1)
    assert not DataValue.objects.exists()


def test_the_form_names_the_box(people):  # type: ignore[no-untyped-def]
    url = reverse("web:entry-section", kwargs={"unit": people.province.code, "period": "2022", "field": "cntt"})
    client = client_for(people.entry)
    for typed, message in ((SIXTEEN, "quá 15 chữ số"), ("٣٬٥٠٠", "chữ số không phải 0–9")):
        response = client.post(url, {"v:cntt.qlvb.vb_di": typed})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not DataValue.objects.exists()


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(["indicator,unit,period,value", *rows]) + "\n", encoding="utf-8")
    return path


def test_imports_name_the_line(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    code = travinh.code
    path = _csv(tmp_path / "gioi_han.csv", [
        f"cntt.qlvb.vb_di,{code},2022,5",
        f"cntt.qlvb.vb_di,{code},2021,{SIXTEEN}",
        f"cntt.qlvb.vb_di,{code},2020,١٢٣",
        f"cntt.qlvb.vb_di,{code},1900,5",
        f"cntt.qlvb.vb_di,{code},-2019,5",
    ])  # fmt: skip
    with pytest.raises(BulkImportError) as bulk:
        bulk_import(system_actor, path)
    text = "\n".join(bulk.value.messages)
    assert "dòng 3, cột value: '1234567890123456' có 16 chữ số có nghĩa" in text
    assert "dòng 4, cột value: '١٢٣' có chữ số không phải 0–9" in text
    assert "dòng 5, cột period: '1900': năm 1900 ngoài khoảng lưu số liệu" in text
    assert "dòng 6, cột period: '-2019' không phải là kỳ báo cáo" in text
    # The small-file importer reads every row first (what cannot be read), then the service
    # checks what can be stored: each message names its line.
    with pytest.raises(ImportFileError) as small:
        import_file(system_actor, path)
    text = "\n".join(small.value.messages)
    assert "dòng 4, cột value" in text and "0–9" in text and "dòng 6, cột period" in text
    readable = _csv(tmp_path / "doc_duoc.csv", [
        f"cntt.qlvb.vb_di,{code},2022,5", f"cntt.qlvb.vb_di,{code},2021,{SIXTEEN}", f"cntt.qlvb.vb_di,{code},1900,5",
    ])  # fmt: skip
    with pytest.raises(ImportFileError) as small:
        import_file(system_actor, readable)
    text = "\n".join(small.value.messages)
    assert "dòng 3: trường value" in text and "quá 15 chữ số" in text
    assert "dòng 4: trường period: năm 1900 ngoài khoảng lưu số liệu (1945–" in text
    assert not DataValue.objects.exists()


def test_the_api_answers_422_with_the_row(system_actor, people):  # type: ignore[no-untyped-def]
    secret = issue_token(system_actor, people.entry, "thử giới hạn").secret
    headers = {"Authorization": f"Bearer {secret}"}
    def row(period: str, value: object) -> dict[str, object]:
        return {"indicator": "cntt.qlvb.vb_di", "unit": people.province.code, "period": period, "value": value}

    for rows, said in (
        ([row("2022", 1), row("2021", SIXTEEN)], "values[1]: trường value: 1234567890123456 có 16 chữ số có nghĩa"),
        ([row("1900", 1)], "values[0]: trường period: năm 1900 ngoài khoảng lưu số liệu"),
        ([row("2020", "١٢")], "0–9"),
        ([row("-2020", 1)], "kỳ không có dấu âm"),
    ):
        response = Client().post("/api/v1/values", json.dumps({"values": rows}), content_type="application/json",
                                 headers=headers)
        assert response.status_code == 422, response.content
        assert said in json.dumps(response.json(), ensure_ascii=False)
    assert not DataValue.objects.exists()
