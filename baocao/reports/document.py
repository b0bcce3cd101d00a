"""The report as a neutral structure: built once, then written as DOCX, HTML or plain text.

Nothing here knows a file format; the writers decide how a heading or a flagged run looks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from baocao.core.periods import Period
from baocao.orgunits.models import OrgUnit

# Flags of a run that an editor must look at before signing.
MISSING = "missing"
ERROR = "error"


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    flag: str = ""
    # A document citation: its hyphens must not break a line ("250/SKHĐT-" | "TTXXT").
    nobreak: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    kind: str = "body"  # body | heading
    level: int = 0  # heading level: 1 (I.), 2 (1.), 3 (6.1.)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Table:
    columns: list[str]
    rows: list[list[list[Run]]]
    widths_cm: list[float]
    # Rows that name a group (a field, a kind of document): one merged, bold cell.
    group_rows: set[int] = field(default_factory=set)
    # Columns whose cells are centred (numbers, the index); the others are left-aligned.
    centred: set[int] = field(default_factory=set)
    right: set[int] = field(default_factory=set)
    kind: str = "table"

    def cell_text(self, row: int, column: int) -> str:
        return "".join(r.text for r in self.rows[row][column])


Block = Paragraph | Table


@dataclass
class Appendix:
    key: str
    label: str  # "Phụ lục I"
    title: str
    subtitle: str = ""
    note: str = ""
    blocks: list[Block] = field(default_factory=list)


@dataclass(frozen=True)
class Issue:
    """Something the department must decide before signing: missing, failed, conflicting."""

    category: str
    message: str
    where: str = ""


ISSUE_CATEGORIES: dict[str, str] = {
    "missing": "Số liệu còn thiếu",
    "validation": "Số liệu không đạt quy tắc kiểm tra",
    "flagged": "Số liệu bị đánh dấu cần xem lại",
    "register": "Chênh lệch giữa số liệu đã nhập và sổ văn bản",
    "content": "Nội dung cần sửa",
}


@dataclass
class Report:
    unit: OrgUnit
    department: OrgUnit
    period: Period
    issued_on: date
    governing_body: str
    agency_upper: str
    number_text: str
    place_date: str
    title: str
    subject: str
    body: list[Block]
    closing: str
    recipients: list[str]
    signer_authority: str
    signer_title: str
    signer_name: str
    appendices: list[Appendix]
    issues: list[Issue]
    layout: dict[str, object]
    files: tuple[str, ...] = ()
    # What stands between this draft and the version to sign (empty when it can be made; always
    # empty on the version to sign itself): the reports page shows it without building twice.
    signing_problems: list[str] = field(default_factory=list)

    def recipient_lines(self) -> list[str]:
        """ "- Bộ TT&TT (b/c);" … "- Lưu: VT." as the Nơi nhận block prints them."""
        last = len(self.recipients) - 1
        return [f"- {r.rstrip(';.')}{'.' if i == last else ';'}" for i, r in enumerate(self.recipients)]

    def headings(self) -> list[str]:
        return [b.text for b in self.body if isinstance(b, Paragraph) and b.kind == "heading"]

    def body_text(self) -> str:
        return "\n".join(_block_text(b) for b in self.body)

    def plain_text(self) -> str:
        parts = [
            self.governing_body,
            self.agency_upper,
            self.number_text,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            self.place_date,
            self.title,
            self.subject,
            self.body_text(),
            self.closing,
            "Nơi nhận:",
            *self.recipients,
            self.signer_authority,
            self.signer_title,
            self.signer_name,
        ]
        for appendix in self.appendices:
            parts += [appendix.label, appendix.title, appendix.subtitle, appendix.note]
            parts += [_block_text(b) for b in appendix.blocks]
        return "\n".join(p for p in parts if p)


def _block_text(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    lines = [" | ".join(block.columns)]
    for row in block.rows:
        lines.append(" | ".join("".join(r.text for r in cell) for cell in row))
    return "\n".join(lines)
