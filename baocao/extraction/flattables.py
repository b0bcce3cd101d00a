"""A statistics table flattened into running text, and the columns of a header without cells.

A page stored as plain text may give a table's header and rows as one run of words and
numbers ("Năm Số thuê bao điện thoại Tổng số thuê bao Tốc độ tăng trưởng (%) Tỷ lệ thuê
bao/100 dân Cố định Di động Cố định Di động 2008 169.710 450.778 620.488 13,75 36,53 2009 …"):
rows opening with a year (or "Quý I/2020"), each followed by its figures only, under a header
whose column labels each open with a capital letter. ``as_tab_tables`` turns such a run (a header
opening with "Năm" or another period label, then three rows or more of as many cells, the first
perhaps one short) into a tab table, one row a line, a tab between cells, without changing the
text's length, so it reads like any other table. ``columns`` names the column each header label
(or a group label and the sub-label under it) stands over; the segmenter uses it when a header
has more labels than its rows have cells. ``empty_columns`` says which columns a first row may
lack (a growth over the year before has no figure in the first year).

A table of numbered rows ("STT Chỉ tiêu Đơn vị Cả tỉnh Vùng cao … 1 <label> <unit> <values> 2 …")
is written as a tab table the same way (``_numbered_table``).

Pure: no lexicon here. The labels map to indicators as every table header does, through the
matcher; a column that maps to nothing gives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

# the header label over the rows' periods
_PERIOD_HEAD = re.compile(r"(?:Năm|Thời\s+gian|Thời\s+kỳ|Kỳ|Giai\s+đoạn|Quý|Tháng)(?![^\W\d_])")
# a row's period: "2008", "Quý I/2020", "Tháng 3/2021"
_ROW_LABEL = re.compile(r"(?<!\S)(?:(?:[Qq]uý|[Tt]háng)\s+[IV\d]{1,4}\s*/\s*)?(?P<y>(?:19|20)\d\d)(?=\s|$)")
_CELL = re.compile(r"[-+]?\d[\d.,]*%?|[-–]")
_TOKEN = re.compile(r"\S+")
# a column of the change from the period before ("Tốc độ tăng trưởng (%)", "Tăng/giảm so với
# năm trước", "So sánh (%)", "Chỉ số phát triển"): its first row has nothing to compare with
_CHANGE = re.compile(
    r"(?i)tăng\s+trưởng|tốc\s+độ\s+(?:tăng|phát\s+triển)|tăng\s*[/,]?\s*giảm|so\s+sánh|so\s+với"
    r"|chỉ\s+số\s+phát\s+triển"
)
# a total stands over one column: "Tổng số thuê bao" beside "Số thuê bao: Cố định | Di động"
_TOTAL = re.compile(r"(?i)(?:tổng|cộng)(?![^\W\d_])")
MIN_ROWS = 3


def label_starts(text: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where the labels of a flattened header begin: at each word opening with a capital letter
    and going on in small letters ("Số", "Tỷ", "Di"; not "VNPT", "(%)", "thuê")."""
    end = len(text) if end is None else end
    starts = []
    for m in _TOKEN.finditer(text, start, end):
        word = m.group(0)
        if len(word) >= 2 and word[0].isupper() and word[1].islower():
            starts.append(m.start())
    return starts


def may_be_empty(label: str) -> bool:
    """A column of the change from the period before, which a table's first row leaves empty."""
    return _CHANGE.search(label) is not None


@dataclass(frozen=True)
class Column:
    label: int  # the index of the label right over the column
    group: int | None = None  # the index of the label spanning it and its neighbours, if any


def _key(label: str) -> str:
    return " ".join(label.lower().split())


def _spanning(labels: Sequence[str], top: int, groups: int) -> list[int] | None:
    """Which of the top labels 1..top-1 span sub-labels: all of them when their number is the
    groups', else those that are neither a total nor a change (one column each)."""
    own = list(range(1, top))
    if len(own) == groups:
        return own
    spanning = [i for i in own if not _TOTAL.match(labels[i].strip()) and not may_be_empty(labels[i])]
    return spanning if len(spanning) == groups else None


def columns(labels: Sequence[str], width: int) -> list[Column] | None:
    """The columns of rows `width` cells wide under a header of these labels (the period's
    first), or None when the labels do not fit the rows in exactly one way.

    As many labels as cells: one label a column. More: the labels past the top ones are
    sub-labels, one pattern repeated under each spanning group ("Cố định Di động Cố định Di
    động" under "Số thuê bao điện thoại" and "Tỷ lệ thuê bao/100 dân")."""
    n = len(labels)
    if width < 2 or n < width:
        return None
    if n == width:
        return [Column(i) for i in range(n)]
    groups = n - width
    if groups < 2:
        return None  # one group: which labels are its sub-labels is anybody's guess
    fits: list[list[Column]] = []
    for size in range(2, n):
        top = n - groups * size
        if top - 1 < groups:
            break
        subs = [_key(s) for s in labels[top:]]
        if any(subs[k] != subs[k % size] for k in range(len(subs))):
            continue
        spanning = _spanning(labels, top, groups)
        if spanning is None:
            continue
        out: list[Column] = []
        g = 0
        for i in range(top):
            if i in spanning:
                out.extend(Column(top + g * size + k, i) for k in range(size))
                g += 1
            else:
                out.append(Column(i))
        fits.append(out)
    return fits[0] if len(fits) == 1 else None


def leaves(labels: Sequence[str], cols: Sequence[Column]) -> list[str]:
    """Each column's header as one text: its group label, then its own ("Tỷ lệ thuê bao/100
    dân Cố định")."""
    return [" ".join(labels[i].strip() for i in (c.group, c.label) if i is not None) for c in cols]


def empty_columns(header: Sequence[str]) -> list[int]:
    """The columns (past the period's) a first row may leave empty, given the columns' headers:
    the changes from the period before."""
    return [k for k, h in enumerate(header) if k and may_be_empty(h)]


def is_period(cell: str) -> bool:
    """A row label of a period ("2008", "Quý I/2020")."""
    return _ROW_LABEL.fullmatch(cell.strip()) is not None


# -- the flattened text ------------------------------------------------------------------------


@dataclass
class _Row:
    label: tuple[int, int]
    key: str
    year: int
    cells: list[tuple[int, int]]


# white space between two tokens of one run: no blank line
_GAP = re.compile(r"[^\S\n]*\n?[^\S\n]*")


def _next_token(text: str, end: int) -> int | None:
    gap = _GAP.match(text, end)
    assert gap is not None
    at = gap.end()
    return at if at < len(text) and not text[at].isspace() else None


def _rows(text: str, pos: int) -> list[_Row]:
    """The rows from the row label at ``pos``: each a period then figures only, the tokens apart
    by spaces or one line break; a year never is a cell."""
    rows: list[_Row] = []
    at: int | None = pos
    while at is not None and (m := _ROW_LABEL.match(text, at)) is not None:
        row = _Row(m.span(), " ".join(m.group(0).lower().split()), int(m.group("y")), [])
        end = m.end()
        while (nxt := _next_token(text, end)) is not None and _ROW_LABEL.match(text, nxt) is None:
            cell = _CELL.match(text, nxt)
            if cell is None or (cell.end() < len(text) and not text[cell.end()].isspace()):
                break
            row.cells.append(cell.span())
            end = cell.end()
        if not row.cells:
            break
        rows.append(row)
        at = _next_token(text, end)
    return rows


def _ordered(rows: list[_Row]) -> bool:
    """Distinct periods, their years going one way."""
    years = [r.year for r in rows]
    steps = {(b > a) - (b < a) for a, b in pairwise(years)}
    return len({r.key for r in rows}) == len(rows) and not {1, -1} <= steps


def _run(rows: list[_Row]) -> tuple[list[_Row], int, bool] | None:
    """The rows of one table: as many cells each, the first perhaps one short; at least
    MIN_ROWS. (rows, the columns with the period's, is the first row short)"""
    if len(rows) < MIN_ROWS:
        return None
    full = len(rows[1].cells)
    if len(rows[0].cells) not in (full, full - 1):
        return None
    n = 1
    while n < len(rows) and len(rows[n].cells) == full:
        n += 1
    run = rows[:n]
    if n < MIN_ROWS or not _ordered(run):
        return None
    return run, full + 1, len(rows[0].cells) < full


def _header(text: str, first: int, width: int, short: bool) -> list[int] | None:
    """The starts of the header's labels before the first row (on its line, else the line
    above): from a period label ("Năm") on, labels that fit the rows."""
    line = text.rfind("\n", 0, first) + 1
    a, b = line, first
    if not text[line:first].strip():
        if line < 2:
            return None
        a, b = text.rfind("\n", 0, line - 1) + 1, line - 1
    starts = label_starts(text, a, b)
    for k in range(len(starts) - 1, -1, -1):
        if not _PERIOD_HEAD.match(text, starts[k]):
            continue
        own = starts[k:]
        labels = [text[s:e].strip() for s, e in zip(own, [*own[1:], b], strict=True)]
        cols = columns(labels, width)
        if cols is not None and (not short or empty_columns(leaves(labels, cols))):
            return own
    return None


def _put(chars: list[str], text: str, start: int, end: int, mark: str) -> None:
    """The white space [start, end) between two tokens becomes one ``mark`` and blanks."""
    for p in range(start, end):
        chars[p] = " "
    chars[start] = mark


def _write(chars: list[str], text: str, header: list[int], rows: list[_Row]) -> None:
    first = rows[0].label[0]
    line = text.rfind("\n", 0, header[0]) + 1
    if text[line : header[0]].strip():
        chars[header[0] - 1] = "\n"  # what goes before the header on its line is a line of its own
    for s in header[1:]:
        chars[s - 1] = "\t"
    if "\n" not in text[header[-1] : first]:
        chars[first - 1] = "\n"
    prev_end = None
    for row in rows:
        if prev_end is not None:
            _put(chars, text, prev_end, row.label[0], "\n")
        end = row.label[1]
        for a, b in row.cells:
            _put(chars, text, end, a, "\t")
            end = b
        prev_end = end
    assert prev_end is not None
    rest = _next_token(text, prev_end)
    if rest is not None:
        _put(chars, text, prev_end, rest, "\n")


# -- a table of numbered rows -----------------------------------------------------------------
#
# "STT Chỉ tiêu Đơn vị Cả tỉnh Vùng cao Vùng thấp Đô thị 1 Số DN cung cấp dịch vụ internet DN 3 2 3
# 3 2 Số DN …": a header of a number column, a label column, a unit column and the value columns
# (each label opening with a capital), then rows numbered 1, 2, 3 … each its label, its unit and as
# many values as the header has value columns; a row may be broken over lines, blank ones too.

_NUMBERED_HEAD = re.compile(
    r"(?<!\S)(?:STT|TT)\s+(?P<label>(?:Chỉ\s+tiêu|Nội\s+dung|Tên\s+chỉ\s+tiêu|Hạng\s+mục|Danh\s+mục))"
    r"\s+(?P<unit>(?:Đơn\s+vị(?:\s+tính)?|ĐVT))\s+"
)
_VALUE = re.compile(r"[-+]?\d[\d.,]*%?|-{1,3}|–")
# a unit of two words: "Tỷ đồng", "Nghìn thuê bao", "Thuê bao"
_UNIT_FIRST = re.compile(r"(?i)(?:tỷ|tỉ|triệu|nghìn|ngàn|thuê|lượt)")
_WORD = re.compile(r"\S+")


def _is_value(token: str) -> bool:
    return _VALUE.fullmatch(token) is not None


def _row_values(tokens: list[re.Match[str]], i: int, n: int, width: int) -> int | None:
    """The first value of row ``n`` opening at token ``i``: ``width`` values after a unit, followed
    by the next row's number, else (the last row) by a word."""
    found = None
    for v in range(i + 3, min(len(tokens) - width + 1, i + 40)):
        if _is_value(tokens[v - 1].group(0)) or not all(_is_value(t.group(0)) for t in tokens[v : v + width]):
            continue
        after = tokens[v + width].group(0) if v + width < len(tokens) else ""
        if after == str(n + 1):
            return v
        if found is None and not _is_value(after):
            found = v
    return found


def _numbered_rows(tokens: list[re.Match[str]], first: int, width: int) -> list[tuple[int, int, int]]:
    """The rows from token ``first`` (the "1"): (number, unit, first value) token indexes (the
    label runs from the number's next token to the unit)."""
    rows: list[tuple[int, int, int]] = []
    i, n = first, 1
    while i < len(tokens) and tokens[i].group(0) == str(n):
        v = _row_values(tokens, i, n, width)
        if v is None:
            break
        unit = v - 1
        if unit - 1 > i + 1 and _UNIT_FIRST.fullmatch(tokens[unit - 1].group(0)):
            unit -= 1  # "Tỷ đồng", "Thuê bao"
        rows.append((i, unit, v))
        if v + width < len(tokens) and tokens[v + width].group(0) != str(n + 1):
            break  # the last row
        i, n = v + width, n + 1
    return rows


def _gap(chars: list[str], text: str, start: int, end: int, mark: str) -> None:
    """The white space [start, end) between two tokens becomes blanks and, last, one ``mark``."""
    for p in range(start, end):
        chars[p] = " "
    chars[end - 1] = mark


def _numbered_table(chars: list[str], text: str, head: re.Match[str]) -> int:
    """Write one table of numbered rows as a tab table; the end of what it took, or 0."""
    tokens = list(_WORD.finditer(text, head.end()))
    first = next((k for k, t in enumerate(tokens[:12]) if t.group(0) == "1"), None)
    if not first:
        return 0
    labels = label_starts(text, head.end(), tokens[first].start())
    width = len(labels)
    if not 1 <= width <= 8 or labels[0] != head.end():
        return 0
    rows = _numbered_rows(tokens, first, width)
    if len(rows) < MIN_ROWS:
        return 0
    start = head.start()
    line = text.rfind("\n", 0, start) + 1
    if text[line:start].strip():
        chars[start - 1] = "\n"  # the caption before the header on its line is a line of its own
    for s in (head.start("label"), head.start("unit"), *labels):
        chars[s - 1] = "\t"
    prev = tokens[first - 1]
    for number, unit, value in rows:
        _gap(chars, text, prev.end(), tokens[number].start(), "\n")
        marks = {number: "\t", unit - 1: "\t", **{k: "\t" for k in range(value - 1, value + width - 1)}}
        for k in range(number, value + width - 1):
            # a label or unit broken over lines stays on its row's line
            _gap(chars, text, tokens[k].end(), tokens[k + 1].start(), marks.get(k, " "))
        prev = tokens[value + width - 1]
    nxt = _WORD.search(text, prev.end())
    if nxt is not None:
        _gap(chars, text, prev.end(), nxt.start(), "\n")
    return prev.end()


# -- a table of labelled lines under a header of periods ---------------------------------------
#
# A statistics yearbook's table copied from a web page with its columns' spacing lost:
#
#     ĐVT: Chiếc
#       12/2006 12/2007 12/2008 12/2009
#       Dec-06 Jan-07 Feb-08 Mar-09
#     TỔNG SỐ - TOTAL 41,096 49,975 56,665 61,877
#     Huyện Đà Bắc - Da Bac district      1,200       1,430 1,617 1,763
#
# a header line of periods only (years, "12/2006", "31/12/2006"), perhaps a spreadsheet's second
# header line of month names under it (its dates' artefact, blanked), then lines each a label and
# as many figures as the header has periods. A yearbook printed in two languages groups thousands
# with English commas: a table whose every figure is grouped so ("41,096", "1,200") has them read
# as the dots of Vietnamese grouping.

_PERIOD_CELL = re.compile(r"(?:\d{1,2}/){0,2}(?:19|20)\d\d")
_MONTH_CELL = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d\d")
_LABELLED_ROW = re.compile(r"[^\S\n]*(?P<label>[^\W\d_][^\n]*?)(?P<cells>(?:[^\S\n]+(?:[-+]?\d[\d.,]*%?|-))+)[^\S\n]*")
_ENGLISH_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def _period_line(line: str) -> list[int] | None:
    """The starts of a header line's periods (two or more, their years going up), or None."""
    tokens = list(_TOKEN.finditer(line))
    if len(tokens) < 2 or not all(_PERIOD_CELL.fullmatch(t.group(0)) for t in tokens):
        return None
    years = [int(t.group(0)[-4:]) for t in tokens]
    if any(b <= a for a, b in pairwise(years)):
        return None
    return [t.start() for t in tokens]


def _labelled_cells(line: str, width: int) -> list[tuple[int, int]] | None:
    """A row's figures (exactly ``width`` of them, after a label with a letter), or None."""
    m = _LABELLED_ROW.fullmatch(line)
    if m is None or "\t" in line:
        return None
    cells = [t.span() for t in _TOKEN.finditer(line, m.start("cells"), m.end("cells"))]
    return cells if len(cells) == width else None


def _is_month_line(text: str, line: tuple[int, int], width: int) -> bool:
    """A spreadsheet's second header line of month names ("Dec-06 Jan-07 …"), one a column."""
    tokens = [t.group(0) for t in _TOKEN.finditer(text, *line)]
    return len(tokens) == width and all(_MONTH_CELL.fullmatch(t) for t in tokens)


def _write_labelled_rows(chars: list[str], text: str, rows: list[tuple[int, list[tuple[int, int]]]]) -> None:
    """Each row's figures behind tabs; English thousands commas read as dots where every figure of
    the table is grouped so."""
    figures = [text[start + x : start + y] for start, cells in rows for x, y in cells]
    english = len(figures) >= 4 and all(_ENGLISH_GROUPED.fullmatch(f) for f in figures)
    for start, cells in rows:
        prev_end = None
        for x, y in cells:
            gap_start = start + (prev_end if prev_end is not None else x - 1)
            while gap_start > start and text[gap_start - 1].isspace():
                gap_start -= 1
            _put(chars, text, gap_start, start + x, "\t")
            if english:
                for p in range(start + x, start + y):
                    if text[p] == ",":
                        chars[p] = "."
            prev_end = y


def _period_header_table(chars: list[str], text: str, lines: list[tuple[int, int]], i: int) -> int:
    """Write the table whose header is line ``i`` as a tab table; the number of lines it took."""
    a, b = lines[i]
    starts = _period_line(text[a:b])
    if starts is None or not text[a].isspace() or "\t" in text[a:b]:
        return 0  # the header's empty first cell needs a blank before its first period
    width = len(starts)
    j = i + 1
    months = j < len(lines) and _is_month_line(text, lines[j], width)
    if months:
        j += 1
    rows: list[tuple[int, list[tuple[int, int]]]] = []
    while j < len(lines) and (cells := _labelled_cells(text[slice(*lines[j])], width)) is not None:
        rows.append((lines[j][0], cells))
        j += 1
    if not rows:
        return 0
    chars[a] = "\t"
    for s in starts[1:]:
        chars[a + s - 1] = "\t"
    if months:
        for p in range(*lines[i + 1]):
            chars[p] = " "
    _write_labelled_rows(chars, text, rows)
    return j - i


def _period_header_tables(text: str, chars: list[str] | None) -> list[str] | None:
    lines = []
    pos = 0
    for part in text.split("\n"):
        lines.append((pos, pos + len(part)))
        pos += len(part) + 1
    i = 0
    while i < len(lines):
        if _PERIOD_CELL.search(text, *lines[i]) is None:
            i += 1
            continue
        trial = list(text) if chars is None else chars
        took = _period_header_table(trial, text, lines, i)
        if took:
            chars = trial
        i += max(took, 1)
    return chars


def as_tab_tables(text: str) -> str:
    """Each statistics table flattened into running text (see the module docstring) as a tab
    table: its header one line, a tab between labels, each row a line, a tab between cells.
    Length-preserving; text without such a table is given back as it is."""
    chars = _period_header_tables(text, None)
    done = 0
    for head in _NUMBERED_HEAD.finditer(text):
        if "\t" in text[head.start() : head.end()] or head.start() < done:
            continue
        trial = list(text) if chars is None else chars
        end = _numbered_table(trial, text, head)
        if end:
            chars, done = trial, end
    done = 0
    for m in _ROW_LABEL.finditer(text):
        if m.start() < done:
            continue
        found = _run(_rows(text, m.start()))
        if found is None:
            continue
        rows, width, short = found
        header = _header(text, m.start(), width, short)
        if header is None:
            continue
        chars = chars if chars is not None else list(text)
        _write(chars, text, header, rows)
        done = rows[-1].cells[-1][1]
    return text if chars is None else "".join(chars)
