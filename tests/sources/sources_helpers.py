"""Helpers the data-source tests import (kept out of conftest.py: another folder's conftest
module has the same name on sys.path)."""

from __future__ import annotations

from pathlib import Path

from baocao.sources import samples

DATA = Path(samples.__file__).with_name("data")


def mapping(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")
