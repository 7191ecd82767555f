from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class UserLocaleMiddleware(LocaleMiddleware):
    """A signed-in user's chosen language wins over the cookie and the browser."""

    def process_request(self, request):
        user = getattr(request, "user", None)
        language = (
            getattr(user, "language", "") if user and user.is_authenticated else ""
        )
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        else:
            super().process_request(request)
