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
    # the line just above the table's header: "Bảng 1. Tình hình tiếp nhận … hồ sơ TTHC …"
    table_caption: Span | None = None
    # a footnote ("¹ Gồm 02 quyết định, 05 kế hoạch …"): the sentence that carries its mark
    footnote_of: Span | None = None

    def header_span(self, idx: int) -> Span | None:
        spans = self.table_header_spans
        return spans[idx] if spans and idx < len(spans) and spans[idx][1] > spans[idx][0] else None

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


def _heading_kind(text: str, start: int, end: int) -> tuple[int | None, int, Span | None]:
    """(level or None, start of heading text, numbering span) for one stripped line."""
    line = text[start:end]
    m = _MARKUP_RE.match(line)
    off = m.end() if m else 0
    body = line[off:]
    single = "\t" not in body
    if (pm := _PART_RE.match(body)) and single and len(body) <= MAX_HEADING:
        return PART_LEVEL, start + off, (start + off, start + off + pm.end())
    if (
        (um := _UPPER_LETTER_RE.match(body))
        and single
        and len(body) <= MAX_HEADING
        and (
            _is_caps(body[um.end() :])
            or (len(body) <= MAX_BULLET_HEADING and body.rstrip()[-1:] not in ".;:")
        )
    ):
        return 0, start + off + um.end(), (start + off, start + off + um.end())
    if (rm := _ROMAN_RE.match(body)) and single:
        return (
            (1 if len(body) <= MAX_HEADING else None),
            start + off + rm.end(),
            (start + off, start + off + rm.end()),
        )
    if (nm := _NUM_RE.match(body)) and single:
        depth = nm.group(1).count(".")
        has_dot = body[nm.end(1) : nm.end(1) + 1] in ".)"
        if not has_dot and depth == 0:
            return None, start, None
        level = 2 + depth
        numbering = (start + off, start + off + nm.end())
        if len(body) <= MAX_HEADING and body.rstrip()[-1:] not in ".;":
            return level, start + off + nm.end(), numbering
        return None, start, numbering
    if (lm := _LETTER_RE.match(body)) and single:
        numbering = (start + off, start + off + lm.end())
        if len(body) <= MAX_HEADING and body.rstrip()[-1:] not in ".;":
            return 6, start + off + lm.end(), numbering
        # "a) Hệ thống iOffice được triển khai ... ." is a list item: its letter is no part of the text
        return None, start, numbering
    if (bm := _BULLET_RE.match(body)) and single:
        rest = body[bm.end() :].rstrip()
        # "- Hoạt động viễn thông và Internet (ước):" introduces the lines below it
        if rest.endswith(":") and len(rest) <= MAX_BULLET_HEADING and not _has_figure_like(rest):
            level = 8 if body[0] == "+" else 7
            return level, start + off + bm.end(), None
        return None, start, None
    if single and off and len(body) <= MAX_HEADING and not body.rstrip().endswith((".", ";")):
        # markdown heading without numbering ("## **BÁO CÁO**")
        return 9, start + off, None
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


def segment(text: str, glue_spans: list[Span] | None = None) -> Segmented:
    lines = [_strip_line(text, a, b) for a, b in _line_spans(text)]
    lines = [s for s in lines if s[1] > s[0]]
    # join hard-wrapped lines into paragraphs
    groups: list[list[Span]] = []
    for span in lines:
        if groups and _continues(text, groups[-1][-1], span):
            kind = _heading_kind(text, *groups[-1][0])[0]
            if kind is None:
                groups[-1].append(span)
                continue
        if (
            groups
            and len(groups[-1]) == 1
            and _heading_kind(text, *groups[-1][0])[0] == PART_LEVEL
            and _PART_RE.fullmatch(text[slice(*groups[-1][0])].strip(" .:-–#*"))
            and _heading_kind(text, *span)[0] is None
            and _caps_heading(text, *span)
        ):
            groups[-1].append(span)  # "Phần thứ hai" + "PHƯƠNG HƯỚNG NHIỆM VỤ NĂM 2024"
            continue
        groups.append([span])

    stack: list[Heading] = []
    all_headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    title_end: int | None = None
    table_header: list[str] | None = None
    header_spans: list[Span] | None = None
    prev_cells = -1
    last_table: tuple[list[str], list[Span]] | None = None  # header texts and spans of the last table
    caption: Span | None = None
    numbered_seen = False  # a numbered heading was seen: the report numbers its parts
    since_table = 0  # paragraphs since its last row
    # the last numbered line of each level: (position, was it a heading)
    last_numbered: dict[int, tuple[tuple[int, ...], bool]] = {}
    since_title = -1  # groups since the "BÁO CÁO" line (-1: not seen yet)
    for gi, group in enumerate(groups):
        start, end = group[0][0], group[-1][1]
        level, body_start, numbering = (
            _heading_kind(text, start, end) if len(group) == 1 else (None, start, None)
        )
        if len(group) > 1:
            first_level, body_start, numbering = _heading_kind(text, *group[0])
            if first_level == PART_LEVEL:
                level = PART_LEVEL
        if since_title >= 0:
            since_title += 1
        elif _TITLE_LINE.fullmatch(text[start:end].strip(" *#")):
            since_title = 0
        # a report with no numbered heading at all ("KẾT QUẢ ĐẠT ĐƯỢC", "Lĩnh vực bưu chính")
        # has its headings once the title and its subject are past
        body = title_end is not None or since_title >= 2
        if level is None and len(group) == 1 and body and _caps_heading(text, start, end):
            level = CAPS_LEVEL if _PART_WORDS.search(text, start, end) else CAPS_SUB_LEVEL
        plain_allowed = since_title >= 2 and not numbered_seen
        nxt = groups[gi + 1] if gi + 1 < len(groups) else None
        if level is None and len(group) == 1 and plain_allowed and _plain_heading(text, start, end, nxt):
            level = PLAIN_LEVEL
        ordinal = _ordinal(text, numbering) if numbering else None
        if ordinal is not None:
            item_level, position = ordinal
            seen = last_numbered.get(item_level)
            if level is None and seen is not None and seen[1] and _follows(seen[0], position):
                # "3. Ứng dụng CNTT" (a heading) then "4. Thông tin cơ sở: Hỗ trợ ... ." (a long
                # item): the item is the heading's sibling, not its child
                while stack and stack[-1].level >= item_level:
                    stack.pop()
            last_numbered[item_level] = (position, level is not None)
            for deeper in [k for k in last_numbered if k > item_level]:
                del last_numbered[deeper]
        if level is not None and numbering is not None:
            numbered_seen = True
        if level is not None:
            if title_end is None and level <= 5:
                title_end = start
            while stack and stack[-1].level >= level:
                stack.pop()
            head = Heading(level, (body_start, end))
            stack.append(head)
            all_headings.append(head)
        para = Paragraph(span=(start, end), headings=list(reversed(stack)), numbering=numbering)
        para.is_heading = level is not None
        if level is not None:
            # a heading's own words are context for itself as well
            para.headings = list(reversed(stack))
        line = text[start:end]
        cells = _cells(text, start, end) if "\t" in line else []
        if cells and _continues_header(text, cells, paragraphs, table_header):
            # "\t\t\tnăm 2023\ttháng 2023…" under "TT\tChỉ tiêu\tĐVT\tKế hoạch\tƯớc TH 6…": the
            # header's second line completes its cells
            assert table_header is not None and header_spans is not None
            more = [text[a:b] for a, b in cells]
            table_header = [f"{h} {m}".strip() for h, m in zip(table_header, more, strict=True)]
            paragraphs[-1].table_header = table_header
            last_table = (table_header, header_spans)
            para.cells = cells
            since_table = 0
        elif cells:
            if len(cells) != prev_cells or table_header is None:
                is_header = not _row_has_figure(text, cells)
                if is_header and _is_group_row(text, cells, last_table, since_table):
                    # "I | Bưu chính" between the rows of a table: a group label, not a new header
                    is_header = False
                table_header = [text[a:b] for a, b in cells] if is_header else None
                header_spans = cells if is_header else None
                if is_header:
                    above = paragraphs[-1] if paragraphs else None
                    caption = (
                        above.span
                        if above is not None and not above.cells and above.span[1] - above.span[0] <= MAX_CAPTION
                        else None
                    )
                if (
                    not is_header
                    and last_table is not None
                    and since_table <= MAX_TABLE_GAP
                    and len(last_table[0]) == len(cells)
                ):
                    # the same table after a page break or a stray line: its header still holds
                    table_header, header_spans = last_table
            para.cells = cells
            para.table_header = table_header
            para.table_header_spans = header_spans
            para.table_caption = caption if table_header is not None else None
            prev_cells = len(cells)
            if table_header is not None and header_spans is not None:
                last_table = (table_header, header_spans)
            since_table = 0
        else:
            prev_cells = -1
            table_header = None
            header_spans = None
            since_table += 1
        _split_sentences(text, para, glue_spans or [])
        paragraphs.append(para)
    _link_footnotes(text, paragraphs)
    return Segmented(text=text, paragraphs=paragraphs, headings=all_headings, title_end=title_end or 0)


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


def _continues_header(text: str, cells: list[Span], paragraphs: list[Paragraph], header: list[str] | None) -> bool:
    if header is None or not paragraphs or paragraphs[-1].table_header is not header:
        return False
    above = paragraphs[-1].cells
    return (
        above == paragraphs[-1].table_header_spans
        and len(cells) == len(header)
        and text[slice(*cells[0])] == ""
        and not _row_has_figure(text, cells)
    )


_GROUP_MARK = re.compile(r"[IVXLC]+|[A-ZĐ]|\d{1,2}")


def _is_group_row(text: str, cells: list[Span], last_table: tuple[list[str], list[Span]] | None, since: int) -> bool:
    if last_table is None or since > MAX_TABLE_GAP or not 1 <= len(cells) <= 2 or len(last_table[0]) <= 2:
        return False
    return bool(_GROUP_MARK.fullmatch(text[slice(*cells[0])].strip(" .)")))


def _row_has_figure(text: str, cells: list[Span]) -> bool:
    # a header row has words; a data row has at least one cell that is only a number
    return any(re.fullmatch(r"[\s(]*[\d.,]+\s*%?[)\s]*", text[a:b]) for a, b in cells[1:])


def _split_sentences(text: str, para: Paragraph, glue: list[Span]) -> None:
    start, end = para.span
    if para.numbering:
        start = para.numbering[1]
    # parentheses first: sentence ends inside parentheses do not count
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
    para.parens = sorted(pairs)
    diff = [0] * (end - start + 1)
    real_pairs = list(pairs)
    for o, c in pairs:
        diff[o - start] += 1
        diff[c - start] -= 1
    depth_at: list[int] = []
    depth = 0
    for k in range(end - start):
        depth += diff[k]
        depth_at.append(depth)
    sentences: list[Span] = []
    s = start
    i = start
    while i < end:
        ch = text[i]
        if ch in _SENTENCE_END and depth_at[i - start] == 0 and _is_sentence_end(text, i, end):
            sentences.append(_strip(text, s, i + 1))
            s = i + 1
        i += 1
    if s < end:
        sentences.append(_strip(text, s, end))
    para.sentences = [sp for sp in sentences if sp[1] > sp[0]]
    clauses: list[Span] = []
    for a, b in para.sentences:
        c = a
        for j in range(a, b):
            if text[j] == ";" or (text[j] == "\t" and para.cells):
                clauses.append(_strip(text, c, j))
                c = j + 1
        clauses.append(_strip(text, c, b))
        label = _label(text, a, b)
        if label:
            para.labels[a] = label
    para.clauses = [sp for sp in clauses if sp[1] > sp[0]]
    # ", trong đó 612 dịch vụ mức độ 4": what follows "trong đó" details the figure before it,
    # exactly like a parenthesis; a virtual group makes the matcher treat it so
    virtual: list[Span] = []
    for m in _BREAKDOWN_RE.finditer(text, start, end):
        outer = [g for g in real_pairs if g[0] < m.start() < g[1]]
        clause_end = next((c[1] for c in para.clauses if c[0] <= m.start() < c[1]), end)
        close = min([g[1] for g in outer] + [clause_end])
        virtual.append((m.start(), close))
    if virtual:
        para.parens = sorted(para.parens + virtual)


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
