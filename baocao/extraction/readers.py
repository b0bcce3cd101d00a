"""Read report files into plain text: .txt/.md, .docx (paragraphs and tables), text PDF.

DOCX tables come out as one line per row with cells joined by a tab, which
is also how hand-typed tab tables look, so the matcher reads both the same
way.  A one-row table is layout, not data (the two-column ND30 header
"UBND TỈNH ... | CỘNG HÒA ...", the signature block): its cells come out as
the paragraphs they hold.  In a text PDF the ruled tables are found by
pdfplumber and written the same way, one tab-separated line per row, in
their place among the text lines.  A PDF without a text layer (a scan) is
an error that says so: OCR is not this engine's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from baocao.core.limits import LimitExceeded, check_file

from .errors import ExtractionError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


@dataclass(frozen=True)
class Reader:
    """One registered reader: the file suffixes it takes and the function that reads them.
    Each has its own fixtures (tests/extraction/test_readers.py, test_layouts.py)."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], str]


READERS: dict[str, Reader] = {}  # suffix -> reader


def register_reader(name: str, *suffixes: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    """Register ``read(path) -> text`` for ``suffixes``; a later registration replaces an earlier one."""

    def register(read: Callable[[Path], str]) -> Callable[[Path], str]:
        for suffix in suffixes:
            READERS[suffix] = Reader(name, tuple(suffixes), read)
        return read

    return register


@register_reader("text", *sorted(TEXT_SUFFIXES))
def read_text_file(path: Path) -> str:
    _bounded(path, "txt")
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    # Vietnamese Windows code page, still found in old exports
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise ExtractionError(
            f"{path.name}: không phải tệp văn bản UTF-8, UTF-16 hay CP1258 / not a UTF-8, UTF-16 or CP1258 text file"
        ) from None


@register_reader("docx", ".docx")
def read_docx(path: Path) -> str:
    _bounded(path, "docx")
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise ExtractionError(f"{path.name}: python-docx is not installed") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for bad files
        raise ExtractionError(
            f"{path.name}: không đọc được tệp DOCX / not a readable DOCX file ({exc.__class__.__name__}: {exc})"
        ) from None
    lines: list[str] = []
    numbers = _ListNumbers(document)
    # body order matters (a table sits under its heading), so walk the XML children
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            label = numbers.label(paragraph)
            lines.append(f"{label} {paragraph.text}" if label and paragraph.text.strip() else paragraph.text)
        elif tag == "tbl":
            table = Table(child, document)
            if len(table.rows) == 1:
                lines.extend(_layout_lines(table))
            else:
                lines.extend(_table_lines(table))
            lines.append("")
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out, n = out + digits, n - value
    return out


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
    "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
}


class _ListNumbers:
    """The numbers Word puts before list paragraphs ("I.", "1.", "a)") from the numbering part,
    which the paragraph text leaves out: headings numbered by a list style read like typed ones.
    Bullets and unknown formats give no label."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (fmt, text, start)
        self._counters: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in numbering.iterchildren(f"{_W}abstractNum"):
            levels = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                fmt, text, start = lvl.find(f"{_W}numFmt"), lvl.find(f"{_W}lvlText"), lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            abstract[node.get(f"{_W}abstractNumId")] = levels
        for num in numbering.iterchildren(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self._levels[num.get(f"{_W}numId", "")] = abstract.get(ref.get(f"{_W}val"), {})

    def label(self, paragraph: Any) -> str:
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, ilvl = found
        level = self._levels.get(num_id, {}).get(ilvl)
        if level is None or level[0] not in _FORMATS or not level[1]:
            return ""
        counters = self._counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = 0
        text = level[1]
        for k in range(ilvl + 1):
            fmt, _, start = self._levels[num_id].get(k, ("decimal", "", 1))
            value = counters[k] + start - 1 if counters[k] else start
            text = text.replace(f"%{k + 1}", _FORMATS.get(fmt, str)(value))
        return text

    @staticmethod
    def _num_pr(paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) of the paragraph's own numbering, else of its style's (and their bases)."""
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        num_id = ilvl = None
        for pPr in sources:
            num = pPr.numPr if pPr is not None else None
            if num is None:
                continue
            if num_id is None and num.numId is not None:
                num_id = str(num.numId.val)
            if ilvl is None and num.ilvl is not None:
                ilvl = int(num.ilvl.val)
        if num_id is None or num_id == "0":
            return None
        return num_id, ilvl or 0


def _layout_lines(table: object) -> list[str]:
    """The paragraphs of a one-row layout table, column by column."""
    lines: list[str] = []
    previous = None
    for cell in table.rows[0].cells:  # type: ignore[attr-defined]
        if cell._tc is previous:
            continue
        previous = cell._tc
        lines.extend(p.text for p in cell.paragraphs if p.text.strip())
    return lines


def _table_lines(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        grid = [
            (cell._tc, " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()).replace("\t", " "))
            for cell in row.cells
        ]
        # A cell merged across columns comes once per column. "Quý III/2022" over "Kế hoạch" and
        # "Thực hiện" is repeated, so the header keeps the columns of the rows below; a label
        # across the whole row ("I. Bưu chính") is kept once.
        if len({id(tc) for tc, _ in grid}) > 1:
            cells = [text for _, text in grid]
        else:
            cells = [grid[0][1]] if grid else []
        if any(cells):
            rows.append("\t".join(cells))
    return rows


@register_reader("pdf", ".pdf")
def read_pdf(path: Path) -> str:
    _bounded(path, "pdf")
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise ExtractionError(f"{path.name}: pdfplumber is not installed") from exc
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_pdf_page_blocks(page) for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise ExtractionError(
            f"{path.name}: không đọc được tệp PDF / not a readable PDF ({exc.__class__.__name__}: {exc})"
        ) from None
    text = _render_pdf(pages)
    if not text.strip():
        raise ExtractionError(
            f"{path.name}: tệp PDF không có lớp chữ (bản quét?); hãy nhận dạng chữ (OCR) trước hoặc dùng bản DOCX/văn bản"
            " / the PDF has no text layer (a scanned image?); run OCR first or supply the DOCX/text"
        )
    return text


@dataclass
class _Line:
    """A text line of a PDF page, with where it sits and the page's text margins."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    left: float
    right: float


# A PDF block: a text line, or a ruled table as rows of cell texts.
Block = _Line | list[list[str]]
_PAGE_NUMBER = re.compile(r"[-–\s]*\d{1,3}[-–\s]*")
_NUMERIC_CELL = re.compile(r"[\d.,%\s()-]+")
# what opens a paragraph of its own: a bullet or a numbering ("-", "+", "1.", "1.2.", "a)", "II.")
_OPENS_ITEM = re.compile(r"\s*(?:[-+•–*▪]|(?:[IVX]{1,5}|\d{1,2}(?:\.\d{1,2}){0,3}|[a-zđA-ZĐ])[.)](?:\s|$))")
FULL_LINE = 0.05  # a line ending this close to the right margin (share of the text width) is wrapped
INDENT = 8.0  # points: a first-line indent opens a paragraph (Nghị định 30: 1-1.27 cm)


def _pdf_page_blocks(page: Any) -> list[Block]:
    """The page's text lines and ruled tables, top to bottom."""
    try:
        tables = [t for t in page.find_tables() if len(t.columns) > 1]
    except Exception:  # table finding is a bonus: a page it trips on is read as plain text
        tables = []
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if "x0" not in obj or "top" not in obj:
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    raw_lines = (page.filter(outside) if boxes else page).extract_text_lines()
    raw_lines = [ln for ln in raw_lines if str(ln["text"]).strip() and not _PAGE_NUMBER.fullmatch(ln["text"])]
    left = min((float(ln["x0"]) for ln in raw_lines), default=0.0)
    right = max((float(ln["x1"]) for ln in raw_lines), default=0.0)
    placed: list[tuple[float, Block]] = [
        (
            float(ln["top"]),
            _Line(
                str(ln["text"]),
                float(ln["x0"]),
                float(ln["x1"]),
                float(ln["top"]),
                float(ln["bottom"]),
                left,
                right,
            ),
        )
        for ln in raw_lines
    ]
    for table in tables:
        rows = [[" ".join((cell or "").split()) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows:
            placed.append((float(table.bbox[1]), rows))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def _wraps(a: _Line, b: _Line, same_page: bool) -> bool:
    """True when line ``b`` goes on with the paragraph of line ``a`` (a hard wrap of the layout)."""
    width = a.right - a.left
    if width <= 0 or not b.text.strip():
        return False
    # wrapped when the line is full, or when the next line's first word would not have fit after it
    first_word = len(b.text.split()[0]) + 1
    char_width = (b.x1 - b.x0) / max(1, len(b.text))
    if a.x1 < a.right - FULL_LINE * width and a.x1 + first_word * char_width < a.right:
        return False  # a short line ends its paragraph
    if a.text.rstrip().endswith(":") or _OPENS_ITEM.match(b.text):
        return False
    if b.x0 > b.left + INDENT:
        return False  # an indented first line
    height = a.bottom - a.top
    return not (same_page and height > 0 and b.top - a.bottom > 0.9 * height)


def _joiner(a: str, b: str) -> str:
    """ "47-" + "KH/TU": a symbol the line end cut goes on without a space."""
    a = a.rstrip()
    if len(a) >= 2 and a[-1] in "-/" and a[-2].isalnum() and b[:1].isalnum():
        return ""
    return " "


def _render_pdf(pages: list[list[Block]]) -> str:
    """Pages to text: hard-wrapped lines joined into paragraphs, ruled tables as tab rows,
    and a table the page end cut going on with the rows atop the next page."""
    blocks, first_of_page = _join_pages(pages)
    lines: list[str] = []
    previous: _Line | None = None
    for i, block in enumerate(blocks):
        if isinstance(block, list):
            lines.extend("\t".join(row) for row in block)
            previous = None
            continue
        if previous is not None and _wraps(previous, block, same_page=i not in first_of_page):
            lines[-1] = lines[-1].rstrip() + _joiner(lines[-1], block.text) + block.text.lstrip()
        else:
            if i in first_of_page and i and previous is None and lines:
                lines.append("")
            lines.append(block.text)
        previous = block
    return "\n".join(lines)


def _join_pages(pages: list[list[Block]]) -> tuple[list[Block], set[int]]:
    """All pages' blocks in order, and the index of each page's first block."""
    blocks: list[Block] = []
    first_of_page: set[int] = set()
    for number, page in enumerate(pages):
        cut_table = number and page and blocks and isinstance(blocks[-1], list) and isinstance(page[0], list)
        if cut_table and _table_goes_on(blocks[-1], page[0]):  # type: ignore[arg-type]
            page = page[1:]
        if page:
            first_of_page.add(len(blocks))
        blocks.extend(page)
    return blocks, first_of_page


def _table_goes_on(before: list[list[str]], top: list[list[str]]) -> bool:
    """A table atop a page with the columns of the table ending the page before goes on with
    it: its rows are added to ``before`` (True)."""
    rows = [list(r) for r in top]
    if len(rows[0]) != len(before[0]):
        return False
    if rows[0] == before[0]:
        rows = rows[1:]  # the header row repeated on the new page
    elif rows and not rows[0][0] and not any(_NUMERIC_CELL.fullmatch(c) for c in rows[0] if c):
        # the rest of a row whose label wrapped onto the new page
        before[-1] = [" ".join(x for x in (a, b) if x) for a, b in zip(before[-1], rows[0], strict=True)]
        rows = rows[1:]
    before.extend(rows)
    return True


def read_file(path: Path) -> str:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise ExtractionError(
            f"{path.name}: không nhận loại tệp {suffix or '(không có)'}; chỉ nhận {sorted(READERS)}"
            f" / unsupported file type, expected one of {sorted(READERS)}"
        )
    if not path.is_file():
        raise ExtractionError(f"{path.name}: không có tệp này / no such file")
    return READERS[suffix].read(path)


def _bounded(path: Path, kind: str) -> None:
    """Refuse a file past the configured bounds (a ZIP bomb, an oversized text) before reading it."""
    try:
        check_file(path, kind)
    except LimitExceeded as exc:
        raise ExtractionError(str(exc)) from None
