"""The agent's own workspace language: LocaleMiddleware reads the language cookie before the
browser's Accept-Language, so setting it on login and on saving the profile makes the saved
choice win on every computer. The header's language switcher still changes it for a while."""

from django.conf import settings
from django.http import HttpResponse


def language_cookie_set(response: HttpResponse, language: str) -> None:
    """As Django's set_language view sets it; an empty language removes the cookie, so the
    browser's language counts again."""
    if not language:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
