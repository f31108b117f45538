"""URLs of exchanges.reviews (included at the site root): the client's review of an
appointment (under "Mes rendez-vous") and the practitioner's reviews (their area)."""

from django.urls import path

from exchanges.reviews import views

app_name = "reviews"

urlpatterns = [
    path("compte/rendez-vous/<uuid:reference>/avis/", views.review_form, name="review_form"),
    path("espace-praticien/avis/", views.practitioner_reviews, name="practitioner_reviews"),
    path(
        "espace-praticien/avis/<int:review_id>/repondre/",
        views.practitioner_reply,
        name="practitioner_reply",
    ),
]
