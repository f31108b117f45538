"""The editor who publishes a material version is not thrown out of the admin mid-action."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages

from compliance.middleware import GRACE_SESSION_KEY
from compliance.models import Acceptance, PolicyVersion
from tests.compliance.conftest import publish, staff_login

pytestmark = pytest.mark.django_db

GATE = "/compte/reacceptation/"
POLICY = "<h2>Vos droits</h2><p>Version un.</p>"


@pytest.fixture
def editor(privacy, fast_pdf, django_user_model):
    publish(privacy, body=POLICY)
    return django_user_model.objects.create_superuser(email="root@example.com", password="x")


def publish_in_admin(client, page, *, material: bool):
    page = type(page).objects.get(pk=page.pk)
    data = {
        "title": page.title,
        "slug": page.slug,
        "body": '{"blocks":[{"key":"a","type":"unstyled","text":"Un nouveau destinataire",'
        '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
        "change_summary": "Nouveau destinataire : notre hébergeur.",
        "effective_at": "",
        "action-publish": "publish",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    if material:
        data["is_material_change"] = "on"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def test_editor_publishing_a_material_version_sees_it_published_then_accepts_it(
    client, privacy, editor
):
    staff_login(client, editor)

    response = publish_in_admin(client, privacy, material=True)
    assert response.status_code == 302 and not response.url.startswith(GATE)
    version = PolicyVersion.objects.get(kind="privacy", number=2)
    assert version.is_material and version.published_by == editor

    # The page the publication leads to is shown, with its message.
    landing = client.get(response.url)
    assert landing.status_code == 200
    shown = [str(message) for message in get_messages(landing.wsgi_request)]
    assert any(privacy.title in message for message in shown), shown

    # From the next step on, the admin waits for the editor's acceptance.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{GATE}?next=%2Fadmin%2F"
    soup = BeautifulSoup(client.get(response.url).content, "html.parser")
    form = soup.find("form", action=GATE)
    versions = [i["value"] for i in form.find_all("input", attrs={"name": "version"})]
    assert versions == [str(version.pk)]
    response = client.post(GATE, {"version": versions, "next": "/admin/"})
    assert response.status_code == 303 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert Acceptance.objects.filter(user=editor, version=version).count() == 1


def test_the_pass_after_a_publication_is_spent_by_one_request(client, privacy, editor):
    staff_login(client, editor)
    publish_in_admin(client, privacy, material=True)
    assert GRACE_SESSION_KEY in client.session

    # Not the page the publication led to, but still the next request: the pass is spent.
    assert client.get("/praticiens/").status_code == 200
    assert GRACE_SESSION_KEY not in client.session
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(GATE)


def test_a_minor_version_gives_no_pass_and_gates_nobody(client, privacy, editor):
    staff_login(client, editor)
    response = publish_in_admin(client, privacy, material=False)
    assert response.status_code == 302
    assert PolicyVersion.objects.get(number=2).is_material is False
    assert GRACE_SESSION_KEY not in client.session
    assert client.get("/admin/").status_code == 200


def test_another_user_gets_no_pass_from_the_editors_publication(client, privacy, editor, user):
    from compliance.services import policy_versions_accept_in_force
    from tests.compliance.test_gate import sign_in

    policy_versions_accept_in_force(user=user, context="signup")
    staff_login(client, editor)
    publish_in_admin(client, privacy, material=True)

    sign_in(client, user)
    response = client.get("/compte/profil/")
    assert response.status_code == 302 and response.url.startswith(GATE)
