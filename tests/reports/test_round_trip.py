"""Read a real report, load what was read, write the same period's report: every figure of the
period that was loaded is in the written report — in its section's sentences or tables where the
template has a place for it, otherwise in the key-figures appendix with the catalog's name."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from baocao.catalog.models import Indicator
from baocao.core.periods import Period
from baocao.core.vnnum import format_number
from baocao.ingest.services import ingest_report, load_document
from baocao.reports.builder import ReportOptions, build_report
from baocao.reports.document import Paragraph, Report, Table

pytestmark = pytest.mark.django_db


def _blocks_text(blocks: list) -> list[str]:  # type: ignore[type-arg]
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            out.extend(
                " | ".join(block.cell_text(r, c) for c in range(len(block.rows[r]))) for r in range(len(block.rows))
            )
    return out


def _report_lines(report: Report) -> list[str]:
    lines = _blocks_text(report.body)
    for appendix in report.appendices:
        lines.extend(_blocks_text(appendix.blocks))
    return lines


def _written_forms(value: Decimal, unit: str) -> set[str]:
    """How the writer may print the value: as a count or decimal, or money in millions/billions."""
    forms = {format_number(value, max_decimals=2), format_number(value, max_decimals=3)}
    if unit == "đồng":
        forms |= {format_number(value / 1_000_000, max_decimals=3), format_number(value / 1_000_000_000, max_decimals=3)}
    return forms


@pytest.mark.parametrize("stem", ["000_01a7275aee5bd713", "001_8b884f9475b6c3fa", "002_fe41435183349147"])
def test_every_loaded_figure_of_the_period_is_in_the_written_report(
    system_actor, corpus_dir: Path, stem: str
) -> None:  # type: ignore[no-untyped-def]
    path = corpus_dir / f"{stem}.txt"
    document = ingest_report(system_actor, path.name, path.read_bytes())
    load_document(system_actor, document, include_pending=True)
    period = Period.from_code(document.period)
    current = [f for f in document.facts.all() if f.period == period.code and not f.is_target]
    assert len(current) >= 20, "the corpus report should give many figures of its own period"

    # the version to sign: the department chose to leave out sentences that need a missing figure
    report = build_report(document.unit, period, ReportOptions(final=True, omit_missing=True, signer_name="Người ký"))
    lines = _report_lines(report)
    names = {i.code: i for i in Indicator.objects.filter(code__in=[f.indicator for f in current])}
    missing = []
    for fact in current:
        ind = names[fact.indicator]
        forms = _written_forms(fact.value, ind.unit)
        if not any(form in line for line in lines for form in forms):
            missing.append(f"{ind.name_vi} = {fact.value}")
    assert not missing, f"{len(missing)} of {len(current)} loaded figures are not in the report: {missing}"
    # those the template has no place for are in the appendix, under the catalog's names
    appendix = next(a for a in report.appendices if a.key == "so_lieu_khac")
    appendix_text = "\n".join(_blocks_text(appendix.blocks))
    assert "cntt." not in appendix_text and "vt." not in appendix_text


def test_the_draft_lists_where_the_figures_came_from(system_actor, corpus_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from baocao.datavalues.services import set_value

    path = corpus_dir / "001_8b884f9475b6c3fa.txt"
    document = ingest_report(system_actor, path.name, path.read_bytes())
    loaded = load_document(system_actor, document, include_pending=True)
    period = Period.from_code(document.period)
    set_value(system_actor, indicator="vt.tram_5g", unit=document.unit, period=period, value=12)
    draft = build_report(document.unit, period)
    review = next(a for a in draft.appendices if a.key == "can_xem_lai")
    lines = _blocks_text(review.blocks)
    assert any(line.endswith("Nguồn số liệu") for line in lines)
    from_report = [line for line in lines if line.startswith("- Trích xuất từ báo cáo") and path.name in line]
    of_the_period = sum(1 for f in document.facts.all() if f.period == period.code)
    assert loaded.created > of_the_period  # some loaded figures are of other periods: not counted here
    assert from_report and from_report[0].endswith(f": {of_the_period} số liệu.")
    assert "- Nhập tay: 1 số liệu." in lines
