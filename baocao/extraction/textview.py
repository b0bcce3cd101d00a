"""An analysis view of a report text that keeps a map back to the raw input.

Matching works on a cleaned copy of the text (NFC, one spelling of tone
marks, markdown emphasis blanked) but evidence must be a verbatim substring
of what the caller gave us.  Every character of the view remembers the raw
offset it came from, so a span found in the view maps back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from .flattables import as_tab_tables

# Characters that only carry layout in markdown/DOCX exports; blanking them
# (instead of deleting) keeps "**40.722**" readable as a number with spaces around.
_BLANK = str.maketrans({"*": " ", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\r": " ", "\ufeff": " "})


_COMBINING = re.compile("[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")


@dataclass(frozen=True)
class TextView:
    raw: str
    text: str
    # raw offset of every view character, plus one trailing entry = len(raw)
    offsets: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw [start, end) that view [start, end) came from."""
        return self.offsets[start], self.offsets[end]

    def raw_slice(self, start: int, end: int) -> str:
        a, b = self.raw_span(start, end)
        return self.raw[a:b]


def _clusters(raw: str) -> Iterable[tuple[int, str]]:
    """Base character plus its combining marks, with the raw offset of the base."""
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        yield i, raw[i:j]
        i = j


def _respell(text: str, spelling: Iterable[tuple[str, str]]) -> str:
    for pattern, replacement in spelling:

        def keep_case(match: re.Match[str], replacement: str = replacement) -> str:
            return _same_case(match.group(0), replacement)

        text = re.sub(pattern, keep_case, text)
    return text


# A markdown table row "| 1 | Doanh thu | Tỷ đồng | 312,5 |" and its rule "|---|:--:|".
_PIPE_ROW = re.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
_PIPE_RULE = re.compile(r"[\s|:\-]+")


def _pipe_tables(text: str) -> str:
    """Markdown pipe tables read like tab tables: inner bars become tabs, outer bars blanks.

    Length-preserving, so the view keeps its one-to-one map to the raw text.
    """
    if "|" not in text:
        return text

    def row(m: re.Match[str]) -> str:
        line = m.group(0)
        if line.count("|") < 3:
            return line
        if _PIPE_RULE.fullmatch(line):
            return " " * len(line)  # the rule under the header row
        first, last = line.index("|"), line.rindex("|")
        inner = line[first + 1 : last].replace("\t", " ").replace("|", "\t")
        return line[:first] + " " + inner + " " + line[last + 1 :]

    return _PIPE_ROW.sub(row, text)


# A run of words with single spaces: one cell of a table laid out with spaces (pdftotext -layout)
_PIECE = re.compile(r"\S+(?: \S+)*")
_MIN_ROWS = 3


def _pieces(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PIECE.finditer(line)]


def _is_aligned_row(line: str) -> bool:
    """Three cells or more, apart by two spaces or more, one gap of three at least: no line of
    justified prose looks like that."""
    pieces = _pieces(line)
    if len(pieces) < 3 or "\t" in line:
        return False
    gaps = [b[0] - a[1] for a, b in pairwise(pieces)]
    return min(gaps) >= 2 and max(gaps) >= 3


def _aligned_tables(text: str, layout: str) -> str:
    """Tables laid out with spaces read like tab tables. The columns are where the data rows
    of a block are all blank (two places wide at least); each cell goes to the column it
    overlaps most, header rows' too, and a tab is put in the spaces before a cell for every
    column it moves on (an empty first cell keeps a tab in the indentation). Length-preserving."""
    # the layout is read before markdown emphasis is blanked: "**24.560**;" is no column
    lines = layout.split("\n")
    out = text.split("\n")
    i = 0
    while i < len(lines):
        rows: list[int] = []
        j = i
        while j < len(lines):
            if _is_aligned_row(lines[j]):
                rows.append(j)
            elif lines[j].strip() or (j + 1 < len(lines) and not _is_aligned_row(lines[j + 1])):
                break  # one blank line may part a header from its rows
            j += 1
        data = [k for k in rows if sum(_is_number(lines[k][a:b]) for a, b in _pieces(lines[k])) >= 2]
        if len(rows) >= _MIN_ROWS and len(data) >= 2:
            columns = _columns([lines[k] for k in data])
            for k in rows:
                out[k] = _with_tabs(out[k], lines[k], columns)
        i = max(j, i + 1)
    return "\n".join(out)


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[\d.,]+%?|-", cell))


def _columns(rows: list[str]) -> list[tuple[int, int]]:
    width = max(len(r) for r in rows)
    blank = [all(p >= len(r) or r[p] == " " for r in rows) for p in range(width)]
    columns: list[tuple[int, int]] = []
    p = 0
    while p < width:
        if blank[p]:
            q = p
            while q < width and blank[q]:
                q += 1
            if q - p < 2 and columns and q < width:  # a single blank place inside a column
                columns[-1] = (columns[-1][0], q)
            p = q
            continue
        q = p
        while q < width and not (blank[q] and (q + 1 >= width or blank[q + 1])):
            q += 1
        if columns and columns[-1][1] == p:
            columns[-1] = (columns[-1][0], q)
        else:
            columns.append((p, q))
        p = q
    return columns


def _column(piece: tuple[int, int], columns: list[tuple[int, int]]) -> int:
    overlap = [min(piece[1], b) - max(piece[0], a) for a, b in columns]
    return max(range(len(columns)), key=lambda c: (overlap[c], -c))


def _with_tabs(line: str, layout: str, columns: list[tuple[int, int]]) -> str:
    chars = list(line)
    column, end = 0, 0
    for n, piece in enumerate(_pieces(layout)):
        target = max(_column(piece, columns), column)
        tabs = target - column if n else target
        gap = range(end, piece[0])
        for t in range(min(tabs, len(gap))):
            chars[gap.start + t] = "\t"
        column, end = target, piece[1]
    return "".join(chars)


# A statistics yearbook's table as a web page gives it, one cell per line: a row's period
# ("2015", "Sơ bộ - Prel. 2020", "Quý I/2020") then its figures, each alone on its line.
_ROW_LABEL = re.compile(r"[^\S\n]*(?:[^\d\n]{0,30}\s)?(?:(?:quý|tháng)\s+[IV\d]+\s*/\s*)?(?:19|20)\d\d[^\S\n]*")
_CELL = re.compile(r"[^\S\n]*[-+]?\d[\d.,]*%?[^\S\n]*|[^\S\n]*-[^\S\n]*")
# a header block that only groups the columns under it, and the unit row above the figures
_GROUPING = re.compile(r"(?i)\s*(?:chia\s+ra|trong\s+đó|of\s+which)\b")
_UNIT_ROW = re.compile(
    r"(?i)\s*(?:đơn\s+vị(?:\s+tính)?\s*:?\s*)?(?:thuê\s+bao|người|máy|chiếc|cái|điểm|trạm|doanh\s+nghiệp|"
    r"hồ\s+sơ|văn\s+bản|triệu\s+đồng|tỷ\s+đồng|nghìn\s+đồng|%)(?:\s*[-–(].*)?\s*"
)


def _lines(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for part in text.split("\n"):
        out.append((start, start + len(part)))
        start += len(part) + 1
    return out


def _blank(text: str, span: tuple[int, int]) -> bool:
    return not text[span[0] : span[1]].strip()


def _records(text: str, lines: list[tuple[int, int]], i: int) -> tuple[int, list[list[int]]]:
    """From line i, the run of records (a period label, then its figures alone on their lines):
    (the line after the run, each record's non-blank line numbers)."""
    records: list[list[int]] = []
    n = len(lines)
    while i < n:
        while i < n and _blank(text, lines[i]):
            i += 1
        if i >= n or not _ROW_LABEL.fullmatch(text, *lines[i]):
            break
        rec, j = [i], i + 1
        while j < n and not _ROW_LABEL.fullmatch(text, *lines[j]) and (
            _blank(text, lines[j]) or _CELL.fullmatch(text, *lines[j])
        ):
            if not _blank(text, lines[j]):
                rec.append(j)
            j += 1
        if len(rec) < 3 or (records and len(rec) != len(records[0])):
            break
        records.append(rec)
        i = j
    return i, records


def _header_blocks(text: str, lines: list[tuple[int, int]], first: int, width: int) -> list[list[int]]:
    """The blocks (lines apart by blank lines) above a table's first record that name its
    columns: nearest first skipped the unit row, a grouping block skipped, `width` of them."""
    blocks: list[list[int]] = []
    k = first - 1
    while k >= 0 and len(blocks) < width + 2:
        while k >= 0 and _blank(text, lines[k]):
            k -= 1
        block: list[int] = []
        while k >= 0 and not _blank(text, lines[k]):
            block.insert(0, k)
            k -= 1
        if not block or any(_ROW_LABEL.fullmatch(text, *lines[b]) or _CELL.fullmatch(text, *lines[b]) for b in block):
            break
        blocks.insert(0, block)
    named = [b for b in blocks if not _GROUPING.match(text, lines[b[0]][0])]
    if named and len(named) > width and _UNIT_ROW.fullmatch(text, *lines[named[-1][0]]) and len(named[-1]) == 1:
        named = named[:-1]
    return named[-width:] if len(named) >= width else []


def _one_line(chars: list[str], text: str, a: int, b: int, lead_tab: bool = False) -> None:
    """Text [a, b) becomes one line: a run of white space with a line break becomes one tab (or a
    blank inside a header block's own lines)."""
    for m in re.finditer(r"\s*\n\s*", text[a:b]):
        s, e = a + m.start(), a + m.end()
        cell_break = "\n\n" in text[s:e] or lead_tab
        for p in range(s, e):
            chars[p] = " "
        if cell_break:
            chars[s] = "\t"


def _cell_per_line_tables(text: str) -> str:
    """A table given one cell per line (years or periods down, indicators across) reads like a
    tab table: each record becomes one row, the column names above it one header row with an
    empty first cell. Length-preserving."""
    if "\n\n" not in text:
        return text
    lines = _lines(text)
    chars = list(text)
    i = 0
    while i < len(lines):
        end, records = _records(text, lines, i)
        if len(records) < 3:
            i += 1
            continue
        for rec in records:
            _one_line(chars, text, lines[rec[0]][0], lines[rec[-1]][1])
        blocks = _header_blocks(text, lines, records[0][0], len(records[0]) - 1)
        first = lines[blocks[0][0]][0] if blocks else 0
        if blocks and first >= 2 and text[first - 2 : first] == "\n\n":
            inner = [(lines[b[0]][0], lines[b[-1]][1]) for b in blocks]
            for (_, e1), (s2, _) in pairwise(inner):
                for p in range(e1, s2):
                    chars[p] = " "
                chars[e1] = "\t"
            for s1, e1 in inner:
                for p in range(s1, e1):
                    if text[p] == "\n":
                        chars[p] = " "
            chars[first - 1] = "\t"
        i = end
    return "".join(chars)


def build_view(raw: str, spelling: Iterable[tuple[str, str]] = ()) -> TextView:
    """Build the analysis view.  ``spelling`` pairs (pattern, replacement) must keep lengths."""
    chars: list[str] = []
    offsets: list[int] = []
    if not _COMBINING.search(raw):
        # the common case: already composed, one view character per raw character
        text = _cell_per_line_tables(_aligned_tables(_pipe_tables(raw.translate(_BLANK)), raw))
        text = as_tab_tables(_respell(text, spelling))
        return TextView(raw=raw, text=text, offsets=tuple(range(len(raw) + 1)))
    for pos, cluster in _clusters(raw):
        norm = unicodedata.normalize("NFC", cluster)
        for k, ch in enumerate(norm):
            chars.append(ch)
            # a cluster that does not compose to one char keeps all its pieces at the base offset
            offsets.append(pos if k == 0 else pos + min(k, len(cluster) - 1))
    offsets.append(len(raw))
    composed = "".join(chars)
    text = _cell_per_line_tables(_aligned_tables(_pipe_tables(composed.translate(_BLANK)), composed))
    text = as_tab_tables(_respell(text, spelling))  # its labels are read in one spelling
    if len(text) != len(chars):  # pragma: no cover - guarded by the lexicon loader
        raise ValueError("a spelling rule changed the text length")
    return TextView(raw=raw, text=text, offsets=tuple(offsets))


def _same_case(found: str, repl: str) -> str:
    """Apply ``repl`` keeping the case of each character of ``found``."""
    if len(repl) != len(found):
        return found
    return "".join(r.upper() if f.isupper() else r for f, r in zip(found, repl, strict=True))
