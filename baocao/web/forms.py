"""Forms of the web app. Labels are Vietnamese message ids, translated to English by gettext."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from baocao.access.models import Role
from baocao.catalog.models import Indicator
from baocao.datavalues.models import DataValue, Qualifier
from baocao.datavalues.services import version_of
from baocao.orgunits.models import OrgUnit
from baocao.reports.models import MISSING_CHOICES
from baocao.reports.services import SettingsInput

from .entry_rows import InputError, parse_input

QUALIFIER_CHOICES = [
    (Qualifier.EXACT, _("chính xác")),
    (Qualifier.APPROX, _("ước")),
    (Qualifier.MORE_THAN, _("hơn")),
    (Qualifier.LESS_THAN, _("dưới")),
]


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản đã bị khóa."),
    }


def _value_text(dv: DataValue | None) -> str:
    from baocao.core.vnnum import format_number

    return format_number(dv.value) if dv is not None else ""


@functools.lru_cache(maxsize=4096)
def _code_fields(code: str) -> dict[str, forms.Field]:
    """The boxes of one indicator, made once and shared by every form that has it: a field's form
    has ~560 fields, and making them took ~10 ms of each save. Shared fields are never changed
    after this (a closed form is drawn disabled by the page, not by its fields)."""
    fields: dict[str, forms.Field] = {}
    attrs = {"inputmode": "decimal", "autocomplete": "off", "data-code": code, "class": "num"}
    fields[f"v:{code}"] = forms.CharField(required=False, max_length=60, widget=forms.TextInput(attrs=attrs))
    fields[f"t:{code}"] = forms.CharField(
        required=False, max_length=60,
        widget=forms.TextInput(attrs={**attrs, "data-code": "", "data-plan": code}),
    )
    fields[f"q:{code}"] = forms.ChoiceField(choices=QUALIFIER_CHOICES, required=False)
    fields[f"c:{code}"] = forms.CharField(
        required=False, max_length=1000, widget=forms.TextInput(attrs={"class": "comment"})
    )
    # What the page showed travels with it: each number box's shown value (a hidden initial,
    # so a box left alone is not written back) and the version of the value and plan it
    # showed. A qualifier or comment is compared with what is stored.
    for prefix in ("v", "t"):
        fields[f"{prefix}:{code}"].show_hidden_initial = True
    for prefix in ("v", "t"):
        fields[f"b:{prefix}:{code}"] = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    return fields


def _entry_fields(codes: tuple[str, ...]) -> dict[str, forms.Field]:
    """The boxes of a form of these indicators (each indicator's made once: `_code_fields`)."""
    fields: dict[str, forms.Field] = {}
    for code in codes:
        fields.update(_code_fields(code))
    return fields


# Every name of a row's boxes: the value "v:cntt.qlvb.vb_di", its hidden initial "initial-v:…"
# and version "b:v:…"; the plan "t:…" (with "initial-t:…", "b:t:…"); the qualifier "q:…" and the
# comment "c:…".
_BOX_NAME = re.compile(r"^(?:initial-|b:)?[vtqc]:(.+)$")


def posted_codes(data: Iterable[str]) -> set[str]:
    """The indicators whose boxes a POST carries. The page's script sends only the rows the person
    changed, a browser without it every row; a row not sent is not on the save (left as stored)."""
    return {m.group(1) for name in data if (m := _BOX_NAME.match(name))}


class EntryForm(forms.Form):
    """One value, plan, qualifier and comment box per indicator of a section.

    Field names carry the indicator code ("v:cntt.qlvb.vb_di"), so a failed save re-renders
    exactly what was typed, box by box. The page draws the boxes with `entry_boxes.BoxWriter`.
    """

    reason = forms.CharField(
        label=_("Lý do thay đổi (ghi vào nhật ký)"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"class": "wide"}),
    )
    qualifier_choices = QUALIFIER_CHOICES

    def __init__(
        self,
        *args: Any,
        indicators: list[Indicator],
        current: dict[str, DataValue | None] | None = None,
        plans: dict[str, DataValue | None] | None = None,
        **kwargs: Any,
    ) -> None:
        current = current or {}
        plans = plans or {}
        initial: dict[str, Any] = {}
        for ind in indicators:
            dv = current.get(ind.code)
            initial[f"v:{ind.code}"] = _value_text(dv)
            initial[f"q:{ind.code}"] = dv.qualifier if dv else Qualifier.EXACT
            initial[f"c:{ind.code}"] = dv.comment if dv else ""
            initial[f"t:{ind.code}"] = _value_text(plans.get(ind.code))
            initial[f"b:v:{ind.code}"] = version_of(dv)
            initial[f"b:t:{ind.code}"] = version_of(plans.get(ind.code))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.current = current
        self.plans = plans
        self.fields.update(_entry_fields(tuple(ind.code for ind in indicators)))
        self.parsed: dict[str, tuple[Decimal | None, str]] = {}
        self.parsed_plans: dict[str, Decimal | None] = {}

    def widened(
        self,
        indicators: list[Indicator],
        current: dict[str, DataValue | None],
        plans: dict[str, DataValue | None],
    ) -> EntryForm:
        """This form as sent back (its data and its problems) over the whole section, to show the
        page again: the rows the request did not carry show what is stored, as a fresh page does."""
        if not self.is_bound or len(indicators) == len(self.indicators):
            return self
        whole = EntryForm(indicators=indicators, current=current, plans=plans)
        data = QueryDict(mutable=True)
        for name, value in whole.initial.items():
            data[name] = str(value)
            if name[:2] in ("v:", "t:"):
                data[f"initial-{name}"] = str(value)
        getlist = getattr(self.data, "getlist", None)
        for name in self.data:
            data.setlist(name, getlist(name) if getlist else [self.data[name]])
        form = EntryForm(data, indicators=indicators, current=current, plans=plans)
        form._errors = self.errors  # the problems already found: the rows not sent are not checked again
        form.cleaned_data = getattr(self, "cleaned_data", {})
        return form

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for ind in self.indicators:
            stored = self.current.get(ind.code)
            # A select missing from the request keeps the stored qualifier rather than resetting it.
            if f"q:{ind.code}" in self.data:
                qualifier = data.get(f"q:{ind.code}") or Qualifier.EXACT
            else:
                qualifier = stored.qualifier if stored else Qualifier.EXACT
            for prefix in ("v", "t"):
                name = f"{prefix}:{ind.code}"
                text = (data.get(name) or "").strip()
                if not text:
                    number = None
                else:
                    try:
                        number, typed_qualifier = parse_input(text, ind)
                    except InputError as exc:
                        self.add_error(name, str(exc))
                        continue
                    if number < 0:
                        self.add_error(name, _("Không nhận giá trị âm"))
                        continue
                    if prefix == "v" and typed_qualifier and qualifier == Qualifier.EXACT:
                        qualifier = typed_qualifier
                if prefix == "v":
                    self.parsed[ind.code] = (number, qualifier)
                else:
                    self.parsed_plans[ind.code] = number
        return data

    def touched(self, code: str, target: bool = False) -> bool:
        """The person changed this value's boxes (value, qualifier, comment; or the plan)."""
        names = [f"t:{code}"] if target else [f"v:{code}", f"q:{code}", f"c:{code}"]
        for name in names:
            if name not in self.data:
                continue  # not on this form
            # What the page showed; a client that does not send it compares with what is stored.
            shown = self.data.get(f"initial-{name}", self.initial.get(name))
            if self.fields[name].has_changed(shown, self.data.get(name)):
                return True
        return False

    def expected(self, code: str, target: bool = False) -> str | None:
        """The version the page showed; None when the request carries none (no check)."""
        name = f"b:{'t' if target else 'v'}:{code}"
        if name not in self.data:
            return None
        return str(self.data.get(name) or "")

    def comment(self, code: str) -> str:
        if f"c:{code}" not in self.data:
            stored = self.current.get(code)
            return stored.comment if stored else ""
        return str(self.cleaned_data.get(f"c:{code}") or "").strip()

    def removed(self) -> list[DataValue]:
        """Stored values (results and plans) whose box was sent back empty: they are to be deleted.

        A box missing from the request altogether means "not on this form", never "delete".
        """
        gone: list[DataValue] = []
        for code, (number, _q) in self.parsed.items():
            dv = self.current.get(code)
            if number is None and dv is not None and f"v:{code}" in self.data and self.touched(code):
                gone.append(dv)
        for code, number in self.parsed_plans.items():
            dv = self.plans.get(code)
            if number is None and dv is not None and f"t:{code}" in self.data and self.touched(code, True):
                gone.append(dv)
        return gone


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=1000)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))


class AuditFilterForm(forms.Form):
    ACTIONS = [
        ("", _("Tất cả")),
        ("value.", _("Số liệu")),
        ("state.", _("Trạng thái (gửi, duyệt, khóa, mở lại)")),
        ("permission.", _("Phân quyền")),
        ("user.", _("Tài khoản")),
        ("orgunit.", _("Đơn vị")),
        ("indicator.", _("Danh mục chỉ tiêu")),
        ("document.", _("Sổ văn bản")),
        ("task.", _("Nhiệm vụ")),
        ("entry.", _("Nội dung báo cáo")),
        ("ingest.", _("Đọc báo cáo cũ")),
    ]
    nguoi_dung = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150,
                                 widget=forms.TextInput(attrs={"placeholder": _("tên hoặc tài khoản")}))
    don_vi = forms.CharField(label=_("Đơn vị"), required=False, max_length=120,
                             widget=forms.TextInput(attrs={"placeholder": _("ví dụ: Trà Vinh")}))
    chi_tieu = forms.CharField(label=_("Chỉ tiêu"), required=False, max_length=200,
                               widget=forms.TextInput(attrs={"placeholder": _("ví dụ: văn bản đi")}))
    ky = forms.CharField(label=_("Kỳ"), required=False, max_length=40,
                         widget=forms.TextInput(attrs={"placeholder": _("quý I/2023")}))
    hanh_dong = forms.ChoiceField(label=_("Loại thay đổi"), required=False, choices=ACTIONS)
    tu_ngay = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    den_ngay = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"],
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class GrantForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    unit = forms.ChoiceField(label=_("Đơn vị"))
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = units


class CreateUserForm(forms.Form):
    username = forms.RegexField(
        label=_("Tên đăng nhập"), max_length=150, regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Chỉ dùng chữ không dấu, số và . @ + - _")},
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, min_length=10)
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=500)


class BulkImportForm(forms.Form):
    """A big file of figures for a background import (columns indicator, unit, period, value …)."""

    file = forms.FileField(label=_("Tệp số liệu (CSV, XLSX hoặc JSON)"))
    unit = forms.ModelChoiceField(
        label=_("Đơn vị (cho các dòng không ghi đơn vị)"), required=False, queryset=OrgUnit.objects.none(),
    )  # fmt: skip
    reason = forms.CharField(label=_("Lý do (ghi vào nhật ký)"), required=False, max_length=500)

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = cast("forms.ModelChoiceField[OrgUnit]", self.fields["unit"])
        unit_field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        unit_field.label_from_instance = lambda u: u.full_name or u.name  # type: ignore[method-assign]


class ExtractArchiveForm(forms.Form):
    """A ZIP of narrative reports to read in the background."""

    file = forms.FileField(label=_("Tệp ZIP chứa các báo cáo (.txt, .md, .docx, .pdf)"))
    unit = forms.CharField(label=_("Tỉnh (khi văn bản không ghi)"), required=False, max_length=100)
    period = forms.CharField(label=_("Kỳ báo cáo (khi văn bản không ghi)"), required=False, max_length=40)

    def clean_period(self) -> str:
        from baocao.core.periods import PeriodError, parse_period

        text = str(self.cleaned_data.get("period") or "").strip()
        if text:
            try:
                parse_period(text)
            except PeriodError as exc:
                raise forms.ValidationError(str(exc)) from None
        return text


AUTHORITIES = [("GIÁM ĐỐC", "GIÁM ĐỐC"), ("KT. GIÁM ĐỐC", "KT. GIÁM ĐỐC")]


class ReportSettingsForm(forms.Form):
    number = forms.CharField(
        label=_("Số báo cáo"), required=False, max_length=20,
        help_text=_("Chỉ ghi số; ký hiệu BC-… do mẫu báo cáo ghi. Để trống đến khi vào sổ."),
    )  # fmt: skip
    issued_on = forms.DateField(
        label=_("Ngày ký"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
    )  # fmt: skip
    signer_authority = forms.ChoiceField(label=_("Thẩm quyền ký"), choices=AUTHORITIES, required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký thay"), required=False, max_length=80,
        help_text=_("Khi ký thay: PHÓ GIÁM ĐỐC"),
    )  # fmt: skip
    signer_name = forms.CharField(label=_("Người ký"), required=False, max_length=120)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "wide"}),
    )  # fmt: skip
    missing_figures = forms.ChoiceField(
        label=_("Bản để ký: số liệu còn thiếu"), choices=MISSING_CHOICES, required=False,
        help_text=_("Bản để ký không có chỗ trống: nhập đủ số liệu, hoặc bỏ các câu cần số liệu còn thiếu."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Lý do thay đổi (ghi vào nhật ký)"), required=False, max_length=500)

    @classmethod
    def initial_from(cls, report: Any, number: str, missing: str = "") -> dict[str, Any]:
        """What the report prints now, so that the office edits rather than retypes."""
        return {
            "number": number,
            "issued_on": report.issued_on,
            "signer_authority": report.signer_authority,
            "signer_title": report.signer_title,
            "signer_name": report.signer_name,
            "recipients": "\n".join(report.recipients),
            "missing_figures": missing,
        }

    def settings_input(self) -> SettingsInput:
        data = self.cleaned_data
        lines = [line.strip() for line in str(data.get("recipients") or "").splitlines() if line.strip()]
        return SettingsInput(
            number=str(data.get("number") or ""),
            issued_on=data.get("issued_on"),
            signer_authority=str(data.get("signer_authority") or ""),
            signer_title=str(data.get("signer_title") or ""),
            signer_name=str(data.get("signer_name") or ""),
            recipients=lines or None,
            missing_figures=str(data.get("missing_figures") or ""),
        )
