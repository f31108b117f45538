"""The client's booking pages, included at the site root (they live under two prefixes)."""

from django.urls import path

from booking.client import views

app_name = "booking"

urlpatterns = [
    path("rendez-vous/<int:page_id>/", views.service_choose, name="service_choose"),
    path("rendez-vous/<int:page_id>/<int:service_id>/", views.slot_choose, name="slot_choose"),
    path("rendez-vous/<int:page_id>/<int:service_id>/confirmer/", views.confirm, name="confirm"),
    path("rendez-vous/confirme/<uuid:reference>/", views.confirmed, name="confirmed"),
    path("compte/rendez-vous/", views.my_appointments, name="my_appointments"),
    path(
        "compte/rendez-vous/<uuid:reference>/annuler/",
        views.appointment_cancel,
        name="cancel",
    ),
    path(
        "compte/rendez-vous/<uuid:reference>/deplacer/",
        views.appointment_reschedule,
        name="reschedule",
    ),
]
