"""Cut a report into the pieces the matcher reasons about.

A provincial report is a tree of numbered headings ("I.", "1.", "6.1.",
"a)"), bullet sub-headings ("- Hoạt động bưu chính:") and paragraphs.  A
paragraph holds sentences; a sentence may open with a label ("Chứng thư số
chuyên dùng: ..."); sentences split into clauses at ';'; and parentheses
attach details to the phrase before them.  Table rows (tab separated, which
is also how DOCX tables are read) are paragraphs whose cells are known.

All spans are offsets into the analysis view (see textview.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from . import flattables

Span = tuple[int, int]

# Numbering that starts a heading or list item: "II.", "2.", "6.1.", "a)".
_ROMAN_RE = re.compile(r"(?:[IVX]{1,5})[.)]\s+(?=\S)")
_NUM_RE = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,3})[.)]?\s+(?=[^\d\s])")
_LETTER_RE = re.compile(r"[a-zđ][.)]\s+(?=\S)")
# "A. KẾT QUẢ ...", "B. NHIỆM VỤ ...": the parts above the roman numbers
_UPPER_LETTER_RE = re.compile(r"[A-HĐ][.)]\s+(?=\S)")
# "Phần thứ nhất", "PHẦN II", "Phần thứ hai:" (its title may follow on the next line)
_PART_RE = re.compile(
    r"(?:(?:PHẦN|Phần)\s+(?:thứ\s+|THỨ\s+)?(?:[IVX]{1,4}|\d|nhất|hai|ba|tư|bốn|năm|NHẤT|HAI|BA|TƯ|BỐN|NĂM)"
    # an appendix stands outside the parts before it ("PHỤ LỤC: SỐ LIỆU THỐNG KÊ", "Phụ lục 01")
    r"|(?:PHỤ\s+LỤC|Phụ\s+lục)(?:\s+(?:số\s+)?[\dIVX]{1,4})?)"
    r"(?=\s*[.:\-–]?\s*$|\s*[.:\-–]\s+\S)"
)
_BULLET_RE = re.compile(r"[-+•–·▪o]\s+|[-+•–]\s*(?=\S)")
_MARKUP_RE = re.compile(r"[#>\s]+")
_SENTENCE_END = ".!?…"
_BREAKDOWN_RE = re.compile(r"(?<=[,(:])\s*(?:trong\s+đó|bao\s+gồm|gồm\s+có)(?=[\s:,])", re.IGNORECASE)
# "tỷ lệ hồ sơ nộp trực tuyến đạt 65,75%, bằng 455.519/669.532 hồ sơ": the fraction restating a share
# after a comma, as it would in a parenthesis
_APPOSITION_RE = re.compile(
    r"(?<=%),[^\S\n]*(?:bằng|tương\s+đương(?:\s+với)?|tức(?:\s+là)?)\s+(?=[\d.]+\s*/\s*[\d.]+)", re.IGNORECASE
)
_UNIT_HEADER_RE = re.compile(r"^\s*(?:đơn\s+vị(?:\s+tính)?|ĐVT|đv\s*tính)\s*$", re.IGNORECASE)

# A heading is short; a numbered line longer than this is a list item paragraph.
MAX_HEADING = 160
MAX_BULLET_HEADING = 110
MAX_LABEL = 110
MAX_CAPTION = 220
# a table goes on under its header after this many stray lines (a page number, a wrapped label)
MAX_TABLE_GAP = 2


@dataclass
class Heading:
    level: int
    span: Span  # the heading text without its numbering


@dataclass
class Paragraph:
    span: Span
    headings: list[Heading]  # enclosing headings, innermost first
    sentences: list[Span] = field(default_factory=list)
    clauses: list[Span] = field(default_factory=list)
    labels: dict[int, Span] = field(default_factory=dict)  # sentence start -> label span
    parens: list[Span] = field(default_factory=list)  # "(" position, ")" position (inclusive pair)
    cells: list[Span] = field(default_factory=list)  # table row cells, else empty
    table_header: list[str] | None = None  # header cell texts of the table this row belongs to
    table_header_spans: list[Span] | None = None
    # the label spanning a column and its neighbours, over the column's own ("Số thuê bao điện
    # thoại" over "Cố định | Di động"), per column; None where a column has no such label
    table_header_groups: list[Span | None] | None = None
    # the line just above the table's header: "Bảng 1. Tình hình tiếp nhận … hồ sơ TTHC …"
    table_caption: Span | None = None
    # a footnote ("¹ Gồm 02 quyết định, 05 kế hoạch …"): the sentence that carries its mark
    footnote_of: Span | None = None

    def header_span(self, idx: int) -> Span | None:
        spans = self.table_header_spans
        return spans[idx] if spans and idx < len(spans) and spans[idx][1] > spans[idx][0] else None

    def header_group(self, idx: int) -> Span | None:
        groups = self.table_header_groups
        return groups[idx] if groups and idx < len(groups) else None

    @property
    def unit_column(self) -> int | None:
        if not self.table_header:
            return None
        return next((i for i, h in enumerate(self.table_header) if _UNIT_HEADER_RE.match(h)), None)

    numbering: Span | None = None  # the list/heading numbering at the start, never a figure
    is_heading: bool = False

    @property
    def lead(self) -> Span | None:
        if self.sentences:
            return self.labels.get(self.sentences[0][0])
        return None


@dataclass
class Segmented:
    text: str
    paragraphs: list[Paragraph]
    headings: list[Heading]
    title_end: int  # everything before the first numbered heading is the title block


def _line_spans(text: str) -> list[Span]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# a heading reading: (level or None, start of the heading text, numbering span)
Reading = tuple[int | None, int, Span | None]


class _Line:
    """One stripped line, its markup ("## ", "> ") cut off: what the numbering readers see."""

    def __init__(self, text: str, start: int, end: int) -> None:
        line = text[start:end]
        m = _MARKUP_RE.match(line)
        self.start = start
        self.off = m.end() if m else 0
        self.body = line[self.off :]
        self.single = "\t" not in self.body  # a table row is never a heading
        self.short = len(self.body) <= MAX_HEADING

    def at(self, i: int) -> int:
        return self.start + self.off + i

    def unfinished(self, marks: str = ".;") -> bool:
        return self.body.rstrip()[-1:] not in marks


def _part_heading(ln: _Line) -> Reading | None:
    if (pm := _PART_RE.match(ln.body)) and ln.short:
        return PART_LEVEL, ln.at(0), (ln.at(0), ln.at(pm.end()))
    return None


def _upper_letter_heading(ln: _Line) -> Reading | None:
    um = _UPPER_LETTER_RE.match(ln.body)
    if um is None or not ln.short:
        return None
    if _is_caps(ln.body[um.end() :]) or (len(ln.body) <= MAX_BULLET_HEADING and ln.unfinished(".;:")):
        return 0, ln.at(um.end()), (ln.at(0), ln.at(um.end()))
    return None


def _roman_heading(ln: _Line) -> Reading | None:
    if rm := _ROMAN_RE.match(ln.body):
        return (1 if ln.short else None), ln.at(rm.end()), (ln.at(0), ln.at(rm.end()))
    return None


def _number_heading(ln: _Line) -> Reading | None:
    nm = _NUM_RE.match(ln.body)
    if nm is None:
        return None
    depth = nm.group(1).count(".")
    has_dot = ln.body[nm.end(1) : nm.end(1) + 1] in ".)"
    if not has_dot and depth == 0:
        return None, ln.start, None  # "2 hệ thống …": a figure, no numbering
    numbering = (ln.at(0), ln.at(nm.end()))
    if ln.short and ln.unfinished():
        return 2 + depth, ln.at(nm.end()), numbering
    return None, ln.start, numbering


def _letter_heading(ln: _Line) -> Reading | None:
    lm = _LETTER_RE.match(ln.body)
    if lm is None:
        return None
    numbering = (ln.at(0), ln.at(lm.end()))
    if ln.short and ln.unfinished():
        return 6, ln.at(lm.end()), numbering
    # "a) Hệ thống iOffice được triển khai ... ." is a list item: its letter is no part of the text
    return None, ln.start, numbering


def _bullet_heading(ln: _Line) -> Reading | None:
    bm = _BULLET_RE.match(ln.body)
    if bm is None:
        return None
    rest = ln.body[bm.end() :].rstrip()
    # "- Hoạt động viễn thông và Internet (ước):" introduces the lines below it
    if rest.endswith(":") and len(rest) <= MAX_BULLET_HEADING and not _has_figure_like(rest):
        return (8 if ln.body[0] == "+" else 7), ln.at(bm.end()), None
    return None, ln.start, None


def _markdown_heading(ln: _Line) -> Reading | None:
    if ln.off and ln.short and not ln.body.rstrip().endswith((".", ";")):
        return 9, ln.at(0), None  # markdown heading without numbering ("## **BÁO CÁO**")
    return None


# tried in this order; the first that reads the line decides (a reading of level None included)
_HEADING_READERS = (
    _part_heading,
    _upper_letter_heading,
    _roman_heading,
    _number_heading,
    _letter_heading,
    _bullet_heading,
    _markdown_heading,
)


def _heading_kind(text: str, start: int, end: int) -> Reading:
    """(level or None, start of heading text, numbering span) for one stripped line."""
    ln = _Line(text, start, end)
    if ln.single:
        for reader in _HEADING_READERS:
            reading = reader(ln)
            if reading is not None:
                return reading
    return None, start, None


PART_LEVEL = -1
CAPS_LEVEL = 0  # an upper-case line naming a part of the report ("PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024")
CAPS_SUB_LEVEL = 9  # any other upper-case line: a sub-heading until the next numbered heading
_PART_WORDS = re.compile(
    r"KẾT QUẢ|PHƯƠNG HƯỚNG|NHIỆM VỤ|KẾ HOẠCH|ĐÁNH GIÁ|TÌNH HÌNH|GIẢI PHÁP|KIẾN NGHỊ|ĐỀ XUẤT"
    r"|TỒN TẠI|HẠN CHẾ|KHÓ KHĂN|VƯỚNG MẮC"
)


def _is_caps(text: str) -> bool:
    """An upper-case line ("PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024"): at least two words, no lower case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and " " in text.strip() and all(c.isupper() for c in letters)


_TITLE_LINE = re.compile(r"BÁO\s+CÁO")
PLAIN_LEVEL = 7  # "Lĩnh vực bưu chính" alone on a line, bullets under it


def _plain_heading(text: str, start: int, end: int, nxt: list[Span] | None) -> bool:
    """A short line in sentence case, without numbering or final punctuation, followed by a
    bulleted paragraph: the report names its sections without numbers."""
    line = text[start:end].strip()
    if nxt is None or not line or "\t" in line or len(line) > 80 or line[-1] in ".;:,!?":
        return False
    if not line[0].isupper() or _has_figure_like(line) or _BULLET_RE.match(line):
        return False
    return bool(_BULLET_RE.match(text[nxt[0][0] : nxt[0][1]]))


def _caps_heading(text: str, start: int, end: int) -> bool:
    """An unnumbered upper-case line in the body is a heading ("KẾT QUẢ THỰC HIỆN NĂM 2023")."""
    line = text[start:end]
    return (
        "\t" not in line
        and len(line) <= MAX_HEADING
        and line.rstrip()[-1:] not in ".;,"
        and _is_caps(line)
        and not _BULLET_RE.match(line)
    )


_LETTERS = "abcdđefghiklmnopqrstuvxy"
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}


def _ordinal(text: str, numbering: Span) -> tuple[int, tuple[int, ...]] | None:
    """(level, position) of a numbering: "3." -> (2, (3,)), "II." -> (1, (2,)), "b)" -> (6, (2,))."""
    label = text[numbering[0] : numbering[1]].strip().rstrip(".)").strip()
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,3}", label):
        parts = tuple(int(x) for x in label.split("."))
        return 2 + len(parts) - 1, parts
    if label in _ROMAN_VALUES:
        return 1, (_ROMAN_VALUES[label],)
    if len(label) == 1 and label in _LETTERS:
        return 6, (_LETTERS.index(label) + 1,)
    return None


def _follows(prev: tuple[int, ...], nxt: tuple[int, ...]) -> bool:
    return len(prev) == len(nxt) and prev[:-1] == nxt[:-1] and nxt[-1] == prev[-1] + 1


def _has_figure_like(text: str) -> bool:
    return bool(re.search(r"\d{2,}", text))


def _continues(text: str, prev: Span, nxt: Span) -> bool:
    """A page break or hard wrap cut a sentence: the next line goes on with it."""
    last = text[prev[1] - 1] if prev[1] > prev[0] else ""
    if last in _SENTENCE_END + ";:":
        return False
    first = text[nxt[0]]
    if "\t" in text[prev[0] : prev[1]] or "\t" in text[nxt[0] : nxt[1]]:
        return False
    if first.islower() or first == "(":  # "… so với quý I/2022" ⏎ "(986,4 tỷ đồng)."
        return True
    if last == "," and first.isalpha():  # "… năm 2022 (DTI 2022)," ⏎ "Quảng Nam xếp vị trí thứ 31"
        return True
    if first.isdigit() and not _NUM_RE.match(text[nxt[0] : nxt[1]]):
        return True
    return bool(first.isdigit() and re.match(r"\d{4}\b", text[nxt[0] : nxt[1]]))


def _strip_line(text: str, start: int, end: int) -> Span:
    """A line without its surrounding white space, but a table row keeps an empty first cell
    ("\tTrong đó: thuê bao di động\t…" under "TT\tChỉ tiêu\t…"): its columns must stay in line."""
    a, b = _strip(text, start, end)
    lead = text[start:a]
    if "\t" in lead and "\t" in text[a:b]:
        return start + lead.index("\t"), b  # every empty leading cell
    return a, b


@dataclass
class _Group:
    """Lines joined into one paragraph, and what the heading passes found about it."""

    lines: list[Span]
    level: int | None = None
    body_start: int = 0
    numbering: Span | None = None

    @property
    def span(self) -> Span:
        return self.lines[0][0], self.lines[-1][1]


class _Segmenter:
    """segment() as passes over one report: join wrapped lines → classify headings → build the
    heading stack → find tables → split sentences."""

    def __init__(self, text: str, glue: list[Span]) -> None:
        self.text = text
        self.glue = glue
        self.title_end: int | None = None

    def run(self) -> Segmented:
        groups = self.join_lines()
        self.classify(groups)
        paragraphs, headings = self.nest(groups)
        _Tables(self.text).mark(paragraphs)
        for para in paragraphs:
            _split_sentences(self.text, para, self.glue)
        _link_footnotes(self.text, paragraphs)
        return Segmented(
            text=self.text, paragraphs=paragraphs, headings=headings, title_end=self.title_end or 0
        )

    # -- pass 1: join hard-wrapped lines into paragraphs ----------------------------------------

    def join_lines(self) -> list[_Group]:
        text = self.text
        lines = [_strip_line(text, a, b) for a, b in _line_spans(text)]
        groups: list[_Group] = []
        for span in (s for s in lines if s[1] > s[0]):
            if groups and self._joins(groups[-1].lines, span):
                groups[-1].lines.append(span)
            else:
                groups.append(_Group([span]))
        return groups

    def _joins(self, group: list[Span], span: Span) -> bool:
        text = self.text
        if _continues(text, group[-1], span) and _heading_kind(text, *group[0])[0] is None:
            return True
        # "Phần thứ hai" + "PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024"
        return (
            len(group) == 1
            and _heading_kind(text, *group[0])[0] == PART_LEVEL
            and _PART_RE.fullmatch(text[slice(*group[0])].strip(" .:-–#*")) is not None
            and _heading_kind(text, *span)[0] is None
            and _caps_heading(text, *span)
        )

    # -- pass 2: which paragraphs are headings, and of which level --------------------------------

    def classify(self, groups: list[_Group]) -> None:
        since_title = -1  # groups since the "BÁO CÁO" line (-1: not seen yet)
        numbered_seen = False  # a numbered heading was seen: the report numbers its parts
        for gi, group in enumerate(groups):
            start, end = group.span
            self._numbered_kind(group)
            if since_title >= 0:
                since_title += 1
            elif _TITLE_LINE.fullmatch(self.text[start:end].strip(" *#")):
                since_title = 0
            # a report with no numbered heading at all ("KẾT QUẢ ĐẠT ĐƯỢC", "Lĩnh vực bưu chính")
            # has its headings once the title and its subject are past
            body = self.title_end is not None or since_title >= 2
            nxt = groups[gi + 1].lines if gi + 1 < len(groups) else None
            if group.level is None and len(group.lines) == 1:
                group.level = self._unnumbered_level(
                    start, end, body, since_title >= 2 and not numbered_seen, nxt
                )
            if group.level is not None and group.numbering is not None:
                numbered_seen = True
            if group.level is not None and self.title_end is None and group.level <= 5:
                self.title_end = start

    def _numbered_kind(self, group: _Group) -> None:
        start, end = group.span
        if len(group.lines) == 1:
            group.level, group.body_start, group.numbering = _heading_kind(self.text, start, end)
            return
        first_level, group.body_start, group.numbering = _heading_kind(self.text, *group.lines[0])
        group.level = PART_LEVEL if first_level == PART_LEVEL else None

    def _unnumbered_level(
        self, start: int, end: int, body: bool, plain: bool, nxt: list[Span] | None
    ) -> int | None:
        if body and _caps_heading(self.text, start, end):
            return CAPS_LEVEL if _PART_WORDS.search(self.text, start, end) else CAPS_SUB_LEVEL
        if plain and _plain_heading(self.text, start, end, nxt):
            return PLAIN_LEVEL
        return None

    # -- pass 3: the heading stack over each paragraph --------------------------------------------

    def nest(self, groups: list[_Group]) -> tuple[list[Paragraph], list[Heading]]:
        stack: list[Heading] = []
        all_headings: list[Heading] = []
        paragraphs: list[Paragraph] = []
        # the last numbered line of each level: (position, was it a heading)
        last_numbered: dict[int, tuple[tuple[int, ...], bool]] = {}
        for group in groups:
            start, end = group.span
            if group.numbering is not None:
                self._follow_numbering(group, stack, last_numbered)
            if group.level is not None:
                while stack and stack[-1].level >= group.level:
                    stack.pop()
                head = Heading(group.level, (group.body_start, end))
                stack.append(head)
                all_headings.append(head)
            para = Paragraph(span=(start, end), headings=list(reversed(stack)), numbering=group.numbering)
            para.is_heading = group.level is not None
            paragraphs.append(para)
        return paragraphs, all_headings

    def _follow_numbering(
        self, group: _Group, stack: list[Heading], last_numbered: dict[int, tuple[tuple[int, ...], bool]]
    ) -> None:
        assert group.numbering is not None
        ordinal = _ordinal(self.text, group.numbering)
        if ordinal is None:
            return
        item_level, position = ordinal
        seen = last_numbered.get(item_level)
        if group.level is None and seen is not None and seen[1] and _follows(seen[0], position):
            # "3. Ứng dụng CNTT" (a heading) then "4. Thông tin cơ sở: Hỗ trợ ... ." (a long
            # item): the item is the heading's sibling, not its child
            while stack and stack[-1].level >= item_level:
                stack.pop()
        last_numbered[item_level] = (position, group.level is not None)
        for deeper in [k for k in last_numbered if k > item_level]:
            del last_numbered[deeper]


class _Tables:
    """Pass 4: table rows (tab-separated lines) get their cells, header and caption."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.header: list[str] | None = None
        self.header_spans: list[Span] | None = None
        self.prev_cells = -1
        self.last_table: tuple[list[str], list[Span]] | None = (
            None  # header texts and spans of the last table
        )
        self.caption: Span | None = None
        self.since_table = 0  # paragraphs since its last row
        self.groups: list[Span | None] | None = None  # the header's group labels, per column
        self.last_groups: list[Span | None] | None = None
        self.before: Paragraph | None = None  # the paragraph above the one above the row

    def mark(self, paragraphs: list[Paragraph]) -> None:
        prev: Paragraph | None = None
        self.paragraphs = paragraphs
        for i, para in enumerate(paragraphs):
            cells = self._cells_of(para)
            spanning = _spanning_header(self.text, paragraphs, i, cells) if cells else None
            if spanning is not None:
                self._spanning_header(para, prev, paragraphs[i - 2] if i >= 2 else None, cells, spanning)
            elif cells and _continues_header(self.text, cells, prev, self.header):
                self._header_goes_on(para, prev, cells)
            elif cells and (aligned := self._aligned(prev, cells)) is not None:
                self.before = paragraphs[i - 2] if i >= 2 else None
                self._row(para, prev, aligned)
            else:
                self.prev_cells, self.header, self.header_spans, self.groups = -1, None, None, None
                self.since_table += 1
            prev = para

    def _cells_of(self, para: Paragraph) -> list[Span]:
        start, end = para.span
        return _cells(self.text, start, end) if "\t" in self.text[start:end] else []

    def _spanning_header(
        self,
        para: Paragraph,
        prev: Paragraph | None,
        before: Paragraph | None,
        cells: list[Span],
        columns: tuple[list[str], list[Span], list[Span | None]],
    ) -> None:
        """A header with more labels than its rows have cells: group labels over sub-labels, its
        rows read under the columns' own labels and their groups'."""
        para.cells = para.table_header_spans = cells
        para.table_header = [self.text[a:b] for a, b in cells]
        self.header, self.header_spans, self.groups = columns
        self.caption = self._caption(prev, before)
        para.table_caption = self.caption
        self.prev_cells = len(self.header)
        self.last_table, self.last_groups = (self.header, self.header_spans), self.groups
        self.since_table = 0

    def _aligned(self, prev: Paragraph | None, cells: list[Span]) -> list[Span] | None:
        """A table's first row one cell short ("2008 | 169.710 | … | 36,53" under a growth
        column): the cell of the one column that may be empty there is empty, the cells before
        it stay left, those after it go right. When several columns may be empty the row is no
        row of the table (None): which one it lacks is a guess."""
        header = self.header
        if (
            header is None
            or prev is None
            or prev.table_header_spans is None
            or prev.cells != prev.table_header_spans
            or len(cells) != self.prev_cells - 1
            or not flattables.is_period(self.text[slice(*cells[0])])
        ):
            return cells
        empty = flattables.empty_columns(header)
        if len(empty) != 1:
            return None if empty else cells
        k = empty[0]
        at = cells[k][0] if k < len(cells) else cells[-1][1]
        return [*cells[:k], (at, at), *cells[k:]]

    def _header_goes_on(self, para: Paragraph, prev: Paragraph | None, cells: list[Span]) -> None:
        """ "\t\t\tnăm 2023\ttháng 2023…" under "TT\tChỉ tiêu\tĐVT\tKế hoạch\tƯớc TH 6…": the
        header's second line completes its cells."""
        assert self.header is not None and self.header_spans is not None and prev is not None
        more = [self.text[a:b] for a, b in cells]
        self.header = [f"{h} {m}".strip() for h, m in zip(self.header, more, strict=True)]
        prev.table_header = self.header
        self.last_table = (self.header, self.header_spans)
        para.cells = cells
        self.since_table = 0

    def _row(self, para: Paragraph, prev: Paragraph | None, cells: list[Span]) -> None:
        if len(cells) != self.prev_cells or self.header is None:
            self._new_header(prev, cells)
        para.cells = cells
        para.table_header = self.header
        para.table_header_spans = self.header_spans
        para.table_header_groups = self.groups
        para.table_caption = self.caption if self.header is not None else None
        self.prev_cells = len(cells)
        if self.header is not None and self.header_spans is not None:
            self.last_table, self.last_groups = (self.header, self.header_spans), self.groups
        self.since_table = 0

    def _new_header(self, prev: Paragraph | None, cells: list[Span]) -> None:
        text = self.text
        is_header = not _row_has_figure(text, cells)
        if is_header and _is_group_row(text, cells, self.last_table, self.since_table):
            # "I | Bưu chính" between the rows of a table: a group label, not a new header
            is_header = False
        self.header = [text[a:b] for a, b in cells] if is_header else None
        self.header_spans = cells if is_header else None
        self.groups = None
        if is_header:
            self.caption = self._caption(prev, self.before)
        elif (
            self.last_table is not None
            and self.since_table <= MAX_TABLE_GAP
            and len(self.last_table[0]) == len(cells)
        ):
            # the same table after a page break or a stray line: its header still holds
            self.header, self.header_spans = self.last_table
            self.groups = self.last_groups

    def _caption(self, prev: Paragraph | None, before: Paragraph | None) -> Span | None:
        """The line just above a header names the table; a unit line there ("Đơn vị tính: thuê
        bao") goes with the title above it ("Bảng 2.5: Số thuê bao điện thoại …")."""
        if prev is None or prev.cells or prev.span[1] - prev.span[0] > MAX_CAPTION:
            return None
        if (
            _UNIT_LINE.fullmatch(self.text, *prev.span)
            and before is not None
            and not before.cells
            and not before.is_heading
            and prev.span[1] - before.span[0] <= MAX_CAPTION
        ):
            title = self._own_language_title(before)
            return (before.span[0] if title is None else title), prev.span[1]
        return prev.span

    def _own_language_title(self, title: Paragraph) -> int | None:
        """A bilingual yearbook's table titled in Vietnamese, then in English, then the unit
        ("Số máy điện thoại … / 13/07/2010 17:00 / Number of telephones … / ĐVT: Chiếc"): where
        the Vietnamese title begins when ``title`` is its English line (a time stamp between)."""
        if not _ENGLISH_LINE.fullmatch(self.text, *title.span):
            return None
        k = next((n for n, p in enumerate(self.paragraphs) if p is title), 0)
        for above in reversed(self.paragraphs[max(0, k - 2) : k]):
            if _STAMP_LINE.fullmatch(self.text, *above.span):
                continue
            if above.cells or title.span[1] - above.span[0] > MAX_CAPTION:
                return None
            return above.span[0] if not _ENGLISH_LINE.fullmatch(self.text, *above.span) else None
        return None


def segment(text: str, glue_spans: list[Span] | None = None) -> Segmented:
    """Cut a report into paragraphs under their headings, table rows, sentences and clauses."""
    return _Segmenter(text, glue_spans or []).run()


_FOOTNOTE_MARK = re.compile(r"[_\s]*([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")  # after the "_____" rule of a page's notes


def _link_footnotes(text: str, paragraphs: list[Paragraph]) -> None:
    """A paragraph opening with "¹" explains the sentence where "¹" was first written."""
    for para in paragraphs:
        m = _FOOTNOTE_MARK.match(text, para.span[0])
        if m is None:
            continue
        mark = m.group(1)
        for other in paragraphs:
            if other is para or _FOOTNOTE_MARK.match(text, other.span[0]):
                continue
            pos = text.find(mark, other.span[0], other.span[1])
            if pos >= 0:
                para.footnote_of = next((sp for sp in other.sentences if sp[0] <= pos < sp[1]), other.span)
                break


def _cells(text: str, start: int, end: int) -> list[Span]:
    cells, pos = [], start
    for piece in text[start:end].split("\t"):
        a, b = _strip(text, pos, pos + len(piece))
        cells.append((a, b))
        pos += len(piece) + 1
    return cells


def _continues_header(
    text: str, cells: list[Span], above: Paragraph | None, header: list[str] | None
) -> bool:
    if header is None or above is None or above.table_header is not header:
        return False
    return (
        above.cells == above.table_header_spans
        and len(cells) == len(header)
        and text[slice(*cells[0])] == ""
        and not _row_has_figure(text, cells)
    )


def _spanning_header(
    text: str, paragraphs: list[Paragraph], i: int, cells: list[Span]
) -> tuple[list[str], list[Span], list[Span | None]] | None:
    """Paragraph i as a header with more labels than the rows under it have cells, the labels
    past the top ones repeated under each spanning group (a two-level header flattened into one
    line): each column's header text, own label and group label; else None."""
    if _row_has_figure(text, cells):
        return None
    below = [
        len(_cells(text, *p.span)) if "\t" in text[p.span[0] : p.span[1]] else 0
        for p in paragraphs[i + 1 : i + 3]
    ]
    if len(below) < 2 or below[0] not in (below[1], below[1] - 1) or len(cells) <= below[1]:
        return None
    labels = [text[a:b] for a, b in cells]
    cols = flattables.columns(labels, below[1])
    if cols is None:
        return None
    groups = [cells[c.group] if c.group is not None else None for c in cols]
    return flattables.leaves(labels, cols), [cells[c.label] for c in cols], groups


# a line in English (ASCII letters only) and a page's time stamp ("13/07/2010 17:00")
_ENGLISH_LINE = re.compile(r"\s*[A-Za-z][A-Za-z0-9 ,.;:()/&'-]*[A-Za-z0-9)]\s*")
_STAMP_LINE = re.compile(r"\s*\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")
_UNIT_LINE = re.compile(r"\s*(?:đơn\s+vị(?:\s+tính)?|ĐVT|đv\s*tính)\s*:[^\n]{0,60}", re.IGNORECASE)
_GROUP_MARK = re.compile(r"[IVXLC]+|[A-ZĐ]|\d{1,2}")


def _is_group_row(
    text: str, cells: list[Span], last_table: tuple[list[str], list[Span]] | None, since: int
) -> bool:
    if last_table is None or since > MAX_TABLE_GAP or not 1 <= len(cells) <= 2 or len(last_table[0]) <= 2:
        return False
    return bool(_GROUP_MARK.fullmatch(text[slice(*cells[0])].strip(" .)")))


def _row_has_figure(text: str, cells: list[Span]) -> bool:
    # a header row has words; a data row has at least one cell that is only a number; a row of
    # years going up ("\t2006\t2007\t2008") heads the columns of a yearbook's table
    if _years_across(text, cells[1:]):
        return False
    return any(re.fullmatch(r"[\s(]*[\d.,]+\s*%?[)\s]*", text[a:b]) for a, b in cells[1:])


def _years_across(text: str, cells: list[Span]) -> bool:
    years = [text[a:b].strip() for a, b in cells]
    if len(years) < 2 or not all(re.fullmatch(r"(?:19|20)\d\d", y) for y in years):
        return False
    return all(int(y) < int(z) for y, z in pairwise(years))


def _split_sentences(text: str, para: Paragraph, glue: list[Span]) -> None:
    """Pass 5: a paragraph's parentheses, sentences, clauses and labels."""
    start, end = para.span
    if para.numbering:
        start = para.numbering[1]
    # parentheses first: sentence ends inside parentheses do not count
    pairs = _paren_pairs(text, start, end)
    para.parens = sorted(pairs)
    depth_at = _depths(pairs, start, end)
    sentences: list[Span] = []
    s = start
    for i in range(start, end):
        if text[i] in _SENTENCE_END and depth_at[i - start] == 0 and _is_sentence_end(text, i, end):
            sentences.append(_strip(text, s, i + 1))
            s = i + 1
    if s < end:
        sentences.append(_strip(text, s, end))
    para.sentences = [sp for sp in sentences if sp[1] > sp[0]]
    para.clauses = [sp for a, b in para.sentences for sp in _clauses(text, para, a, b) if sp[1] > sp[0]]
    for a, b in para.sentences:
        label = _label(text, a, b)
        if label:
            para.labels[a] = label
    virtual = _breakdowns(text, para, pairs, start, end)
    if virtual:
        para.parens = sorted(para.parens + virtual)


def _paren_pairs(text: str, start: int, end: int) -> list[Span]:
    stack: list[int] = []
    pairs: list[Span] = []
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            pairs.append((stack.pop(), i))
    # a parenthesis the writer forgot to close ends with its sentence
    for o in stack:
        close = next(
            (i for i in range(o + 1, end) if text[i] in _SENTENCE_END and _is_sentence_end(text, i, end)), end
        )
        pairs.append((o, close))
    return pairs


def _depths(pairs: list[Span], start: int, end: int) -> list[int]:
    """The parenthesis depth at each character of [start, end)."""
    diff = [0] * (end - start + 1)
    for o, c in pairs:
        diff[o - start] += 1
        diff[c - start] -= 1
    depth_at: list[int] = []
    depth = 0
    for k in range(end - start):
        depth += diff[k]
        depth_at.append(depth)
    return depth_at


def _clauses(text: str, para: Paragraph, a: int, b: int) -> list[Span]:
    """A sentence's clauses: cut at ';' (and at a table row's tabs)."""
    clauses = []
    c = a
    for j in range(a, b):
        if text[j] == ";" or (text[j] == "\t" and para.cells):
            clauses.append(_strip(text, c, j))
            c = j + 1
    clauses.append(_strip(text, c, b))
    return clauses


def _breakdowns(text: str, para: Paragraph, real_pairs: list[Span], start: int, end: int) -> list[Span]:
    """ ", trong đó 612 dịch vụ mức độ 4": what follows "trong đó" details the figure before it,
    exactly like a parenthesis; a virtual group makes the matcher treat it so (and so does a
    fraction restating a share after a comma, ", bằng 455.519/669.532 hồ sơ")."""
    virtual: list[Span] = []
    for m in _BREAKDOWN_RE.finditer(text, start, end):
        outer = [g for g in real_pairs if g[0] < m.start() < g[1]]
        clause_end = next((c[1] for c in para.clauses if c[0] <= m.start() < c[1]), end)
        virtual.append((m.start(), min([g[1] for g in outer] + [clause_end])))
    for m in _APPOSITION_RE.finditer(text, start, end):
        outer = [g for g in real_pairs if g[0] < m.start() < g[1]]
        clause_end = next((c[1] for c in para.clauses if c[0] <= m.start() < c[1]), end)
        comma = text.find(",", m.end(), clause_end)
        virtual.append((m.start(), min([g[1] for g in outer] + [clause_end] + ([comma] if comma > 0 else []))))
    return virtual


def _is_sentence_end(text: str, i: int, end: int) -> bool:
    if text[i] != ".":
        return True
    if i + 1 >= end:
        return True
    nxt = text[i + 1]
    if not nxt.isspace():
        return False
    j = i + 1
    while j < end and text[j].isspace():
        j += 1
    if j >= end:
        return True
    follower = text[j]
    # "... năm 2020. Tổng số ..." ends a sentence; "TP. Hồ Chí Minh" does not
    prev_word = re.search(r"(\w+)$", text[max(0, i - 6) : i])
    if prev_word and prev_word.group(1) in {"TP", "Tp", "tp", "ThS", "TS", "PGS", "GS", "Th", "đ/c", "v.v"}:
        return False
    return follower.isupper() or follower in '-+•("“' or follower.isdigit()


def _label(text: str, a: int, b: int) -> Span | None:
    """ "Chứng thư số chuyên dùng: ..." -> the words before the colon."""
    m = re.match(r"[\s\-+•*]*", text[a:b])
    s = a + (m.end() if m else 0)
    limit = min(b, s + MAX_LABEL + 1)
    colon = text.find(":", s, limit)
    while colon > 0 and text[colon + 1 : colon + 3] == "//":
        colon = text.find(":", colon + 1, limit)
    if colon <= s:
        return None
    inner = text[s:colon]
    # a label names a subject; it holds no figure ("năm 2022: 5" would be a figure)
    plain = re.sub(r"\b(?:năm|quý|mức(?: độ)?|cấp độ)\s+[\dIV]+", " ", inner)
    if re.search(r"\d", plain) or inner.count("(") != inner.count(")"):
        return None
    return _strip(text, s, colon)
