"""The site's JSON API under /api/v1/, mounted once (site/urls.py): each app's endpoints, the
OpenAPI description generated from them, and its readable page.

Each app describes its own operations (booking/api/, compliance/api.py with
compliance/api_schema.py); this module only puts them under one prefix and one namespace.
"""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from booking.api.urls import urlpatterns as booking_patterns
from compliance import api_schema  # noqa: F401 (registers the policies' schema extensions)
from compliance.api import urlpatterns as policies_patterns
from config.api_docs import api_docs

app_name = "api"

urlpatterns = [
    *booking_patterns,
    *policies_patterns,
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]
