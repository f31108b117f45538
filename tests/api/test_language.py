"""The APIs answer in the request's language, French by default, and in one language at a time.

The pages stay French whatever the browser asks (tests/cms/test_public_pages.py); an API client
asks with Accept-Language (or the site's language cookie) and gets every message, DRF's and the
site's own, in that language.
"""

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import Client

from tests.factories import bookable_practitioner_create

pytestmark = pytest.mark.django_db

BOOK = "/api/v1/booking/appointments/"
# A DRF message (field type) and one of the site's (no such practitioner) in one answer.
BAD_BOOKING = {"practitioner": 999_999, "service": "abc", "start": "2027-03-02T08:00:00Z"}


def book(client, body=BAD_BOOKING, **headers):
    return client.post(
        BOOK, body, content_type="application/json", HTTP_X_CSRFTOKEN=client.csrf, **headers
    )


def test_without_a_language_the_api_answers_in_french(api_client):
    errors = book(api_client).json()
    assert errors["service"] == ["Un nombre entier valide est requis."]
    assert errors["accept_terms"] == ["Champ requis."]


@pytest.mark.parametrize("header", ["en", "en-GB,en;q=0.9,fr;q=0.5", "de-DE,en;q=0.8"])
def test_an_english_request_gets_every_message_in_english(api_client, header):
    response = book(api_client, HTTP_ACCEPT_LANGUAGE=header)
    errors = response.json()
    assert errors["service"] == ["A valid integer is required."]
    assert errors["accept_terms"] == ["This field is required."]
    assert response["Content-Language"] == "en"


def test_the_sites_own_messages_follow_the_same_language(api_client, directory):
    page = bookable_practitioner_create(directory).page
    english = api_client.get(
        f"/api/v1/booking/practitioners/{page.pk}/slots/",
        {"service": 999_999},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json() == {"detail": "This practitioner does not offer this service."}
    french = api_client.get("/api/v1/booking/appointments/abc/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json() == {"detail": "Ce rendez-vous n'existe pas."}
    english = api_client.get("/api/v1/booking/appointments/abc/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "This appointment does not exist."}


def test_a_language_the_site_does_not_speak_gets_french(api_client):
    response = book(api_client, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert response.json()["service"] == ["Un nombre entier valide est requis."]
    assert response["Content-Language"] == "fr"


def test_the_language_chosen_on_the_site_wins_over_the_header(api_client):
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = book(api_client, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["service"] == ["Un nombre entier valide est requis."]


def test_refusals_outside_the_views_follow_the_language_too(api_client, policies):
    anonymous = Client(enforce_csrf_checks=True)
    refused = anonymous.post(BOOK, {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.json() == {"detail": "Authentication credentials were not provided."}
    unknown = anonymous.get("/api/v1/nope/", HTTP_ACCEPT_LANGUAGE="en")
    assert unknown.json() == {"detail": "This address does not exist."}
    csrf = api_client.post(BOOK, {}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert csrf.json()["detail"].startswith("CSRF token missing or invalid")
    wagtail = anonymous.get("/api/v2/pages/", {"discipline": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wagtail.json() == {
        "message": "The discipline and city filters need type=cms.PractitionerPage."
    }


def test_a_malformed_multipart_body_is_refused_in_the_request_language(api_client):
    # DRF reports Django's MultiPartParserError in English whatever the language.
    for language, expected in [
        ("fr", "Le corps multipart/form-data de la requête est mal formé."),
        ("en", "The request's multipart/form-data body is malformed."),
    ]:
        response = api_client.post(
            BOOK,
            "--x\r\n",
            content_type="multipart/form-data; boundary=",
            HTTP_X_CSRFTOKEN=api_client.csrf,
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 400
        assert response.json() == {"detail": expected}


# Every module that writes a message into an API answer.
API_MODULES = [
    "core/api_errors.py",
    "cms/api.py",
    "booking/api/serializers.py",
    "booking/api/views.py",
    "compliance/api.py",
    "compliance/middleware.py",
]


def test_every_message_of_the_apis_has_its_english():
    with (settings.BASE_DIR / "locale/en/LC_MESSAGES/django.po").open("rb") as po:
        catalog = read_po(po)
    keywords = {"_": None, "gettext": None, "gettext_lazy": None}
    missing = [
        (module, message)
        for module in API_MODULES
        for _line, message, _comments, _context in extract_from_file(
            "python", settings.BASE_DIR / module, keywords=keywords
        )
        if not (catalog.get(message) and catalog[message].string)
    ]
    assert not missing
