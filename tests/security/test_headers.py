"""Every response carries the security headers; the CSP is strict where it matters."""

import pytest

from tests.factories import practitioner_create


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def main_pages(site_tree):
    practitioner_create(site_tree["directory"], title="Camille Martin")
    return [
        "/",
        "/praticiens/",
        "/praticiens/camille-martin/",
        "/cgu/",
        "/confidentialite/",
        "/cette-page-n-existe-pas/",
        "/admin/login/",
        "/api/v2/pages/",
        "/robots.txt",
    ]


def assert_security_headers(response, *, frame_options="DENY", frame_ancestors="'none'"):
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "*" not in csp["script-src"] and "'self'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["frame-ancestors"] == [frame_ancestors]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == frame_options
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    return csp


def test_main_pages_carry_every_security_header(client, main_pages):
    for path in main_pages:
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        csp = assert_security_headers(response)
        if not path.startswith("/admin/"):
            # The public site needs no inline style or script at all.
            assert csp["script-src"] == ["'self'"], path
            assert csp["style-src"] == ["'self'"], path


def test_not_found_page_is_a_404_with_the_headers(client, site_tree):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_static_files_carry_the_headers_too(client, db):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)


def test_admin_inline_scripts_are_allowed_by_hash_never_by_unsafe_inline(
    verified_admin_client, site_tree
):
    practitioner = practitioner_create(site_tree["directory"], title="Camille Martin")
    response = verified_admin_client.get(f"/admin/pages/{practitioner.pk}/edit/")
    assert response.status_code == 200
    csp = assert_security_headers(response)
    hashes = [source for source in csp["script-src"] if source.startswith("'sha256-")]
    assert hashes, "Wagtail's inline widget scripts are allowed one by one"
    assert csp["script-src"] == ["'self'", *hashes]
    # An event handler attribute would need 'unsafe-inline' or 'unsafe-hashes': neither is there.
    assert "'unsafe-hashes'" not in csp["script-src"]


def test_inline_script_hashes_match_what_browsers_compute():
    from config.security import inline_script_hashes

    html = (
        "<script>alert('Hello, world.');</script>"
        '<script type="application/json">{"x": 1}</script>'
        '<script src="/static/x.js"></script><script type="module">go()</script>'
        "<script>alert('Hello, world.');</script>"
    )
    # The first value is the worked example of the CSP specification (W3C CSP Level 3, 2.3.1):
    # the sha256 of the exact text between the tags. JSON data blocks and src= scripts are not
    # inline scripts; a repeated script is listed once.
    assert inline_script_hashes(html) == [
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='",
        "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='",
    ]


def test_page_preview_may_be_framed_by_the_admin_only(verified_admin_client, site_tree):
    page = site_tree["cgu"]
    response = verified_admin_client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert response.status_code == 200
    assert_security_headers(response, frame_options="SAMEORIGIN", frame_ancestors="'self'")


def test_admin_pages_are_not_frameable(verified_admin_client, site_tree):
    response = verified_admin_client.get(f"/admin/pages/{site_tree['cgu'].pk}/edit/")
    assert_security_headers(response)
