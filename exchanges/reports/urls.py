"""URLs of exchanges.reports (included at the site root)."""

from django.urls import path

from exchanges.reports import views

app_name = "reports"

urlpatterns = [
    path("avis/<int:review_id>/signaler/", views.review_report_view, name="review_report"),
    path(
        "espace-praticien/messages/<int:thread_id>/signaler/",
        views.thread_report_view,
        name="thread_report",
    ),
]
