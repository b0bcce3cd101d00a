"""Fixtures of the safety tests: the hostile files (built once per session, as streams) and
people with roles on Trà Vinh."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bombs
import pytest


@pytest.fixture(scope="session")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "docx": bombs.docx_bomb(folder / "bao-cao-bom.docx"),
        "xlsx": bombs.xlsx_bomb(folder / "so-lieu-bom.xlsx"),
        "zip": bombs.zip_of_reports_bomb(folder / "bao-cao-bom.zip"),
        "crc_docx": bombs.bad_crc(folder / "hong-crc.docx", "docx"),
        "crc_xlsx": bombs.bad_crc(folder / "hong-crc.xlsx", "xlsx"),
        "crc_zip": bombs.bad_crc(folder / "hong-crc.zip", "zip"),
        "lying": bombs.lying_header(folder / "khai-sai.docx"),
    }


def _hwm_mb() -> int:
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) // 1024  # type: ignore[union-attr]


@pytest.fixture
def peak_rss() -> Callable[[Callable[[], Any]], tuple[Any, int]]:
    """peak_rss(fn) → (fn's result, how far the process's peak RSS rose while fn ran, in MB).
    The kernel's high-water mark is reset first (/proc/self/clear_refs)."""

    def measure(fn: Callable[[], Any]) -> tuple[Any, int]:
        before = _hwm_mb()
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pytest.skip("peak RSS cannot be reset on this system")
        base = int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) // 1024  # type: ignore[union-attr]
        result = fn()
        assert before >= 0
        return result, _hwm_mb() - base

    return measure
