from django.utils import translation

from staydesk.accounts.selectors import user_language


class UserLanguageMiddleware:
    """A signed-in person sees the UI in the language of their profile (else the browser's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user_language(user=user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
