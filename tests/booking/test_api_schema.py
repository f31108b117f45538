"""The OpenAPI description of /api/v1/ and its readable page."""

import pytest
from drf_spectacular.validation import validate_schema

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
