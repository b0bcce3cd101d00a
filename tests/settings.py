"""Settings for the test suite: the development profile of baocao.settings.

Production defaults (DEBUG off) would share a file cache under var/ between parallel test
workers and send HTTPS-only cookies; the tests want the per-process memory cache and plain
HTTP of a development machine. pytest-django still runs every test with DEBUG=False, and
tests/ops/ checks the production profile itself in separate processes.
"""

import os

os.environ.setdefault("BAOCAO_DEBUG", "1")

from baocao.settings import *  # noqa: F403
