"""A material change in force: public pages stay browsable with a banner, what needs consent
(booking, the account, the practitioner's area, the API, the admin) waits for re-acceptance."""

from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from compliance.middleware import GATE_EXEMPT_URL_NAMES, GATED_NAMESPACES
from compliance.models import Acceptance
from compliance.selectors import user_pending_material_versions
from compliance.services import policy_versions_accept_in_force
from tests.compliance.conftest import publish
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

GATE = "/compte/reacceptation/"
ACCOUNT = "/compte/profil/"


@pytest.fixture
def accepted_v1(privacy, user, fast_pdf):
    v1 = publish(privacy, body="<h2>Vos droits</h2><p>Version un.</p>")
    policy_versions_accept_in_force(user=user, context="signup")
    return v1


@pytest.fixture
def material_v2(privacy, accepted_v1):
    return publish(
        privacy,
        body="<h2>Vos droits</h2><p>Version deux.</p><h2>Nouveauté</h2><p>Un destinataire.</p>",
        summary="Nouveau destinataire : notre hébergeur.",
        material=True,
        effective_at=timezone.now() + timedelta(days=5),  # sessions last 2 weeks
    )


def sign_in(client, user):
    """A fresh session, stamped at the (travelled) current time."""
    client.logout()
    client.force_login(user)


def after(version):
    # Sign in again inside the travel: accounts' sessions end after 2 idle hours.
    return time_machine.travel(version.effective_at + timedelta(minutes=1), tick=False)


def test_user_is_gated_only_once_the_material_version_takes_effect(client, user, material_v2):
    sign_in(client, user)
    assert client.get(ACCOUNT).status_code == 200  # before: v1 in force, accepted

    with after(material_v2):
        sign_in(client, user)
        response = client.get("/compte/profil/?onglet=adresse")
        assert response.status_code == 302
        assert response.url == f"{GATE}?next=%2Fcompte%2Fprofil%2F%3Fonglet%3Dadresse"

        page = client.get(response.url)
        soup = assert_valid_accessible_html(page.content)
        text = soup.get_text(" ", strip=True)
        assert "Nouveau destinataire : notre hébergeur." in text
        assert "Un destinataire." in text  # the new text itself
        assert soup.find("form", action="/compte/deconnexion/") is not None
        assert soup.find("a", href=lambda h: h and h.startswith("mailto:dpo@example.com"))

        form = soup.find("form", action=GATE)
        data = {field["name"]: field["value"] for field in form.find_all("input")}
        data["version"] = [i["value"] for i in form.find_all("input", attrs={"name": "version"})]
        response = client.post(GATE, data)
        assert response.status_code == 303
        assert response.url == "/compte/profil/?onglet=adresse"
        assert client.get(ACCOUNT).status_code == 200

    acceptance = Acceptance.objects.filter(user=user).order_by("-pk").first()
    assert (acceptance.version, acceptance.context) == (material_v2, "reacceptance")
    assert "J'accepte" in acceptance.wording and "version 2" in acceptance.wording


def test_non_material_version_shows_a_notice_and_does_not_gate(client, user, privacy, material_v2):
    with after(material_v2):
        policy_versions_accept_in_force(user=user, context="reacceptance")
        v3 = publish(privacy, body="<h2>Vos droits</h2><p>Version trois.</p>", summary="Coquille")
        sign_in(client, user)

        response = client.get("/praticiens/")
        assert response.status_code == 200
        soup = assert_valid_accessible_html(response.content)
        notice = soup.find(class_="policy-notice")
        assert notice is not None and "nouvelle version 3" in notice.get_text(" ", strip=True)
        assert notice.find("a", href="/confidentialite/versions/3/")

        response = client.post(
            "/compte/consentements/compris/", {"version": [v3.pk], "next": "/praticiens/"}
        )
        assert response.status_code == 303 and response.url == "/praticiens/"
        soup = BeautifulSoup(client.get("/praticiens/").content, "html.parser")
        assert soup.find(class_="policy-notice") is None
    assert Acceptance.objects.filter(user=user, version=v3, context="reacceptance").exists()


def test_material_change_missed_while_away_still_gates_after_a_minor_one(
    user, privacy, material_v2
):
    with after(material_v2):
        publish(privacy, body="<p>Version trois.</p>", summary="Coquille")
        assert [v.number for v in user_pending_material_versions(user)] == [2]
        policy_versions_accept_in_force(user=user, context="reacceptance")  # accepts v3
        assert user_pending_material_versions(user) == []


@pytest.mark.parametrize(
    "path",
    [
        GATE,
        "/confidentialite/",
        "/confidentialite/versions/2/",
        "/confidentialite/versions/2.pdf",
        "/cgu/",
        "/mentions-legales/",
        "/compte/consentements/",
        "/api/v1/policies/",
        "/static/css/site.css",
    ],
)
def test_gated_user_can_still_read_the_documents(client, user, material_v2, path):
    with after(material_v2):
        sign_in(client, user)
        response = client.get(path)
    assert response.status_code in (200, 404)  # 404: a static file the test server lacks
    assert not (response.status_code == 302 and response.url.startswith(GATE))


def test_gated_user_is_sent_back_by_a_post_and_the_api_answers_403_json(client, user, material_v2):
    with after(material_v2):
        sign_in(client, user)
        response = client.post(ACCOUNT, {"first_name": "Alice"})
        assert response.status_code == 303 and response.url == GATE
        response = client.get("/api/v1/booking/appointments/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == "policy_acceptance_required"
        assert body["detail"] == "A new version of the terms must be accepted before going on."
        assert body["acceptance_url"] == f"http://testserver{GATE}"


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v3/"])
def test_an_unknown_api_address_is_still_a_json_404_for_a_gated_user(
    client, user, material_v2, path
):
    # Nothing is there to protect: the API's own JSON 404, never a redirect to an HTML form.
    with after(material_v2):
        sign_in(client, user)
        response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_staff_are_gated_too(client, django_user_model, material_v2):
    staff = django_user_model.objects.create_user(
        email="staff@example.com", password="x", is_staff=True
    )
    policy_versions_accept_in_force(user=staff, context="signup")
    with after(material_v2):
        sign_in(client, staff)
        response = client.get(ACCOUNT)
    assert response.status_code == 302 and response.url.startswith(GATE)


def test_someone_who_never_accepted_anything_is_asked_to_accept_the_documents(
    client, django_user_model, accepted_v1
):
    newcomer = django_user_model.objects.create_user(email="bob@example.com", password="x")
    sign_in(client, newcomer)
    assert client.get(ACCOUNT).status_code == 302


def test_visitors_are_never_gated(client, material_v2):
    with after(material_v2):
        assert client.get("/praticiens/").status_code == 200
        assert client.get("/compte/connexion/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/praticiens/", "/praticiens/?ville=Lyon", "/cgu/"])
def test_public_pages_stay_browsable_with_a_banner_that_leads_to_the_gate(
    client, user, material_v2, path
):
    with after(material_v2):
        sign_in(client, user)
        response = client.get(path)
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    banner = soup.find(class_="policy-notice--required")
    assert banner is not None
    assert "pour réserver ou accéder à votre compte" in banner.get_text(" ", strip=True)
    link = banner.find("a", href=lambda h: h and h.startswith(GATE))
    assert link["href"] == f"{GATE}?next={quote(path, safe='/')}"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:1"])
def test_next_parameter_cannot_send_the_user_elsewhere(client, user, material_v2, target):
    with after(material_v2):
        sign_in(client, user)
        response = client.post(GATE, {"version": [material_v2.pk], "next": target})
    assert response.status_code == 303 and response.url == "/"


def test_gate_refuses_a_tampered_form_and_records_nothing(client, user, material_v2, accepted_v1):
    before = Acceptance.objects.count()
    with after(material_v2):
        sign_in(client, user)
        assert client.post(GATE, {"version": ["abc"]}).status_code == 400
        assert client.post(GATE, {}).status_code == 400
        assert client.post(GATE, {"version": ["999999"]}).status_code == 400
        response = client.post(GATE, {"version": [accepted_v1.pk]})  # an old version
        assert response.status_code == 409
        assert_valid_accessible_html(response.content)
    assert Acceptance.objects.count() == before


@pytest.mark.parametrize("path", ["/praticiens/", ACCOUNT])
def test_gate_and_banner_cost_two_small_queries_per_request(client, user, material_v2, path):
    with after(material_v2):
        sign_in(client, user)
        client.get(path)  # sessions, site and settings caches warm up
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
    ledger = [q["sql"] for q in queries if "compliance_" in q["sql"]]
    assert len(ledger) == 2, ledger


def url_patterns_by_name(resolver=None, namespace=""):
    """Every named URL of the site as "namespace:name", with its pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns_by_name(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def sample_kwargs(pattern) -> dict:
    """Values for the parameters a pattern captures (kind, number, old and new version)."""
    captured = getattr(pattern.pattern, "converters", {}) or pattern.pattern.regex.groupindex
    samples = {"kind": "privacy", "number": "1", "old": "1", "new": "2"}
    return {name: samples[name] for name in captured}


def test_every_url_name_the_gate_lets_through_exists_and_reverses():
    patterns = dict(url_patterns_by_name())
    missing = sorted(GATE_EXEMPT_URL_NAMES - patterns.keys())
    assert missing == [], f"renamed or removed, hence gated again: {missing}"
    for name in GATE_EXEMPT_URL_NAMES:
        assert reverse(name, kwargs=sample_kwargs(patterns[name])).startswith("/"), name


def test_gated_user_can_finish_a_login_switch_language_and_log_out(client, user, material_v2):
    with after(material_v2):
        sign_in(client, user)
        for response in [
            client.get(reverse("twofactor:login_verify")),  # no pending login: to the login
            client.post(reverse("set_language"), {"language": "en", "next": "/cgu/"}),
            client.post(reverse("accounts:logout")),
        ]:
            assert not (response.status_code in (302, 303) and response.url.startswith(GATE))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "path",
    [
        "/compte/",
        "/compte/profil/",
        "/compte/mot-de-passe/",
        "/compte/securite/",
        "/compte/rendez-vous/",
        "/espace-praticien/",  # the admin: tests/compliance/test_gate_publish.py
    ],
)
def test_what_needs_consent_is_gated(client, user, material_v2, path):
    with after(material_v2):
        sign_in(client, user)
        response = client.get(path)
    assert response.status_code == 302 and response.url.startswith(GATE)


def test_the_booking_funnel_waits_for_the_acceptance(client, user, material_v2, directory):
    from tests.factories import bookable_practitioner_create

    with after(material_v2):
        page = bookable_practitioner_create(directory).page
        service = page.services.first()
        sign_in(client, user)
        for path in [
            reverse("booking:service_choose", args=[page.pk]),
            reverse("booking:slot_choose", args=[page.pk, service.pk]),
            reverse("booking:confirm", args=[page.pk, service.pk]),
        ]:
            response = client.get(path)
            assert response.status_code == 302 and response.url.startswith(GATE), path
        assert client.get(page.url).status_code == 200  # the profile is a public page


def test_every_gated_namespace_exists():
    namespaces = {name.split(":")[0] for name, _ in url_patterns_by_name() if ":" in name}
    assert namespaces >= GATED_NAMESPACES, sorted(GATED_NAMESPACES - namespaces)


def test_moved_urls_keep_their_status_because_the_gate_goes_by_name(
    client, user, material_v2, settings
):
    settings.ROOT_URLCONF = "tests.compliance.moved_urls"
    gate = reverse("compliance:reacceptance")
    assert gate == "/documents-et-consentements/compte/reacceptation/"
    with after(material_v2):
        sign_in(client, user)
        for url in [
            gate,
            reverse("compliance:privacy_version", kwargs={"number": 2}),
            reverse("compliance:consent_history"),
            reverse("api:api_policies"),
            "/confidentialite/",
        ]:
            assert client.get(url).status_code == 200, url
        # The account is gated by its namespace, at its new address.
        response = client.get(reverse("accounts:profile"))
        assert reverse("accounts:profile") == "/mon-compte/profil/"
        assert response.status_code == 302
        assert response.url == f"{gate}?next=%2Fmon-compte%2Fprofil%2F"

        # An API is known by its namespace, not by an "/api/" prefix.
        response = client.get(reverse("api:appointments"))
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == "policy_acceptance_required"
        assert body["acceptance_url"] == f"http://testserver{gate}"
        assert body["policies_url"] == "http://testserver/interface/v1/policies/"
