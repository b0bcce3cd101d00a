"""Reporting as it is done today: indicators with a validity interval, the series they replace
and their source; comparisons across a change of reporting are not made between unlike figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.catalog.models import Field, Indicator, in_force
from baocao.catalog.services import INDICATORS_CSV, CatalogError, load_catalog
from baocao.core.periods import Period
from baocao.datavalues.services import set_value
from baocao.datavalues.validation import FAIL, validate
from baocao.reports.builder import build_report
from baocao.reports.document import Table

pytestmark = pytest.mark.django_db


def _catalog_with(tmp_path, old: str, new: str):  # type: ignore[no-untyped-def]
    text = INDICATORS_CSV.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "indicators.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_the_2022_rules_replace_levels_3_and_4_with_a_linked_series() -> None:
    new = Indicator.objects.get(code="cntt.dvc.toan_trinh")
    old = Indicator.objects.get(code="cntt.dvc.muc4")
    assert (new.replaces, new.valid_from, old.valid_to) == ("cntt.dvc.muc4", date(2022, 8, 1), date(2022, 7, 31))
    assert "42/2022/NĐ-CP" in new.source
    in_2023 = set(Indicator.objects.filter(in_force(Period.from_code("2023"))).values_list("code", flat=True))
    in_2021 = set(Indicator.objects.filter(in_force(Period.from_code("2021"))).values_list("code", flat=True))
    assert "cntt.dvc.toan_trinh" in in_2023 and "cntt.dvc.muc4" not in in_2023
    assert "cntt.dvc.muc4" in in_2021 and "cntt.dvc.toan_trinh" not in in_2021
    # the year of the change holds both
    assert {"cntt.dvc.muc4", "cntt.dvc.toan_trinh"} <= set(
        Indicator.objects.filter(in_force(Period.from_code("2022"))).values_list("code", flat=True)
    )


def test_todays_figures_and_science_have_their_own_codes() -> None:
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {
        "cntt.dvc.mot_phan", "cntt.hoso.ty_le_truc_tuyen", "cntt.thanh_toan.ty_le", "cntt.so_hoa.ty_le_ho_so",
        "vt.tram_4g", "vt.tram_5g", "vt.tb_truyen_hinh_tra_tien", "vt.nop_ngan_sach", "cntt.cts.luy_ke",
        "cntt.cds.to_cong_nghe_so", "cntt.cds.dti.xep_hang", "xb.dang_ky_photocopy_mau", "khcn.nhiem_vu",
    } <= codes
    # science and technology is a field of its own, never an ICT code
    assert Field.objects.get(code="khcn").indicators.count() >= 5
    assert not Indicator.objects.filter(field__code__in=["cntt", "vt", "bc"], code__startswith="khcn").exists()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (",2022-08-01,,cntt.dvc.muc4,", ",2022-13-01,,cntt.dvc.muc4,", "2022-13-01"),
        (",2022-08-01,,cntt.dvc.muc4,", ",2022-08-01,,cntt.dvc.khong_co,", "cntt.dvc.khong_co"),
        (",2022-08-01,,cntt.dvc.muc4,", ",2022-05-01,,cntt.dvc.muc4,", "valid_to trước valid_from"),
    ],
)
def test_a_broken_change_of_reporting_is_refused_naming_the_line(system_actor, tmp_path, old, new, message):  # type: ignore[no-untyped-def]
    with pytest.raises(CatalogError) as info:
        load_catalog(system_actor, indicators_csv=_catalog_with(tmp_path, old, new))
    assert any(message in m for m in info.value.messages), info.value.messages
    assert Indicator.objects.get(code="cntt.dvc.toan_trinh").valid_from == date(2022, 8, 1)


def test_a_new_rate_is_checked_against_its_parts(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    period = Period.from_code("2023")
    for code, value in [("cntt.hoso.tiep_nhan", 1000), ("cntt.hoso.truc_tuyen", 400), ("cntt.hoso.ty_le_truc_tuyen", 60)]:
        set_value(system_actor, indicator=code, unit=travinh, period=period, value=Decimal(value))
    failed = [f for f in validate(travinh, period) if f.status == FAIL]
    assert any(f.rule == "rate:cntt.hoso.ty_le_truc_tuyen" for f in failed)


def test_the_report_does_not_compare_across_the_change(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    y2022, y2023 = Period.from_code("2022"), Period.from_code("2023")
    set_value(system_actor, indicator="cntt.mcdt.tthc", unit=travinh, period=y2022, value=1800)
    set_value(system_actor, indicator="cntt.dvc.tong", unit=travinh, period=y2022, value=1700)
    set_value(system_actor, indicator="cntt.dvc.muc4", unit=travinh, period=y2022, value=850)
    set_value(system_actor, indicator="cntt.mcdt.tthc", unit=travinh, period=y2023, value=1800)
    set_value(system_actor, indicator="cntt.dvc.toan_trinh", unit=travinh, period=y2023, value=900)
    report = build_report(travinh, y2023)
    appendix = next(a for a in report.appendices if a.key == "chi_tieu")
    table = next(b for b in appendix.blocks if isinstance(b, Table))
    rows = {table.cell_text(r, 1): [table.cell_text(r, c) for c in range(6)] for r in range(len(table.rows))
            if r not in table.group_rows}
    toan_trinh = rows["Dịch vụ công trực tuyến toàn trình"]
    assert toan_trinh[3] == "900"
    assert toan_trinh[4] == "850 (cách tính cũ)"
    assert toan_trinh[5] == "Không so sánh (đổi cách tính)"
    # the old series is not a row of a 2023 report
    assert "Tỷ lệ dịch vụ công trực tuyến mức độ 4" not in rows


def test_the_entry_form_lists_what_is_in_force_in_its_period(travinh) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    admin = get_user_model().objects.create_superuser("qt-catalog", password="x-secret-12345")
    client = Client()
    client.force_login(admin)

    def page(period: str) -> str:
        url = reverse("web:entry-section", kwargs={"unit": travinh.code, "period": period, "field": "cntt"})
        return client.get(url).content.decode()

    p2023, p2021 = page("2023"), page("2021")
    assert "Dịch vụ công trực tuyến toàn trình" in p2023 and "Dịch vụ công trực tuyến mức độ 4" not in p2023
    assert "Dịch vụ công trực tuyến mức độ 4" in p2021 and "Dịch vụ công trực tuyến toàn trình" not in p2021



def test_a_trend_across_the_change_draws_the_old_series_apart(system_actor, travinh) -> None:  # type: ignore[no-untyped-def]
    from baocao.core.periods import PeriodType
    from baocao.web.charts_data import periods_between, trend

    for year, code, value in [(2020, "cntt.dvc.muc4", 300), (2021, "cntt.dvc.muc4", 420),
                              (2023, "cntt.dvc.toan_trinh", 900), (2024, "cntt.dvc.toan_trinh", 1000)]:
        set_value(system_actor, indicator=code, unit=travinh, period=Period.from_code(str(year)), value=value)
    series = trend(Indicator.objects.get(code="cntt.dvc.toan_trinh"), travinh, periods_between(PeriodType.YEAR, 2020, 2024))
    assert "không so sánh được do thay đổi cách thống kê từ ngày 01/08/2022" in series.note
    chart = series.chart("", labels=["2020", "2021", "2022", "2023", "2024"])
    new, old = chart["datasets"][0], chart["datasets"][-1]
    assert new["data"] == [None, None, None, 900.0, 1000.0]
    assert old["label"].startswith("Dịch vụ công trực tuyến mức độ 4") and old["data"][:2] == [300.0, 420.0]
