"""Users and roles, for administrators: grant and revoke roles on the units they administer
(and, for system administrators, create accounts). Everything goes through access.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baocao.access.access import Perm, visible_units
from baocao.access.models import Membership
from baocao.access.services import create_user, grant_role, revoke_role
from baocao.orgunits.names import search_key

from .. import scope
from ..forms import CreateUserForm, GrantForm

PAGE_SIZE = 50


def _require_some_admin(request: HttpRequest) -> None:
    if not scope.roots(request.user, Perm.ADMIN):
        raise scope.forbid(_("Chỉ quản trị viên được quản lý người dùng và phân quyền."))


def _unit_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(u.code, f"{u.full_name or u.name} ({u.code})")
            for u in scope.pickable_units(request.user, Perm.ADMIN)]


def _page(request: HttpRequest, grant_form: GrantForm | None = None,
          create_form: CreateUserForm | None = None, status: int = 200) -> HttpResponse:
    memberships = (
        Membership.objects.filter(unit__in=visible_units(request.user, Perm.ADMIN))
        .select_related("user", "unit").order_by("user__username", "unit__path")
    )
    wanted = str(request.GET.get("tim", "")).strip()
    if wanted:
        key = search_key(wanted)
        memberships = memberships.filter(
            Q(user__username__icontains=wanted) | Q(user__first_name__icontains=wanted)
            | Q(user__last_name__icontains=wanted) | Q(unit__search_name__contains=key)
        )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "memberships": page,
        "page": page,
        "query": query.urlencode(),
        "wanted": wanted,
        "grant_form": grant_form or GrantForm(units=_unit_choices(request)),
        "create_form": create_form or CreateUserForm(),
        "can_create": scope.is_system_admin(request.user),
    }
    return render(request, "web/users.html", context, status=status)


@login_required
def users(request: HttpRequest) -> HttpResponse:
    _require_some_admin(request)
    return _page(request)


@login_required
@require_POST
def grant(request: HttpRequest) -> HttpResponse:
    _require_some_admin(request)
    form = GrantForm(request.POST, units=_unit_choices(request))
    if form.is_valid():
        data = form.cleaned_data
        user = get_user_model().objects.filter(username=data["username"].strip()).first()
        if user is None:
            form.add_error("username", _("Không có tài khoản '%(name)s'") % {"name": data["username"]})
        else:
            unit = scope.unit_for(request.user, data["unit"], Perm.ADMIN)
            try:
                grant_role(request.user, user, unit, data["role"], reason=data["reason"])
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Đã cấp quyền cho %(name)s.") % {"name": user.get_username()})
                return redirect("web:users")
    return _page(request, grant_form=form, status=400)


@login_required
@require_POST
def revoke(request: HttpRequest, membership: int) -> HttpResponse:
    _require_some_admin(request)
    found = get_object_or_404(Membership.objects.select_related("user", "unit"), pk=membership)
    revoke_role(request.user, found, reason=str(request.POST.get("reason", "")).strip())
    messages.success(request, _("Đã thu hồi quyền của %(name)s.") % {"name": found.user.get_username()})
    return redirect("web:users")


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    _require_some_admin(request)
    form = CreateUserForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            create_user(request.user, username=data["username"], password=data["password"],
                        full_name=data["full_name"], email=data["email"], reason=data["reason"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error("password", exc.messages)
        else:
            messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": data["username"]})
            return redirect("web:users")
    return _page(request, create_form=form, status=400)
