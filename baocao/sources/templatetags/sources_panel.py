"""The home page's panel: each data source the person can see, with its last run and result."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()
MAX_SHOWN = 8


@register.inclusion_tag("sources/_home_panel.html")
def sources_panel(user: Any) -> dict[str, Any]:
    from baocao.sources import services

    sources = list(services.visible_sources(user)[:MAX_SHOWN])
    last = services.last_runs(sources)
    managed = {s.pk for s in services.managed_sources(user)} if sources else set()
    return {
        "rows": [(s, last.get(s.pk), s.pk in managed) for s in sources],
        "pending": services.reviewable(user).filter(state="pending").count() if sources else 0,
    }
