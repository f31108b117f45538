"""Only strictly necessary cookies: none for reading, CSRF for the forms, language on choice."""

import pytest

from tests.factories import practitioner_create


@pytest.fixture
def pages(site_tree):
    practitioner_create(site_tree["directory"], title="Camille Martin")
    return ["/", "/praticiens/", "/praticiens/?discipline=yoga", "/praticiens/camille-martin/"]


def test_anonymous_visit_sets_only_the_csrf_cookie_of_the_language_form(client, pages):
    seen = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200
        seen.update(response.cookies)
    # The footer's language switcher is a POST form, hence the CSRF cookie; nothing else:
    # no session, no analytics, no language cookie before a choice is made.
    assert sorted(seen) == ["csrftoken"]
    csrf = seen["csrftoken"]
    assert csrf["samesite"] == "Lax"
    assert csrf["httponly"] is True
    assert csrf["path"] == "/"
    assert not csrf["domain"]


def test_language_cookie_appears_only_after_choosing_a_language(client, pages):
    client.get("/")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/praticiens/"})
    assert response.status_code == 302
    assert sorted(response.cookies) == ["django_language"]
    language = response.cookies["django_language"]
    assert language.value == "en"
    assert language["samesite"] == "Lax" and language["httponly"] is True
    # Reading on still sets no session cookie.
    assert "sessionid" not in client.get("/praticiens/").cookies
