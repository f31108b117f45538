"""Absolute links for what leaves the site (e-mails, calendar files): they need the public host."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str = "") -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def absolute_reverse(name: str, *args) -> str:
    return absolute_url(reverse(name, args=args))
