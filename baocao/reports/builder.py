"""Building a unit's periodic report from its template, narrative, registers and figures.

The result (document.Report) is written by docx_writer, html or as plain text; building does
not write anything to the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count

from baocao.catalog.models import Field
from baocao.core import narrative
from baocao.core.docrefs import issuer_name
from baocao.core.narrative import FigureOptions
from baocao.core.periods import Period, regime_for
from baocao.core.vnnum import format_number, format_percent
from baocao.datavalues.models import DataValue, Source
from baocao.datavalues.validation import FAIL, validate
from baocao.orgunits.models import OrgUnit
from baocao.registers.counting import documents_in, register_conflicts
from baocao.registers.models import Document, NarrativeEntry, Origin, Task, TaskStatus

from .config import ReportConfig, Section, load_config, render_text
from .document import ERROR, ISSUE_CATEGORIES, MISSING, Appendix, Block, Issue, Paragraph, Report, Run, Table
from .filling import FigureSource, Filler, Shown
from .models import OMIT_MISSING, ReportSettings
from .signing import clean_blocks, flagged_runs
from .units import agency_for, template_codes

# Why a stored value was flagged when it was entered or extracted.
FLAG_WORDS = {"implausible": "số liệu như báo cáo đã viết không thể đúng (đã đánh dấu khi nhập)"}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
DEFAULT_REGIME = "hanh_chinh"


class ReportBuildError(ValueError):
    """The report cannot be built (no department, a broken template)."""


class SigningBlocked(ReportBuildError):
    """The signing version cannot be made yet: each problem says what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Chưa lập được bản để ký: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ReportOptions:
    """Per-run choices; anything left None comes from the report's settings, then the template."""

    issued_on: date | None = None
    number: str | None = None
    signer_authority: str | None = None
    signer_title: str | None = None
    signer_name: str | None = None
    # The version to sign: without the review appendix and without any placeholder.
    final: bool = False
    # Leave out the sentences that need a missing figure (None: the report's own choice).
    omit_missing: bool | None = None


def default_report_date(period: Period) -> date:
    """The day the report is due under NĐ 09/2019 (the 20th of the period's last month)."""
    return regime_for(DEFAULT_REGIME).due_date(period)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class _Builder:
    def __init__(self, unit: OrgUnit, period: Period, options: ReportOptions) -> None:
        self.unit = unit
        self.period = period
        self.options = options
        self._review_key: str | None = None  # the review appendix, left out of the version to sign
        self.settings = ReportSettings.objects.filter(unit=unit, period=period.code).first()
        self.issued_on = options.issued_on or (
            self.settings.issued_on
            if self.settings and self.settings.issued_on
            else default_report_date(period)
        )
        self.agency = agency_for(unit, self.issued_on)
        self.config: ReportConfig = load_config(
            template_codes(unit, self.issued_on), period.type, self.issued_on
        )
        self.figures = FigureSource(unit)
        self.filler = Filler(unit, period, self.figures)
        self.issues: list[Issue] = []
        self.context = self._context()

    # -- texts ----------------------------------------------------------------------------------
    def _context(self) -> dict[str, Any]:
        p, d = self.period, self.issued_on
        number = self.options.number or (self.settings.number if self.settings else "") or ""
        ctx: dict[str, Any] = {
            "period": p.label,
            "next": p.next().label,
            "previous": p.previous().label,
            "period_upper": p.label.upper(),
            "next_upper": p.next().label.upper(),
            "period_cap": _cap(p.label),
            "year": p.year,
            "agency": self.agency.agency,
            "agency_upper": self.agency.agency_upper,
            "place": self.agency.place,
            "governing_body": self.agency.governing_body,
            "symbol": self.agency.symbol,
            "number": number or self.config.get("header", {}).get("blank_number", "      "),
            "day": narrative.pad_day(d.day),
            "month": narrative.pad_month(d.month),
            "month_2digits": f"{d.month:02d}",
            "year_signed": d.year,
            "date_short": narrative.format_doc_date(d),
        }
        ctx["report_to"] = self._text(self.config.get("report_to", ""), "report_to", ctx)
        header = self.config.get("header", {}) or {}
        ctx["number_symbol"] = self._text(header.get("number", "{number}/BC-{symbol}"), "header.number", ctx)
        ctx["number_text"] = f"Số: {ctx['number_symbol']}"
        ctx["subject"] = self._text(self.config.get("subject", ""), "subject", ctx)
        ctx["subject_sentence"] = _lower_first(ctx["subject"])
        return ctx

    def _text(self, template: Any, where: str, ctx: dict[str, Any] | None = None) -> str:
        return render_text(
            template,
            ctx if ctx is not None else self.context,
            where=f"{where} ({', '.join(self.config.files)})",
        )

    # -- sections -------------------------------------------------------------------------------
    def build_body(self) -> list[Block]:
        entries: dict[str, list[NarrativeEntry]] = {}
        for entry in NarrativeEntry.objects.filter(unit=self.unit, period=self.period.code).order_by(
            "section", "order", "id"
        ):
            entries.setdefault(entry.section, []).append(entry)
        self.entries = entries
        hidden = {c.key for s in self.config.all_sections() if s.hidden for c in s.walk()}
        known = self.config.section_keys()
        for key, items in entries.items():
            if key in hidden or key not in known:
                why = "đang ẩn trong mẫu báo cáo" if key in hidden else "không có trong mẫu báo cáo"
                self.issues.append(
                    Issue("content", f"Mục '{key}' {why}: {len(items)} nội dung không được in")
                )
        blocks: list[Block] = []
        number = 0
        for section in self.config.sections:
            if section.hidden:
                continue
            content = self._section(
                section, 1, ROMAN[number] + "." if number < len(ROMAN) else f"{number + 1}."
            )
            if content:
                number += 1
                blocks.extend(content)
        return blocks

    def _section(self, section: Section, level: int, label: str) -> list[Block]:
        heading_text = self._text(section.heading, f"sections.{section.key}.heading")
        if section.upper:
            heading_text = heading_text.upper()
        where = f"mục {label} {heading_text}"
        own: list[Block] = []
        for entry in self.entries.get(section.key, []):
            own.extend(self.filler.paragraphs(entry.text, where))
        for block in section.blocks:
            own.extend(self._block(block, section, where))
        children: list[Block] = []
        count = 0
        for child in section.children:
            if child.hidden:
                continue
            prefix = f"{count + 1}." if level == 1 else f"{label}{count + 1}."
            content = self._section(child, level + 1, prefix)
            if content:
                count += 1
                children.extend(content)
        if not own and not children and not section.keep_empty:
            return []
        heading = Paragraph([Run(f"{label} {heading_text}", bold=True, italic=level >= 3)], "heading", level)
        return [heading, *own, *children]

    def _block(self, block: str, section: Section, where: str) -> list[Block]:
        if block == "tasks_review":
            return self._tasks_review(where)
        if block == "tasks_next":
            return self._tasks_next(where)
        if block == "table" and section.table:
            return self._indicator_table(section.table)
        return []

    # -- tasks ----------------------------------------------------------------------------------
    def _tasks_review(self, where: str) -> list[Block]:
        tasks = list(Task.objects.filter(unit=self.unit, due_period=self.period.code).order_by("order", "id"))
        if not tasks:
            return []
        tconf = self.config.get("tasks", {}) or {}
        columns = [self._text(c, "tasks.review_columns") for c in tconf.get("review_columns", [])]
        rows = []
        for i, task in enumerate(tasks, 1):
            status = TaskStatus(task.status).label
            rows.append(
                [
                    [Run(str(i))],
                    self.filler.runs(task.content, where),
                    [Run(status, bold=task.status == TaskStatus.DONE)],
                    [Run(task.note)] if task.note else [],
                ]
            )
        return [Table(columns, rows, [1.1, 8.5, 3.4, 3.5], centred={0})]

    def _tasks_next(self, where: str) -> list[Block]:
        upcoming = list(
            Task.objects.filter(unit=self.unit, due_period=self.period.next().code).order_by("order", "id")
        )
        carried = list(
            Task.objects.filter(
                unit=self.unit, due_period=self.period.code, status=TaskStatus.CARRIED
            ).order_by("order", "id")
        )
        tconf = self.config.get("tasks", {}) or {}
        suffix = self._text(
            tconf.get("carried_from", "(chuyển từ {previous})"),
            "tasks.carried_from",
            {
                **self.context,
                "previous": self.period.label,
            },
        )
        items: list[Block] = []
        for i, task in enumerate([*upcoming, *carried], 1):
            runs = [Run(f"{i}. "), *self.filler.runs(task.content, where)]
            if task in carried:
                runs.append(Run(f" {suffix}", italic=True))
            items.append(Paragraph(runs))
        return items

    # -- tables ---------------------------------------------------------------------------------
    def _indicator_table(self, key: str) -> list[Block]:
        tables = self.config.get("tables", {}) or {}
        conf = tables.get(key)
        if not isinstance(conf, dict):
            raise ReportBuildError(
                f"bảng '{key}' không có trong mục tables của mẫu ({', '.join(self.config.files)})"
            )
        other = narrative.resolve_period_ref(conf.get("compare", "ky_truoc"), self.period)
        ctx = {**self.context, "compared_cap": _cap(other.label)}
        columns = [self._text(c, f"tables.{key}.columns", ctx) for c in conf.get("columns", [])]
        title = self._text(conf.get("title", ""), f"tables.{key}.title", ctx)
        fields = {f.code: f.name_vi for f in Field.objects.all()}
        rows: list[list[list[Run]]] = []
        groups: set[int] = set()
        index = 0
        for group in conf.get("groups", []):
            group_rows = []
            for code in group.get("rows", []):
                row = self._indicator_row(code, other, title, bool(conf.get("skip_empty", True)))
                if row is not None:
                    group_rows.append(row)
            if not group_rows:
                continue
            groups.add(len(rows))
            name = fields.get(group.get("field", ""), group.get("title", ""))
            rows.append([[Run(name, bold=True)], [], [], [], [], []])
            for row in group_rows:
                index += 1
                rows.append([[Run(str(index))], *row])
        if not rows:
            return []
        table = Table(columns, rows, [1.0, 5.0, 1.9, 3.1, 2.6, 2.9], groups, centred={0, 2}, right={3, 4, 5})
        return [table]

    def _indicator_row(
        self, code: str, other: Period, where: str, skip_empty: bool
    ) -> list[list[Run]] | None:
        try:
            ind = self.figures.indicator(code)
        except LookupError:
            self.issues.append(
                Issue("content", f"Bảng số liệu: mã chỉ tiêu '{code}' không có trong danh mục", where)
            )
            return None
        if not ind.applies_to(self.period):
            return None
        now = self.figures.shown(code, self.period)
        before = self.figures.shown(code, other)
        if now is None and before is None and skip_empty:
            return None
        unit = _table_unit(ind.unit)

        def cell(shown: Shown) -> str:
            return _table_figure(shown, ind.unit)

        now_problem = self.figures.problem(code, self.period) if now is not None else None
        before_problem = self.figures.problem(code, other) if before is not None else None
        if now is None:
            now_cell = [Run(self.filler.mark_missing(code, self.period, where), flag=MISSING)]
        elif now_problem:
            now_cell = [Run(self.filler.mark_wrong(ind, self.period, now_problem, where), flag=ERROR)]
            now = None  # no change computed from a figure that is not written
        else:
            now_cell = [Run(cell(now))]
            self.filler.shown_codes.add(code)
        if before is not None and before_problem:
            before_cell = [Run(self.filler.mark_wrong(ind, other, before_problem, where), flag=ERROR)]
            before = None
        else:
            before_cell = [Run(cell(before))] if before is not None else [Run("–")]
        change = "–"
        if ind.begins_after(other):
            # A new series (levels 3/4 → "toàn trình/một phần"): the old one's figure is shown
            # for reference, but unlike figures are not compared.
            old = self.figures.shown(ind.replaces, other) if ind.replaces else None
            before_cell = [Run(f"{cell(old)} (cách tính cũ)", italic=True)] if old else [Run("–")]
            change = "Không so sánh (đổi cách tính)"
        elif now is not None and before is not None:
            change = _change_text(now.value, before.value, rate=self.figures.is_rate(code), unit=ind.unit)
        return [[Run(ind.name_vi)], [Run(unit)], now_cell, before_cell, [Run(change)]]

    # -- appendices -----------------------------------------------------------------------------
    def _documents_appendix(self, conf: dict[str, Any]) -> list[Block]:
        origins = conf.get("origins", [Origin.DRAFTED, Origin.ISSUED])
        docs = [d for d in documents_in(self.unit, self.period) if d.origin in origins]
        if not docs:
            return []
        columns = [self._text(c, "appendices.columns") for c in conf.get("columns", [])]
        rows: list[list[list[Run]]] = []
        groups: set[int] = set()
        index = 0
        for origin in origins:
            members = sorted((d for d in docs if d.origin == origin), key=_doc_sort_key)
            if not members:
                continue
            groups.add(len(rows))
            rows.append([[Run(_ORIGIN_TITLES.get(origin, Origin(origin).label), bold=True)], [], [], []])
            for doc in members:
                index += 1
                number = f"{doc.kind or 'Văn bản'} số {doc.number}"
                if doc.issued_on:
                    number += f"\nngày {narrative.format_doc_date(doc.issued_on)}"
                body = doc.issuing_body or issuer_name(doc.issuer) or doc.issuer
                rows.append([[Run(str(index))], [Run(number)], [Run(body)], [Run(_cap(doc.summary))]])
        return [Table(columns, rows, [1.1, 4.6, 3.6, 7.2], groups, centred={0})]

    def _key_figures_appendix(self, conf: dict[str, Any]) -> list[Block]:
        """Every figure stored for the unit's period that the text and tables do not show,
        grouped by field with the catalog's name and unit (an imported report keeps them all)."""
        stored = (
            DataValue.objects.filter(
                unit=self.unit, period=self.period.code, is_target=False, regime=DEFAULT_REGIME
            )
            .exclude(indicator__code__in=self.filler.shown_codes)
            .select_related("indicator__field")
            .order_by("indicator__field__order", "indicator__order", "indicator__code")
        )
        columns = [self._text(c, "appendices.columns") for c in conf.get("columns", [])]
        rows: list[list[list[Run]]] = []
        groups: set[int] = set()
        field_code = None
        for index, dv in enumerate(stored, 1):
            ind = dv.indicator
            if ind.field.code != field_code:
                field_code = ind.field.code
                groups.add(len(rows))
                rows.append([[Run(ind.field.name_vi, bold=True)], [], [], []])
            shown = self.figures.shown(ind.code, self.period) or Shown(dv.value, dv.qualifier)
            problem = self.figures.problem(ind.code, self.period)
            figure = (
                Run(self.filler.mark_wrong(ind, self.period, problem, "phụ lục số liệu"), flag=ERROR)
                if problem else Run(_table_figure(shown, ind.unit))
            )
            rows.append([[Run(str(index))], [Run(ind.name_vi)], [Run(_table_unit(ind.unit))], [figure]])
        if not rows:
            return []
        return [Table(columns, rows, [1.1, 8.6, 3.0, 3.8], groups, centred={0, 2}, right={3})]

    def _review_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        number = 0
        for category, title in ISSUE_CATEGORIES.items():
            items = [i for i in self.issues if i.category == category]
            if not items:
                continue
            number += 1
            blocks.append(Paragraph([Run(f"{number}. {title}", bold=True)], "heading", 2))
            for item in items:
                where = f" ({item.where})" if item.where else ""
                blocks.append(Paragraph([Run(f"- {item.message}{where}.")]))
        sources = self._source_lines()
        if blocks and sources:
            # Where the period's figures came from, for whoever checks them before signing.
            blocks.append(Paragraph([Run(f"{number + 1}. Nguồn số liệu", bold=True)], "heading", 2))
            blocks.extend(Paragraph([Run(f"- {line}.")]) for line in sources)
        return blocks

    def _source_lines(self) -> list[str]:
        """How many of the unit's figures of the period came from each source (a person's entry,
        a file, a report read back, the API, an automatic source and its run)."""
        counts = (
            DataValue.objects.filter(unit=self.unit, period=self.period.code, regime=DEFAULT_REGIME)
            .values_list("source", "source_ref")
            .annotate(n=Count("id"))
            .order_by("source", "source_ref")
        )
        labels = dict(Source.choices)
        return [
            f"{labels.get(source, source)}{f' — {ref}' if ref else ''}: {n} số liệu" for source, ref, n in counts
        ]

    def build_appendices(self) -> list[Appendix]:
        appendices: list[Appendix] = []
        pending_review: dict[str, Any] | None = None
        key_figures: tuple[int, dict[str, Any]] | None = None
        for conf in self.config.get("appendices", []) or []:
            kind = conf.get("kind")
            if kind == "review":
                pending_review = conf
                self._review_key = conf.get("key", "review")
                continue
            if kind == "key_figures":
                # Built once the others have shown what they show; kept in its place.
                key_figures = (len(appendices), conf)
                continue
            if kind == "documents":
                blocks = self._documents_appendix(conf)
                title = self._text(conf.get("title", ""), "appendices.title")
            elif kind == "table":
                key = conf.get("table", "")
                blocks = self._indicator_table(key)
                title = self._text(
                    (self.config.get("tables", {}) or {}).get(key, {}).get("title", ""), "tables.title"
                )
            else:
                raise ReportBuildError(
                    f"phụ lục '{conf.get('key')}': loại '{kind}' không có "
                    "(documents, table, key_figures, review)"
                )
            if blocks:
                appendices.append(Appendix(conf.get("key", ""), "", title, blocks=blocks))
        if key_figures is not None:
            position, conf = key_figures
            blocks = self._key_figures_appendix(conf)
            if blocks:
                title = self._text(conf.get("title", ""), "appendices.title")
                appendices.insert(position, Appendix(conf.get("key", ""), "", title, blocks=blocks))
        # The review is built last: every other part has reported its problems by now.
        self._collect_issues()
        if pending_review is not None and not self.options.final:
            blocks = self._review_blocks()
            if blocks:
                appendices.append(
                    Appendix(
                        pending_review.get("key", "review"),
                        "",
                        self._text(pending_review.get("title", ""), "appendices.title"),
                        note=self._text(pending_review.get("note", ""), "appendices.note"),
                        blocks=blocks,
                    )
                )
        attached = self._text(self.config.get("attached_to", ""), "attached_to")
        for i, appendix in enumerate(appendices):
            appendix.label = f"Phụ lục {ROMAN[i] if i < len(ROMAN) else i + 1}"
            if appendix.key != (pending_review or {}).get("key"):
                appendix.subtitle = attached
        return appendices

    def _collect_issues(self) -> None:
        for miss in self.filler.missing_figures():
            what = "Chỉ tiêu kế hoạch" if miss.plan else "Chưa có số liệu"
            self.issues.append(
                Issue("missing", f"{what} {miss.period.label}: {miss.name} ({miss.code})", miss.where)
            )
        self.issues.extend(self.filler.issues)
        for finding in validate(self.unit, self.period, aggregator=self.figures.actual):
            if finding.status == FAIL:
                level = "lỗi" if finding.severity == "error" else "cảnh báo"
                self.issues.append(Issue("validation", f"[{level}] {finding.rule_name}: {finding.message}"))
        flagged = DataValue.objects.filter(unit=self.unit, period=self.period.code).exclude(flag="")
        for dv in flagged.select_related("indicator"):
            why = FLAG_WORDS.get(dv.flag, dv.flag)
            self.issues.append(
                Issue(
                    "flagged",
                    f"{dv.indicator.name_vi} ({dv.indicator.code}) = {format_number(dv.value)}: {why}",
                )
            )
        for conflict in register_conflicts(self.unit, self.period):
            name = self.figures.indicator(conflict.indicator).name_vi
            self.issues.append(Issue("register", conflict.message(name)))

    # -- the version to sign --------------------------------------------------------------------
    def _signing(self, body: list[Block], appendices: list[Appendix], signer_name: str) -> list[Block]:
        """Body and appendices without placeholders, or SigningBlocked saying what is left."""
        problems = self._signing_problems(body, appendices, signer_name)
        if problems:
            raise SigningBlocked(problems)
        body, dropped = clean_blocks(body)
        for appendix in appendices:
            appendix.blocks, gone = clean_blocks(appendix.blocks)
            dropped += gone
        for sentence in dropped:
            self.issues.append(Issue("content", f"Bản để ký bỏ câu cần số liệu còn thiếu: «{sentence}»"))
        return body

    def _signing_problems(self, body: list[Block], appendices: list[Appendix], signer_name: str) -> list[str]:
        """What the version to sign would be blocked by, given the draft's parts without the review."""
        problems = []
        if not signer_name.strip():
            problems.append("chưa có tên người ký — ghi ở mục Thông tin ban hành")
        flagged = flagged_runs(body) + [r for a in appendices for r in flagged_runs(a.blocks)]
        omit = self.options.omit_missing
        if omit is None:
            omit = bool(self.settings and self.settings.missing_figures == OMIT_MISSING)
        if flagged and not omit:
            problems.append(
                f"còn {len(flagged)} chỗ thiếu số liệu hoặc số liệu cần xem lại — nhập số liệu, hoặc chọn "
                "'Bỏ các câu cần số liệu còn thiếu' ở mục Thông tin ban hành"
            )
        return problems

    # -- the whole report ----------------------------------------------------------------------
    def build(self) -> Report:
        body = self.build_body()
        appendices = self.build_appendices()
        config, ctx, settings = self.config, self.context, self.settings
        signer = dict(config.get("signer", {}) or {})
        if settings is not None:
            if settings.signer_authority:
                # Authority and title go together: "GIÁM ĐỐC" signing himself clears the
                # template's "PHÓ GIÁM ĐỐC".
                signer["authority"], signer["title"] = settings.signer_authority, settings.signer_title
            if settings.signer_name:
                signer["name"] = settings.signer_name
        for key in ("authority", "title", "name"):
            value = getattr(self.options, f"signer_{key}")
            if value is not None:
                signer[key] = value
        signing_problems: list[str] = []
        if self.options.final:
            body = self._signing(body, appendices, str(signer.get("name", "") or ""))
        else:  # the version to sign is this draft without the review appendix
            signed_parts = [a for a in appendices if a.key != self._review_key]
            signing_problems = self._signing_problems(body, signed_parts, str(signer.get("name", "") or ""))
        recipients = list(settings.recipients) if settings is not None and settings.recipients else None
        if recipients is None:
            recipients = [self._text(r, "recipients") for r in config.get("recipients", []) or []]
        header = config.get("header", {}) or {}
        return Report(
            unit=self.unit,
            department=self.agency.department,
            period=self.period,
            issued_on=self.issued_on,
            governing_body=self.agency.governing_body,
            agency_upper=self.agency.agency_upper,
            number_text=ctx["number_text"],
            place_date=self._text(header.get("place_date", ""), "header.place_date"),
            title=self._text(config.get("title", "BÁO CÁO"), "title"),
            subject=ctx["subject"],
            body=body,
            closing=self._text(config.get("closing", ""), "closing"),
            recipients=recipients,
            signer_authority=str(signer.get("authority", "")).upper(),
            signer_title=str(signer.get("title", "") or "").upper(),
            signer_name=str(signer.get("name", "") or ""),
            appendices=appendices,
            issues=list(self.issues),
            layout=dict(config.get("layout", {}) or {}),
            files=config.files,
            signing_problems=signing_problems,
        )


def _table_unit(unit: str) -> str:
    """Tables give money in millions of đồng."""
    return "triệu đồng" if unit == "đồng" else unit


def _change_text(now: Decimal, before: Decimal, *, rate: bool, unit: str) -> str:
    """The change column: a rate's difference in points ("+2,5%"), else the growth in percent;
    "–" when the earlier figure is zero."""
    if rate:
        diff = round(now, 2) - round(before, 2)
        sign = "+" if diff > 0 else ("-" if diff < 0 else "")
        body = format_percent(abs(diff)) if unit == "%" else format_number(abs(diff), max_decimals=2)
        return f"{sign}{body}" if diff else "0"
    if not before:
        return "–"
    pct = (now - before) / before * 100
    sign = "+" if pct > 0 else ("-" if pct < 0 else "")
    return f"{sign}{format_percent(abs(pct))}" if pct else "0%"


def _table_figure(shown: Shown, unit: str) -> str:
    """A figure as a table cell beside its unit column (money in millions)."""
    if unit == "đồng":
        word = {"approx": "ước ", "more_than": "hơn ", "less_than": "dưới "}.get(shown.qualifier, "")
        return word + format_number(shown.value / 1_000_000, max_decimals=3)
    return narrative.format_figure(shown.value, unit, shown.qualifier, FigureOptions(pad=False))


_ORIGIN_TITLES = {
    Origin.DRAFTED: "Văn bản Sở tham mưu cấp tỉnh ban hành",
    Origin.ISSUED: "Văn bản Sở ban hành",
    Origin.CITED: "Văn bản khác",
}


def _doc_sort_key(doc: Document) -> tuple[date, str]:
    return (doc.issued_on or date(doc.year or 1, 1, 1), doc.number)


def build_report(unit: OrgUnit, period: Period, options: ReportOptions | None = None) -> Report:
    """The report of ``unit`` for ``period``: template, narrative, registers and figures together."""
    return _Builder(unit, period, options or ReportOptions()).build()


__all__ = [
    "ERROR", "MISSING", "ReportBuildError", "ReportOptions", "SigningBlocked", "build_report", "default_report_date",
]
