"""Who is calling: a bearer token for systems, or the browser's session for reading.

The session is accepted only for safe methods (GET/HEAD/OPTIONS): a write with a cookie would
need CSRF protection, and systems that write have tokens anyway.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from .services import TokenRejected, check_token, token_scope

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`; a token that is sent but wrong is a 401 with the reason."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser:
        try:
            api_token = check_token(token)
        except TokenRejected as exc:
            raise AuthenticationError(message=str(exc)) from None
        # Kept on the request so that writes can say which system sent them.
        request.api_token_name = api_token.name  # type: ignore[attr-defined]
        user = api_token.user
        # The token's limits ride on the user object, so that the permission policy applies them
        # to every read scope and every service the request reaches.
        user.token_scope = token_scope(api_token)  # type: ignore[attr-defined]
        return user


class SessionRead(APIKeyCookie):
    """The logged-in browser session, for reads only (no CSRF exposure)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.method not in SAFE_METHODS:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def client_name(request: HttpRequest) -> str:
    """ "API: HTTT một cửa" for a token, "API (phiên đăng nhập)" for a browser session."""
    name = getattr(request, "api_token_name", None)
    return f"API: {name}" if name else "API (phiên đăng nhập)"


def actor(request: HttpRequest) -> AbstractBaseUser:
    """The authenticated user the request acts as (set by Ninja from the auth that succeeded)."""
    user: AbstractBaseUser = request.auth  # type: ignore[attr-defined]
    return user
