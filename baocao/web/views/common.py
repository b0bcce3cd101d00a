"""Small helpers shared by the views."""

from __future__ import annotations

from django.http import HttpRequest

from baocao.core.periods import Period, PeriodError, parse_period

from .. import scope


def chosen_period(request: HttpRequest, name: str = "ky") -> Period:
    """The period asked for in the query string (code or any Vietnamese spelling), else the default."""
    return parsed_period(str(request.GET.get(name, ""))) or scope.default_period(request.user)


def parsed_period(text: str) -> Period | None:
    """The period ``text`` names (code or any Vietnamese spelling); None for blank or unreadable text."""
    text = text.strip()
    if not text:
        return None
    try:
        return Period.from_code(text)
    except PeriodError:
        try:
            return parse_period(text)
        except PeriodError:
            return None
