"""Writing the audit trail. Every service calls `record` inside its own transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from baocao.orgunits.models import OrgUnit

from .models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _fit(text: str, limit: int) -> str:
    """The column holds 255 characters: cut at a word boundary with "…", never inside a word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.-") + "…"


def event(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    entity: str,
    entity_id: object,
    *,
    unit: OrgUnit | None = None,
    period: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Build an unsaved event; services that write in bulk save many with `record_many`."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent(
        actor=user,
        actor_name=user.get_username() if user is not None else "ẩn danh",
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        unit=unit,
        period=period,
        summary=_fit(summary, 255),
        before=_jsonable(before),
        after=_jsonable(after),
        reason=reason,
    )


def record(
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    entity: str,
    entity_id: object,
    **details: Any,
) -> AuditEvent:
    audit_event = event(actor, action, entity, entity_id, **details)
    audit_event.save()
    return audit_event


def record_many(events: list[AuditEvent]) -> None:
    AuditEvent.objects.bulk_create(events, batch_size=2000)
