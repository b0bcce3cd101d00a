"""The shipped catalog: every code of the spec, formulas checked on load, rules checked, admin edits."""

from __future__ import annotations

import csv
import shutil

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from baocao.access.access import AccessDenied
from baocao.audit.models import AuditEvent
from baocao.catalog.models import Indicator, ValidationRule
from baocao.catalog.services import INDICATORS_CSV, RULES_YAML, CatalogError, load_catalog, update_indicator

pytestmark = pytest.mark.django_db


def test_every_spec_code_is_in_the_catalog_with_its_kind(corpus_dir):  # type: ignore[no-untyped-def]
    spec = corpus_dir.parent / "spec" / "indicators.csv"
    with spec.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    stored = {i.code: i for i in Indicator.objects.all()}
    for row in rows:
        ind = stored[row["code"]]
        assert (ind.kind, ind.unit, ind.name_vi, ind.formula) == (row["kind"], row["unit"], row["name_vi"], row["formula"])
    assert stored["dan_so"].yearly_attribute


def test_rate_rules_are_derived_for_rates_with_formulas():  # type: ignore[no-untyped-def]
    assert ValidationRule.objects.filter(code="rate:cntt.qlvb.ty_le_ky_so", kind="rate").exists()
    assert ValidationRule.objects.filter(code="range:cntt.qlvb.ty_le_ky_so", kind="range").exists()


def _copy_with(tmp_path, replace_from: str, replace_to: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "indicators.csv"
    text = INDICATORS_CSV.read_text(encoding="utf-8")
    assert replace_from in text
    path.write_text(text.replace(replace_from, replace_to, 1), encoding="utf-8")
    return path


def test_unknown_code_in_a_formula_is_refused(system_actor, tmp_path):  # type: ignore[no-untyped-def]
    path = _copy_with(tmp_path, "100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di", "100 * cntt.qlvb.vb_ky_so / cntt.qlvb.khong_co")
    with pytest.raises(CatalogError) as info:
        load_catalog(system_actor, indicators_csv=path)
    assert any("indicators.csv" in m and "cntt.qlvb.khong_co" in m for m in info.value.messages)
    assert Indicator.objects.get(code="cntt.qlvb.ty_le_ky_so").formula == "100 * cntt.qlvb.vb_ky_so / cntt.qlvb.vb_di"


def test_a_formula_cycle_is_refused(system_actor, tmp_path):  # type: ignore[no-untyped-def]
    path = _copy_with(tmp_path, "cntt.dvc.muc3 + cntt.dvc.muc4,", "cntt.dvc.muc3 + cntt.dvc.muc34,")
    with pytest.raises(CatalogError, match=r"cycle.*cntt\.dvc\.muc34"):
        load_catalog(system_actor, indicators_csv=path)


def test_a_bad_formula_and_a_bad_kind_name_their_line(system_actor, tmp_path):  # type: ignore[no-untyped-def]
    path = _copy_with(tmp_path, "100 * cntt.email.su_dung_thuong_xuyen / cntt.email.tong", "100 * (cntt.email.tong")
    with pytest.raises(CatalogError) as info:
        load_catalog(system_actor, indicators_csv=path)
    assert any("dòng" in m and "formula" in m for m in info.value.messages)
    path = _copy_with(tmp_path, "văn bản,flow,,,tổng", "văn bản,luong,,,tổng")
    with pytest.raises(CatalogError, match="dòng 2, cột kind"):
        load_catalog(system_actor, indicators_csv=path)


def test_a_rule_naming_an_unknown_code_is_refused(system_actor, tmp_path):  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.yaml"
    shutil.copy(RULES_YAML, rules)
    rules.write_text(rules.read_text(encoding="utf-8").replace("cntt.cts.sim]", "cntt.cts.khong_co]", 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"params\.parts.*cntt\.cts\.khong_co"):
        load_catalog(system_actor, rules_yaml=rules)


def test_reloading_changes_only_what_changed_and_audits_it(system_actor, tmp_path):  # type: ignore[no-untyped-def]
    path = _copy_with(tmp_path, "Trạm BTS,trạm", "Trạm thu phát sóng di động (BTS),trạm")
    result = load_catalog(system_actor, indicators_csv=path)
    assert result.updated == ["vt.tram_bts"] and not result.created
    event = AuditEvent.objects.get(action="indicator.update", entity_id="vt.tram_bts")
    assert event.before["name_vi"] == "Trạm BTS"


def test_only_administrators_edit_indicators(system_actor):  # type: ignore[no-untyped-def]
    ind = Indicator.objects.get(code="vt.tram_bts")
    user = get_user_model().objects.create_user(username="cv", password="x-very-long-pass-1")
    with pytest.raises(AccessDenied):
        update_indicator(user, ind, name_vi="x")
    with pytest.raises(ValidationError):
        update_indicator(system_actor, ind, formula="vt.tram_bts + 1")  # refers to itself: a cycle
    update_indicator(system_actor, ind, note="trạm 2G/3G/4G/5G", reason="bổ sung ghi chú")
    assert AuditEvent.objects.filter(action="indicator.update", reason="bổ sung ghi chú").exists()
