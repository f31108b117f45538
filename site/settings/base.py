"""Settings shared by every environment; the environment variables are read here."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str
from core.links import origin_parse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "insecure-embedded-default-key-never-used-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo accounts and content may only be created by the embedded default (see seed_demo).
DEMO_MODE = False

INSTALLED_APPS = [
    "accounts",
    "cms",
    "booking",
    "compliance",
    "exchanges",
    "emails",
    "twofactor",
    "staff",
    "wagtail_modeladmin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "rest_framework",
    "drf_spectacular",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP and the other security headers on every response, static files included.
    "csp.middleware.CSPMiddleware",
    # Below CSPMiddleware: adjusts the policy per response before it is written.
    "config.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Idle and absolute session timeouts, Cache-Control: no-store for signed-in people.
    "accounts.sessions.SignedInSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware (needs user.is_verified) and messages (explains its redirects).
    "staff.middleware.AdminOTPRequiredMiddleware",
    "staff.middleware.PractitionerAdminScopeMiddleware",
    # Sends a signed-in user with a material policy change pending to the re-acceptance page.
    "compliance.middleware.PolicyGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue up
    # behind busy_timeout instead of failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Long passphrases are welcome; megabyte "passwords" would make Argon2 a denial of service.
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 1024}},
]
# No composition rules (NIST SP 800-63B, CNIL 2022): length, a list of common passwords and the
# login lockout (accounts/throttle.py) do the work. Argon2 hashes new passwords; the others
# only verify (and upgrade) hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Every login form (public site, Wagtail admin) goes through the lockout and the security log.
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
# Login-restricted pages send visitors to the site's login (lockout, two-factor step), not to
# Wagtail's bare login form.
WAGTAIL_FRONTEND_LOGIN_URL = "/compte/connexion/"
# Password reset links work once (their token hashes the password) and for one hour.
PASSWORD_RESET_TIMEOUT = 3600
# Reverse proxies in front of the app servers: the client's address is that many entries from
# the right of X-Forwarded-For (0: REMOTE_ADDR is the client). Used by the login lockout.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# None where static files come straight from the finders (dev and test settings).
STATIC_ROOT: Path | None = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "frontend"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

WAGTAIL_SITE_NAME = "Praticiens Bien-Être"
# The one public address of the site (core/links.py): every absolute link is built on it, and
# the default Wagtail Site follows it (core/checks.py, check core.E001). A wrong value stops
# start-up.
PUBLIC_ORIGIN = origin_parse(env_str("SITE_URL", "http://127.0.0.1:8000"))
# Wagtail's own absolute links (workflow and moderation e-mails, the admin's "view live").
WAGTAILADMIN_BASE_URL = PUBLIC_ORIGIN
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# Uploads with bytes after the image or a second, executable extension are refused (cms/uploads).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.uploads.SafeImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.uploads.SafeDocumentForm"
WAGTAILAPI_BASE_URL = PUBLIC_ORIGIN
WAGTAILAPI_LIMIT_MAX = 100
# Page privacy by shared password is a weak secret passed around by hand: only login-based
# privacy is offered to editors.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
# Same for private document collections.
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}
# Documents go through Wagtail's view, which checks the collection's privacy; never a direct
# link to the file in MEDIA_ROOT.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No Gravatar in the admin: it would send a hash of each editor's e-mail to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor a call from every editor's browser to releases.wagtail.org: upgrades are our job.
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Security baseline (site/security.py; production.py adds HTTPS, HSTS, __Host- cookies) ---
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# DENY everywhere; Wagtail marks its preview views SAMEORIGIN itself (the editor's iframe).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie (forms carry the token, Wagtail's admin too).
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Directive -> sources; a boolean for a directive without value (production adds one).
CONTENT_SECURITY_POLICY: dict[str, dict[str, list[str] | bool]] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # No 'unsafe-inline', no nonce: the site has no inline script (frontend/js/site.js).
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # 'self' for responses marked X-Frame-Options: SAMEORIGIN (Wagtail's preview).
        "frame-ancestors": [NONE],
    },
}
ADMIN_URL_PREFIX = "/admin/"
# Added to the policy of the Wagtail admin only: it writes style attributes in its templates
# and shows image previews from blob: URLs before upload. Scripts are never relaxed.
ADMIN_CSP_UPDATE = {"style-src": [UNSAFE_INLINE], "img-src": ["blob:"]}
# Features nobody on the site needs are off, for the site and anything it frames.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's parsers, with a 400 for JSON nested too deep and Django's body size limit applied
    # (core/api_errors.py); multipart already applies it.
    "DEFAULT_PARSER_CLASSES": [
        "core.api_errors.JSONParser",
        "core.api_errors.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # One error shape under /api/, Django's own refusals (body too large...) included.
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Django's CSRF refusal page is HTML; under /api/ it answers JSON, like DRF's own refusals.
CSRF_FAILURE_VIEW = "core.api_errors.csrf_failure"
# The OpenAPI description of /api/v1/ (booking, policies), served at /api/v1/schema/ and read as
# a page at /api/v1/docs/ (site/api_docs.py). Wagtail's own /api/v2/ is left out of it.
SPECTACULAR_SETTINGS = {
    "TITLE": "API Praticiens Bien-Être",
    "DESCRIPTION": "Réservation de rendez-vous et documents en vigueur, en JSON.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["config.api_schema.api_v1_only"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step of every PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # One line per task run (search indexing, references...): noise at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}
DIRECTORY_PAGE_SIZE = 12
# Minutes a chosen slot stays held for the visitor while they sign in and confirm
# (booking.services.holds).
BOOKING_HOLD_MINUTES = env_int("BOOKING_HOLD_MINUTES", 10, minimum=1)
# Online payment (booking.payments): Stripe Connect, direct charges on each practitioner's own
# account. Without a secret key, every service is paid on site (the embedded demo).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
# The signing secret of the Connect webhook endpoint (/paiements/webhook/).
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
# Another API server (tests: localstripe on loopback) and where its Stripe.js is served.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")
STRIPE_JS_URL = env_str("STRIPE_JS_URL", "https://js.stripe.com/v3/")
# The platform's fee per online payment, in cents (application_fee_amount); 0: none.
PAYMENT_PLATFORM_FEE_CENTS = env_int("PAYMENT_PLATFORM_FEE_CENTS", 0, minimum=0)
# Minutes the slot stays kept while the client pays (the hold is pushed back to this).
PAYMENT_HOLD_MINUTES = env_int("PAYMENT_HOLD_MINUTES", 15, minimum=1)
# Uploaded media are served by Django only in the embedded default and tests.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Slugs end up in URLs that people share and type: keep them ASCII.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Two-factor authentication (twofactor/, staff/): the admin login form asks for the code, and
# the name shown in authenticator apps is the site's.
WAGTAILADMIN_USER_LOGIN_FORM = "staff.forms.AdminLoginForm"
OTP_TOTP_ISSUER = "Praticiens Bien-Être"
