from django.urls import path

from booking.onboarding import views

urlpatterns = [
    path(
        "espace-praticien/invitation/<str:token>/",
        views.invitation,
        name="practitioner_invitation",
    ),
]
