"""The notification list behind the bell: newest first; opening one marks it read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from baocao.notifications.models import Notification
from baocao.notifications.services import mark_read

PAGE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = request.POST.get("id")
        mark_read(request.user, [int(chosen)] if chosen and chosen.isdigit() else None)
        target = str(request.POST.get("next", ""))
        if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("web:notifications")
    mine = Notification.objects.filter(recipient_id=request.user.pk)
    page = Paginator(mine, PAGE).get_page(request.GET.get("trang"))
    context = {"page": page, "unread": mine.filter(read_at__isnull=True).count()}
    return render(request, "notifications/inbox.html", context)
