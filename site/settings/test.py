"""Test settings: fast hashing, in-memory mail, immediate tasks, no demo accounts."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
DEMO_MODE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PUBLIC_ORIGIN = "http://testserver"
WAGTAILADMIN_BASE_URL = PUBLIC_ORIGIN
WAGTAILAPI_BASE_URL = PUBLIC_ORIGIN
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SERVE_MEDIA = True
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
