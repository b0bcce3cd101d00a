"""Read report files into plain text: .txt/.md, .docx (paragraphs and tables), text PDF.

DOCX tables come out as one line per row with cells joined by a tab, which
is also how hand-typed tab tables look, so the matcher reads both the same
way.  A PDF without a text layer (a scan) is an error that says so: OCR is
not this engine's job.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ExtractionError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUFFIXES = TEXT_SUFFIXES | {".docx", ".pdf"}


def read_text_file(path: Path) -> str:
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
        raise ExtractionError(f"{path.name}: not a UTF-8, UTF-16 or CP1258 text file") from None


def read_docx(path: Path) -> str:
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
            f"{path.name}: not a readable DOCX file ({exc.__class__.__name__}: {exc})"
        ) from None
    lines: list[str] = []
    # body order matters (a table sits under its heading), so walk the XML children
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            lines.extend(_table_lines(Table(child, document)))
            lines.append("")
    return "\n".join(lines)


def _table_lines(table: object) -> list[str]:
    rows = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # merged cells repeat the same object; keep one copy
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(
                " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()).replace("\t", " ")
            )
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def read_pdf(path: Path) -> str:
    try:
        import pdfplumber
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise ExtractionError(f"{path.name}: pdfplumber is not installed") from exc
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise ExtractionError(f"{path.name}: not a readable PDF ({exc.__class__.__name__}: {exc})") from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise ExtractionError(
            f"{path.name}: the PDF has no text layer (a scanned image?); run OCR first or supply the DOCX/text"
        )
    return text


def read_file(path: Path) -> str:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ExtractionError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; expected one of {sorted(SUFFIXES)}"
        )
    if not path.is_file():
        raise ExtractionError(f"{path.name}: no such file")
    if suffix in TEXT_SUFFIXES:
        return read_text_file(path)
    if suffix == ".docx":
        return read_docx(path)
    return read_pdf(path)
