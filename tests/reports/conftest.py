"""The demo reports (Trà Vinh năm 2022 and quý I/2020), built once per test module.

Loading the demo data takes a few seconds, so it is done once, inside a transaction that is
rolled back: the session database stays as the other tests expect it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

GOLD_2022 = "001_8b884f9475b6c3fa.json"
GOLD_Q1_2020 = "000_01a7275aee5bd713.json"


@dataclass
class DemoReport:
    gold: dict[str, Any]
    docx: Path
    final_docx: Path
    report: Any
    registered: set[str]
    shown: dict[tuple[str, str, bool], Any]


def _shown_values(report: Any, gold: dict[str, Any]) -> dict[tuple[str, str, bool], Any]:
    """The value the report prints for each gold fact (rates recomputed from their parts)."""
    from baocao.core.periods import Period
    from baocao.reports.filling import FigureSource

    source = FigureSource(report.unit)
    report_period = Period.from_dict(gold["period"])
    shown = {}
    for fact in gold["facts"]:
        period = Period.from_dict(fact["period"]) if fact["period"] else report_period
        key = (fact["indicator"], period.code, bool(fact["target"]))
        shown[key] = source.shown(fact["indicator"], period, target=bool(fact["target"]))
    return shown


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker, tmp_path_factory, corpus_dir) -> dict[str, DemoReport]:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from baocao.access.system import system_user
    from baocao.core.periods import Period
    from baocao.demo import demo_unit, load_demo
    from baocao.demo.registers import load_demo_registers
    from baocao.registers.models import Document
    from baocao.reports.builder import ReportOptions, build_report
    from baocao.reports.docx_writer import write_docx

    out = tmp_path_factory.mktemp("reports")
    result: dict[str, DemoReport] = {}
    with django_db_blocker.unblock(), transaction.atomic():
        actor = system_user()
        load_demo(actor)
        load_demo_registers(actor)
        unit = demo_unit()
        registered = set(Document.objects.filter(unit=unit).values_list("number", flat=True))
        for key, gold_name, code in (("2022", GOLD_2022, "2022"), ("2020Q1", GOLD_Q1_2020, "2020Q1")):
            gold = json.loads((corpus_dir / "gold" / gold_name).read_text(encoding="utf-8"))
            period = Period.from_code(code)
            report = build_report(unit, period)
            write_docx(report, out / f"{code}.docx")
            final = build_report(unit, period, ReportOptions(final=True, omit_missing=True))
            write_docx(final, out / f"{code}-final.docx")
            result[key] = DemoReport(
                gold,
                out / f"{code}.docx",
                out / f"{code}-final.docx",
                report,
                registered,
                _shown_values(report, gold),
            )
        transaction.set_rollback(True)
    return result
