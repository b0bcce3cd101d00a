"""Document references as reports write them: "Kế hoạch số 16/KH-UBND ngày 24/02/2022".

A Vietnamese legal or administrative document is cited by its số ký hiệu
(number and symbol).  Two symbol styles occur:

* state bodies: ``number[/year]/TYPE-ISSUER[-UNIT]`` — "16/KH-UBND",
  "45/2020/NĐ-CP", "27/QĐ-UBND-UBQGCS"; an official letter (công văn) has no
  type: "4366/BTTTT-HTQT" (issuer BTTTT, drafting unit HTQT);
* Party bodies: ``number-TYPE/ISSUER[-UNIT]`` — "09-NQ/TU", "04-KH/BCĐ-TTĐN".

The document-type word written before the number ("Quyết định số …") and a
date after it ("ngày 08/4/2020", "ngày 09 tháng 9 năm 2015", or a bare
"28/02/2018") are read when present.  Things that merely look like
number-slash text — dates, fractions "21/47", "quý I/2020", standards
"QCVN 84:2021/BTTTT" — are not references: a symbol needs letters, starting
upper-case, and either a hyphen or a year part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "ISSUER_NAMES",
    "KIND_BY_TYPE",
    "KIND_WORDS",
    "DocRef",
    "DocRefError",
    "distinct_references",
    "find_references",
    "header_date",
    "is_header_number",
    "issue_day_before",
    "issuer_name",
    "parse_reference",
]


class DocRefError(ValueError):
    """A text that does not hold exactly one document reference."""


KIND_BY_TYPE: dict[str, str] = {
    "BB": "Biên bản",
    "BC": "Báo cáo",
    "CD": "Công điện",
    "CĐ": "Công điện",
    "CT": "Chỉ thị",
    "CTr": "Chương trình",
    "CV": "Công văn",
    "ĐA": "Đề án",
    "GM": "Giấy mời",
    "GP": "Giấy phép",
    "HD": "Hướng dẫn",
    "HĐ": "Hợp đồng",
    "KH": "Kế hoạch",
    "KL": "Kết luận",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "PA": "Phương án",
    "QC": "Quy chế",
    "QĐ": "Quyết định",
    "QyĐ": "Quy định",
    "TB": "Thông báo",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "TTr": "Tờ trình",
    "VBHN": "Văn bản hợp nhất",
}

ISSUER_NAMES: dict[str, str] = {
    "BCA": "Bộ Công an",
    "BCĐ": "Ban Chỉ đạo",
    "BCT": "Bộ Công Thương",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BNV": "Bộ Nội vụ",
    "BQP": "Bộ Quốc phòng",
    "BTC": "Bộ Tài chính",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BTP": "Bộ Tư pháp",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BYT": "Bộ Y tế",
    "CATTT": "Cục An toàn thông tin",
    "CP": "Chính phủ",
    "HĐND": "Hội đồng nhân dân",
    "HU": "Huyện ủy",
    "NHNN": "Ngân hàng Nhà nước Việt Nam",
    "QH": "Quốc hội",
    "SKHĐT": "Sở Kế hoạch và Đầu tư",
    "SNV": "Sở Nội vụ",
    "STC": "Sở Tài chính",
    "STTTT": "Sở Thông tin và Truyền thông",
    "TTCP": "Thanh tra Chính phủ",
    "TTg": "Thủ tướng Chính phủ",
    "TU": "Tỉnh ủy",
    "TW": "Ban Chấp hành Trung ương",
    "UBND": "Ủy ban nhân dân",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "VNCERT": "Trung tâm Ứng cứu khẩn cấp máy tính Việt Nam",
    "VPCP": "Văn phòng Chính phủ",
}

# Canonical spelling of each document-type word; matching ignores case.
# "Thông báo Kết luận" is a Thông báo (the gold files record it so).
KIND_WORDS: dict[str, str] = {
    "thông báo kết luận": "Thông báo",
    "thông tư liên tịch": "Thông tư liên tịch",
    "văn bản hợp nhất": "Văn bản hợp nhất",
    "nghị định": "Nghị định",
    "nghị quyết": "Nghị quyết",
    "quyết định": "Quyết định",
    "quy định": "Quy định",
    "quy chế": "Quy chế",
    "kế hoạch": "Kế hoạch",
    "công văn": "Công văn",
    "công điện": "Công điện",
    "thông tư": "Thông tư",
    "thông báo": "Thông báo",
    "chỉ thị": "Chỉ thị",
    "chương trình": "Chương trình",
    "báo cáo": "Báo cáo",
    "văn bản": "Văn bản",
    "đề án": "Đề án",
    "hướng dẫn": "Hướng dẫn",
    "kết luận": "Kết luận",
    "tờ trình": "Tờ trình",
    "luật": "Luật",
    "pháp lệnh": "Pháp lệnh",
    "lệnh": "Lệnh",
    "giấy mời": "Giấy mời",
    "phương án": "Phương án",
}


@dataclass(frozen=True)
class DocRef:
    """One occurrence of a reference; ``start``/``end`` index the text it was found in."""

    kind: str | None
    number: str
    date: date | None
    issuer: str | None
    doc_type: str | None
    year: int | None
    start: int
    end: int
    text: str

    def to_gold(self) -> dict[str, str | None]:
        """The shape of a "documents" entry in the gold files."""
        return {
            "kind": self.kind,
            "number": self.number,
            "date": self.date.isoformat() if self.date else None,
            "evidence": self.text,
        }


def issuer_name(issuer: str | None) -> str | None:
    """Full name of an issuer abbreviation; "QH13" (a Quốc hội term) reads as "QH"."""
    if not issuer:
        return None
    return ISSUER_NAMES.get(issuer) or ISSUER_NAMES.get(issuer.rstrip("0123456789"))


# -- the pattern ----------------------------------------------------------------------------------

# A symbol segment: letters (any script, so Đ and Ư count), then letters or digits ("QH13", "BCĐ389").
# An office's "&" joins two words of one issuer ("SKH&CN", "STT&TT").
_SEG = r"[^\W\d_][^\W_]*(?:&[^\W\d_][^\W_]*)*"
# Offices type a space on one side of a hyphen ("16/KH- UBND", "16/KH -UBND"), never on both.
_HYPHEN = r"(?:-[^\S\n]?|[^\S\n]-)"
_SYMBOL = rf"{_SEG}(?:{_HYPHEN}{_SEG})*"
_NUM = r"\d{1,6}[a-z]?"
# Not glued to a word, a path, a decimal or a standard's "84:" prefix; "số:1407" is fine.
_BEFORE = r"(?<![\w/.,\-])(?<!\d:)"
_KINDS = "|".join(re.escape(word) for word in sorted(KIND_WORDS, key=len, reverse=True))
# A month in words, as a date is written out ("ngày 05 tháng Ba năm 2024").
MONTH_WORDS = {
    "giêng": 1,
    "một": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
    "chạp": 12,
}
# (the pattern is verbose: a blank inside a month's name is written \s+)
_MONTH_WORD = "|".join(w.replace(" ", r"\s+") for w in sorted(MONTH_WORDS, key=len, reverse=True))
_DAY_MONTH_YEAR = (
    r"(?P<d1>\d{1,2})\s?[/.\-]\s?(?P<m1>\d{1,2})\s?[/.\-]\s?(?P<y1>\d{4})"
    r"|(?:(?i:mùng|mồng)\s+)?(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4})"
    rf"|(?:(?i:mùng|mồng)\s+)?(?P<d3>\d{{1,2}})\s+tháng\s+(?P<m3>(?i:{_MONTH_WORD}))\s+năm\s+(?P<y3>\d{{4}})"
)

_REF_RE = re.compile(
    rf"""
    (?:(?P<kind>(?i:{_KINDS}))\s+
        # "các quyết định của Thủ tướng Chính phủ số 846/QĐ-TTg": the issuer between kind and number
        (?:(?i:của)\s+(?:(?!(?i:và|{_KINDS})\b)[^\W\d]\w*[^\S\n]+){{1,8}}?(?=(?i:số)\s)
        # "Chương trình hành động số 07-CTr/TU", "Luật Giao dịch điện tử số 20/2023/QH15", "Luật Khoa
        # học, công nghệ và đổi mới sáng tạo số 93/2025/QH15": the document's name between kind and
        # "số" (no other kind word on the way, on one line, the number right after "số")
          |(?:(?!(?i:{_KINDS})\b)[^\W\d]\w*,?[^\S\n]+){{1,12}}?(?=(?i:số)[^\S\n]*:?[^\S\n]*\d))?
        (?:(?i:số)\s*:?\s*)?)?
    {_BEFORE}
    (?P<number>
        (?P<pnum>{_NUM}){_HYPHEN}(?P<ptype>{_SEG})/(?P<psym>{_SYMBOL})
      | (?P<snum>{_NUM})(?:/(?P<syear>(?:1[89]|2\d)\d{{2}}))?/(?P<ssym>{_SYMBOL})
    )
    (?![\w/])
    (?P<tail>
        (?:\s*,?\s*(?i:ngày)\s+|[^\S\n]*,?[^\S\n]+)
        (?:{_DAY_MONTH_YEAR})
        (?!\d)
    )?
    """,
    re.VERBOSE,
)


def _segments(symbol: str) -> list[str]:
    return [segment.strip() for segment in symbol.split("-")]


def _is_symbol(segments: list[str]) -> bool:
    return all(segment[0].isupper() for segment in segments)


def _canonical_kind(word: str | None) -> str | None:
    if word is None:
        return None
    key = re.sub(r"\s+", " ", unicodedata.normalize("NFC", word)).casefold()
    return KIND_WORDS.get(key)


def _typed_by_kind(match: re.Match[str]) -> bool:
    kind = _canonical_kind(match["kind"])
    return kind is not None and KIND_BY_TYPE.get(match["ssym"]) == kind


def _split_glued(segment: str) -> tuple[str | None, str]:
    # "NĐCP" (a typo for NĐ-CP): a known type glued to a known issuer.
    for doc_type in sorted(KIND_BY_TYPE, key=len, reverse=True):
        rest = segment[len(doc_type) :]
        if segment.startswith(doc_type) and rest in ISSUER_NAMES:
            return doc_type, rest
    return None, segment


def _date_from(match: re.Match[str]) -> date | None:
    for d, m, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "m3", "y3")):
        if match[d]:
            month = match[m]
            number = (
                int(month)
                if month.isdigit()
                else MONTH_WORDS[" ".join(unicodedata.normalize("NFC", month).casefold().split())]
            )
            try:
                return date(int(match[y]), number, int(match[d]))
            except ValueError:
                return None
    return None


# A document's own header: "Số: 15/KH-UBND" on one line, "Phú Yên, ngày 3 tháng 5 năm 2024" on the
# same line after a tab or on one of the next lines: the place and date of issue date that number.
_OWN_NUMBER = re.compile(r"[^\S\n]*(?i:số)[^\S\n]*:[^\S\n]*")
# (the lines between may hold the motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - …")
_HEADER_DATE = re.compile(
    rf"[^\S\n]*(?:\n[^\n\d]{{0,80}}){{0,6}}?(?:\n|\t)[^\S\n]*[^\W\d][^\n,;:.]{{1,40}},[^\S\n]*(?i:ngày)\s+(?:{_DAY_MONTH_YEAR})(?!\d)"
)


def is_header_number(text: str, ref: DocRef) -> bool:
    """Whether ``ref`` (found in ``text``) is a document's own number on its header's "Số:" line."""
    line_start = text.rfind("\n", 0, ref.start) + 1
    return ref.date is None and _OWN_NUMBER.fullmatch(text, line_start, ref.start) is not None


def header_date(text: str, ref: DocRef) -> date | None:
    """The date of issue of a document's own number ``ref`` (found in ``text``), written in its
    header (see _OWN_NUMBER); None when ``ref`` is no header's number."""
    if not is_header_number(text, ref):
        return None
    dated = _HEADER_DATE.match(text, ref.end)
    return _date_from(dated) if dated else None


# "Ngày 20 tháng 6 năm 2025, Ủy ban nhân dân tỉnh … đã có báo cáo số 198/BC-UBND …": a sentence
# that opens with a day and goes on to issue a document dates it (only the first one it names);
# so does a clause after a comma ("Thực hiện Nghị quyết số …, ngày 12/3/2022, Ban Thường vụ ban
# hành Kế hoạch số …") unless that day is the date of the reference before it.
_ISSUE_DAY = re.compile(
    rf"(?:^|(?<=[.;:!?,]\s)|(?<=\n))[^\S\n]*(?i:ngày)\s+(?:{_DAY_MONTH_YEAR})(?!\d)\s*,"
    r"(?P<between>(?:(?!\n\s*\n)[^.;!?]){0,160}?)"
    r"(?i:ban\s+hành|có|ký|gửi|trình)\s*$"
)


def issue_day_before(text: str, ref: DocRef) -> date | None:
    """The day a sentence opens with when it goes on to issue ``ref`` ("Ngày 20/6/2025, UBND tỉnh
    đã ban hành Kế hoạch số …"); None when ``ref`` carries its own date, has no kind word before
    it, or another reference stands between."""
    if ref.date is not None or ref.kind is None:
        return None
    window_start = max(0, ref.start - 240)
    for opening in _ISSUE_DAY.finditer(text, window_start, ref.start):
        if find_references(opening["between"]) or _dates_a_reference(text, window_start, opening.start()):
            continue
        return _date_from(opening)
    return None


def _dates_a_reference(text: str, window_start: int, at: int) -> bool:
    """Whether the day written at ``at`` (after a comma) is the date of the reference before it
    ("Quyết định số 5/QĐ-UBND, ngày 3/4/2022")."""
    comma = text.rfind(",", window_start, at)
    if comma < 0 or text[comma + 1 : at].strip():
        return False
    head = text[window_start:at]
    return any(r.end > comma - window_start for r in find_references(head + text[at : at + 40]))


def _build(match: re.Match[str], base: int) -> DocRef | None:
    if match["pnum"]:
        segments = [match["ptype"], *_segments(match["psym"])]
        if not _is_symbol(segments):
            return None
        doc_type: str | None = match["ptype"]
        issuer: str | None = segments[1]
        year: int | None = None
    else:
        segments = _segments(match["ssym"])
        year = int(match["syear"]) if match["syear"] else None
        # Without a hyphen or a year, "2021/BTTTT" could be anything (a standard's year, a ratio),
        # unless the kind word before names the symbol's type ("Quyết định số 922/QĐ", a symbol cut short).
        if not _is_symbol(segments) or (len(segments) == 1 and year is None and not _typed_by_kind(match)):
            return None
        if len(segments) >= 2 and segments[0] in KIND_BY_TYPE:
            doc_type, issuer = segments[0], segments[1]
        elif len(segments) == 1 and _typed_by_kind(match):
            doc_type, issuer = segments[0], None
        elif len(segments) == 1:
            doc_type, issuer = _split_glued(segments[0])
        else:
            doc_type, issuer = None, segments[0]

    when = _date_from(match) if match["tail"] else None
    end = match.end() if when is not None else match.end("number")
    start = match.start("kind") if match["kind"] else match.start("number")
    if year is None and when is not None:
        year = when.year
    return DocRef(
        kind=_canonical_kind(match["kind"]),
        number=re.sub(r"\s*-\s*", "-", unicodedata.normalize("NFC", match["number"])),
        date=when,
        issuer=issuer,
        doc_type=doc_type,
        year=year,
        start=base + start,
        end=base + end,
        text=match.string[start:end],
    )


def find_references(text: str) -> list[DocRef]:
    """Every reference in ``text``, in order of appearance, each occurrence separately."""
    if not isinstance(text, str):
        raise DocRefError(f"expected a text, got {type(text).__name__}")
    found: list[DocRef] = []
    for match in _REF_RE.finditer(text):
        ref = _build(match, 0)
        if ref is not None:
            found.append(ref)
    return found


def distinct_references(text: str) -> list[DocRef]:
    """One reference per number, the first occurrence, in order of appearance (as the gold files)."""
    seen: set[str] = set()
    result: list[DocRef] = []
    for ref in find_references(text):
        if ref.number not in seen:
            seen.add(ref.number)
            result.append(ref)
    return result


def parse_reference(text: str) -> DocRef:
    """The one reference in ``text``; DocRefError when there is none or more than one."""
    refs = find_references(text)
    if len(refs) != 1:
        what = "no document reference" if not refs else f"{len(refs)} document references"
        raise DocRefError(f"{what} in {text!r}; expected exactly one")
    return refs[0]
