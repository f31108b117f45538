from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.api import api_router
from cms.views import media_serve, robots_txt

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/securite/", include("twofactor.urls")),
    path("compte/", include("accounts.urls")),
    # Wagtail's own front-end login would skip the two-factor step: use the site's.
    path("_util/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("", include("compliance.urls")),
    path("api/v1/", include("config.api")),  # every app's endpoints, the OpenAPI schema, docs
    path("api/", include("core.api_errors")),  # any other /api/ address: a JSON 404
    path("", include("booking.client.urls")),
    path("", include("booking.payments.urls")),  # /paiements/webhook/ (Stripe)
    path("", include("exchanges.questions.urls")),
    path("", include("exchanges.reviews.urls")),
    path("", include("exchanges.reports.urls")),
    path("", include("booking.onboarding.urls")),  # /espace-praticien/invitation/<token>/
    path("", include("booking.practitioner.urls")),  # /espace-praticien/, /calendrier/
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", media_serve, name="media")
    )

urlpatterns.append(path("", include(wagtail_urls)))

handler500 = "cms.views.server_error"
