"""Real published texts (fixtures/real, batch01 …): the measure of the extractor.

Press articles and department news that nobody on the project wrote, annotated blind
(fixtures/real/README.md).  The corpus is scored with hints (the gold's province and
period given, as `baocao extract --unit/--period` would) and without; the totals and every
batch must stay at what the extractor reached after the fixes (a small margin below), so a
regression fails.  The rules of the report's own period (rules/report_period.yaml) run on
their examples here.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from baocao.core.periods import Period
from baocao.extraction import extract_file, extract_text, score
from baocao.extraction.lexicon import default_lexicon
from baocao.extraction.province import find_period, find_province, press_period_rules
from baocao.extraction.scoring import PRF

from .conftest import FIXTURES

REAL = FIXTURES / "real"
MARGIN = 0.01
# fact F1 reached after the fixes (hints, no hints); the tests assert these less MARGIN
TOTAL_F1 = {"hints": 0.966, "no_hints": 0.831}
BATCH_F1: dict[str, tuple[float, float] | None] = {
    "batch01": (0.943, 0.943),
    "batch02": (0.961, 0.961),
    "batch03": (0.955, 0.955),
    "batch04": (0.974, 0.974),
    "batch05": (0.974, 0.769),
    "batch06": (0.923, 0.923),
    "batch07": (1.000, 1.000),
    "batch08": (0.944, 0.674),
    "batch09": (0.990, 0.876),
    "batch10": (0.968, 0.774),
    "batch11": (0.983, 0.339),
    "batch12": (0.933, 0.773),
    "batch13": (1.000, 0.739),
    "batch14": (0.971, 0.971),
    "batch15": (0.972, 0.901),
    "batch16": (0.976, 0.976),
    "batch17": (1.000, 1.000),
    "batch18": (0.949, 0.814),
    "batch19": (0.947, 0.842),
    "batch20": (0.943, 0.920),
    "batch21": (0.984, 0.689),
    "batch22": (1.000, 0.615),
    "batch23": (0.949, 0.780),
    "batch24": (0.945, 0.800),
    "batch25": (1.000, 0.730),
    "batch26": (0.978, 0.978),
    "batch27": (0.955, 0.682),
    "batch28": (0.933, 0.800),
    "batch29": (0.959, 0.603),
    "batch30": (1.000, 0.818),
}


def _hints(gold: dict[str, Any]) -> dict[str, str | None]:
    period = gold.get("period")
    code = Period.from_dict(period).code if isinstance(period, dict) else None
    return {"unit": gold.get("province") or None, "period": code}


@cache
def _batch_score(batch: str, hinted: bool) -> PRF:
    total = PRF(0, 0, 0)
    for gold_path in sorted((REAL / batch).glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        given = _hints(gold) if hinted else {}
        predicted = extract_file(gold_path.parent / gold["source"], **given)
        total = total + score(predicted, gold).facts
    return total


def _batches() -> list[str]:
    return sorted(p.name for p in REAL.glob("batch*") if p.is_dir())


def test_every_batch_has_a_floor() -> None:
    assert set(_batches()) == set(BATCH_F1)


def _scored_batches() -> list[str]:
    return [batch for batch in _batches() if BATCH_F1[batch] is not None]


@pytest.mark.parametrize("batch", _scored_batches())
def test_real_batch_holds(batch: str) -> None:
    floors = BATCH_F1[batch]
    assert floors is not None
    hints, no_hints = floors
    assert _batch_score(batch, True).f1 >= hints - MARGIN
    assert _batch_score(batch, False).f1 >= no_hints - MARGIN


@pytest.mark.parametrize("mode", ["hints", "no_hints"])
def test_real_corpus_total(mode: str) -> None:
    total = PRF(0, 0, 0)
    for batch in _scored_batches():
        total = total + _batch_score(batch, mode == "hints")
    assert total.f1 >= TOTAL_F1[mode] - MARGIN, f"{mode}: fact F1 {total.f1:.3f}"


def _rules() -> list[Any]:
    rules = press_period_rules()
    return [rules.titled, *rules.votes, *rules.as_of, rules.not_before]


def _examples() -> list[tuple[str, int]]:
    return [(rule.id, i) for rule in _rules() for i in range(len(rule.examples))]


def test_every_report_period_rule_has_an_example() -> None:
    for rule in _rules():
        assert rule.examples, f"{rule.id}: no example"


@pytest.mark.parametrize(("rule_id", "index"), _examples())
def test_report_period_rule_example(rule_id: str, index: int) -> None:
    rule = next(r for r in _rules() if r.id == rule_id)
    example = rule.examples[index]
    found = find_period(example["text"], 0)
    assert found is not None and found.code == str(example["gives"]), (
        f"{rule_id}: {example['text']!r} → {found}"
    )


def test_a_titled_report_keeps_its_title_period() -> None:
    text = "BÁO CÁO\nKết quả công tác năm 2022 và phương hướng nhiệm vụ năm 2023\n\nNăm 2021, …"
    found = find_period(text, 0)
    assert found is not None and found.code == "2022"


@pytest.mark.parametrize(
    ("head", "year"),
    [
        ("Cập nhật, 16:53, Thứ Tư, 18/11/2020 (GMT+7)", "2020"),
        # "Năm qua" on a January page: the year before
        ("13/01/2021 15:14\n\nNăm qua,", "2020"),
        # a date the other way round, and in words
        ("2021-01-12 08:00\n\nNăm qua,", "2020"),
        ("Ngày 20 tháng 11 năm 2019", "2019"),
        ("Thứ Năm, 21 tháng 11, 2019 09:30", "2019"),
        ("Đăng lúc 2019.11.21 09:30", "2019"),
        # a stored page's stamp of the month alone
        ("date 2023-10 Sở cho biết chiều 9/10 tại buổi gặp mặt báo chí.", "2023"),
        ("date 2023-10", "2023"),
    ],
)
def test_a_dated_page_without_a_year_in_its_body(head: str, year: str) -> None:
    found = find_period(f"{head}\n\nToàn tỉnh có 805.400 thuê bao.", 0)
    assert found is not None and found.code == year


def test_the_day_of_the_event_dates_a_text_without_a_dated_head() -> None:
    lead = "Hội nghị chuyển đổi số tỉnh\n\n" + "Các đại biểu dự hội nghị. " * 20
    # the state told on the day of an event is that month's
    found = find_period(lead + "\nChiều 14/10/2022, Ban Chỉ đạo họp. Toàn tỉnh có 805.400 thuê bao.", 0)
    assert found is not None and found.code == "202210"
    # a January meeting looks back on the year before; a named year outvotes the day
    found = find_period(lead + "\nSáng 9/1/2023, Sở họp. Toàn tỉnh có 805.400 thuê bao.", 0)
    assert found is not None and found.code == "2022"
    found = find_period(lead + "\nSáng 9/5/2023, Sở họp. Năm 2021, toàn tỉnh có 805.400 thuê bao.", 0)
    assert found is not None and found.code == "2021"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # an event on a day opening the text, no year voted: the state it tells is that month's
        ("(Tin Sở) - Ngày 12/9/2018, Sở tổ chức hội nghị về in ấn. Tỉnh hiện có 11 cơ sở in.", "201809"),
        ("Theo Sở TT&TT, ngày 3/4/2016, Đoàn kiểm tra làm việc với tỉnh. Đến nay, Sở đã cấp 900 chứng thư số.", "201604"),
        ("Ngày 15/11/2020, UBND tỉnh ban hành Quyết định số 88/QĐ-UBND. Hiện tại, Cổng có 35 trang thành phần.", "202011"),
        # a page dated on a line of its own, no event: its year
        ("08:15 12/9/2018\n\nTỉnh hiện có 11 cơ sở in.", "2018"),
        # a January event looks back on the year before; a year named outvotes the day
        ("Ngày 9/1/2019, Sở họp tổng kết. Toàn tỉnh có 11 cơ sở in.", "2018"),
        ("Ngày 12/9/2018, Sở họp. Năm 2017, toàn tỉnh có 11 cơ sở in.", "2017"),
    ],
)
def test_the_month_of_the_event_a_text_tells(text: str, code: str) -> None:
    found = find_period(text, 0)
    assert found is not None and found.code == code


def test_the_start_of_a_span_in_the_head_is_no_page_date() -> None:
    # "Từ ngày 01/01/2019, …" tells when something began: no January page looking back on 2018
    text = "Từ ngày 01/01/2019, tỉnh gửi, nhận văn bản điện tử trên trục liên thông. Hiện có 523 dịch vụ công mức độ 3, 4."
    assert find_period(text, 0) is None


def test_a_document_issued_past_the_head_is_no_event_of_the_text() -> None:
    lead = "Chuyển đổi số của tỉnh\n\n" + "Công tác chuyển đổi số được quan tâm triển khai. " * 9
    later = "\n\nNgày 31/8/2021, Ban Thường vụ Tỉnh ủy ban hành Nghị quyết số 17-NQ/TU về chuyển đổi số."
    # the text is written after the document's day: that year, not its month
    found = find_period(lead + "Đến nay, tỷ lệ hồ sơ trực tuyến đạt 40%." + later, 0)
    assert found is not None and found.code == "2021"
    # opening the text, the issue is its news: that month
    found = find_period(later.strip() + " Đến nay, tỷ lệ hồ sơ trực tuyến đạt 40%.", 0)
    assert found is not None and found.code == "202108"


def test_a_goal_year_names_no_period_nor_the_merged_province() -> None:
    # "muốn … vào năm 2025" is a goal: no period of 2025, so Sóc Trăng stays Sóc Trăng
    text = (
        "Sóc Trăng muốn kinh tế số chiếm 10% GRDP vào năm 2025\n\nChiều 4/1, lãnh đạo tỉnh Sóc Trăng làm việc "
        "với Bộ. Tỉnh Sóc Trăng cách Cần Thơ 62km, có dân số hơn 1,1 triệu người."
    )
    period = find_period(text, 0)
    assert period is None
    assert find_province(text, default_lexicon().provinces, period) == "Sóc Trăng"


def test_real_texts_are_kept_with_their_sources() -> None:
    for batch in _batches():
        listed = (REAL / batch / "sources.csv").read_text(encoding="utf-8")
        for gold_path in (REAL / batch).glob("*.json"):
            assert json.loads(gold_path.read_text(encoding="utf-8"))["source"] in listed


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("Theo Bưu điện tỉnh Lào Cai, năm 2023 có 150 điểm phục vụ.", "Lào Cai"),
        ("Viettel Nam Định đã lắp đặt 120 trạm 4G.", "Nam Định"),
        ("Năm 2019, Sở Y tế tỉnh Cà Mau triển khai bệnh án điện tử.", "Cà Mau"),
        ("Người dân thị trấn Sông Cầu, Thái Nguyên dùng điện thoại thông minh.", "Thái Nguyên"),
        # the city by the name of the unit tree (orgunits: "Hồ Chí Minh", "Thành phố Hồ Chí Minh")
        ("UBND TP. HCM vừa báo cáo tình hình cải cách thủ tục hành chính tháng 8/2025.", "Hồ Chí Minh"),
        ("Ban Chỉ đạo của UBND Thành phố Hồ Chí Minh vừa họp giao ban quý III/2025.", "Hồ Chí Minh"),
        ("TP.Hồ Chí Minh hiện có 2.251 thủ tục hành chính.", "Hồ Chí Minh"),
    ],
)
def test_the_province_from_an_agency_or_a_place(text: str, province: str) -> None:
    assert find_province(text, default_lexicon().provinces) == province


def test_a_number_partly_in_words_goes_on_with_a_smaller_scale() -> None:
    facts = extract_text(
        "Toàn tỉnh có hơn 1 triệu 200 nghìn thuê bao di động.", unit="Cà Mau", period="2020"
    )["facts"]
    assert [(f["indicator"], f["value"], f["qualifier"]) for f in facts] == [
        ("vt.tb_di_dong.tong", 1200000, "more_than")
    ]
