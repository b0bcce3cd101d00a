"""One document model for every layout a report comes in.

A registered reader (readers.py: text, docx, pdf) turns a file into text;
the text's layout (plain, Markdown export, ``pdftotext -layout`` output, a
DOCX or PDF rendering) is named by a small registered sniffer; the
segmenter's passes (segment.py) find its structure.  ``read_document``
returns that structure as elements — headings with level and numbering,
paragraphs, list items, tables with their header rows and caption — each
with the character span of the reader's text, so ``doc.text[a:b]`` is what
the report says there, verbatim (the evidence of a fact is such a span).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import Lexicon, default_lexicon
from .readers import READERS, read_file
from .segment import Paragraph, Span, segment
from .textview import TextView, build_view


@dataclass(frozen=True)
class Element:
    kind: str  # heading | paragraph | list_item
    span: Span  # in Document.text
    level: int | None = None  # a heading's depth (-1 part, 0 "A."/caps part, 1 "I.", 2 "1.", 3 "1.1." …)
    numbering: str = ""  # "II.", "1.2.", "a)" as written


@dataclass(frozen=True)
class Table:
    span: Span
    rows: tuple[tuple[Span, ...], ...]  # each row's cells
    header_rows: int  # how many of the first rows are its header (a two-line header: 2)
    caption: Span | None = None  # "Bảng 1. Tình hình tiếp nhận hồ sơ …" just above


@dataclass
class Document:
    text: str
    reader: str  # the registered reader that read the file ("text", "docx", "pdf")
    layout: str  # what the text looks like ("plain", "markdown", "pdftotext-layout", …)
    elements: list[Element] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def headings(self) -> list[Element]:
        return [e for e in self.elements if e.kind == "heading"]

    def quote(self, span: Span) -> str:
        return self.text[span[0] : span[1]]


# -- layouts of a text: the first sniffer that recognises it names it ----------------------------

LAYOUTS: list[tuple[str, Callable[[str], bool]]] = []


def register_layout(name: str) -> Callable[[Callable[[str], bool]], Callable[[str], bool]]:
    def register(sniff: Callable[[str], bool]) -> Callable[[str], bool]:
        LAYOUTS.append((name, sniff))
        return sniff

    return register


@register_layout("markdown")
def _markdown(text: str) -> bool:
    """A Markdown export: "## Heading" lines or "| a | b |" table rows."""
    return len(re.findall(r"(?m)^(?:#{1,6}\s|\|.*\|\s*$)", text)) >= 2


@register_layout("pdftotext-layout")
def _pdftotext_layout(text: str) -> bool:
    """`pdftotext -layout`: columns kept by runs of spaces, lines indented by spaces."""
    lines = text.splitlines()
    spaced = sum(1 for line in lines if re.search(r"\S {3,}\S", line))
    indented = sum(1 for line in lines if re.match(r" {4,}\S", line))
    return spaced >= 5 and indented >= 5


@register_layout("tab-table text")
def _tab_tables(text: str) -> bool:
    return text.count("\t") >= 4


def layout_of(text: str, reader: str) -> str:
    if reader != "text":
        return reader  # a DOCX or PDF rendering, tables as tab rows
    return next((name for name, sniff in LAYOUTS if sniff(text)), "plain")


# -- the model ---------------------------------------------------------------------------------------


def read_document(path: Path | str, lexicon: Lexicon | None = None) -> Document:
    path = Path(path)
    text = read_file(path)
    return document_of(text, READERS[path.suffix.lower()].name, lexicon)


def document_of(text: str, reader: str = "text", lexicon: Lexicon | None = None) -> Document:
    """The structure of a text a reader gave (see the module docstring)."""
    view = build_view(text, (lexicon or default_lexicon()).spelling)
    seg = segment(view.text, [])
    doc = Document(text=text, reader=reader, layout=layout_of(text, reader))
    table: list[Paragraph] = []
    for para in seg.paragraphs:
        if para.cells:
            if table and _starts_table(para):
                doc.tables.append(_table(view, table))
                table = []
            table.append(para)
            continue
        if table:
            doc.tables.append(_table(view, table))
            table = []
        doc.elements.append(_element(view, para))
    if table:
        doc.tables.append(_table(view, table))
    return doc


def _raw(view: TextView, span: Span) -> Span:
    return view.raw_span(*span)


def _element(view: TextView, para: Paragraph) -> Element:
    numbering = view.raw_slice(*para.numbering).strip() if para.numbering else ""
    if para.is_heading:
        own = para.headings[0] if para.headings else None
        span = own.span if own is not None else para.span
        return Element("heading", _raw(view, span), own.level if own else None, numbering)
    bullet = re.match(r"\s*[-+•–·▪]\s", view.text[para.span[0] : para.span[1]])
    kind = "list_item" if numbering or bullet else "paragraph"
    return Element(kind, _raw(view, para.span), None, numbering)


def _starts_table(para: Paragraph) -> bool:
    """A row that is a header of its own (not the header of the rows before) opens a table."""
    return para.table_header_spans is not None and para.cells == para.table_header_spans


def _table(view: TextView, rows: list[Paragraph]) -> Table:
    header_rows = 0
    if rows[0].table_header_spans is not None and rows[0].cells == rows[0].table_header_spans:
        header_rows = 1
        # a header's second line (its cells complete the first's) has no header of its own
        if (
            len(rows) > 1
            and rows[1].table_header is None
            and rows[1].cells
            and rows[0].table_header is not None
        ):
            header_rows = 2
    caption = rows[0].table_caption
    return Table(
        span=_raw(view, (rows[0].span[0], rows[-1].span[1])),
        rows=tuple(tuple(_raw(view, c) for c in row.cells) for row in rows),
        header_rows=header_rows,
        caption=_raw(view, caption) if caption is not None else None,
    )
