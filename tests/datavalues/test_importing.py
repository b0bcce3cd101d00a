"""Import and export: CSV, XLSX, JSON and the gold/extraction JSON; errors name file, line and field."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from baocao.core.periods import Period
from baocao.datavalues.exporting import export, values_for
from baocao.datavalues.importing import ImportFileError, import_file
from baocao.datavalues.models import DataValue, Source
from baocao.demo import DATA_DIR

pytestmark = pytest.mark.django_db


def test_gold_json_loads_every_fact_with_its_own_period(system_actor, travinh):  # type: ignore[no-untyped-def]
    gold = json.loads((DATA_DIR / "travinh_2022.json").read_text(encoding="utf-8"))
    result = import_file(system_actor, DATA_DIR / "travinh_2022.json", unit=travinh)
    assert result.saved.created == len(gold["facts"])
    rate_2021 = DataValue.objects.get(indicator__code="cntt.qlvb.ty_le_ky_so", period="2021")
    assert rate_2021.value == Decimal("78.54") and rate_2021.source == Source.EXTRACTION
    assert rate_2021.source_ref == "travinh_2022.json"
    target = DataValue.objects.get(indicator__code="ttcs.tap_huan.luot", is_target=True)
    assert (target.period, target.value) == ("2023", 200)
    money = DataValue.objects.get(indicator__code="vt.doanh_thu", period="2022")
    assert (money.value, money.qualifier) == (Decimal(1062000000000), "approx")
    assert DataValue.objects.get(indicator__code="tt.vi_pham").flag == "implausible"
    assert "Trích" in money.comment


def test_csv_with_vietnamese_numbers_and_labels(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "so_lieu.csv"
    path.write_text(
        "indicator;period;value;qualifier;target\n"
        "cntt.cts.tong;quý I/2020;1.599;;\n"
        "cntt.qlvb.ty_le_ky_so;quý I/2020;73,95;;\n"
        "bc.doanh_thu;năm 2022;76000000000;approx;\n"
        "cntt.cts.tong;năm 2023;3.000;;1\n",
        encoding="utf-8",
    )
    result = import_file(system_actor, path, unit=travinh)
    assert result.saved.created == 4
    assert DataValue.objects.get(indicator__code="cntt.cts.tong", period="2020Q1").value == 1599
    assert DataValue.objects.get(indicator__code="cntt.qlvb.ty_le_ky_so").value == Decimal("73.95")
    assert DataValue.objects.get(period="2023").is_target


def test_bad_csv_is_refused_whole_with_line_and_field(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "loi.csv"
    path.write_text(
        "indicator,period,value\n"
        "cntt.cts.tong,2022,2597\n"
        "cntt.cts.khong_co,2022,1\n"
        "cntt.cts.sim,2022,bảy mươi\n"
        "cntt.cts.usb,quý năm,3\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as info:
        import_file(system_actor, path, unit=travinh)
    text = "\n".join(info.value.messages)
    assert "loi.csv, dòng 4, cột value" in text
    assert "loi.csv, dòng 5, cột period" in text
    assert not DataValue.objects.exists()
    path.write_text(
        "indicator,period,value\ncntt.cts.tong,2022,2597\ncntt.cts.khong_co,2022,1\n", encoding="utf-8"
    )
    with pytest.raises(ImportFileError, match="dòng 3"):
        import_file(system_actor, path, unit=travinh)
    assert not DataValue.objects.exists()


def test_missing_columns_and_bad_json_name_the_place(system_actor, travinh, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "thieu.csv"
    path.write_text("indicator,value\ncntt.cts.tong,1\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="thiếu cột period"):
        import_file(system_actor, path, unit=travinh)
    bad = tmp_path / "hong.json"
    bad.write_text('{"values": [\n {"indicator": "x",,}\n]}', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"hong.json, dòng 2"):
        import_file(system_actor, bad, unit=travinh)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_round_trip(system_actor, travinh, tmp_path, fmt):  # type: ignore[no-untyped-def]
    import_file(system_actor, DATA_DIR / "travinh_quy1_2020.json", unit=travinh)
    before = {(v.indicator.code, v.period, v.is_target): v.value for v in DataValue.objects.all()}
    path = tmp_path / f"xuat.{fmt}"
    path.write_bytes(export(values_for(system_actor, periods=[Period.from_code("2020Q1")]), fmt))
    DataValue.objects.all().delete()
    import_file(system_actor, path)
    after = {(v.indicator.code, v.period, v.is_target): v.value for v in DataValue.objects.all()}
    assert after == {k: v for k, v in before.items() if k[1] == "2020Q1"}
