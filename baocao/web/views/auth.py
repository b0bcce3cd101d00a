"""Signing in (throttled) and out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .. import throttle
from ..forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        if throttle.is_blocked(request, username):
            # The password is not even checked while blocked: guessing gets no answer at all.
            form = LoginForm(request, initial={"username": username})
            minutes = max(1, throttle.lockout_seconds() // 60)
            blocked = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
                "minutes": minutes
            }
            response = self.render_to_response(self.get_context_data(form=form, blocked=blocked))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    # Failures and successes are counted by `throttle` from Django's login signals, the same
    # for every login path (this page, /admin/login/).


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule): a link or an image cannot sign someone out."""
