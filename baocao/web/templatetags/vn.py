"""Template filters that write numbers, values and periods the way Vietnamese reports do."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

from baocao.core.display import format_value
from baocao.core.periods import Period, PeriodError
from baocao.core.vnnum import VietnameseNumberError, format_number

register = template.Library()


@register.filter
def vnnum(value: Any, max_decimals: int | None = 2) -> str:
    """1599 → "1.599", 73.954 → "73,95"; empty for None so tables show a blank cell."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value, max_decimals=max_decimals)
    except (VietnameseNumberError, ArithmeticError, TypeError, ValueError):
        return str(value)


@register.filter
def vnexact(value: Any) -> str:
    """Every digit kept: what an input box shows so that saving it again changes nothing."""
    if value is None or value == "":
        return ""
    try:
        return format_number(value)
    except (VietnameseNumberError, ArithmeticError, TypeError, ValueError):
        return str(value)


@register.filter
def vnvalue(value: Decimal | None, unit: str = "") -> str:
    """A value with its unit as a report writes it ("80,71%", "76 tỷ đồng")."""
    if value is None:
        return ""
    return format_value(value, unit or "")


@register.filter
def period_label(code: Any) -> str:
    """ "2020Q1" → "quý I/2020" (or "Q1 2020" when the page is in English)."""
    if isinstance(code, Period):
        period = code
    else:
        try:
            period = Period.from_code(str(code))
        except PeriodError:
            return str(code or "")
    return period.label_en if (get_language() or "vi").startswith("en") else period.label


@register.filter
def name_of(obj: Any) -> str:
    """The English name of a catalog entry when the page is in English and one exists."""
    if obj is None:
        return ""  # a document without a field shows an empty cell, never "None"
    english = (get_language() or "vi").startswith("en")
    if english and getattr(obj, "name_en", None):
        return str(obj.name_en)
    return str(getattr(obj, "name_vi", obj))


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """dict lookup with a variable key, which Django's template language cannot do itself."""
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def administers_something(user: Any) -> bool:
    """Whether to show the user-and-role pages in the menu (the pages check it again)."""
    from baocao.access.access import Perm
    from baocao.web.scope import roots

    return bool(user.is_authenticated and roots(user, Perm.ADMIN))


@register.filter
def vncell(value: Any, unit: str = "") -> str:
    """A value for a table cell whose column already names the unit: "80,71%", "76 tỷ đồng", "2.597"."""
    from baocao.core.vnnum import format_money, format_percent

    if value is None or value == "":
        return ""
    try:
        if unit == "%":
            return format_percent(value, 2)
        if unit == "đồng":
            return format_money(value)
        return format_number(value, max_decimals=2)
    except (VietnameseNumberError, ArithmeticError, TypeError, ValueError):
        return str(value)


@register.filter
def in_words(text: Any) -> str:
    """A finding or a note with catalog codes replaced by the indicators' names."""
    from baocao.web.wording import in_words as named

    return named(str(text or ""))


@register.filter
def formula_words(formula: Any) -> str:
    """ "a / b * 100" → "Văn bản ký số / Văn bản đi × 100"."""
    from baocao.web.wording import formula_in_words

    return formula_in_words(str(formula or ""))


@register.simple_tag
def has_country(user: Any) -> bool:
    """Whether the national overview is offered (a ministry account: the country in its scope)."""
    from baocao.orgunits.models import UnitLevel
    from baocao.web.scope import roots

    return bool(user.is_authenticated and any(u.level == UnitLevel.COUNTRY for u in roots(user)))


@register.filter
def readable(text: Any) -> str:
    """Narrative text (a task, an entry) with figures by name and documents by number, no syntax."""
    from baocao.web.wording import readable as plain

    return plain(str(text or ""))


@register.filter
def person(user: Any) -> str:
    """A person by name ("Nguyễn Văn A"), the system by "Hệ thống", never an account key."""
    from baocao.web import labels

    if user is None:
        return "—"
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or labels.actor(user.get_username())
