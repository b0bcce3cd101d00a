import operator
from functools import reduce
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from baocao import cli_support
from baocao.access.access import Perm, require
from baocao.core.display import format_value
from baocao.core.periods import Period, PeriodType
from baocao.datavalues.aggregation import Aggregator, comparability_note
from baocao.datavalues.models import DataValue
from baocao.orgunits.lookup import predecessors


class Command(BaseCommand):
    help = (
        "In chuỗi số liệu của một chỉ tiêu cho một đơn vị (tỷ lệ được tính lại từ thành phần). / "
        "Print an indicator's series for a unit (rates recomputed from their parts)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Đơn vị / unit")
        parser.add_argument("--indicator", required=True, help="Mã chỉ tiêu / indicator code")
        parser.add_argument("--from", dest="start", help="Từ kỳ / from period (mặc định: kỳ đầu có số liệu)")
        parser.add_argument("--to", dest="end", help="Đến kỳ / to period (mặc định: kỳ cuối có số liệu)")
        parser.add_argument(
            "--type",
            default=None,
            choices=[t.value for t in PeriodType],
            help="Loại kỳ / period type (mặc định: năm, hoặc quý nếu chỉ có số liệu quý)",
        )
        parser.add_argument("--target", action="store_true", help="Xem kế hoạch, chỉ tiêu / show targets")
        parser.add_argument("--user", help="Người thực hiện / acting user")

    def handle(self, *args: Any, **options: Any) -> None:
        end_period = cli_support.period(options["end"]) if options["end"] else None
        unit = cli_support.unit(options["unit"], on=end_period.end if end_period else None)
        require(cli_support.actor(options["user"]), unit, Perm.VIEW)
        agg = Aggregator(is_target=options["target"])
        try:
            indicator = agg.indicator(options["indicator"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        periods = self._periods(options, unit, indicator.code, agg)
        if not periods:
            raise CommandError(f"Chưa có số liệu {indicator.code} cho {unit.name}")
        results = agg.series(indicator.code, unit, periods)
        self.stdout.write(f"{indicator.name_vi} ({indicator.code}, {indicator.unit}) — {unit}")
        for r in results:
            shown = "—" if r.value is None else format_value(r.value, indicator.unit, r.qualifier)
            extra = " (chưa đủ kỳ/đơn vị)" if r.incomplete else ""
            self.stdout.write(f"  {r.period.label:<24} {shown:>22}   {r.note}{extra}")
        note = comparability_note(results)
        if note:
            self.stdout.write(f"\n{note}")

    def _periods(self, options: dict[str, Any], unit: Any, code: str, agg: Aggregator) -> list[Period]:
        """Default range: every period of the chosen type between the first and last stored value."""
        codes = {code} | agg.formula_codes(code)
        stored = [
            Period.from_code(c)
            for c in DataValue.objects.filter(indicator__code__in=codes)
            .filter(
                reduce(operator.or_, (Q(unit__path__startswith=u.path) for u in [unit, *predecessors(unit)]))
            )
            .values_list("period", flat=True)
            .distinct()
        ]
        ptype = (
            PeriodType(options["type"])
            if options["type"]
            else (
                PeriodType.YEAR
                if any(p.type == PeriodType.YEAR for p in stored) or not stored
                else min(stored, key=lambda p: p.type.months).type
            )
        )
        if options["start"]:
            first = Period.for_date(cli_support.period(options["start"]).start, ptype)
        elif stored:
            first = Period.for_date(min(p.start for p in stored), ptype)
        else:
            return []
        if options["end"]:
            last = Period.for_date(cli_support.period(options["end"]).end, ptype)
        else:
            last = Period.for_date(max(p.end for p in stored), ptype)
        periods = [first]
        while periods[-1] < last and len(periods) < 400:
            periods.append(periods[-1].next())
        return periods
