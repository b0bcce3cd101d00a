"""Login throttling: after a few failed attempts for one username from one address, refuse
further attempts for a few minutes, and also cap failures per address whatever the username
(so trying many usernames from one place is slowed down too).

Counts live in Django's cache. The default local-memory cache is per process: a deployment
with several worker processes should configure a shared cache (database or Redis) so the
count is shared too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from baocao.ops.stamps import Kept


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_failures() -> int:
    return _setting("BAOCAO_LOGIN_MAX_FAILURES", 5)


def lockout_seconds() -> int:
    return _setting("BAOCAO_LOGIN_LOCKOUT_SECONDS", 300)


def _ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client wants it to be unless a trusted
    # proxy sets it, and a throttle keyed on it could be sidestepped by changing the header.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    who = hashlib.sha256(f"{username.strip().casefold()}|{_ip(request)}".encode()).hexdigest()
    where = hashlib.sha256(_ip(request).encode()).hexdigest()
    return f"baocao:login-fail:user:{who}", f"baocao:login-fail:ip:{where}"


def is_blocked(request: HttpRequest, username: str) -> bool:
    user_key, ip_key = _keys(request, username)
    return int(cache.get(user_key, 0)) >= max_failures() or int(cache.get(ip_key, 0)) >= 4 * max_failures()


def record_failure(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() then incr() keeps the first failure's expiry: the block lasts a few minutes
        # from the start of the run of failures instead of being extended forever.
        if not cache.add(key, 1, lockout_seconds()):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, lockout_seconds())


def reset(request: HttpRequest, username: str) -> None:
    user_key, _ = _keys(request, username)
    cache.delete(user_key)


# -- one throttle for every login path -----------------------------------------------------------
# Failures and successes are counted from Django's own login signals, so every path that calls
# `authenticate(request, …)` — the web login, the admin login, any later one — counts the same;
# `ThrottledBackend` refuses to check a password while blocked, whichever path asks; `guarded`
# gives a path the plain 429 answer before the form is even read.


def _username(credentials: dict[str, object]) -> str:
    return str(credentials.get("username") or "")


@receiver(user_login_failed)
def _count_failure(sender: object, credentials: dict[str, object], request: HttpRequest | None = None,
                   **kwargs: object) -> None:
    if request is not None and not getattr(request, "_baocao_throttled", False):
        record_failure(request, _username(credentials))


@receiver(user_logged_in)
def _count_success(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    if request is not None:
        reset(request, user.get_username())  # type: ignore[attr-defined]


_SESSION_USERS: Kept[object, object] = Kept(("auth_user",))


class ThrottledBackend(ModelBackend):
    """The usual username/password check, refused outright while the address or name is blocked."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: object) -> object:
        if request is not None and is_blocked(request, username or str(kwargs.get("username") or "")):
            request._baocao_throttled = True  # type: ignore[attr-defined]
            raise PermissionDenied("Đăng nhập sai quá nhiều lần")
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id: object) -> object:
        """The session's user, as ModelBackend reads it, kept by the process while the users table
        is unchanged (its stamp: ops/stamps.py); each request gets its own copy. A change of the
        user (password, deactivation, last login) changes the stamp, and the user is read again."""
        return _SESSION_USERS.get(user_id, lambda: super(ThrottledBackend, self).get_user(user_id))


def blocked_message() -> str:
    minutes = max(1, lockout_seconds() // 60)
    return f"Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {minutes} phút."


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A login view that answers 429 while the sender is blocked (used for /admin/login/)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.method == "POST" and is_blocked(request, str(request.POST.get("username", ""))):
            body = f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Đăng nhập</title><p>{blocked_message()}</p></html>'
            return HttpResponse(body, status=429)
        return view(request, *args, **kwargs)

    return wrapper
