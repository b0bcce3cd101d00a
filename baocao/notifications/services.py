"""Writing notifications: who is concerned by a step, the in-app message, and the e-mail.

E-mail goes through Django's mail settings and only when they are configured (an SMTP host
in BAOCAO_EMAIL_HOST, or another mail backend such as the test outbox); it is sent after the
step's transaction commits, so a refused step never e-mails anyone."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from baocao.access.models import Membership
from baocao.orgunits.models import OrgUnit

from .models import Notification

Actor = AbstractBaseUser | AnonymousUser
log = logging.getLogger(__name__)
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def mail_configured() -> bool:
    backend = getattr(settings, "EMAIL_BACKEND", SMTP)
    return backend != SMTP or getattr(settings, "EMAIL_HOST", "localhost") not in ("", "localhost")


def ancestor_paths(unit: OrgUnit) -> list[str]:
    """'/1/5/12/' → ['/1/', '/1/5/', '/1/5/12/']: a role on any of them covers the unit."""
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def people_in(roles: Iterable[str], unit: OrgUnit) -> list[AbstractBaseUser]:
    """Active users holding one of `roles` on `unit` or on a unit above it (system
    administrators without a membership are not paged for every province)."""
    ids = Membership.objects.filter(role__in=list(roles), unit__path__in=ancestor_paths(unit)).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def notify(
    recipients: Iterable[AbstractBaseUser], title: str, body: str, link: str = "", *, skip: Actor | None = None
) -> list[Notification]:
    """Create one notification per recipient (not to the actor themself) and e-mail them
    after commit. Called by services inside their own transaction."""
    skip_pk = skip.pk if skip is not None and skip.is_authenticated else None
    people = {u.pk: u for u in recipients if u.pk != skip_pk}
    made = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title[:255], body=body, link=link[:255]) for u in people.values()]
    )
    addresses = [u.email for u in people.values() if getattr(u, "email", "")]
    if addresses and mail_configured():
        transaction.on_commit(lambda: _send(title, body, link, addresses, [n.pk for n in made]))
    return made


def _send(title: str, body: str, link: str, addresses: list[str], ids: list[int]) -> None:
    text = body + (f"\n\n{settings.BAOCAO_SITE_URL.rstrip('/')}{link}" if link else "")
    try:
        send_mail(f"[baocao] {title}", text, None, addresses, fail_silently=False)
    except OSError as exc:  # the in-app notification stays; a mail server down must not fail the step
        log.warning("Không gửi được thư thông báo '%s': %s", title, exc)
        return
    Notification.objects.filter(pk__in=ids, recipient__email__in=addresses).update(emailed=True)


def mark_read(actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when `ids` is None)."""
    if not actor.is_authenticated:
        return 0
    mine = Notification.objects.filter(recipient_id=actor.pk, read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    return mine.update(read_at=timezone.now())


def unread_count(user: Actor) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
