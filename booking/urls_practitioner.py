"""The practitioner area and the private calendar feed; included at the site's root."""

from django.urls import path

from booking import views_practitioner as views

app_name = "practitioner"

urlpatterns = [
    path("espace-praticien/", views.agenda, name="agenda"),
    path(
        "espace-praticien/rendez-vous/<uuid:reference>/",
        views.appointment_detail,
        name="appointment",
    ),
    path(
        "espace-praticien/rendez-vous/<uuid:reference>/issue/",
        views.appointment_mark,
        name="appointment_mark",
    ),
    path(
        "espace-praticien/rendez-vous/<uuid:reference>/annuler/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path("espace-praticien/plages-bloquees/", views.blocked_ranges, name="blocked_ranges"),
    path(
        "espace-praticien/plages-bloquees/<int:pk>/retirer/",
        views.blocked_range_remove,
        name="blocked_range_remove",
    ),
    path("espace-praticien/reglages/", views.rules, name="rules"),
    path(
        "espace-praticien/reglages/calendrier/regenerer/",
        views.calendar_token_regenerate,
        name="calendar_token_regenerate",
    ),
    path("espace-praticien/horaires/", views.hours, name="hours"),
    path(
        "espace-praticien/horaires/hebdomadaires/",
        views.opening_hours_save,
        name="opening_hours_save",
    ),
    path("espace-praticien/horaires/fermetures/", views.day_off_add, name="day_off_add"),
    path(
        "espace-praticien/horaires/fermetures/<int:pk>/retirer/",
        views.day_off_remove,
        name="day_off_remove",
    ),
    path(
        "espace-praticien/horaires/ouvertures/", views.special_hours_add, name="special_hours_add"
    ),
    path(
        "espace-praticien/horaires/ouvertures/<int:pk>/retirer/",
        views.special_hours_remove,
        name="special_hours_remove",
    ),
    path("calendrier/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
