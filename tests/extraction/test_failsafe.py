"""Unknown phrasings must not be forced onto an indicator; overrides and small rules."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from baocao.extraction import ExtractionError, extract_text
from baocao.extraction.lexicon import default_lexicon

CATALOG = Path(__file__).resolve().parents[2].parent / "shared" / "spec" / "indicators.csv"
PRODUCT_CATALOG = Path(__file__).resolve().parents[2] / "baocao" / "catalog" / "data" / "indicators.csv"


def facts(text: str, **kw: object) -> dict[str, object]:
    result = extract_text(text, period="2022", unit="Bến Tre", **kw)  # type: ignore[arg-type]
    return {f["indicator"]: f["value"] for f in result["facts"]}


@pytest.mark.parametrize(
    "sentence",
    [
        "Tổ chức 02 hội thi tìm hiểu pháp luật với 1.250 thí sinh tham gia.",
        "Phối hợp phát hành 3.000 tờ rơi và 25 pano tuyên truyền.",
        "Sở đã tổ chức 5 chuyến công tác tại các huyện miền núi.",
        "Vận động hỗ trợ 120 triệu đồng cho hộ nghèo.",
        "Hiện tại có 02 đ/c học lớp Trung cấp lý luận chính trị.",
        "Tăng 12,5% so với cùng kỳ năm 2021.",
        "Lễ kỷ niệm 75 năm Ngày Thương binh liệt sĩ (27/7/1947 - 27/7/2022).",
    ],
)
def test_unknown_figure_yields_no_fact(sentence: str) -> None:
    assert facts(sentence) == {}


def test_unmatched_listed_only_when_asked() -> None:
    text = "Tổ chức 02 hội thi tìm hiểu pháp luật với 1.250 thí sinh tham gia."
    plain = extract_text(text, period="2022")
    assert "unmatched" not in plain
    asked = extract_text(text, period="2022", include_unmatched=True)
    values = sorted(u["value"] for u in asked["unmatched"])
    assert values == [2, 1250]
    assert all(u["evidence"] in text for u in asked["unmatched"])


def test_known_phrasings_in_one_paragraph() -> None:
    text = (
        "Về chữ ký số: trong năm cấp mới 215 chứng thư số, thu hồi 30 chứng thư số, "
        "nâng tổng số chứng thư số đang hoạt động lên 3.412 (2.900 chứng thư số cá nhân, 512 chứng thư số tổ chức)."
    )
    assert facts(text) == {
        "cntt.cts.cap_moi": 215,
        "cntt.cts.thu_hoi": 30,
        "cntt.cts.tong": 3412,
        "cntt.cts.ca_nhan": 2900,
        "cntt.cts.to_chuc": 512,
    }


def test_zero_and_qualifiers() -> None:
    text = "- Tiếp nhận đơn tố cáo: Không có.\n- Ban hành hơn 150 văn bản chỉ đạo, định hướng các cơ quan báo chí."
    result = extract_text(text, period="2022")
    got = {f["indicator"]: (f["value"], f["qualifier"]) for f in result["facts"]}
    assert got == {"tt.don.to_cao": (0, "exact"), "vb.dinh_huong_bao_chi": (150, "more_than")}


def test_comparison_period_and_target() -> None:
    text = (
        "BÁO CÁO\nKết quả công tác năm 2022\n"
        "I. KẾT QUẢ\n"
        "Có 175.293 văn bản được ký số (tỷ lệ 80,71%), tăng 2,17% so với năm 2021 (78,54%).\n"
        "II. PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2023\n"
        "Phấn đấu tỷ lệ hồ sơ giải quyết trực tuyến đạt 50%.\n"
    )
    result = extract_text(text)
    assert result["period"] == {"type": "year", "year": 2022}
    got = {(f["indicator"], f["value"], str(f["period"]), f["target"]) for f in result["facts"]}
    assert ("cntt.qlvb.ty_le_ky_so", 80.71, "None", False) in got
    assert ("cntt.qlvb.ty_le_ky_so", 78.54, str({"type": "year", "year": 2021}), False) in got
    assert ("cntt.hoso.ty_le_giai_quyet_truc_tuyen", 50, str({"type": "year", "year": 2023}), True) in got
    assert all(v != 2.17 for _, v, _, _ in got)


def test_province_and_period_from_text_and_overrides() -> None:
    text = "SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH BẾN TRE\nBÁO CÁO\nCông tác quý I/2020\nBến Tre, ngày 05 tháng 4 năm 2020"
    result = extract_text(text)
    assert result["province"] == "Bến Tre"
    assert result["period"] == {"type": "quarter", "year": 2020, "quarter": 1}
    over = extract_text("Không có gì.", unit="Cà Mau", period="6 tháng đầu năm 2022")
    assert over["province"] == "Cà Mau"
    assert over["period"] == {"type": "half", "year": 2022, "half": 1}
    with pytest.raises(ExtractionError, match="period override"):
        extract_text("x", period="không phải kỳ")


def test_lexicon_codes_exist_in_catalog() -> None:
    if not CATALOG.is_file():
        pytest.skip("catalog not available")
    codes: set[str] = set()
    # the spec's catalog and the codes the product's catalog added since (valid_from, replaces)
    for path in (CATALOG, PRODUCT_CATALOG):
        with path.open(encoding="utf-8") as fh:
            codes |= {row["code"] for row in csv.DictReader(fh)}
    assert set(default_lexicon().indicators) <= codes


def test_extraction_package_does_not_import_django() -> None:
    code = (
        "import sys, baocao.extraction, baocao.extraction.batch; "
        "from baocao.extraction import extract_text; extract_text('x', period='2022'); "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a qualified round figure in the lead gives way to the exact one below it
        (
            "Tổng số thuê bao di động đạt hơn 1,8 triệu thuê bao.\n\n"
            "Đến nay tổng số thuê bao di động là 1.834.215 thuê bao.",
            {"vt.tb_di_dong.tong": 1834215},
        ),
        # an estimate with all its digits is no rounding of a later figure
        (
            "Tổng số thuê bao di động ước đạt 1.834.215 thuê bao (dân số 1.790.000).",
            {"vt.tb_di_dong.tong": 1834215},
        ),
        # billions with no noun after them are đồng; the field is named earlier in the sentence
        (
            "Doanh thu bưu chính đạt 52 tỷ đồng, tăng 8%; nộp ngân sách 2,1 tỷ, tăng 5%.",
            {"bc.doanh_thu": 52000000000, "bc.nop_ngan_sach": 2100000000},
        ),
        # the words after "trong đó" are the parts', not the whole's
        (
            "Đến nay có 1.600.000 thuê bao điện thoại; hiện có 1.500.000 thuê bao trong đó thuê bao cố"
            " định 30.000 thuê bao.",
            {"vt.tb_dien_thoai.tong": 1600000, "vt.tb_co_dinh": 30000},
        ),
        # a count whose breakdown lists only wired technologies is the fixed broadband one
        (
            "Thuê bao Internet đạt 57.000 thuê bao gồm ADSL, xDSL và FTTH.",
            {"vt.tb_internet.co_dinh": 57000},
        ),
        (
            "Thuê bao Internet đạt 57.000 thuê bao, trong đó FTTH 50.000 thuê bao.",
            {"vt.tb_internet.tong": 57000, "vt.tb_internet.ftth": 50000},
        ),
    ],
)
def test_totals_parts_and_roundings(text: str, expected: dict[str, int]) -> None:
    got = facts(text)
    assert {k: got.get(k) for k in expected} == expected
