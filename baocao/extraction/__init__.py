"""Extraction engine: narrative reports (text, DOCX, text PDF) to gold-shaped JSON.

Pure Python, no Django.  Public API:

* ``extract_text(text, *, source="", unit=None, period=None) -> dict``
* ``extract_file(path, *, unit=None, period=None) -> dict``
* ``score(predicted, gold) -> Score`` (see scoring.py)
* ``extract_many(paths, out_dir, workers=2)`` (see batch.py)
* ``ExtractionError``

Decisions besides the indicator are named rules in rules/*.yaml (decisions.py);
every fact carries ``why``; ``document.read_document(path)`` gives the
structure of a report in any layout (see docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .engine import extract_text
from .errors import ExtractionError
from .readers import read_file
from .scoring import Score, score

__all__ = ["ExtractionError", "Score", "extract_file", "extract_many", "extract_text", "score"]


def extract_file(
    path: Path | str, *, unit: str | None = None, period: str | None = None, include_unmatched: bool = False
) -> dict[str, Any]:
    """Read a .txt/.md/.docx/.pdf report and extract it; errors name the file."""
    path = Path(path)
    text = read_file(path)
    try:
        return extract_text(
            text, source=path.name, unit=unit, period=period, include_unmatched=include_unmatched
        )
    except ExtractionError:
        raise
    except Exception as exc:  # an engine bug must still say which file triggered it
        raise ExtractionError(f"{path.name}: extraction failed ({exc.__class__.__name__}: {exc})") from exc


def extract_many(*args: Any, **kwargs: Any) -> Any:
    from .batch import extract_many as _extract_many

    return _extract_many(*args, **kwargs)
