"""Vietnamese first: the language a person chose (the VI/EN buttons set a cookie) wins, and
otherwise pages are Vietnamese whatever language the browser asks for — officials often run
an English-language browser but work in Vietnamese.

To use it, settings.MIDDLEWARE lists "baocao.web.middleware.VietnameseFirstLocaleMiddleware"
in place of "django.middleware.locale.LocaleMiddleware".
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
