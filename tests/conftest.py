"""Shared fixtures: a test database seeded once per session with the real administrative
units and the shipped catalog, so that tests run on the data a deployment has."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
CORPUS_DIR = Path(os.environ.get("BAOCAO_CORPUS", PROJECT_DIR.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus not found at {CORPUS_DIR} (set BAOCAO_CORPUS)")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.orgunits.seed import seed_administrative_units

    with django_db_blocker.unblock():
        actor = system_user()
        seed_administrative_units(actor)
        load_catalog(actor)


@pytest.fixture
def system_actor(db):  # type: ignore[no-untyped-def]
    from baocao.access.system import system_user

    return system_user()


@pytest.fixture
def travinh(db):  # type: ignore[no-untyped-def]
    """Trà Vinh as it was in 2022 (before the 2025 merger into Vĩnh Long)."""
    from datetime import date

    from baocao.orgunits.lookup import find_unit

    return find_unit("Trà Vinh", on=date(2022, 12, 31), level="province")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Files that tests upload never land in the project's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
