"""URLs of exchanges.reviews (included at the site root)."""

from django.urls import URLPattern

app_name = "reviews"

urlpatterns: list[URLPattern] = []
