"""The help page: how to enter, submit, approve, write and sign the report, read old reports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def help_page(request: HttpRequest) -> HttpResponse:
    # Open to everyone, signed in or not: the login page links here too.
    return render(request, "web/help.html")
