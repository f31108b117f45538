from django.urls import path

from twofactor import views

app_name = "twofactor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("application/ajouter/", views.totp_add, name="totp_add"),
    path("application/<int:pk>/supprimer/", views.device_remove, name="device_remove"),
    path("codes-de-secours/", views.backup_codes, name="backup_codes"),
    path(
        "codes-de-secours/regenerer/",
        views.backup_codes_regenerate,
        name="backup_codes_regenerate",
    ),
    path("verification/", views.login_verify, name="login_verify"),
]
