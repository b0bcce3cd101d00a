from __future__ import annotations

from typing import Any

from django import template

from baocao.notifications.services import unread_count

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    return unread_count(user)
