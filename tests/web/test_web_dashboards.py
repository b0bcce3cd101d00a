"""Dashboards: trend, comparison, key figures — numbers in a table beside each chart, CSV export,
and the same scoping as everything else."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from web_helpers import client_for

from baocao.core.periods import Period
from baocao.datavalues.services import set_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(people, system_actor):  # type: ignore[no-untyped-def]
    for year, sent, signed in ((2020, 30000, 15000), (2021, 40000, 28000), (2022, 50000, 40000)):
        period = Period.of_year(year)
        set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=period, value=sent)
        set_value(system_actor, indicator="cntt.qlvb.vb_ky_so", unit=people.province, period=period, value=signed)
    set_value(system_actor, indicator="cntt.qlvb.ty_le_ky_so", unit=people.province, period=Period.of_year(2022),
              value=85, is_target=True)
    y2022 = Period.of_year(2022)
    set_value(system_actor, indicator="cntt.dvc.muc4", unit=people.district_a, period=y2022, value=12)
    set_value(system_actor, indicator="cntt.dvc.muc4", unit=people.district_b, period=y2022, value=30)
    return people


def chart_of(html, name):  # type: ignore[no-untyped-def]
    match = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', html, re.S)
    assert match, name
    return json.loads(match.group(1))


def rows(response):  # type: ignore[no-untyped-def]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_trend_of_a_rate_is_recomputed_from_parts_with_a_table_and_csv(figures):  # type: ignore[no-untyped-def]
    client = client_for(figures.viewer)
    params = {"don_vi": figures.province.code, "chi_tieu": "cntt.qlvb.ty_le_ky_so", "tu": 2020, "den": 2022}
    html = client.get(reverse("web:trend"), params).content.decode()
    chart = chart_of(html, "trend-chart-data")
    assert chart["labels"] == ["năm 2020", "năm 2021", "năm 2022"]
    assert chart["datasets"][0]["data"] == [50.0, 70.0, 80.0]
    assert chart["datasets"][1]["data"] == [None, None, 85.0]  # the plan
    assert "80%" in html and "data-png-for" in html and "chart.umd.js" in html
    exported = rows(client.get(reverse("web:trend"), {**params, "dinh_dang": "csv"}))
    assert [r["gia_tri"] for r in exported] == ["50", "70", "80"]
    assert exported[2]["ke_hoach"] == "85" and exported[2]["ky"] == "2022"


def test_compare_districts_of_a_province(figures):  # type: ignore[no-untyped-def]
    client = client_for(figures.viewer)
    params = {"don_vi": figures.province.code, "chi_tieu": "cntt.dvc.muc4", "ky": "2022"}
    html = client.get(reverse("web:compare"), params).content.decode()
    chart = chart_of(html, "compare-chart-data")
    assert chart["labels"][:2] == [figures.district_b.name, figures.district_a.name]  # biggest first
    assert chart["datasets"][0]["data"][:2] == [30.0, 12.0]
    assert "42" in html  # the province total under the table
    exported = rows(client.get(reverse("web:compare"), {**params, "dinh_dang": "csv"}))
    assert {r["ma_don_vi"] for r in exported} >= {figures.district_a.code, figures.district_b.code}


def test_ministry_compares_provinces(figures):  # type: ignore[no-untyped-def]
    params = {"don_vi": "VN", "chi_tieu": "cntt.qlvb.vb_di", "ky": "2022"}
    html = client_for(figures.ministry).get(reverse("web:compare"), params).content.decode()
    chart = chart_of(html, "compare-chart-data")
    # Only provinces with a figure are drawn; the table lists all 63 provinces of 2022.
    assert chart["labels"] == ["Trà Vinh"] and chart["datasets"][0]["data"] == [50000.0]
    assert chart["horizontal"] is True
    assert "62 đơn vị chưa có số liệu" in html
    table = html[html.index('id="numbers"'):]
    assert table.count("<tr><td class=\"num\">") == 63
    assert table.index("Đà Nẵng") < table.index("Hà Nội")  # Vietnamese order, Đ among the D's


def test_ministry_compare_rolls_provinces_up_from_their_districts_and_recomputes_rates(figures):  # type: ignore[no-untyped-def]
    client = client_for(figures.ministry)
    html = client.get(reverse("web:compare"), {"don_vi": "VN", "chi_tieu": "cntt.dvc.muc4", "ky": "2022"}).content.decode()
    assert chart_of(html, "compare-chart-data")["datasets"][0]["data"] == [42.0]
    assert "tổng hợp từ 2 đơn vị có số liệu" in html
    rate = client.get(reverse("web:compare"), {"don_vi": "VN", "chi_tieu": "cntt.qlvb.ty_le_ky_so", "ky": "2022"})
    assert chart_of(rate.content.decode(), "compare-chart-data")["datasets"][0]["data"] == [80.0]  # 40 000 / 50 000


def test_district_user_cannot_compare_the_province_or_see_another_district(figures):  # type: ignore[no-untyped-def]
    client = client_for(figures.entry_a)
    params = {"don_vi": figures.province.code, "chi_tieu": "cntt.dvc.muc4", "ky": "2022"}
    assert client.get(reverse("web:compare"), params).status_code == 403
    assert client.get(reverse("web:trend"), {"don_vi": figures.district_b.code}).status_code == 403
    assert client.get(reverse("web:key-figures"), {"don_vi": figures.district_b.code}).status_code == 403
    own = client.get(reverse("web:trend"), {"don_vi": figures.district_a.code, "chi_tieu": "cntt.dvc.muc4"})
    assert own.status_code == 200


def test_key_figures_of_a_province(figures):  # type: ignore[no-untyped-def]
    client = client_for(figures.approver)
    params = {"don_vi": figures.province.code, "ky": "2022"}
    html = client.get(reverse("web:key-figures"), params).content.decode()
    assert "Tỷ lệ văn bản đi được ký số" in html and "80%" in html
    assert "▲ 10 điểm %" in html  # 70% → 80%
    assert "Đạt 94,1% kế hoạch" in html  # 80 / 85
    assert "Mật độ thuê bao di động" in html and "chưa có số liệu" in html
    chart = chart_of(html, "key-chart-data")
    assert chart["horizontal"] is True and "năm 2022" in [d["label"] for d in chart["datasets"]]
    exported = rows(client.get(reverse("web:key-figures"), {**params, "dinh_dang": "csv"}))
    signed = next(r for r in exported if r["ma_chi_tieu"] == "cntt.qlvb.ty_le_ky_so")
    assert signed["gia_tri"] == "80" and signed["gia_tri_ky_truoc"] == "70" and signed["hien_thi"] == "80%"


def test_home_shows_completeness_and_timeliness(figures):  # type: ignore[no-untyped-def]
    from baocao.datavalues import workflow

    workflow.submit(figures.entry_a, figures.district_a, Period.of_year(2022))
    html = client_for(figures.approver).get("/", {"ky": "2022"}).content.decode()
    assert "Tình hình gửi báo cáo" in html and "20/12/2022" in html
    assert "Chờ phê duyệt" in html  # the district's submission waits for the approver
    assert f"{1}/{1 + figures.province.children.filter(level='district').count()}" in html
    if date.today() > date(2022, 12, 20):
        assert "quá hạn, chưa gửi" in html and "gửi muộn" in html
    drafts = client_for(figures.entry).get("/", {"ky": "2022"}).content.decode()
    assert "Đang nhập, chưa gửi" in drafts


def test_pages_open_on_the_period_that_holds_the_figures(figures, system_actor):  # type: ignore[no-untyped-def]
    # A register count for the second half of 2022 ends the same day as the year 2022; the pages
    # must still open on the year, where the figures are.
    set_value(system_actor, indicator="vb.so_ban_hanh.ke_hoach", unit=figures.province,
              period=Period.from_code("2022S2"), value=12)
    html = client_for(figures.viewer).get(reverse("web:key-figures")).content.decode()
    assert 'value="năm 2022"' in html
    assert "80%" in html


def test_a_year_rolled_up_from_one_quarter_says_it_is_incomplete(figures, system_actor):  # type: ignore[no-untyped-def]
    q1 = Period.from_code("2019Q1")
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=figures.province, period=q1, value=1000)
    set_value(system_actor, indicator="cntt.qlvb.vb_ky_so", unit=figures.province, period=q1, value=700)
    params = {"don_vi": figures.province.code, "chi_tieu": "cntt.qlvb.ty_le_ky_so", "tu": 2019, "den": 2020}
    html = client_for(figures.viewer).get(reverse("web:trend"), params).content.decode()
    row_2019 = re.search(r"<tr><td>năm 2019</td>.*?</tr>", html, re.S)
    row_2020 = re.search(r"<tr><td>năm 2020</td>.*?</tr>", html, re.S)
    assert row_2019 and "70%" in row_2019.group(0) and "chưa đủ kỳ/đơn vị" in row_2019.group(0)
    assert row_2020 and "chưa đủ kỳ/đơn vị" not in row_2020.group(0)


def test_the_dashboards_open_on_the_unit_of_the_latest_figures_in_scope(people, system_actor):  # type: ignore[no-untyped-def]
    """Without a unit asked, a province's account sees the unit whose figures are the latest
    (read from the summary rows of its scope's top unit); the ministry sees the country."""
    from django.test import RequestFactory

    from baocao.web.views.charts import _default_unit

    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=Period.of_year(2021), value=3)
    set_value(system_actor, indicator="cntt.dvc.muc4", unit=people.district_b, period=Period.from_code("2022Q3"),
              value=4)
    set_value(system_actor, indicator="cntt.dvc.muc4", unit=people.district_a, period=Period.from_code("2022Q1"),
              value=5)
    request = RequestFactory().get("/")
    for user, expected in ((people.viewer, people.district_b), (people.entry_a, people.district_a),
                           (people.ministry, people.province.parent)):  # fmt: skip
        request.user = user
        assert _default_unit(request) == expected, user.username


def test_units_compared_are_those_the_policy_lets_the_user_view(people):  # type: ignore[no-untyped-def]
    """The compare page's units come from the read scope in one query: the same units as asking
    the policy of each child."""
    from baocao.access.access import Perm, can
    from baocao.orgunits.models import OrgUnit
    from baocao.web.scope import comparable_children

    country = OrgUnit.objects.get(parent__isnull=True)
    for user, parent in ((people.ministry, country), (people.viewer, people.province),
                         (people.entry_a, people.province), (people.viewer, country)):  # fmt: skip
        for period in (Period.from_code("2022Q4"), Period.from_code("2025Q4")):
            every = [u for u in OrgUnit.objects.filter(parent=parent).order_by("search_name", "code")
                     if u.level in ("province", "district") and u.overlaps(period.start, period.end)]  # fmt: skip
            got = comparable_children(user, parent, period)
            assert got == [u for u in every if can(user, u, Perm.VIEW)], (user.username, parent.name, period)
    assert comparable_children(people.entry_a, people.province, Period.from_code("2022Q4")) == [people.district_a]
