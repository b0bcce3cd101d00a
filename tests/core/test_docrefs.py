from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.docrefs import (
    ISSUER_NAMES,
    KIND_BY_TYPE,
    DocRef,
    DocRefError,
    distinct_references,
    find_references,
    issuer_name,
    parse_reference,
)


def _corpus_dir() -> Path:
    default = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
    return Path(os.environ.get("BAOCAO_CORPUS", default))


def _gold_cases() -> list[tuple[str, dict[str, Any], str]]:
    corpus = _corpus_dir()
    cases = []
    for path in sorted((corpus / "gold").glob("*.json")) if corpus.is_dir() else []:
        gold = json.loads(path.read_text(encoding="utf-8"))
        source = corpus / gold["source"]
        if source.is_file():
            cases.append((path.name, gold, source.read_text(encoding="utf-8")))
    return cases


GOLD = _gold_cases()
needs_corpus = pytest.mark.skipif(not GOLD, reason="corpus not available (set BAOCAO_CORPUS)")


# -- single references ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "number", "when", "issuer", "doc_type", "year"),
    [
        (
            "Kế hoạch số 16/KH-UBND ngày 24/02/2022",
            "Kế hoạch",
            "16/KH-UBND",
            date(2022, 2, 24),
            "UBND",
            "KH",
            2022,
        ),
        (
            "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020",
            "Nghị định",
            "45/2020/NĐ-CP",
            date(2020, 4, 8),
            "CP",
            "NĐ",
            2020,
        ),
        (
            "Nghị quyết số 09-NQ/TU ngày 26/01/2022",
            "Nghị quyết",
            "09-NQ/TU",
            date(2022, 1, 26),
            "TU",
            "NQ",
            2022,
        ),
        ("Công văn 4366/BTTTT-HTQT", "Công văn", "4366/BTTTT-HTQT", None, "BTTTT", None, None),
        (
            "Công điện số 1658/CD-TTg ngày 09/12/2019",
            "Công điện",
            "1658/CD-TTg",
            date(2019, 12, 9),
            "TTg",
            "CD",
            2019,
        ),
        (
            "Quyết định số 14/2022/QĐ-UBND ngày 18/7/2022",
            "Quyết định",
            "14/2022/QĐ-UBND",
            date(2022, 7, 18),
            "UBND",
            "QĐ",
            2022,
        ),
        ("Kế hoạch số 47-KH/TU", "Kế hoạch", "47-KH/TU", None, "TU", "KH", None),
        (
            "Thông báo Kết luận số 19-TB/TW ngày 29/12/2016",
            "Thông báo",
            "19-TB/TW",
            date(2016, 12, 29),
            "TW",
            "TB",
            2016,
        ),
        (
            "Chương trình số 15-CTr/TU ngày 31/3/2022",
            "Chương trình",
            "15-CTr/TU",
            date(2022, 3, 31),
            "TU",
            "CTr",
            2022,
        ),
        (
            "Công văn số 250/SKHĐT-TTXXT ngày 26/02/2020",
            "Công văn",
            "250/SKHĐT-TTXXT",
            date(2020, 2, 26),
            "SKHĐT",
            None,
            2020,
        ),
        (
            "Công văn số 135/CATTT-NCSC ngày 09/03/2020",
            "Công văn",
            "135/CATTT-NCSC",
            date(2020, 3, 9),
            "CATTT",
            None,
            2020,
        ),
        (
            "Kế hoạch số 12/KH-BTC ngày 14/02/2022",
            "Kế hoạch",
            "12/KH-BTC",
            date(2022, 2, 14),
            "BTC",
            "KH",
            2022,
        ),
        (
            "Quyết định 1885/QĐ-UBND 08/7/2020",
            "Quyết định",
            "1885/QĐ-UBND",
            date(2020, 7, 8),
            "UBND",
            "QĐ",
            2020,
        ),
        (
            "Quy định số 126-QĐ/TW 28/02/2018",
            "Quy định",
            "126-QĐ/TW",
            date(2018, 2, 28),
            "TW",
            "QĐ",
            2018,
        ),
        (
            "Nghị quyết số 52-NQ/TW, ngày 27/9/2019",
            "Nghị quyết",
            "52-NQ/TW",
            date(2019, 9, 27),
            "TW",
            "NQ",
            2019,
        ),
        (
            "Thông tư số 25/2015/TT-BTTTT ngày 09 tháng 9 năm 2015",
            "Thông tư",
            "25/2015/TT-BTTTT",
            date(2015, 9, 9),
            "BTTTT",
            "TT",
            2015,
        ),
        (
            "Báo cáo số:1407/BC-STTTT-VP ngày 03/11/2017",
            "Báo cáo",
            "1407/BC-STTTT-VP",
            date(2017, 11, 3),
            "STTTT",
            "BC",
            2017,
        ),
        (
            "văn bản số 241/STTTT-TTra ngày 27/02/2020",
            "Văn bản",
            "241/STTTT-TTra",
            date(2020, 2, 27),
            "STTTT",
            None,
            2020,
        ),
        (
            "quyết định số 45/2016/QĐ-TTg",
            "Quyết định",
            "45/2016/QĐ-TTg",
            None,
            "TTg",
            "QĐ",
            2016,
        ),
        (
            "Kế hoạch số 04-KH/BCĐ-TTĐN ngày 14/02/2022",
            "Kế hoạch",
            "04-KH/BCĐ-TTĐN",
            date(2022, 2, 14),
            "BCĐ",
            "KH",
            2022,
        ),
        (
            "Quyết định số 27/QĐ-UBND-UBQGCS",
            "Quyết định",
            "27/QĐ-UBND-UBQGCS",
            None,
            "UBND",
            "QĐ",
            None,
        ),
        (
            "Nghị định số\u00a043/2011/NĐ-CP\u00a0ngày 13/06/2011",
            "Nghị định",
            "43/2011/NĐ-CP",
            date(2011, 6, 13),
            "CP",
            "NĐ",
            2011,
        ),
        (
            "Nghị định số 61/2018/NĐ-CP ngày 23/4/ 2018",
            "Nghị định",
            "61/2018/NĐ-CP",
            date(2018, 4, 23),
            "CP",
            "NĐ",
            2018,
        ),
        (
            "Nghị định số 107/2021/NĐCP",
            "Nghị định",
            "107/2021/NĐCP",
            None,
            "CP",
            "NĐ",
            2021,
        ),
        (
            "Công văn số 144/VNCERT-DPƯC ngày 13/5/2017",
            "Công văn",
            "144/VNCERT-DPƯC",
            date(2017, 5, 13),
            "VNCERT",
            None,
            2017,
        ),
        ("Đề án số 2281/ĐA-STTTT", "Đề án", "2281/ĐA-STTTT", None, "STTTT", "ĐA", None),
        # a name between the kind word and "số" keeps the kind; a date typed with dots
        (
            "Kế hoạch hành động số 12-KH/TU ngày 15.3.2022 của Tỉnh ủy",
            "Kế hoạch",
            "12-KH/TU",
            date(2022, 3, 15),
            "TU",
            "KH",
            2022,
        ),
        (
            "Luật Công nghệ thông tin, viễn thông số 67/2006/QH11",
            "Luật",
            "67/2006/QH11",
            None,
            "QH11",
            None,
            2006,
        ),
        (
            # the law's name stands between the kind word and "số"
            "Luật An toàn thông tin mạng số 86/2015/QH13",
            "Luật",
            "86/2015/QH13",
            None,
            "QH13",
            None,
            2015,
        ),
        (
            "Nghị quyết 36a/NQ-CP ngày 14/10/2015",
            "Nghị quyết",
            "36a/NQ-CP",
            date(2015, 10, 14),
            "CP",
            "NQ",
            2015,
        ),
        ("NGHỊ ĐỊNH SỐ 09/2019/NĐ-CP", "Nghị định", "09/2019/NĐ-CP", None, "CP", "NĐ", 2019),
        ("16/KH-UBND", None, "16/KH-UBND", None, "UBND", "KH", None),
        (
            "Kế hoạch số 16/KH-UBND ngày 24-02-2022",
            "Kế hoạch",
            "16/KH-UBND",
            date(2022, 2, 24),
            "UBND",
            "KH",
            2022,
        ),
    ],
)
def test_parse_reference(
    text: str,
    kind: str | None,
    number: str,
    when: date | None,
    issuer: str | None,
    doc_type: str | None,
    year: int | None,
) -> None:
    ref = parse_reference(text)
    assert (ref.kind, ref.number, ref.date, ref.issuer, ref.doc_type, ref.year) == (
        kind,
        number,
        when,
        issuer,
        doc_type,
        year,
    )
    assert text[ref.start : ref.end] == ref.text


def test_whole_span_is_the_evidence() -> None:
    ref = parse_reference("Kế hoạch số 16/KH-UBND ngày 24/02/2022")
    assert ref.text == "Kế hoạch số 16/KH-UBND ngày 24/02/2022"
    assert (ref.start, ref.end) == (0, len(ref.text))


def test_span_without_date_stops_at_the_symbol() -> None:
    text = "triển khai Thông tư 02/2020/TT-BTTTT Quy định danh mục"
    ref = parse_reference(text)
    assert ref.text == "Thông tư 02/2020/TT-BTTTT"
    assert text[ref.start : ref.end] == ref.text


def test_date_after_line_break() -> None:
    # The 2022 report breaks the paragraph between the symbol and "ngày".
    ref = parse_reference("Nghị định số 107/2021/NĐCP\n\nngày 06/12/2021 của Chính phủ")
    assert ref.date == date(2021, 12, 6)


def test_bare_date_must_stay_on_the_line() -> None:
    ref = parse_reference("Quyết định 1885/QĐ-UBND\n08/7/2020")
    assert ref.date is None


def test_invalid_date_is_left_out() -> None:
    ref = parse_reference("Kế hoạch số 16/KH-UBND ngày 31/02/2022 về")
    assert ref.date is None
    assert ref.text == "Kế hoạch số 16/KH-UBND"


def test_date_needs_a_year() -> None:
    assert parse_reference("Kế hoạch số 16/KH-UBND ngày 24/02 về").date is None


def test_to_gold() -> None:
    ref = parse_reference("Kế hoạch số 16/KH-UBND ngày 24/02/2022")
    assert ref.to_gold() == {
        "kind": "Kế hoạch",
        "number": "16/KH-UBND",
        "date": "2022-02-24",
        "evidence": "Kế hoạch số 16/KH-UBND ngày 24/02/2022",
    }


# -- things that are not references ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ngày 24/02/2022",
        "21/47 hệ thống",
        "quý I/2020",
        "Nghị quyết 36a của Chính phủ",
        "phòng chống cúm A(H5N1)",
        "(ký hiệu: QCVN 84:2021/BTTTT)",
        "(QCVN 131:2022/BTTTT)",
        "giai đoạn 2021-2025",
        "Ngày sách Việt Nam 21/4",
        "(5/1992 - 5/2017)",
        "trạm BTS của Ban Quản lý dự án hạ tầng 2- Tổng Công ty",
        "tỷ lệ 80,71%",
        "https://dichvucong.travinh.gov.vn/",
        "12/abc-def",
        "1.234/KH-UBND",
        "tổng 2.5/KH-UBND",
        "https://x.vn/16/KH-UBND",
        "",
    ],
)
def test_not_references(text: str) -> None:
    assert find_references(text) == []
    with pytest.raises(DocRefError):
        parse_reference(text)


def test_more_than_one_reference_is_an_error() -> None:
    with pytest.raises(DocRefError, match="2 document references"):
        parse_reference("Kế hoạch số 16/KH-UBND và Kế hoạch số 14/KH-UBND")


def test_non_text_rejected() -> None:
    with pytest.raises(DocRefError):
        find_references(None)  # type: ignore[arg-type]


def test_embedded_year_is_not_a_second_reference() -> None:
    refs = find_references("Quyết định số 37/2021/QĐ-TTg ngày 18/12/2021")
    assert [r.number for r in refs] == ["37/2021/QĐ-TTg"]


# -- several references ---------------------------------------------------------------------------


def test_find_references_in_order_with_offsets() -> None:
    text = (
        "Kế hoạch số 16/KH-UBND ngày 24/02/2022 của Ủy ban nhân dân tỉnh về việc triển khai thực hiện "
        "Chương trình số 19-CTr/TU ngày 23/9/2021 của Ban Thường vụ Tỉnh ủy; Kế hoạch số 16/KH-UBND."
    )
    refs = find_references(text)
    assert [r.number for r in refs] == ["16/KH-UBND", "19-CTr/TU", "16/KH-UBND"]
    assert [r.kind for r in refs] == ["Kế hoạch", "Chương trình", "Kế hoạch"]
    for ref in refs:
        assert text[ref.start : ref.end] == ref.text
    assert refs[0].start < refs[1].start < refs[2].start
    assert [r.number for r in distinct_references(text)] == ["16/KH-UBND", "19-CTr/TU"]


def test_nearest_kind_word_wins() -> None:
    refs = find_references("ban hành Kế hoạch thực hiện Kế hoạch số 47-KH/TU của Ban Thường vụ")
    assert len(refs) == 1
    assert refs[0].text == "Kế hoạch số 47-KH/TU"


def test_tables() -> None:
    assert KIND_BY_TYPE["KH"] == "Kế hoạch"
    assert KIND_BY_TYPE["NĐ"] == "Nghị định"
    assert KIND_BY_TYPE["CTr"] == "Chương trình"
    assert ISSUER_NAMES["UBND"] == "Ủy ban nhân dân"
    assert ISSUER_NAMES["TTg"] == "Thủ tướng Chính phủ"
    assert ISSUER_NAMES["BTTTT"] == "Bộ Thông tin và Truyền thông"
    assert ISSUER_NAMES["CP"] == "Chính phủ"
    assert ISSUER_NAMES["TU"] == "Tỉnh ủy"
    assert ISSUER_NAMES["TW"] == "Ban Chấp hành Trung ương"
    assert issuer_name("QH13") == "Quốc hội"
    assert issuer_name("XYZ") is None
    assert issuer_name(None) is None


# -- the corpus -----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@needs_corpus
@pytest.mark.parametrize(("name", "gold", "text"), GOLD, ids=[case[0] for case in GOLD])
def test_every_gold_document_is_found(name: str, gold: dict[str, Any], text: str) -> None:
    by_number: dict[str, list[DocRef]] = {}
    for ref in find_references(text):
        by_number.setdefault(ref.number, []).append(ref)
    problems = []
    for doc in gold["documents"]:
        found = by_number.get(doc["number"])
        if not found:
            problems.append(f"missing {doc['number']}")
            continue
        first = found[0]
        got = (first.kind, first.date.isoformat() if first.date else None)
        if got != (doc["kind"], doc["date"]):
            problems.append(f"{doc['number']}: got {got}, gold {(doc['kind'], doc['date'])}")
        # The gold evidence may stop before a date that follows after a line break.
        if not _squash(first.text).startswith(_squash(doc["evidence"])):
            problems.append(f"{doc['number']}: evidence {first.text!r} vs gold {doc['evidence']!r}")
    assert not problems, f"{name}: " + "; ".join(problems)


@needs_corpus
@pytest.mark.parametrize(("name", "gold", "text"), GOLD, ids=[case[0] for case in GOLD])
def test_no_reference_beyond_the_gold(name: str, gold: dict[str, Any], text: str) -> None:
    gold_numbers = {doc["number"] for doc in gold["documents"]}
    extra = [ref for ref in find_references(text) if ref.number not in gold_numbers]
    for ref in extra:
        print(f"{name}: not in gold: {ref.text!r} at {ref.start}")
    assert extra == []


@needs_corpus
@pytest.mark.parametrize(("name", "gold", "text"), GOLD, ids=[case[0] for case in GOLD])
def test_distinct_references_match_gold_order(name: str, gold: dict[str, Any], text: str) -> None:
    assert [r.number for r in distinct_references(text)] == [doc["number"] for doc in gold["documents"]]


@needs_corpus
@pytest.mark.parametrize(("name", "gold", "text"), GOLD, ids=[case[0] for case in GOLD])
def test_offsets_index_the_corpus_text(name: str, gold: dict[str, Any], text: str) -> None:
    for ref in find_references(text):
        assert text[ref.start : ref.end] == ref.text
        assert ref.number in ref.text


# -- properties -----------------------------------------------------------------------------------

kinds = st.sampled_from(["Kế hoạch", "Quyết định", "Nghị định", "Công văn", "Thông tư", "Chỉ thị"])
state_symbols = st.tuples(
    st.integers(1, 9999),
    st.one_of(st.none(), st.integers(1990, 2030)),
    st.sampled_from(["KH", "QĐ", "NĐ", "TT", "CT"]),
    st.sampled_from(["UBND", "CP", "TTg", "BTTTT", "STTTT"]),
).map(lambda t: f"{t[0]}/{t[1]}/{t[2]}-{t[3]}" if t[1] else f"{t[0]}/{t[2]}-{t[3]}")
party_symbols = st.tuples(
    st.integers(1, 999),
    st.sampled_from(["NQ", "KH", "CT", "CTr", "TB"]),
    st.sampled_from(["TU", "TW", "HU"]),
).map(lambda t: f"{t[0]:02d}-{t[1]}/{t[2]}")


@given(
    kinds,
    st.one_of(state_symbols, party_symbols),
    st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))),
    st.sampled_from(["", "Theo ", "triển khai "]),
    st.sampled_from(["", " của UBND tỉnh.", "; và các văn bản khác"]),
)
def test_generated_references_round_trip(
    kind: str, number: str, when: date | None, prefix: str, suffix: str
) -> None:
    written = f"{kind} số {number}"
    if when is not None:
        written += f" ngày {when.day}/{when.month}/{when.year}"
    text = prefix + written + suffix
    ref = parse_reference(text)
    assert (ref.kind, ref.number, ref.date) == (kind, number, when)
    assert ref.text == written
    assert text[ref.start : ref.end] == written


@given(st.text(max_size=80))
def test_find_references_never_crashes(text: str) -> None:
    for ref in find_references(text):
        assert text[ref.start : ref.end] == ref.text


@pytest.mark.parametrize(
    ("text", "number", "kind", "when", "issuer"),
    [
        # a space after (or before) the hyphen, as offices type it
        (
            "theo Kế hoạch số 16/KH- UBND ngày 12/01/2024 của UBND tỉnh",
            "16/KH-UBND",
            "Kế hoạch",
            date(2024, 1, 12),
            "UBND",
        ),
        ("Kế hoạch 16/KH -UBND ngày 12/01/2024", "16/KH-UBND", "Kế hoạch", date(2024, 1, 12), "UBND"),
        # and in a Party number ("57- NQ/TW")
        ("Nghị quyết số 57- NQ/TW ngày 22/12/2024 của Bộ Chính trị", "57-NQ/TW", "Nghị quyết", date(2024, 12, 22), "TW"),
        # "&" in the issuer's symbol
        (
            "Quyết định số 23/QĐ-SKH&CN ngày 05/3/2025",
            "23/QĐ-SKH&CN",
            "Quyết định",
            date(2025, 3, 5),
            "SKH&CN",
        ),
        (
            "Báo cáo số 120/BC-STT&TT ngày 10/12/2019",
            "120/BC-STT&TT",
            "Báo cáo",
            date(2019, 12, 10),
            "STT&TT",
        ),
        # "số" left out
        (
            "Công văn 1187/STTTT-BCVT ngày 02/10/2023",
            "1187/STTTT-BCVT",
            "Công văn",
            date(2023, 10, 2),
            "STTTT",
        ),
        # a date in words
        (
            "Quyết định số 23/QĐ-UBND ngày 5 tháng Ba năm 2025",
            "23/QĐ-UBND",
            "Quyết định",
            date(2025, 3, 5),
            "UBND",
        ),
        (
            "Kế hoạch 12/KH-UBND ngày mùng 01 tháng mười hai năm 2023",
            "12/KH-UBND",
            "Kế hoạch",
            date(2023, 12, 1),
            "UBND",
        ),
        (
            "Kế hoạch 12/KH-UBND ngày 01 tháng giêng năm 2023",
            "12/KH-UBND",
            "Kế hoạch",
            date(2023, 1, 1),
            "UBND",
        ),
    ],
)
def test_references_as_offices_type_them(text: str, number: str, kind: str, when: date, issuer: str) -> None:
    ref = parse_reference(text)
    assert (ref.number, ref.kind, ref.date, ref.issuer) == (number, kind, when, issuer)
    assert text[ref.start : ref.end] == ref.text


@pytest.mark.parametrize(
    "text",
    [
        "tăng 16/KH - UBND",  # blanks on both sides of a hyphen: prose, not a symbol
        "đạt 2/3 - Tổng số",
        "Sở TT&TT tổ chức hội nghị",
    ],
)
def test_loose_hyphens_and_ampersands_in_prose_are_no_reference(text: str) -> None:
    assert find_references(text) == []


def test_a_kind_word_naming_the_type_keeps_a_symbol_cut_short() -> None:
    (ref,) = find_references("theo đúng Quyết định số 417/QĐ")
    assert (ref.number, ref.kind, ref.doc_type, ref.issuer) == ("417/QĐ", "Quyết định", "QĐ", None)
    # a kind word of another type, or none, leaves a bare "12/KH" unread
    assert find_references("Quyết định 12/KH") == []
    assert find_references("tỷ lệ 12/KH") == []


def test_a_header_dates_its_own_number_across_the_motto_lines() -> None:
    from baocao.core.docrefs import header_date, is_header_number

    text = (
        "UBND TỈNH PHÚ YÊN\nSố: 15/KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n\nPhú Yên, ngày 3 tháng 5 năm 2024\n\nKẾ HOẠCH\n"
        "Thực hiện Kế hoạch 15/KH-UBND."
    )
    own, cited = find_references(text)
    assert is_header_number(text, own) and header_date(text, own) == date(2024, 5, 3)
    assert not is_header_number(text, cited) and header_date(text, cited) is None
    tabbed = "Số: 123/BC-STTTT\tQuảng Ninh, ngày 12 tháng 12 năm 2022\n"
    (ref,) = find_references(tabbed)
    assert header_date(tabbed, ref) == date(2022, 12, 12)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the issuer between the kind word and "số"
        ("thực hiện các quyết định của Thủ tướng Chính phủ số 846/QĐ-TTg về danh mục", "Quyết định"),
        ("theo Kế hoạch của UBND tỉnh số 52/KH-UBND", "Kế hoạch"),
        # another document's kind word is no issuer: "chế độ báo cáo của … và Quyết định số …"
        ("chế độ báo cáo của cơ quan hành chính nhà nước và Quyết định số 1895/QĐ-UBND", "Quyết định"),
        # the document's own name between the kind word and "số"
        ("triển khai Chương trình hành động số 11-CTr/TU ngày 02.4.2021 của Tỉnh ủy", "Chương trình"),
        ("theo Luật Báo chí, xuất bản số 99/2016/QH13", "Luật"),
        # a kind word used as a verb does not reach past another document's kind word
        ("Sở báo cáo kết quả với UBND tỉnh tại Công văn số 85/STTTT-VP", "Công văn"),
    ],
)
def test_the_issuer_between_kind_and_number(text: str, kind: str) -> None:
    assert parse_reference(text).kind == kind


def test_a_day_after_a_comma_dates_the_document_the_clause_issues() -> None:
    from baocao.core.docrefs import issue_day_before

    text = (
        "Thực hiện Nghị quyết số 12-NQ/TU ngày 05/4/2021 của Tỉnh ủy, ngày 20/5/2021, Ban Thường vụ "
        "Tỉnh ủy ban hành Kế hoạch số 88-KH/TU về chuyển đổi số."
    )
    refs = find_references(text)
    assert [r.number for r in refs] == ["12-NQ/TU", "88-KH/TU"]
    assert issue_day_before(text, refs[1]) == date(2021, 5, 20)
    # the day after a comma that dates the reference before it issues nothing else
    cited = "Căn cứ Quyết định số 7/QĐ-UBND, ngày 3/4/2022, Sở ban hành Kế hoạch số 9/KH-STTTT."
    refs = find_references(cited)
    assert refs[0].date == date(2022, 4, 3)
    assert issue_day_before(cited, refs[1]) is None
