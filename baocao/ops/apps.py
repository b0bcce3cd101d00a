from typing import Any

from django.apps import AppConfig


def _stamp_tables(using: str = "default", **_: Any) -> None:
    """After every `migrate`: the stamp triggers in place, every table stamped anew (ops/stamps.py)."""
    from django.db import connections

    from .stamps import ensure

    ensure(connections[using])


class OpsConfig(AppConfig):
    name = "baocao.ops"
    label = "ops"
    verbose_name = "Vận hành"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_stamp_tables, sender=self, dispatch_uid="ops-stamp-tables")
