"""The site's JSON API under /api/v1/ (included from site/urls.py): booking endpoints, the
OpenAPI description and its readable page. /api/v1/policies/ lives in compliance/api.py and is
included at the root by compliance/urls.py; both are in the same schema."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from booking.api import compliance_schema, views  # noqa: F401 (registers schema extensions)
from booking.api.docs import api_docs

app_name = "api"

urlpatterns = [
    # Ids and references are validated by the views, so that a malformed one gets a JSON 404.
    path(
        "booking/practitioners/<str:page_id>/services/",
        views.ServicesView.as_view(),
        name="practitioner_services",
    ),
    path(
        "booking/practitioners/<str:page_id>/slots/",
        views.SlotsView.as_view(),
        name="practitioner_slots",
    ),
    path("booking/appointments/", views.AppointmentsView.as_view(), name="appointments"),
    path(
        "booking/appointments/<str:reference>/",
        views.AppointmentView.as_view(),
        name="appointment",
    ),
    path(
        "booking/appointments/<str:reference>/cancel/",
        views.AppointmentCancelView.as_view(),
        name="appointment_cancel",
    ),
    path(
        "booking/appointments/<str:reference>/reschedule/",
        views.AppointmentRescheduleView.as_view(),
        name="appointment_reschedule",
    ),
    path("schema/", SpectacularJSONAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]
