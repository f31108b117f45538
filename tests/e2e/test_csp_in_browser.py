"""The Content-Security-Policy breaks nothing: Chromium reports no violation on the public
pages nor on the Wagtail admin screens editors use (the admin is signed in with two factors).

A violation is what the browser refused to run or show; a policy that blocks the site's own
scripts or the admin's would make the site silently broken, which header tests cannot see.
"""

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.conftest import admin_session_open
from tests.factories import practitioner_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Runs in every document before the page's own scripts; Playwright's init scripts are not
# subject to the page's CSP.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} (${where})`
  );
});
"""


def violations_on(page, url: str) -> list[str]:
    messages = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__cspViolations") + messages


@pytest.mark.parametrize("path", ["/", "/praticiens/", "/praticiens/camille-martin/", "/cgu/"])
def test_public_pages_run_without_csp_violations(live_server, site, page, path):
    practitioner_create(site["directory"], title="Camille Martin")
    page.add_init_script(RECORD_VIOLATIONS)
    assert violations_on(page, live_server.url + path) == []


@pytest.fixture
def admin_page(live_server, site, page):
    """A browser signed in to the admin as a superuser whose session passed the OTP step."""
    # Not pytest-django's django_user_model fixture: it requests `db`, which would turn off the
    # serialized rollback the next browser test relies on.
    user = get_user_model().objects.create_superuser(
        email="admin@example.com", password="a long admin passphrase"
    )
    admin_session_open(page, live_server, user)
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def test_wagtail_admin_runs_without_csp_violations(live_server, site, admin_page):
    home = site["home"]
    practitioner = practitioner_create(site["directory"], title="Camille Martin")
    paths = [
        "/admin/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{practitioner.pk}/edit/",
        f"/admin/pages/{site['directory'].pk}/edit/",
        "/admin/images/",
        "/admin/images/multiple/add/",
        "/admin/documents/",
        "/admin/documents/multiple/add/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/settings/cms/operatorsettings/",
    ]
    found = {}
    for path in paths:
        problems = violations_on(admin_page, live_server.url + path)
        if problems:
            found[path] = problems

    assert found == {}
