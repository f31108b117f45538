"""The client's booking pages, included at the site root (they live under two prefixes)."""

from django.urls import path

from booking.client.views import appointments, funnel, payments

app_name = "booking"

urlpatterns = [
    path("rendez-vous/<int:page_id>/", funnel.service_choose, name="service_choose"),
    path("rendez-vous/<int:page_id>/<int:service_id>/", funnel.slot_choose, name="slot_choose"),
    path("rendez-vous/<int:page_id>/<int:service_id>/confirmer/", funnel.slot_link, name="confirm"),
    path(
        "rendez-vous/<int:page_id>/<int:service_id>/retenir/",
        funnel.slot_hold,
        name="slot_hold",
    ),
    path("rendez-vous/retenu/<uuid:reference>/", funnel.hold_confirm, name="hold_confirm"),
    path("rendez-vous/paiement/<uuid:reference>/", payments.payment_page, name="payment"),
    path(
        "rendez-vous/paiement/<uuid:reference>/retour/",
        payments.payment_return,
        name="payment_return",
    ),
    path("rendez-vous/confirme/<uuid:reference>/", appointments.confirmed, name="confirmed"),
    path("compte/rendez-vous/", appointments.my_appointments, name="my_appointments"),
    path(
        "compte/rendez-vous/<uuid:reference>/calendrier.ics",
        appointments.appointment_calendar,
        name="calendar",
    ),
    path(
        "compte/rendez-vous/<uuid:reference>/annuler/",
        appointments.appointment_cancel,
        name="cancel",
    ),
    path(
        "compte/rendez-vous/<uuid:reference>/deplacer/",
        appointments.appointment_reschedule,
        name="reschedule",
    ),
]
