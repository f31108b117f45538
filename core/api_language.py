"""The language the JSON APIs answer in: the one the request asks for, French by default.

The pages ignore Accept-Language on purpose (cms.middleware.FrenchFirstLocaleMiddleware: a
browser set to English would otherwise show a French-first site in English). An API client is
not a browser: it sends Accept-Language for the person it shows the messages to, so the API
follows it, as HTTP has it: the site's language cookie first (the visitor's explicit choice,
shared by an app that shares the session), then Accept-Language, then French. Every message an
API answer carries (DRF's, the services', the API's own) then comes in one language.

Called by each API view before it answers (`APILanguageMixin`), and by what answers for the
APIs outside their views (core.api_errors, the re-acceptance gate).
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import translation

if TYPE_CHECKING:
    from rest_framework.views import APIView

    _ViewBase = APIView
else:
    _ViewBase = object


def api_language_activate(request: HttpRequest) -> None:
    """Answer this API request in the language it asks for (see the module's docstring)."""
    language = translation.get_language_from_request(request)
    translation.activate(language)
    # A DRF Request wraps Django's: the attribute belongs on the latter (templates, middleware).
    getattr(request, "_request", request).LANGUAGE_CODE = translation.get_language()


class APILanguageMixin(_ViewBase):
    """First base of a DRF view of the APIs: the language is chosen before anything answers,
    authentication and CSRF refusals included."""

    def initial(self, request, *args, **kwargs):
        api_language_activate(request)
        super().initial(request, *args, **kwargs)
