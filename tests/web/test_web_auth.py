"""Signing in and out, throttling, CSRF on every form, security headers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from web_helpers import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def test_login_page_is_vietnamese_and_has_csrf(db):  # type: ignore[no-untyped-def]
    html = Client().get(reverse("web:login")).content.decode()
    assert "Đăng nhập hệ thống" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_and_logout(people):  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(reverse("web:login"), {"username": "cv.tinh", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "Tổng quan" in home.content.decode()
    assert client.get(reverse("web:logout")).status_code == 405  # a link cannot sign anyone out
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_says_so_without_telling_which_part(people):  # type: ignore[no-untyped-def]
    response = Client().post(reverse("web:login"), {"username": "cv.tinh", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_five_failures_block_the_username_from_that_address(people):  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(5):
        client.post(reverse("web:login"), {"username": "cv.tinh", "password": "sai-mat-khau"})
    blocked = client.post(reverse("web:login"), {"username": "cv.tinh", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not blocked by these five failures.
    other = Client().post(reverse("web:login"), {"username": "ld.tinh", "password": PASSWORD})
    assert other.status_code == 302


def test_the_block_lifts_when_the_failures_expire(people, settings):  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    client = Client()
    for _ in range(5):
        client.post(reverse("web:login"), {"username": "cv.tinh", "password": "x"})
    assert client.post(reverse("web:login"), {"username": "cv.tinh", "password": PASSWORD}).status_code == 429
    cache.clear()  # what the few minutes' expiry does
    assert client.post(reverse("web:login"), {"username": "cv.tinh", "password": PASSWORD}).status_code == 302


def test_every_form_page_carries_a_csrf_token(people, system_actor):  # type: ignore[no-untyped-def]
    client = client_for(people.superuser)
    pages = [
        reverse("web:home"),
        reverse("web:entry-overview", kwargs={"unit": people.province.code, "period": "2022"}),
        reverse("web:entry-section", kwargs={"unit": people.province.code, "period": "2022", "field": "cntt"}),
        reverse("web:users"),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        forms = html.count('method="post"')
        assert forms > 0, url
        assert html.count('name="csrfmiddlewaretoken"') >= forms, url


def test_posts_without_the_csrf_token_are_refused(people):  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.entry)
    url = reverse("web:entry-section", kwargs={"unit": people.province.code, "period": "2022", "field": "cntt"})
    assert client.post(url, {"v:cntt.qlvb.vb_di": "5"}).status_code == 403
    transition = reverse("web:entry-transition", kwargs={"unit": people.province.code, "period": "2022"})
    assert client.post(transition, {"action": "submit"}).status_code == 403
    login = Client(enforce_csrf_checks=True).post(reverse("web:login"), {"username": "cv.tinh", "password": PASSWORD})
    assert login.status_code == 403


def test_security_headers(people):  # type: ignore[no-untyped-def]
    response = client_for(people.entry).get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_english_is_one_click_away(people):  # type: ignore[no-untyped-def]
    client = client_for(people.entry)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Overview" in html and "Data entry" in html


def test_vietnamese_first_middleware_ignores_the_browser_language_but_keeps_a_choice(rf):  # type: ignore[no-untyped-def]
    from django.conf import settings
    from django.http import HttpResponse
    from django.utils import translation

    from baocao.web.middleware import VietnameseFirstLocaleMiddleware

    middleware = VietnameseFirstLocaleMiddleware(lambda request: HttpResponse())
    english_browser = rf.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    middleware.process_request(english_browser)
    assert english_browser.LANGUAGE_CODE == "vi"
    chose_english = rf.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    chose_english.COOKIES[settings.LANGUAGE_COOKIE_NAME] = "en"
    middleware.process_request(chose_english)
    assert chose_english.LANGUAGE_CODE == "en"
    translation.activate("vi")


def test_many_usernames_from_one_address_are_slowed_down_too(people):  # type: ignore[no-untyped-def]
    client = Client()
    for i in range(20):
        client.post(reverse("web:login"), {"username": f"khong-co-{i}", "password": "x"})
    assert client.post(reverse("web:login"), {"username": "cv.tinh", "password": PASSWORD}).status_code == 429
