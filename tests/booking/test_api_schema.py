"""The OpenAPI description of /api/v1/ and its readable page."""

import jsonschema
import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

from booking.services import appointment_book
from compliance.services import policy_versions_accept_in_force
from tests.booking.booking_helpers import paris
from tests.compliance.conftest import publish
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

BOOKING_PATHS = {
    "/api/v1/booking/practitioners/{page_id}/services/": {"get"},
    "/api/v1/booking/practitioners/{page_id}/slots/": {"get"},
    "/api/v1/booking/appointments/": {"get", "post"},
    "/api/v1/booking/appointments/{reference}/": {"get"},
    "/api/v1/booking/appointments/{reference}/cancel/": {"post"},
    "/api/v1/booking/appointments/{reference}/reschedule/": {"post"},
}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_schema_is_a_valid_openapi_3_description(schema):
    validate_schema(schema)  # raises on an invalid document (OpenAPI 3.0 JSON Schema)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API Praticiens Bien-Être"


def test_schema_describes_every_booking_endpoint_and_the_policies(schema):
    for path, methods in BOOKING_PATHS.items():
        assert methods <= set(schema["paths"][path]), path
    accept = schema["paths"]["/api/v1/policies/{kind}/versions/{number}/accept/"]["post"]
    assert accept["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert "/api/v1/policies/" in schema["paths"]
    # Wagtail's own read-only API is not part of this description.
    assert not [path for path in schema["paths"] if not path.startswith("/api/v1/")]


def test_schema_documents_bodies_errors_and_authentication(schema):
    components = schema["components"]["schemas"]
    assert {"AppointmentCreateRequest", "Appointment", "Slots", "SlotUnavailable"} <= set(
        components
    )
    create_fields = components["AppointmentCreateRequest"]["properties"]
    assert set(create_fields) == {"practitioner", "service", "start", "accept_terms"}
    assert "price" not in create_fields
    create = schema["paths"]["/api/v1/booking/appointments/"]["post"]
    assert {"201", "400", "403", "409"} <= set(create["responses"])
    assert {"cookieAuth": []} in create["security"]
    slots = schema["paths"]["/api/v1/booking/practitioners/{page_id}/slots/"]["get"]
    assert {p["name"] for p in slots["parameters"]} == {"page_id", "service", "from", "to"}
    assert set(components["Slots"]["properties"]) >= {"from", "to", "slots", "next_available"}


def test_docs_page_lists_the_endpoints_in_valid_accessible_html(client, site_tree):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert soup.h1.get_text(strip=True) == "Documentation de l'API"
    headings = [h3.get_text(" ", strip=True) for h3 in soup.find_all("h3")]
    assert any(h.startswith("POST /api/v1/booking/appointments/") for h in headings)
    assert any(h.startswith("GET /api/v1/policies/") for h in headings)
    assert soup.find("a", href="/api/v1/schema/")
    # Response bodies link to their description further down the page.
    anchors = [a["href"][1:] for a in soup.select('a[href^="#schema-"]')]
    assert "schema-Appointment" in anchors
    assert all(soup.find(id=anchor) for anchor in anchors)
    # Nothing for the CSP to block: no inline script, no style attribute, no external asset.
    assert not [s for s in soup.find_all("script") if not s.get("src")]
    assert not soup.find_all(style=True)
    assert not [
        tag for tag in soup.find_all(src=True) if tag["src"].startswith(("http:", "https:", "//"))
    ]


# --- What the server answers matches what the schema says -------------------------------


def json_schema(node):
    """OpenAPI 3.0's schema dialect as JSON Schema: `nullable` becomes a null alternative."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def assert_matches(schema, path, method, response):
    """The response's body matches the schema the description gives for its status code."""
    documented = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, response.status_code
    body_schema = documented[str(response.status_code)]["content"]["application/json"]["schema"]
    document = {**json_schema(body_schema), "components": json_schema(schema["components"])}
    jsonschema.validate(response.json(), document, cls=jsonschema.Draft4Validator)


@pytest.fixture
def booked(directory, frozen_clock, fast_pdf, site_tree):
    publish(site_tree["privacy"])
    publish(site_tree["cgu"])
    practitioner = bookable_practitioner_create(directory)
    user = client_create()
    policy_versions_accept_in_force(user=user, context="reacceptance")
    service = practitioner.page.services.get()
    appointments = [
        appointment_book(
            practitioner=practitioner, service=service, start=paris(2027, 3, day, 10), client=user
        )
        for day in (3, 4)
    ]
    return user, appointments


def test_appointments_as_answered_match_their_schema_cancelled_or_not(schema, booked):
    user, (kept, cancelled) = booked
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/compte/consentements/")
    token = client.cookies["csrftoken"].value
    base = "/api/v1/booking/appointments/"

    response = client.post(
        f"{base}{cancelled.reference}/cancel/", {}, "application/json", HTTP_X_CSRFTOKEN=token
    )
    assert_matches(schema, base + "{reference}/cancel/", "post", response)
    listing = client.get(base)
    # Not cancelled: cancelled_by is "", which the enum of the description must include.
    assert {a["cancelled_by"] for a in listing.json()} == {"", "client"}
    assert_matches(schema, base, "get", listing)
    assert_matches(schema, base + "{reference}/", "get", client.get(f"{base}{kept.reference}/"))

    refused = client.post(
        f"{base}{cancelled.reference}/reschedule/",
        {"start": "2027-03-05T09:00:00Z"},
        "application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert refused.status_code == 409 and refused.json()["code"] == "change_not_allowed"
    assert_matches(schema, base + "{reference}/reschedule/", "post", refused)

    for body in ({}, "{pas du json"):
        invalid = client.post(base, body, "application/json", HTTP_X_CSRFTOKEN=token)
        assert_matches(schema, base, "post", invalid)
