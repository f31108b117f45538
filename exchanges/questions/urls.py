"""URLs of exchanges.questions (included at the site root)."""

from django.urls import URLPattern

app_name = "questions"

urlpatterns: list[URLPattern] = []
