"""Login throttling: after a few failed attempts for one username from one address, refuse
further attempts for a few minutes, and also cap failures per address whatever the username
(so trying many usernames from one place is slowed down too).

Counts live in Django's cache. The default local-memory cache is per process: a deployment
with several worker processes should configure a shared cache (database or Redis) so the
count is shared too.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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
