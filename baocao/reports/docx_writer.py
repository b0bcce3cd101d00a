"""Writing a report as DOCX in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I).

A4 portrait, margins 20/20/30/15 mm, Times New Roman; a borderless two-column header (governing
body and agency, số ký hiệu | Quốc hiệu, Tiêu ngữ, place and date); the title and trích yếu;
the body justified with a first-line indent; page numbers at the top centre from page 2; the
recipients (Nơi nhận) and the signature block side by side; appendices on new pages.
Sizes come from the template's `layout`, so a province can adjust them without code.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from docx import Document as new_document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from .document import Appendix, Block, Report, Run, Table

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

# "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" (7,4 cm at 12 pt bold) and the Quốc hiệu (8,8 cm at 12 pt bold)
# must each stay on one line: the header reaches 0,6 cm into the wide left margin to make room.
HEADER_LEFT_CM = 7.8
HEADER_RIGHT_CM = 9.3
HEADER_INDENT_CM = -0.6
HEADER_CELL_MARGIN_CM = 0.05
END_LEFT_CM = 8.0
END_RIGHT_CM = 8.5


def _set_fonts(element: Any, font: str) -> None:
    """Times New Roman for every script slot, so Vietnamese letters never fall back to another font."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), font)


# Children of w:pPr that must come after w:pBdr (Word refuses a file whose order is wrong).
_AFTER_PBDR = [
    qn(f"w:{name}")
    for name in (
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
]


def _border(paragraph: DocxParagraph, side: str, size: int = 6) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        successor = next((child for child in ppr if child.tag in _AFTER_PBDR), None)
        if successor is None:
            ppr.append(borders)
        else:
            successor.addprevious(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), "000000")
    borders.append(line)


def _cell_width(cell: _Cell, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _cell_margins(table: Any, side_cm: float) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(round(side_cm / 2.54 * 1440)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)


def _widths(table: Any, widths_cm: list[float], indent_cm: float = 0) -> None:
    """Column widths that both Word (cell widths) and LibreOffice (the grid) honour."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    tbl_pr = table._tbl.tblPr
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(round(sum(widths_cm) / 2.54 * 1440)))
    total.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(total)
    if indent_cm:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(round(indent_cm / 2.54 * 1440)))
        indent.set(qn("w:type"), "dxa")
        tbl_pr.append(indent)
    _sort_tblpr(table)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


_TBLPR_ORDER = [
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
]


def _keep_together(table: Any) -> None:
    """A table row that never splits across pages, its paragraphs kept with the next one."""
    for row in table.rows:
        trpr = row._tr.get_or_add_trPr()
        if trpr.find(qn("w:cantSplit")) is None:
            trpr.append(OxmlElement("w:cantSplit"))
        for cell in row.cells:
            for paragraph in cell.paragraphs[:-1]:
                paragraph.paragraph_format.keep_with_next = True


def _sort_tblpr(table: Any) -> None:
    """Put table properties in schema order: LibreOffice ignores widths given out of order."""
    tbl_pr = table._tbl.tblPr
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TBLPR_ORDER)}
    children = sorted(tbl_pr, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        tbl_pr.remove(child)
        tbl_pr.append(child)


class DocxWriter:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.layout = report.layout
        self.font = str(self.layout.get("font", "Times New Roman"))
        self.body_size = float(self.layout.get("body_size", 14))  # type: ignore[arg-type]
        self.doc: DocxDocument = new_document()
        self._setup()

    # -- page and styles ------------------------------------------------------------------------
    def _size(self, key: str, default: float) -> float:
        return float(self.layout.get(key, default))  # type: ignore[arg-type]

    def _setup(self) -> None:
        margins = dict(self.layout.get("margins_mm", {}) or {})  # type: ignore[call-overload]
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = Mm(margins.get("top", 20))
        section.bottom_margin = Mm(margins.get("bottom", 20))
        section.left_margin = Mm(margins.get("left", 30))
        section.right_margin = Mm(margins.get("right", 15))
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        # Page numbers from the second page only (NĐ 30: "không hiển thị số trang thứ nhất").
        section.different_first_page_header_footer = True
        # An explicit, empty first-page header: no reader can fall back to the numbered one.
        section.first_page_header.is_linked_to_previous = False
        header = section.header.paragraphs[0]
        header.alignment = CENTER
        self._page_field(header)

        normal = self.doc.styles["Normal"]
        normal.font.name = self.font
        normal.font.size = Pt(self.body_size)
        _set_fonts(normal.element, self.font)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "vi-VN")
        normal.element.get_or_add_rPr().append(lang)
        fmt = normal.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(self._size("space_after", 6))
        fmt.line_spacing = self._size("line_spacing", 1.15)
        for name in ("Header", "Footer", "Table Grid"):
            if name in [s.name for s in self.doc.styles]:
                style = self.doc.styles[name]
                style.font.name = self.font
                _set_fonts(style.element, self.font)

        props = self.doc.core_properties
        props.title = f"{self.report.title} {self.report.subject}"
        props.subject = self.report.subject
        props.author = self.report.agency_upper.title()
        props.language = "vi-VN"

    def _page_field(self, paragraph: DocxParagraph) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(self.body_size)
        run.font.name = self.font
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        shown = OxmlElement("w:t")
        shown.text = "2"
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        for element in (begin, instr, separate, shown, end):
            run._r.append(element)

    # -- paragraphs -----------------------------------------------------------------------------
    def _paragraph(
        self,
        container: Any,
        runs: list[Run] | str,
        *,
        align: Any = JUSTIFY,
        size: float | None = None,
        bold: bool = False,
        italic: bool = False,
        indent: bool = False,
        before: float = 0,
        after: float | None = None,
        single: bool = False,
        first: bool = False,
    ) -> DocxParagraph:
        paragraph: DocxParagraph = container.paragraphs[0] if first else container.add_paragraph()
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        fmt.space_before = Pt(before)
        if after is not None:
            fmt.space_after = Pt(after)
        if single:
            fmt.line_spacing = 1.0
        if indent:
            fmt.first_line_indent = Cm(self._size("first_line_indent_cm", 1.27))
        if isinstance(runs, str):
            runs = [Run(runs)]
        for item in runs:
            self._run(paragraph, item, size=size, bold=bold, italic=italic)
        return paragraph

    def _run(
        self, paragraph: DocxParagraph, item: Run, *, size: float | None, bold: bool, italic: bool
    ) -> None:
        lines = item.text.split("\n")
        for i, line in enumerate(lines):
            if item.nobreak and "-" in line:
                run = paragraph.add_run()
                for j, part in enumerate(line.split("-")):
                    if j:
                        run._r.append(OxmlElement("w:noBreakHyphen"))
                    if part:
                        run._r.add_t(part)
            else:
                run = paragraph.add_run(line)
            run.font.name = self.font
            run.font.size = Pt(size or self.body_size)
            run.bold = item.bold or bold or None
            run.italic = item.italic or italic or None
            if item.flag:
                # Missing or wrong: highlighted so the editor cannot overlook it before signing.
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if i < len(lines) - 1:
                run.add_break()

    def _rule(self, container: Any, width_cm: float, available_cm: float, *, after: float = 0) -> None:
        """A short centred horizontal line (a bottom border on an empty, indented paragraph)."""
        paragraph = container.add_paragraph()
        side = max((available_cm - width_cm) / 2, 0)
        fmt = paragraph.paragraph_format
        fmt.left_indent = Cm(side)
        fmt.right_indent = Cm(side)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(after)
        fmt.line_spacing = 1.0
        run = paragraph.add_run()
        run.font.size = Pt(2)
        _border(paragraph, "bottom")

    # -- parts ----------------------------------------------------------------------------------
    def _header(self) -> None:
        r = self.report
        table = self.doc.add_table(rows=1, cols=2)
        table.autofit = False
        _no_borders(table)
        _cell_margins(table, HEADER_CELL_MARGIN_CM)
        _widths(table, [HEADER_LEFT_CM, HEADER_RIGHT_CM], HEADER_INDENT_CM)
        left, right = table.rows[0].cells
        agency_size = self._size("agency_size", 12)
        self._paragraph(
            left, r.governing_body, align=CENTER, size=agency_size, after=0, single=True, first=True
        )
        self._paragraph(left, r.agency_upper, align=CENTER, size=agency_size, bold=True, after=0, single=True)
        self._rule(left, 3.0, HEADER_LEFT_CM - 2 * HEADER_CELL_MARGIN_CM)
        self._paragraph(
            left,
            r.number_text,
            align=CENTER,
            size=self._size("number_size", 13),
            before=6,
            after=0,
            single=True,
        )
        self._paragraph(
            right,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            align=CENTER,
            size=self._size("national_size", 12),
            bold=True,
            after=0,
            single=True,
            first=True,
        )
        self._paragraph(
            right,
            "Độc lập - Tự do - Hạnh phúc",
            align=CENTER,
            size=self._size("motto_size", 14),
            bold=True,
            after=0,
            single=True,
        )
        self._rule(right, 6.0, HEADER_RIGHT_CM - 2 * HEADER_CELL_MARGIN_CM)
        self._paragraph(right, r.place_date, align=CENTER, italic=True, before=6, after=0, single=True)

    def _title(self) -> None:
        r = self.report
        self._paragraph(self.doc, r.title, align=CENTER, bold=True, before=18, after=0)
        self._paragraph(self.doc, r.subject, align=CENTER, bold=True, after=0)
        self._rule(self.doc, 3.5, 16.5, after=12)

    def _blocks(self, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Table):
                self._table(block)
            elif block.kind == "heading":
                paragraph = self._paragraph(self.doc, block.runs, indent=True, before=6)
                paragraph.paragraph_format.keep_with_next = True
            else:
                self._paragraph(self.doc, block.runs, indent=True)

    def _table(self, block: Table) -> None:
        size = self._size("table_size", 12)
        table = self.doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _widths(table, block.widths_cm)
        header = table.rows[0]
        # Repeat the column headings on every page the table spans.
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for i, title in enumerate(block.columns):
            cell = header.cells[i]
            self._paragraph(cell, title, align=CENTER, size=size, bold=True, after=0, single=True, first=True)
        for r, row in enumerate(block.rows, start=1):
            cells = table.rows[r].cells
            if r - 1 in block.group_rows:
                merged = cells[0].merge(cells[-1])
                self._paragraph(
                    merged, row[0], align=LEFT, size=size, bold=True, after=0, single=True, first=True
                )
                continue
            for i, runs in enumerate(row):
                align = CENTER if i in block.centred else RIGHT if i in block.right else LEFT
                self._paragraph(cells[i], runs, align=align, size=size, after=0, single=True, first=True)
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def _ending(self) -> None:
        r = self.report
        closing = self._paragraph(self.doc, r.closing, indent=True)
        # The closing sentence, "Nơi nhận" and the signature stay on one page (a sparse report
        # must not leave the signature alone on the last page).
        closing.paragraph_format.keep_with_next = True
        table = self.doc.add_table(rows=1, cols=2)
        table.autofit = False
        _no_borders(table)
        _widths(table, [END_LEFT_CM, END_RIGHT_CM])
        left, right = table.rows[0].cells
        self._paragraph(
            left,
            "Nơi nhận:",
            align=LEFT,
            size=self._size("recipients_title_size", 12),
            bold=True,
            italic=True,
            before=6,
            after=0,
            single=True,
            first=True,
        )
        small = self._size("recipients_size", 11)
        for line in r.recipient_lines():
            self._paragraph(left, line, align=LEFT, size=small, after=0, single=True)
        self._paragraph(
            right, r.signer_authority, align=CENTER, bold=True, before=6, after=0, single=True, first=True
        )
        if r.signer_title:
            self._paragraph(right, r.signer_title, align=CENTER, bold=True, after=0, single=True)
        # Room for the signature and the seal.
        for _ in range(4):
            self._paragraph(right, "", align=CENTER, after=0)
        self._paragraph(right, r.signer_name, align=CENTER, bold=True, after=0, single=True)
        _keep_together(table)

    def _appendix(self, appendix: Appendix) -> None:
        label = self._paragraph(self.doc, appendix.label, align=CENTER, bold=True, after=0)
        label.paragraph_format.page_break_before = True
        self._paragraph(self.doc, appendix.title, align=CENTER, bold=True, after=0)
        if appendix.subtitle:
            self._paragraph(self.doc, appendix.subtitle, align=CENTER, italic=True, size=13, after=0)
        if appendix.note:
            self._paragraph(self.doc, appendix.note, align=CENTER, italic=True, size=13, after=0)
        self._rule(self.doc, 3.5, 16.5, after=12)
        self._blocks(appendix.blocks)

    # -- whole ----------------------------------------------------------------------------------
    def build(self) -> DocxDocument:
        self._header()
        self._title()
        self._blocks(self.report.body)
        self._ending()
        for appendix in self.report.appendices:
            self._appendix(appendix)
        # python-docx starts from a template with one empty paragraph: drop it.
        first = self.doc.paragraphs[0]
        if not first.text and first._p.getparent() is not None and first._p.getnext() is not None:
            first._p.getparent().remove(first._p)
        return self.doc


def write_docx(report: Report, target: Path | BytesIO) -> None:
    """Write ``report`` to a path or a binary stream."""
    document = DocxWriter(report).build()
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        document.save(str(target))
    else:
        document.save(target)


def docx_bytes(report: Report) -> bytes:
    buffer = BytesIO()
    write_docx(report, buffer)
    return buffer.getvalue()
