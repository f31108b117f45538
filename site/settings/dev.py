"""The embedded default: SQLite in var/, local-memory cache, immediate tasks, demo content."""

from config.env import env_bool

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SERVE_MEDIA = True
# Static files come straight from frontend/ and the apps (no collectstatic in development).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
