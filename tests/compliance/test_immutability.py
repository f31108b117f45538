"""A version or an acceptance, once written, cannot be changed or deleted: ORM, admin or API."""

import json

import pytest
from django.utils import timezone

from compliance.models import Acceptance, ImmutableRecordError, PolicyVersion
from compliance.services import acceptance_record
from tests.compliance.conftest import publish, staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(privacy, fast_pdf):
    return publish(privacy, body="<h2>Vos droits</h2><p>Texte d'origine.</p>")


@pytest.fixture
def acceptance(version, user):
    return acceptance_record(version=version, context="signup", wording="J'accepte", user=user)


def snapshot():
    return (
        list(PolicyVersion.objects.values()),
        list(Acceptance.objects.values()),
    )


def test_orm_refuses_to_modify_or_delete_a_version_and_changes_nothing(version):
    before = snapshot()
    version.html = "<p>Réécrit.</p>"
    with pytest.raises(ImmutableRecordError, match=f"n°{version.pk} est immuable"):
        version.save()
    with pytest.raises(ImmutableRecordError, match=f"n°{version.pk} ne peut pas être supprimé"):
        version.delete()
    with pytest.raises(ImmutableRecordError, match="ne peuvent pas être modifiés"):
        PolicyVersion.objects.filter(pk=version.pk).update(html="<p>Réécrit.</p>")
    with pytest.raises(ImmutableRecordError, match="ne peuvent pas être supprimés"):
        PolicyVersion.objects.all().delete()
    with pytest.raises(ImmutableRecordError, match="ne peuvent pas être modifiés"):
        PolicyVersion.objects.bulk_update([version], ["html"])
    assert snapshot() == before


def test_orm_refuses_to_modify_or_delete_an_acceptance_and_changes_nothing(acceptance):
    before = snapshot()
    acceptance.accepted_at = timezone.now()
    with pytest.raises(ImmutableRecordError, match=f"n°{acceptance.pk} est immuable"):
        acceptance.save()
    with pytest.raises(ImmutableRecordError, match=f"n°{acceptance.pk} ne peut pas être supprimé"):
        acceptance.delete()
    with pytest.raises(ImmutableRecordError, match="ne peuvent pas être modifiés"):
        Acceptance.objects.filter(pk=acceptance.pk).update(context="booking")
    with pytest.raises(ImmutableRecordError, match="ne peuvent pas être supprimés"):
        Acceptance.objects.filter(pk=acceptance.pk).delete()
    assert snapshot() == before


def test_a_version_with_acceptances_outlives_nothing_it_is_protected(acceptance, user):
    from django.db.models import ProtectedError

    # Refused by the ledger's protected foreign key, not by anything else on the user.
    with pytest.raises(ProtectedError, match=r"Acceptance\.user"):
        user.delete()
    assert Acceptance.objects.filter(pk=acceptance.pk).exists()


@pytest.mark.parametrize("model", ["policyversion", "acceptance"])
def test_admin_offers_no_create_edit_or_delete(client, django_user_model, acceptance, model):
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    staff_login(client, admin)
    pk = acceptance.version_id if model == "policyversion" else acceptance.pk
    before = snapshot()

    index = client.get(f"/admin/compliance/{model}/")
    assert index.status_code == 200
    body = index.content.decode()
    assert f"/admin/compliance/{model}/create/" not in body
    assert f"/admin/compliance/{model}/edit/" not in body
    assert f"/admin/compliance/{model}/delete/" not in body
    assert client.get(f"/admin/compliance/{model}/inspect/{pk}/").status_code == 200

    for url in [
        f"/admin/compliance/{model}/create/",
        f"/admin/compliance/{model}/edit/{pk}/",
        f"/admin/compliance/{model}/delete/{pk}/",
    ]:
        assert client.get(url).status_code in (302, 403), url
        response = client.post(url, {"html": "x", "context": "booking"})
        assert response.status_code in (302, 403), url
        if response.status_code == 302:  # Wagtail's "permission denied": back to the dashboard
            assert response.url.rstrip("/").endswith("/admin")
    assert snapshot() == before


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_api_refuses_to_modify_or_delete_a_version(client, user, acceptance, method):
    client.force_login(user)
    before = snapshot()
    response = getattr(client, method)(
        "/api/v1/policies/privacy/versions/1/",
        data=json.dumps({"html": "<p>Réécrit.</p>"}),
        content_type="application/json",
    )
    assert response.status_code in (403, 405)  # 403 only if CSRF refuses first
    client_csrf = client.__class__(enforce_csrf_checks=False)
    client_csrf.force_login(user)
    response = getattr(client_csrf, method)(
        "/api/v1/policies/privacy/versions/1/",
        data=json.dumps({"html": "<p>Réécrit.</p>"}),
        content_type="application/json",
    )
    assert response.status_code == 405
    assert snapshot() == before
