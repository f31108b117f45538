"""The staff groups and the practitioners' workflow come from a migration, not from clicks."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, WorkflowPage

pytestmark = pytest.mark.django_db


def _page_permissions(group: Group) -> set[tuple[int, str]]:
    return {(p.page.depth, p.permission.codename) for p in group.page_permissions.all()}


def test_every_staff_group_exists_and_reaches_the_admin():
    for name in ["Editors", "Moderators", "Practitioners", "Data protection officers"]:
        group = Group.objects.get(name=name)
        assert group.permissions.filter(codename="access_admin").exists(), name


def test_editors_and_moderators_publish_practitioners_and_officers_do_not():
    assert (1, "publish_page") in _page_permissions(Group.objects.get(name="Editors"))
    assert (1, "publish_page") in _page_permissions(Group.objects.get(name="Moderators"))
    assert _page_permissions(Group.objects.get(name="Practitioners")) == set()
    assert _page_permissions(Group.objects.get(name="Data protection officers")) == set()


def test_practitioners_may_choose_shared_images_and_no_document():
    # Uploading is granted per practitioner, in their own collection (test_practitioner_images).
    group = Group.objects.get(name="Practitioners")
    permissions = set(
        group.collection_permissions.values_list("collection__name", "permission__codename")
    )
    assert permissions == {("Partagé", "choose_image")}
    assert not group.permissions.filter(content_type__app_label="wagtaildocs").exists()


def test_the_practitioners_workflow_applies_to_every_page_and_editors_approve():
    root = Page.get_first_root_node()
    workflow = WorkflowPage.objects.get(page=root).workflow
    assert workflow.name == "Validation des fiches praticiens"
    assert workflow.active
    (task,) = [t.specific for t in workflow.tasks]
    assert isinstance(task, GroupApprovalTask)
    assert set(task.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}


def test_the_workflow_covers_a_profile_created_after_the_migration(directory):
    from tests.factories import practitioner_create

    page = practitioner_create(directory)
    assert page.get_workflow().name == "Validation des fiches praticiens"


def test_data_protection_officers_may_read_the_consent_ledger_and_nothing_else():
    officers = Group.objects.get(name="Data protection officers")
    codenames = set(officers.permissions.values_list("content_type__app_label", "codename"))
    assert codenames == {
        ("wagtailadmin", "access_admin"),
        ("compliance", "view_policyversion"),
        ("compliance", "view_acceptance"),
    }


@pytest.mark.parametrize("model", ["policyversion", "acceptance"])
def test_a_data_protection_officer_opens_the_ledger_in_the_admin(client, model):
    from django.contrib.auth import get_user_model

    from tests.factories import otp_login

    officer = get_user_model().objects.create_user("dpo@example.com", "une phrase assez longue")
    officer.groups.add(Group.objects.get(name="Data protection officers"))
    otp_login(client, officer)
    response = client.get(f"/admin/compliance/{model}/")
    assert response.status_code == 200
    assert client.get(f"/admin/compliance/{model}/create/").status_code in {302, 403, 404}
