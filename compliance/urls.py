"""Public document versions and the signed-in user's consent pages (the policies API is
compliance/api.py, mounted under /api/v1/ by site/api.py).

Included at the root before Wagtail's catch-all (see site/urls.py), so /confidentialite/versions/
is served here while /confidentialite/ itself is the Wagtail page. Version numbers are matched by
pattern (1 to 999999999, no leading zero): 0, huge numbers or malformed diff URLs never reach a
view and get the site's 404.
"""

from django.urls import path, re_path

from compliance.models import DOCUMENT_SLUGS
from compliance.views import consents, documents

app_name = "compliance"

N = r"[1-9][0-9]{0,8}"


def _document_patterns(kind: str, slug: str) -> list:
    return [
        path(f"{slug}/versions/", documents.version_list, {"kind": kind}, name=f"{kind}_versions"),
        re_path(
            rf"^{slug}/versions/(?P<number>{N})/$",
            documents.version_detail,
            {"kind": kind},
            name=f"{kind}_version",
        ),
        re_path(
            rf"^{slug}/versions/(?P<number>{N})\.pdf$",
            documents.version_pdf,
            {"kind": kind},
            name=f"{kind}_version_pdf",
        ),
        re_path(
            rf"^{slug}/versions/(?P<old>{N})/diff/(?P<new>{N})/$",
            documents.version_diff,
            {"kind": kind},
            name=f"{kind}_version_diff",
        ),
    ]


urlpatterns = [
    *(
        pattern
        for kind, slug in DOCUMENT_SLUGS.items()
        for pattern in _document_patterns(kind, slug)
    ),
    path("compte/reacceptation/", consents.reacceptance, name="reacceptance"),
    path("compte/consentements/", consents.consent_history, name="consent_history"),
    path(
        "compte/consentements/historique.csv",
        consents.consent_history_csv,
        name="consent_history_csv",
    ),
    path("compte/consentements/compris/", consents.notice_dismiss, name="notice_dismiss"),
]
