"""The booking endpoints of the JSON API, mounted under /api/v1/ by site/api.py."""

from django.urls import path

from booking.api import views

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
]
