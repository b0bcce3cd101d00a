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


def build_view(raw: str, spelling: Iterable[tuple[str, str]] = ()) -> TextView:
    """Build the analysis view.  ``spelling`` pairs (pattern, replacement) must keep lengths."""
    chars: list[str] = []
    offsets: list[int] = []
    if not _COMBINING.search(raw):
        # the common case: already composed, one view character per raw character
        text = _aligned_tables(_pipe_tables(raw.translate(_BLANK)), raw)
        text = _respell(text, spelling)
        return TextView(raw=raw, text=text, offsets=tuple(range(len(raw) + 1)))
    for pos, cluster in _clusters(raw):
        norm = unicodedata.normalize("NFC", cluster)
        for k, ch in enumerate(norm):
            chars.append(ch)
            # a cluster that does not compose to one char keeps all its pieces at the base offset
            offsets.append(pos if k == 0 else pos + min(k, len(cluster) - 1))
    offsets.append(len(raw))
    composed = "".join(chars)
    text = _aligned_tables(_pipe_tables(composed.translate(_BLANK)), composed)
    text = _respell(text, spelling)
    if len(text) != len(chars):  # pragma: no cover - guarded by the lexicon loader
        raise ValueError("a spelling rule changed the text length")
    return TextView(raw=raw, text=text, offsets=tuple(offsets))


def _same_case(found: str, repl: str) -> str:
    """Apply ``repl`` keeping the case of each character of ``found``."""
    if len(repl) != len(found):
        return found
    return "".join(r.upper() if f.isupper() else r for f, r in zip(found, repl, strict=True))
