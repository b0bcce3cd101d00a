"""Issuing, revoking and checking API tokens — audited like every other change.

A user may issue and revoke tokens for themselves; a system administrator for anyone.
The token itself is returned once by `issue_token` and never stored or logged.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from baocao.access.access import AccessDenied, TokenScope, require_admin
from baocao.audit.services import record
from baocao.orgunits.models import OrgUnit

from .models import ApiToken

Actor = AbstractBaseUser | AnonymousUser

TOKEN_PREFIX = "bc_"
PREFIX_SHOWN = 10
# Writing last_used on every request would turn each read into a write; once a minute is
# precise enough to tell a token that is in use from a forgotten one.
TOUCH_EVERY = timedelta(minutes=1)
MAX_NAME = ApiToken._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def _require_self_or_admin(actor: Actor, user: AbstractBaseUser, what: str) -> None:
    if actor.is_authenticated and actor.pk == user.pk:
        return
    try:
        require_admin(actor)
    except AccessDenied:
        name = actor.get_username() if actor.is_authenticated else "người dùng chưa đăng nhập"
        raise AccessDenied(f"{name} không được {what} token của {user.get_username()}") from None


def issue_token(
    actor: Actor,
    user: AbstractBaseUser,
    name: str,
    *,
    reason: str = "",
    read_only: bool = False,
    units: list[OrgUnit] | None = None,
    expires: datetime | None = None,
) -> IssuedToken:
    """Create a token for `user`; the returned secret is shown once and cannot be read back.

    A token can be narrowed: `read_only`, `units` (their subtrees only), `expires`; it never
    does more than its user may."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Cần đặt tên cho token (hệ thống hoặc mục đích dùng)"})
    if len(name) > MAX_NAME:
        raise ValidationError({"name": f"Tên token dài quá {MAX_NAME} ký tự"})
    if not user.is_active:
        raise ValidationError({"user": f"Tài khoản {user.get_username()} đang bị khóa"})
    if expires is not None and expires <= timezone.now():
        raise ValidationError({"expires": "Thời điểm hết hạn phải ở tương lai"})
    _require_self_or_admin(actor, user, "cấp")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    units = list(units or [])
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=hash_token(secret), prefix=secret[:PREFIX_SHOWN],
            read_only=read_only, expires=expires,
        )
        token.units.set(units)
        record(
            actor,
            "token.create",
            "apitoken",
            token.pk,
            summary=f"Cấp token API '{name}' cho {user.get_username()}",
            after={
                "user": user.get_username(), "name": name, "prefix": token.prefix, "read_only": read_only,
                "units": [u.code for u in units], "expires": expires,
            },
            reason=reason,
        )
    return IssuedToken(token, secret)


def revoke_token(actor: Actor, token: ApiToken, *, reason: str = "") -> ApiToken:
    _require_self_or_admin(actor, token.user, "thu hồi")
    if token.revoked is not None:
        return token
    with transaction.atomic():
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        record(
            actor,
            "token.revoke",
            "apitoken",
            token.pk,
            summary=f"Thu hồi token API '{token.name}' của {token.user.get_username()}",
            before={"user": token.user.get_username(), "name": token.name, "prefix": token.prefix},
            after={"revoked": token.revoked},
            reason=reason,
        )
    return token


def token_scope(token: ApiToken) -> TokenScope | None:
    """What the permission policy narrows the token's user to (None: the user's full rights)."""
    paths = tuple(token.units.values_list("path", flat=True))
    if not token.read_only and not paths:
        return None
    return TokenScope(read_only=token.read_only, unit_paths=paths)


class TokenRejected(Exception):
    """The token is unknown, revoked or belongs to a disabled account; the message says which."""


def check_token(raw: str) -> ApiToken:
    """The active token (with its user) that `raw` is, noting when it was last used."""
    raw = raw.strip()
    if not raw:
        raise TokenRejected("Thiếu token sau 'Bearer'")
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None:
        raise TokenRejected("Token không hợp lệ")
    if token.revoked is not None:
        raise TokenRejected(f"Token '{token.name}' đã bị thu hồi")
    if token.is_expired:
        raise TokenRejected(f"Token '{token.name}' đã hết hạn từ {timezone.localtime(token.expires):%d/%m/%Y %H:%M}")
    if not token.user.is_active:
        raise TokenRejected("Tài khoản của token đang bị khóa")
    now = timezone.now()
    if token.last_used is None or now - token.last_used > TOUCH_EVERY:
        # A bookkeeping column of the token itself, not a change anyone audits.
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token
