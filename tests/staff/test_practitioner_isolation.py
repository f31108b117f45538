"""A practitioner edits their own page only, and their changes wait for an editor's approval."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.documents import get_document_model
from wagtail.models import WorkflowState

from cms.models import PractitionerPage
from staff.models import PractitionerAccount
from staff.services import PageAlreadyLinked, practitioner_account_link, practitioner_account_unlink
from tests.factories import otp_login, practitioner_create

pytestmark = pytest.mark.django_db


def edit_form_data(client, page, **changes) -> dict:
    """The edit form as the browser would submit it, with some fields changed."""
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button", "file"}:
            continue
        if field.name == "select":
            data[name] = [o.get("value") for o in field.find_all("option", selected=True)]
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    data.update(changes)
    return data


def other_page_urls(page, document) -> list[str]:
    p = page.pk
    revision = page.latest_revision.pk
    return [
        f"/admin/pages/{p}/edit/",
        f"/admin/pages/{p}/revisions/",
        f"/admin/pages/{p}/revisions/{revision}/view/",
        f"/admin/pages/{p}/revisions/compare/live...latest/",
        f"/admin/pages/{p}/history/",
        f"/admin/pages/{p}/edit/preview/",
        f"/admin/pages/{p}/view_draft/",
        f"/admin/pages/{p}/copy/",
        f"/admin/pages/{p}/move/",
        f"/admin/pages/{p}/delete/",
        f"/admin/pages/{p}/unpublish/",
        f"/admin/pages/{p}/lock/",
        f"/admin/pages/{p}/usage/",
        f"/admin/bulk/wagtailcore/page/delete/?id={p}",
        f"/admin/bulk/wagtailcore/page/unpublish/?id={p}",
        "/admin/documents/",
        f"/admin/documents/edit/{document.pk}/",
        f"/admin/documents/delete/{document.pk}/",
        f"/admin/documents/usage/{document.pk}/",
        "/admin/documents/multiple/add/",
        "/admin/users/",
        "/admin/users/add/",
        "/admin/groups/",
    ]


@pytest.fixture
def document(db):
    from django.core.files.base import ContentFile

    return get_document_model().objects.create(
        title="Attestation", file=ContentFile(b"%PDF-1.4 test", name="attestation.pdf")
    )


def test_another_practitioners_pages_documents_and_users_are_refused(
    practitioner_client, pages, document
):
    other = pages["other"]
    served = []
    for url in other_page_urls(other, document):
        response = practitioner_client.get(url)
        if response.status_code == 200 or other.title in response.content.decode():
            served.append(f"{url} {response.status_code}")
    assert served == []
    # The document chooser answers (an empty modal) but lists nothing.
    chooser = practitioner_client.get("/admin/documents/chooser/")
    assert document.title not in chooser.content.decode()


def test_the_admin_listings_do_not_show_other_practitioners_drafts(
    practitioner_client, pages, directory
):
    draft = practitioner_create(directory, title="Zoé Brouillon", slug="zoe", live=False)
    for url in [
        f"/admin/pages/{directory.pk}/",
        "/admin/pages/search/?q=Brouillon",
        f"/admin/choose-page/{directory.pk}/",
        "/admin/choose-page/search/?q=Brouillon",
        f"/admin/api/main/pages/?child_of={directory.pk}&for_explorer=1",
    ]:
        response = practitioner_client.get(url, follow=True)
        assert f"/pages/{draft.pk}/" not in response.content.decode(), url
        assert "Zoé Brouillon</" not in response.content.decode(), url


def test_practitioner_edits_own_page_but_cannot_publish_it(practitioner_client, pages):
    own = pages["own"]
    assert practitioner_client.get(f"/admin/pages/{own.pk}/edit/").status_code == 200

    data = edit_form_data(
        practitioner_client, own, headline="Nouvelle accroche", **{"action-publish": "1"}
    )
    response = practitioner_client.post(f"/admin/pages/{own.pk}/edit/", data)
    assert response.status_code == 302

    live = PractitionerPage.objects.get(pk=own.pk)
    assert live.headline == "Accompagnement bienveillant"  # the public page did not change
    assert live.has_unpublished_changes
    assert live.get_latest_revision_as_object().headline == "Nouvelle accroche"


def test_practitioner_submits_for_moderation_and_an_editor_approves(client, practitioner, pages):
    own = pages["own"]
    otp_login(client, practitioner)
    data = edit_form_data(client, own, headline="Accroche à valider", **{"action-submit": "1"})
    response = client.post(f"/admin/pages/{own.pk}/edit/", data)
    assert response.status_code == 302

    state = WorkflowState.objects.for_instance(own).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Validation des fiches praticiens"
    assert PractitionerPage.objects.get(pk=own.pk).headline == "Accompagnement bienveillant"

    editor = get_user_model().objects.create_user("editrice@example.com", "phrase-de-passe")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.logout()
    otp_login(client, editor)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{own.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert PractitionerPage.objects.get(pk=own.pk).headline == "Accroche à valider"


def test_the_practitioner_group_holds_no_page_permission_of_its_own():
    group = Group.objects.get(name="Practitioners")
    assert not group.page_permissions.exists()
    assert group.permissions.filter(codename="access_admin").exists()


def test_linking_gives_change_on_the_page_only_and_relinking_changes_nothing(practitioner, pages):
    own = pages["own"]
    practitioner_account_link(user=practitioner, page=own)
    assert PractitionerAccount.objects.get(user=practitioner).page_id == own.pk
    permissions = {
        (p.page_id, p.permission.codename)
        for group in practitioner.groups.all()
        for p in group.page_permissions.all()
    }
    assert permissions == {(own.pk, "change_page")}


def test_a_page_belongs_to_one_account(practitioner, pages):
    intruder = get_user_model().objects.create_user("autre@example.com", "phrase-de-passe")
    with pytest.raises(PageAlreadyLinked) as refusal:
        practitioner_account_link(user=intruder, page=pages["own"])
    assert refusal.value.args == (pages["own"].pk,)
    assert not intruder.groups.exists()


def test_unlinking_takes_the_page_and_the_admin_away(client, practitioner, pages):
    practitioner_account_unlink(user=practitioner)
    assert not PractitionerAccount.objects.filter(user=practitioner).exists()
    otp_login(client, practitioner)
    assert client.get(f"/admin/pages/{pages['own'].pk}/edit/").status_code != 200
    assert client.get("/admin/").status_code != 200
