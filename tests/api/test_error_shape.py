"""Every error under /api/ is JSON in the API's shape, whatever the input and wherever it fails.

/api/v1/ answers {"detail": "..."} (in French), Wagtail's /api/v2/ {"message": "..."}; a client
never has to parse the site's HTML pages, and no input makes the server answer 500.
"""

import json

import pytest
from django.test import Client

from booking.models import Appointment
from compliance.models import Acceptance
from core.api_errors import csrf_failure, is_api_path, is_api_request

pytestmark = pytest.mark.django_db

ACCEPT = "/api/v1/policies/privacy/versions/1/accept/"
BOOK = "/api/v1/booking/appointments/"
# The two write endpoints of /api/v1/ that read a JSON body from a signed-in user.
WRITES = [ACCEPT, BOOK]


def json_error(response, status: int, key: str = "detail") -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert list(body) == [key], body
    return body[key]


def post_json(client, url, body: str | bytes, token: str | None = None):
    return client.post(
        url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token or client.csrf
    )


@pytest.mark.parametrize("url", WRITES)
def test_json_nested_too_deep_is_a_400_not_a_500(api_client, url):
    response = post_json(api_client, url, "[" * 100_000)
    assert "imbriqué trop profondément" in json_error(response, 400)
    assert Acceptance.objects.count() == 2  # the two of the fixture, nothing more
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("url", WRITES)
@pytest.mark.parametrize(
    "body",
    ['{"wording": ', b'{"wording": "\xff"}', '{"a": NaN}', '{"n": ' + "1" * 5000 + "}"],
    ids=["truncated", "not-utf8", "nan", "5000-digit-integer"],
)
def test_malformed_json_is_a_400_in_french(api_client, url, body):
    assert "JSON valide" in json_error(post_json(api_client, url, body), 400)


@pytest.mark.parametrize("url", WRITES)
@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_over_the_upload_limit_is_a_413(api_client, settings, url, content_type):
    # Django applies DATA_UPLOAD_MAX_MEMORY_SIZE to request.body and request.POST only; DRF's
    # JSON and form parsers read the stream and would take a body of any size.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = '{"wording": "%s"}' % ("x" * 2_000)
    if content_type != "application/json":
        body = "wording=" + "x" * 2_000
    response = api_client.post(
        url, body, content_type=content_type, HTTP_X_CSRFTOKEN=api_client.csrf
    )
    assert "dépasse 1000 octets" in json_error(response, 413)


def test_a_multipart_body_over_the_upload_limit_is_a_413_not_an_html_400(api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = api_client.post(ACCEPT, {"wording": "x" * 2_000}, HTTP_X_CSRFTOKEN=api_client.csrf)
    json_error(response, 413)


def test_too_many_form_fields_is_a_json_400(api_client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=x" for i in range(20))
    response = api_client.post(
        ACCEPT,
        body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_CSRFTOKEN=api_client.csrf,
    )
    json_error(response, 400)


@pytest.mark.parametrize("url", WRITES)
def test_a_write_without_the_csrf_token_is_refused_in_json_and_in_french(api_client, url):
    response = api_client.post(url, "{}", content_type="application/json")
    assert "Jeton CSRF absent ou invalide" in json_error(response, 403)
    response = post_json(api_client, url, "{}", token="x" * 32)
    assert "Jeton CSRF" in json_error(response, 403)


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/policies/", "/api/v2/pages/"])
def test_django_s_own_csrf_refusal_is_json_for_any_address_of_the_apis(rf, url):
    # Every view under /api/ checks CSRF itself (DRF) or needs none (docs, 404); Django's
    # refusal page (CSRF_FAILURE_VIEW) stays JSON there for any plain view added later.
    response = csrf_failure(rf.post(url), reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    key = "message" if url.startswith("/api/v2/") else "detail"
    assert "Jeton CSRF" in json.loads(response.content)[key]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_any_method_but_get_on_the_docs_page_is_a_json_405(api_client, method):
    # Even without the CSRF token: the page writes nothing, the method is what is wrong.
    response = getattr(api_client, method)("/api/v1/docs/", "{}", content_type="application/json")
    assert json_error(response, 405) == f"Méthode «\u00a0{method.upper()}\u00a0» non autorisée."
    assert response["Allow"] == "GET, HEAD"


def test_a_csrf_refusal_elsewhere_is_still_the_html_page(api_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(api_user)
    response = client.post("/compte/consentements/", {})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/nope/",
        "/api/v1/policies/unknown/",
        "/api/v1/policies/privacy/versions/0/",
        "/api/v1/policies/privacy/versions/99999999999999999999/",
        "/api/v1/policies/privacy/versions/99999999999999999999/accept/",
        "/api/v1/policies/privacy/versions/-1/",
        "/api/v1/booking/nope/",
        "/api/v1/a%0Ab/",
        "/api/v1/%00/",
        "/api/",
        "/api/v3/pages/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_addresses_under_api_v1_are_a_json_404(client, policies, url, method):
    response = getattr(client, method)(url)
    assert json_error(response, 404) == "Cette adresse n'existe pas."


def test_an_unknown_address_is_a_json_404_even_for_a_signed_in_write_without_token(api_client):
    # A CSRF refusal first would say 403 about an address that does not exist.
    response = api_client.post("/api/v1/nope/", "{}", content_type="application/json")
    json_error(response, 404)


@pytest.mark.parametrize(
    ("url", "detail"),
    [
        ("/api/v1/policies/privacy/versions/9/", "Cette version n'existe pas."),
        ("/api/v1/policies/privacy/versions/999999999/", "Cette version n'existe pas."),
        ("/api/v1/policies/unknown/versions/", "Document inconnu"),
        ("/api/v1/policies/unknown/versions/1/", "Document inconnu"),
    ],
)
def test_unknown_documents_and_version_numbers_are_a_json_404(client, policies, url, detail):
    assert detail in json_error(client.get(url), 404)


def test_an_unknown_version_cannot_be_accepted(api_client):
    url = "/api/v1/policies/privacy/versions/9/accept/"
    assert "n'existe pas" in json_error(post_json(api_client, url, "{}"), 404)


def test_unknown_addresses_under_api_v2_keep_wagtails_shape(client, site_tree):
    for url in ["/api/v2/nope/", "/api/v2/pages/abc/", "/api/v2/images/x/"]:
        assert json_error(client.get(url), 404, key="message")


def test_an_address_without_its_final_slash_is_still_redirected(client, policies):
    response = client.get("/api/v1/policies")
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/policies/"


def test_drf_refusals_on_api_v2_use_its_message_key(api_client):
    response = api_client.post("/api/v2/pages/", "{}", content_type="application/json")
    assert "Jeton CSRF" in json_error(response, 403, key="message")
    response = Client().post("/api/v2/pages/")
    json_error(response, 405, key="message")


def test_an_unexpected_error_under_api_is_a_json_500(monkeypatch, policies):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("compliance.selectors.policy_versions_in_force", broken)
    monkeypatch.setattr("cms.api.PagesAPI.listing_view", broken)
    client = Client(raise_request_exception=False)

    detail = json_error(client.get("/api/v1/policies/"), 500)
    assert "Erreur interne" in detail and "fire" not in detail
    assert "Erreur interne" in json_error(client.get("/api/v2/pages/"), 500, key="message")


@pytest.mark.parametrize(
    ("path", "is_api"),
    [
        ("/api/v1/policies/", True),
        ("/api/v1/booking/appointments/", True),
        ("/api/v2/pages/", True),
        ("/api/v1/nope/", True),  # the catch-all's JSON 404
        ("/api/", True),
        ("/compte/consentements/", False),
        ("/praticiens/", False),
        ("/api-like/", False),
    ],
)
def test_an_api_request_is_told_by_its_url_namespace(rf, site_tree, path, is_api):
    assert is_api_request(rf.get(path)) is is_api
    assert is_api_path(path) is is_api
