"""A web process ends its start-up by setting start-up's objects aside from the garbage
collector (`baocao.ops.startup.settle`, run by `baocao.wsgi`): a heavy page's full collections
no longer walk Django, the apps and every view on each request."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT_DIR, production_env

PROBE = """
import gc, sys
import baocao.wsgi
print(gc.get_freeze_count(), 'baocao.web.views.charts' in sys.modules, len(gc.get_objects()))
"""


def test_loading_the_wsgi_application_freezes_start_up_with_every_view_loaded(tmp_path: Path) -> None:
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="baocao.settings")
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    frozen, views_loaded, tracked = done.stdout.split()
    assert views_loaded == "True"  # the URLconf (every view module) was loaded before the freeze
    # start-up's objects are frozen; the collector is left with a few of its own
    assert int(frozen) > 50_000 and int(tracked) < int(frozen) // 10
