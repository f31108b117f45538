"""The consent ledger: who accepted which version, when, where; their history; staff exports."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compliance.models import Acceptance, PolicyVersion
from compliance.services import acceptance_record, policy_versions_accept_in_force
from tests.compliance.conftest import publish, staff_login
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(privacy, terms, fast_pdf):
    return publish(privacy, body="<p>Confidentialité.</p>"), publish(terms, body="<p>CGU.</p>")


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_sign_up_records_the_privacy_policy_and_terms_in_force(user, versions):
    acceptances = policy_versions_accept_in_force(user=user, context="signup")

    assert {a.version for a in acceptances} == set(versions)
    for acceptance in acceptances:
        assert acceptance.context == "signup" and acceptance.user == user
        assert "conditions générales" in acceptance.wording and acceptance.accepted_at


def test_an_acceptance_names_exactly_one_person(user, versions):
    privacy_v1, _ = versions
    with pytest.raises(ValidationError, match="soit un utilisateur, soit une adresse"):
        acceptance_record(version=privacy_v1, context="newsletter", wording="Oui")
    with pytest.raises(ValidationError, match="soit un utilisateur, soit une adresse"):
        acceptance_record(
            version=privacy_v1, context="newsletter", wording="Oui", user=user, email="a@b.fr"
        )
    with pytest.raises(ValidationError, match="Contexte d'acceptation inconnu : 'ailleurs'"):
        acceptance_record(version=privacy_v1, context="ailleurs", wording="Oui", user=user)
    newsletter = acceptance_record(
        version=privacy_v1, context="newsletter", wording="Oui", email="Lecteur@Example.com"
    )
    assert newsletter.email == "lecteur@example.com" and newsletter.user is None
    assert Acceptance.objects.count() == 1


def test_user_sees_and_downloads_every_version_they_accepted(client, user, versions):
    policy_versions_accept_in_force(user=user, context="signup")
    client.force_login(user)

    response = client.get("/compte/consentements/")
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ", strip=True)
    assert "Politique de confidentialité" in text and "Conditions générales" in text
    assert soup.find("a", href="/confidentialite/versions/1/")
    assert "Inscription" in text

    rows = csv_rows(client.get("/compte/consentements/historique.csv"))
    assert rows[0][:3] == ["acceptee_le", "document", "version"]
    assert sorted(row[1] for row in rows[1:]) == ["privacy", "terms"]
    assert {row[5] for row in rows[1:]} == {v.sha256 for v in versions}


def test_consent_pages_need_a_signed_in_user(client, versions):
    for url in [
        "/compte/consentements/",
        "/compte/consentements/historique.csv",
        "/compte/reacceptation/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "next=" in response.url


def test_another_users_history_is_never_shown(client, user, versions, django_user_model):
    policy_versions_accept_in_force(user=user, context="signup")
    other = django_user_model.objects.create_user(email="bob@example.com", password="x")
    policy_versions_accept_in_force(user=other, context="booking")
    client.force_login(other)
    rows = csv_rows(client.get("/compte/consentements/historique.csv"))
    assert [row[6] for row in rows[1:]] == ["booking", "booking"]


def test_staff_export_the_ledger_of_one_version_or_one_user(
    client, user, versions, django_user_model
):
    privacy_v1, _ = versions
    policy_versions_accept_in_force(user=user, context="signup")
    acceptance_record(
        version=privacy_v1,
        context="newsletter",
        wording="=cmd|' /C calc'!A0",
        email="x@example.com",
    )
    dpo = django_user_model.objects.create_superuser(email="dpo@example.com", password="x")
    staff_login(client, dpo)

    rows = csv_rows(client.get(f"/admin/conformite/export/?version={privacy_v1.pk}"))
    who = sorted(row[0] or row[1] for row in rows[1:])
    assert who == ["alice@example.com", "dpo@example.com", "x@example.com"]
    wording = next(row[-1] for row in rows if row[1] == "x@example.com")
    assert wording.startswith("'=")  # no formula for spreadsheet software

    rows = csv_rows(client.get("/admin/conformite/export/?user=ALICE@example.com"))
    assert sorted(row[3] for row in rows[1:]) == ["privacy", "terms"]

    assert client.get("/admin/conformite/export/?user=personne@example.com").status_code == 400
    assert client.get("/admin/conformite/export/?version=abc").status_code == 400
    assert client.get("/admin/conformite/export/").status_code == 200


def test_ledger_export_is_for_staff_only(client, user, versions):
    policy_versions_accept_in_force(user=user, context="signup")
    client.force_login(user)
    response = client.get(f"/admin/conformite/export/?version={versions[0].pk}")
    assert response.status_code in (302, 403)
    assert "alice@example.com" not in response.content.decode()


def test_admin_lists_versions_with_their_acceptance_counts_and_exports_csv(
    client, user, versions, django_user_model
):
    policy_versions_accept_in_force(user=user, context="signup")
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    staff_login(client, admin)

    response = client.get("/admin/compliance/policyversion/")
    assert response.status_code == 200
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in BeautifulSoup(response.content, "html.parser").find_all("tr")
    ]
    privacy_row = next(row for row in rows if row and "confidentialité v1" in row[0])
    assert "2" in privacy_row  # alice, and the admin who accepted to reach the admin

    export = client.get("/admin/compliance/acceptance/?export=csv")
    assert export.status_code == 200
    assert len(csv_rows(export)) == 1 + Acceptance.objects.count()


def test_seed_demo_creates_version_one_of_each_document_once():
    call_command("seed_demo", "--practitioners", "1", stdout=io.StringIO())
    call_command("seed_demo", "--practitioners", "1", stdout=io.StringIO())

    assert sorted(PolicyVersion.objects.values_list("kind", "number")) == [
        ("privacy", 1),
        ("terms", 1),
    ]
    for version in PolicyVersion.objects.all():
        assert version.pdf.name.endswith(".pdf") and version.html


def test_accepting_again_writes_only_what_the_user_has_not_accepted(
    user, versions, privacy, fast_pdf
):
    from compliance.selectors import policy_versions_not_accepted

    assert policy_versions_not_accepted(user) == sorted(versions, key=lambda v: v.kind)
    policy_versions_accept_in_force(user=user, context="signup")
    assert policy_versions_not_accepted(user) == []

    # Booking twice after signing up: nothing new to accept, nothing written.
    assert policy_versions_accept_in_force(user=user, context="booking") == []
    assert policy_versions_accept_in_force(user=user, context="booking") == []
    assert Acceptance.objects.filter(user=user).count() == 2

    # A new privacy version comes into force: only it is asked for, and written once.
    privacy_v2 = publish(privacy, body="<p>Confidentialité, version 2.</p>")
    assert policy_versions_not_accepted(user) == [privacy_v2]
    [written] = policy_versions_accept_in_force(user=user, context="booking")
    assert written.version == privacy_v2
    assert policy_versions_accept_in_force(user=user, context="booking") == []
    assert sorted(
        Acceptance.objects.filter(user=user).values_list("version__kind", "version__number")
    ) == [
        ("privacy", 1),
        ("privacy", 2),
        ("terms", 1),
    ]
