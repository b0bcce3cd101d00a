"""The end of a web process's start-up: what every request needs is loaded, then set aside
from the garbage collector.

A page that builds many objects (the ministry's key figures plan some 50 000 roll-up nodes)
triggers a full collection of the process's heap on nearly every request, and a full pass
walks every object made at start-up too (Django, the apps, the URLconf, ~140 000 objects):
80–160 ms of a 300 ms page. `gc.freeze()` moves the objects alive now to a permanent
generation the collector does not walk; they live as long as the process anyway. The
collector still runs, on what requests make.
"""

from __future__ import annotations

import gc


def settle() -> int:
    """Import every view (through the URLconf), collect once, freeze what is left; the number
    of objects frozen. Call once the application is loaded (`baocao.wsgi`, the page bench)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports the URLconf and with it every view module
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
