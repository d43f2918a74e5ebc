"""The language a logged-in person works in (`User.language`), applied to every request.

Django's LocaleMiddleware picks a language from the cookie or the browser; for a logged-in user the
stored preference wins, on pages, htmx partials and the API alike. API clients that authenticate with
a token are only known to DRF, so its token authentication applies the same preference.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def activate_user_language(request, user) -> None:
    """Activate `user`'s stored language for the rest of this request."""
    language = getattr(user, "language", "")
    if language in language_codes():
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def activate_on_login(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: the rest of the login request (its "logged in" message, the redirect)
    is already in the user's own language, not in the one the login page was shown in."""
    if request is not None:
        activate_user_language(request, user)


class UserLanguageMiddleware:
    """After AuthenticationMiddleware and LocaleMiddleware: a logged-in user's own language.

    The language cookie follows the user's choice, so the login page after a logout (or an expired
    session) speaks the same language. Reading `user.language` costs no query: the user row is
    loaded by the authentication middleware anyway.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        if logged_in:
            activate_user_language(request, user)
        response = self.get_response(request)
        # The view may have logged the user out (logout, timeout) or in (login): look again.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in language_codes():
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.language:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    user.language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
        return response
