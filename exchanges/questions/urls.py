"""URLs of exchanges.questions (included at the site root)."""

from django.urls import path

from exchanges.questions import views

app_name = "questions"

urlpatterns = [
    path("praticiens/<int:page_id>/question/", views.ask, name="ask"),
    path("compte/messages/", views.my_threads, name="my_threads"),
    path("compte/messages/<int:pk>/", views.my_thread, name="my_thread"),
    path("compte/messages/<int:pk>/clore/", views.my_thread_close, name="my_thread_close"),
    path("espace-praticien/messages/", views.practitioner_threads, name="practitioner_threads"),
    path(
        "espace-praticien/messages/<int:pk>/",
        views.practitioner_thread,
        name="practitioner_thread",
    ),
    path(
        "espace-praticien/messages/<int:pk>/clore/",
        views.practitioner_thread_close,
        name="practitioner_thread_close",
    ),
]
