"""The practitioner area and the private calendar feed; included at the site's root."""

from django.urls import path

from booking.practitioner.views import agenda, clients, payments, schedule

app_name = "practitioner"

urlpatterns = [
    path("espace-praticien/", agenda.agenda, name="agenda"),
    path(
        "espace-praticien/rendez-vous/<uuid:reference>/",
        agenda.appointment_detail,
        name="appointment",
    ),
    path(
        "espace-praticien/rendez-vous/<uuid:reference>/issue/",
        agenda.appointment_mark,
        name="appointment_mark",
    ),
    path(
        "espace-praticien/rendez-vous/<uuid:reference>/annuler/",
        agenda.appointment_cancel,
        name="appointment_cancel",
    ),
    path("espace-praticien/plages-bloquees/", agenda.blocked_ranges, name="blocked_ranges"),
    path(
        "espace-praticien/plages-bloquees/<int:pk>/retirer/",
        agenda.blocked_range_remove,
        name="blocked_range_remove",
    ),
    path("espace-praticien/reglages/", schedule.rules, name="rules"),
    path(
        "espace-praticien/reglages/calendrier/regenerer/",
        schedule.calendar_token_regenerate,
        name="calendar_token_regenerate",
    ),
    path("espace-praticien/horaires/", schedule.hours, name="hours"),
    path(
        "espace-praticien/horaires/hebdomadaires/",
        schedule.opening_hours_save,
        name="opening_hours_save",
    ),
    path(
        "espace-praticien/horaires/hebdomadaires/copier/",
        schedule.opening_hours_copy_save,
        name="opening_hours_copy",
    ),
    path("espace-praticien/horaires/fermetures/", schedule.day_off_add, name="day_off_add"),
    path(
        "espace-praticien/horaires/fermetures/<int:pk>/retirer/",
        schedule.day_off_remove,
        name="day_off_remove",
    ),
    path(
        "espace-praticien/horaires/ouvertures/",
        schedule.special_hours_add,
        name="special_hours_add",
    ),
    path(
        "espace-praticien/horaires/ouvertures/<int:pk>/retirer/",
        schedule.special_hours_remove,
        name="special_hours_remove",
    ),
    path("espace-praticien/clients/", clients.clients, name="clients"),
    path("espace-praticien/clients/nouveau/", clients.record_add, name="client_record_add"),
    path("espace-praticien/clients/fiche/<int:pk>/", clients.client_record, name="client_record"),
    path(
        "espace-praticien/clients/fiche/<int:pk>/modifier/",
        clients.record_edit,
        name="client_record_edit",
    ),
    path(
        "espace-praticien/clients/compte/<int:pk>/", clients.client_account, name="client_account"
    ),
    path("espace-praticien/paiements/", payments.payments, name="payments"),
    path("espace-praticien/paiements/stripe/", payments.payments_connect, name="payments_connect"),
    path(
        "espace-praticien/paiements/stripe/nouveau-lien/",
        payments.payments_relink,
        name="payments_relink",
    ),
    path(
        "espace-praticien/paiements/stripe/retour/",
        payments.payments_return,
        name="payments_return",
    ),
    path(
        "espace-praticien/paiements/reglage/",
        payments.online_payment_save,
        name="online_payment_save",
    ),
    path("calendrier/<str:token>.ics", schedule.calendar_feed, name="calendar_feed"),
]
