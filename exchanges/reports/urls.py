"""URLs of exchanges.reports (included at the site root)."""

from django.urls import URLPattern

app_name = "reports"

urlpatterns: list[URLPattern] = []
