"""The data-entry form's boxes written from plain data, exactly as Django's widgets write them.

A field's form has ~750 boxes (value, plan, qualifier, comment, the hidden initials and versions);
rendering each through a BoundField and its widget template cost ~100 ms of CPU per page. Here
each box is one string built from the form's initial values, the typed data and the errors —
the same attributes in the same order, so the browser, entry.js and the tests see the same page
(`tests/web/test_web_entry_boxes.py` compares every box with Django's own rendering).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from .forms import EntryForm


@dataclass(frozen=True)
class RowBoxes:
    """One indicator's boxes, ready for the page."""

    value_id: str  # the value box's id, for <label for=…>
    value: SafeString  # the value box and its hidden initial
    plan: SafeString
    qualifier: SafeString
    comment: SafeString
    value_errors: list[str]
    plan_errors: list[str]
    typed: bool  # the value box shows something (typed or stored)


def _attr(name: str, value: Any) -> str:
    return f' {name}="{escape(value)}"'


class BoxWriter:
    """Writes the boxes of one EntryForm (bound or not); `disabled` when the person may only look."""

    def __init__(self, form: EntryForm, *, disabled: bool) -> None:
        self.bound = form.is_bound
        self.data = form.data
        self.initial = form.initial
        self.errors = form.errors if form.is_bound else {}
        self.disabled = disabled
        self.choices = [(str(value), str(label)) for value, label in form.qualifier_choices]

    def shown(self, name: str) -> Any:
        """What a box shows: the typed data on a form sent back (unless closed), else the initial."""
        if self.bound and not self.disabled:
            return self.data.get(name)
        return self.initial.get(name)

    def _common(self, name: str, *, hidden_widget: bool = False) -> str:
        """disabled, aria-invalid and aria-describedby as BoundField.build_widget_attrs adds them
        (the describedby also on a number box's hidden initial, as Django writes it)."""
        out = " disabled" if self.disabled else ""
        if name in self.errors:
            if not hidden_widget:
                out += ' aria-invalid="true"'
            out += _attr("aria-describedby", f"id_{name}_error")
        return out

    def _input(self, kind: str, name: str, value: Any, attrs: str, element_id: str, extra: str) -> str:
        shown = "" if value is None or value == "" else _attr("value", value)
        return f'<input type="{kind}" name="{escape(name)}"{shown}{attrs}{extra}{_attr("id", element_id)}>'

    def text_box(self, name: str, attrs: str, *, with_initial: bool) -> str:
        """A text box; with its hidden initial (the value the page showed) for the number boxes."""
        html = self._input("text", name, self.shown(name), attrs, f"id_{name}", self._common(name))
        if with_initial:
            initial_name = f"initial-{name}"
            if self.bound and initial_name in self.data:
                value = self.data.get(initial_name)
            else:
                value = self.shown(name)
            html += self._input("hidden", initial_name, value, "", f"initial-id_{name}",
                                self._common(name, hidden_widget=True))
        return html

    def hidden(self, name: str) -> str:
        return self._input("hidden", name, self.shown(name), "", f"id_{name}", " disabled" if self.disabled else "")

    def select(self, name: str) -> str:
        value = self.shown(name)
        chosen = "" if value is None else str(value)
        options, selected = [], False
        for option, label in self.choices:
            mark = ""
            if not selected and option == chosen:
                mark, selected = " selected", True
            options.append(f'\n  <option value="{escape(option)}"{mark}>{escape(label)}</option>\n')
        return (f'<select name="{escape(name)}"{self._common(name)}{_attr("id", f"id_{name}")}>'
                + "".join(options) + "\n</select>")

    def row(self, code: str) -> RowBoxes:
        number = _attr("inputmode", "decimal") + _attr("autocomplete", "off")
        value_attrs = number + _attr("data-code", code) + ' class="num" maxlength="60"'
        plan_attrs = number + ' data-code="" class="num"' + _attr("data-plan", code) + ' maxlength="60"'
        v, t = f"v:{code}", f"t:{code}"
        shown = self.shown(v)
        # mark_safe below: every name and value in these strings went through escape().
        return RowBoxes(
            value_id=f"id_{v}",
            value=mark_safe(self.text_box(v, value_attrs, with_initial=True)),
            plan=mark_safe(self.text_box(t, plan_attrs, with_initial=True)),
            qualifier=mark_safe(self.select(f"q:{code}")),
            comment=mark_safe(self.text_box(f"c:{code}", ' class="comment" maxlength="1000"', with_initial=False)),
            value_errors=[str(e) for e in self.errors.get(v, ())],
            plan_errors=[str(e) for e in self.errors.get(t, ())],
            typed=bool(shown),
        )

    def versions(self, codes: list[str]) -> SafeString:
        """The hidden version fields of every row, in the form's order."""
        return mark_safe("".join(self.hidden(f"b:{p}:{code}") for code in codes for p in ("v", "t")))
