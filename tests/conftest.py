"""Shared fixtures: a test database seeded once per session with the real administrative
units and the shipped catalog, so that tests run on the data a deployment has."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
CORPUS_DIR = Path(os.environ.get("BAOCAO_CORPUS", PROJECT_DIR.parent / "shared" / "corpus"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"corpus not found at {CORPUS_DIR} (set BAOCAO_CORPUS)")
    return CORPUS_DIR


def _seed_units_and_catalog() -> None:
    from baocao.access.system import system_user
    from baocao.catalog.services import load_catalog
    from baocao.orgunits.seed import seed_administrative_units

    actor = system_user()
    seed_administrative_units(actor)
    load_catalog(actor)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        _seed_units_and_catalog()


@pytest.fixture(scope="module")
def reseed_after_module(django_db_blocker: Any) -> Iterator[None]:
    """Put back the session's units and catalog once a live-server module is done.

    live_server's transactional tests empty the database after each test, and pytest-django
    runs tests that do not ask for the database (but read the seeded units through their own
    module fixtures) after the transactional ones. Browser modules use it through
    browser_helpers.BROWSER_TEST.
    """
    yield
    with django_db_blocker.unblock():
        _seed_units_and_catalog()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The system's headless Chromium, one per module (browser_helpers.BROWSER_TEST skips
    the module where it is missing)."""
    from browser_helpers import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def fast_password_hashing(settings: Any) -> None:
    # Argon2 costs a third of a second per hash, and browser and web-client tests create and sign
    # in several people; the hasher is not what those tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
