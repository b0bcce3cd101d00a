"""The narrative editor's view of an entry: text around chips, one chip per figure or cited
document, each with the name and current value a clerk recognises.

The stored syntax stays what the report writer reads (`{cntt.qlvb.vb_di}`, `[16/KH-UBND]`);
the editor writes it back from the chips (static/web/js/narrative.js), so nobody types it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from baocao.core import narrative
from baocao.core.display import format_value
from baocao.core.periods import Period
from baocao.datavalues.aggregation import Aggregator
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.names import search_key
from baocao.registers.models import Document

from . import wording

MAX_INDICATORS = 15
MAX_DOCUMENTS = 10


@dataclass
class Chunk:
    text: str = ""
    token: str = ""  # the stored syntax of a chip, empty for plain text
    label: str = ""
    detail: str = ""
    kind: str = ""  # "figure" or "doc"
    missing: bool = False


class Lookup:
    """Names and current values for one unit and period, each looked up once per page."""

    def __init__(self, unit: OrgUnit, period: Period) -> None:
        self.unit, self.period = unit, period
        self.agg = Aggregator()
        self._docs: dict[str, Document | None] = {}
        self._units: dict[str, str] = {}

    def figure(self, code: str) -> tuple[str, bool]:
        """ "Văn bản đi: 1.599" and whether the value is still missing."""
        from baocao.catalog.models import Indicator

        unit_of = self._units.get(code)
        if unit_of is None:
            unit_of = str(Indicator.objects.filter(code=code).values_list("unit", flat=True).first() or "")
            self._units[code] = unit_of
        try:
            resolved = self.agg.resolve(code, self.unit, self.period)
        except LookupError:
            return "không có trong danh mục", True
        if resolved.value is None:
            return "chưa có số liệu", True
        return format_value(resolved.value, unit_of, resolved.qualifier), False

    def document(self, number: str) -> Document | None:
        if number not in self._docs:
            self._docs[number] = (
                Document.objects.filter(unit=self.unit, number__iexact=number).order_by("-year", "-issued_on").first()
            )
        return self._docs[number]


def _offset(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


def _figure_chunk(segment: narrative.Figure, lookup: Lookup) -> Chunk:
    value, missing = lookup.figure(segment.code)
    name = wording.name(segment.code)
    extra = " (kế hoạch)" if segment.options.plan or segment.options.target else ""
    return Chunk(token=segment.source, label=f"{name}{extra}: {value}", detail=name, kind="figure", missing=missing)


def _doc_label(doc: Document | None, number: str) -> tuple[str, str]:
    if doc is None:
        return f"Văn bản số {number} (chưa có trong sổ)", ""
    when = f" ngày {doc.issued_on:%d/%m/%Y}" if doc.issued_on else ""
    return f"{doc.kind or 'Văn bản'} số {doc.number}{when}", doc.summary


def chunks(text: str, lookup: Lookup) -> list[Chunk]:
    """The entry's text split into plain text and chips; an entry the parser refuses stays text."""
    try:
        segments = narrative.parse(text)
    except narrative.NarrativeError:
        return [Chunk(text=text)]
    found: list[Chunk] = []
    at = 0
    for segment in segments:
        if isinstance(segment, narrative.Text):
            continue
        start = _offset(text, segment.line, segment.column)
        if text[start : start + len(segment.source)] != segment.source:
            continue
        if start > at:
            found.append(Chunk(text=text[at:start]))
        if isinstance(segment, narrative.Figure):
            found.append(_figure_chunk(segment, lookup))
        else:
            doc = lookup.document(segment.number)
            label, summary = _doc_label(doc, segment.number)
            found.append(Chunk(token=segment.source, label=label, detail=summary, kind="doc", missing=doc is None))
        at = start + len(segment.source)
    if at < len(text):
        found.append(Chunk(text=text[at:]))
    return found


def _words(query: str) -> list[str]:
    return search_key(query).split()


def search(query: str, lookup: Lookup, indicators: list[Any]) -> list[dict[str, Any]]:
    """What the picker offers for a query: indicators by name, documents by number or summary."""
    words = _words(query)
    results: list[dict[str, Any]] = []
    for ind in indicators:
        haystack = search_key(f"{ind.name_vi} {ind.field.name_vi if ind.field_id else ''}")
        if words and not all(w in haystack for w in words) and query.strip().lower() != ind.code:
            continue
        value, missing = lookup.figure(ind.code)
        results.append({
            "kind": "figure", "token": "{" + ind.code + "}", "label": ind.name_vi,
            "sub": (ind.field.name_vi if ind.field_id else "") + (f" · {ind.unit}" if ind.unit else ""),
            "value": value, "missing": missing, "chip": f"{ind.name_vi}: {value}",
        })
        if len(results) >= MAX_INDICATORS:
            break
    docs = Document.objects.filter(unit=lookup.unit).order_by("-year", "-issued_on", "number")
    count = 0
    for doc in docs.iterator():
        haystack = search_key(f"{doc.number} {doc.kind} {doc.summary}")
        if words and not all(w in haystack for w in words):
            continue
        label, summary = _doc_label(doc, doc.number)
        year = f"|nam:{doc.year}" if doc.year and _number_repeats(lookup.unit, doc.number) else ""
        results.append({"kind": "doc", "token": f"[{doc.number}{year}]", "label": label, "sub": summary,
                        "value": "", "missing": False, "chip": label})
        count += 1
        if count >= MAX_DOCUMENTS:
            break
    return results


def _number_repeats(unit: OrgUnit, number: str) -> bool:
    """The same number issued in several years needs the year to say which one is meant."""
    return Document.objects.filter(unit=unit, number=number).count() > 1
