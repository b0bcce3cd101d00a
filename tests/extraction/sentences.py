"""Reading one sentence written for a test, as the CLI would with --unit/--period."""

from __future__ import annotations

from typing import Any

from baocao.extraction import extract_text


def indicator_values(sentence: str, period: str = "2024") -> set[tuple[Any, ...]]:
    """(indicator, value) of every fact read from `sentence` in Nghệ An's report of `period`."""
    result = extract_text(sentence, unit="Nghệ An", period=period)
    return {(f["indicator"], f["value"]) for f in result["facts"]}
