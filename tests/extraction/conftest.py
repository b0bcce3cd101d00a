"""Shared helpers of the extraction tests (pure Python: run with -p no:django)."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

FIXTURES = Path(__file__).with_name("fixtures")
# the shared corpus sits beside the project: <work>/shared/corpus
DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def corpus_dir() -> Path:
    return Path(os.environ.get("BAOCAO_CORPUS", str(DEFAULT_CORPUS)))


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not (path / "gold").is_dir() or not any((path / "gold").glob("*.json")):
        pytest.skip(f"no gold corpus at {path} (set BAOCAO_CORPUS)")
    return path


@pytest.fixture
def settings() -> SimpleNamespace:
    """Stand-in for pytest-django's ``settings`` in this pure-Python tree.

    The project's autouse upload fixture (tests/conftest.py) asks for ``settings``;
    the extraction tests touch no Django setting and also run with ``-p no:django``.
    """
    return SimpleNamespace()
