"""Text cells that a spreadsheet would run: a CSV or XLSX export neutralises them.

A cell whose text begins with =, +, - or @ (or a tab or carriage return, which some programs
skip before reading the rest) is a formula to Excel and LibreOffice: "=HYPERLINK(…)" in a
comment or a unit name would run when a clerk opens the export. Such text gets a leading
apostrophe, which spreadsheets show as plain text (OWASP "CSV injection").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value itself, or for text that would be read as a formula, the text after an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in values]


def restore(text: str) -> str:
    """What `neutralise` changed, back: an export opened, edited and imported keeps its text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
