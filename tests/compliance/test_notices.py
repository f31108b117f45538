"""Accounts are told by e-mail when a material version is published, once per account
and version."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from compliance import notifications
from compliance.models import PolicyVersionNotice
from compliance.services import policy_versions_accept_in_force
from compliance.tasks import policy_version_notices_send
from emails.models import OutgoingEmail
from tests.compliance.conftest import publish
from tests.factories import client_create

pytestmark = pytest.mark.django_db

TEMPLATE = "compliance/policy_version"


@pytest.fixture
def accounts(privacy, fast_pdf, django_user_model):
    """Five active accounts who accepted version 1, and one waiting for its verification."""
    publish(privacy, body="<h2>Vos droits</h2><p>Version un.</p>")
    people = [client_create(email=f"client{n}@example.com") for n in range(5)]
    for person in people:
        policy_versions_accept_in_force(user=person, context="signup")
    django_user_model.objects.create_user(email="pending@example.com", is_active=False)
    return people


def notices():
    return OutgoingEmail.objects.filter(template=TEMPLATE).order_by("pk")


def publish_material(privacy, *, effective_at=None):
    return publish(
        privacy,
        body="<h2>Vos droits</h2><p>Version deux.</p><p>Un nouveau destinataire.</p>",
        summary="Nouveau destinataire : notre hébergeur.",
        material=True,
        effective_at=effective_at,
    )


def test_publishing_a_material_version_tells_every_account_before_it_comes_into_force(
    privacy, accounts, django_capture_on_commit_callbacks
):
    effective = timezone.now() + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        version = publish_material(privacy, effective_at=effective)

    assert sorted(message.to[0] for message in notices()) == sorted(p.email for p in accounts)
    assert notices().first().language == "fr"
    message = mail.outbox[0]  # delivered on commit (the outbox keeps no body once sent)
    assert message.subject == (
        "Politique de confidentialité : une nouvelle version va entrer en vigueur"
    )
    for part in (message.body, message.alternatives[0][0]):
        assert "Bonjour Claire," in part
        assert f"entrera en vigueur le {timezone.localtime(effective).day}" in part
        assert "Nouveau destinataire : notre hébergeur." in part
        assert "http://testserver/confidentialite/versions/2/" in part
        assert "http://testserver/confidentialite/versions/1/diff/2/" in part
    assert PolicyVersionNotice.objects.filter(version=version).count() == len(accounts)


def test_a_version_already_in_force_says_so(privacy, accounts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_material(privacy)
    message = mail.outbox[0]
    assert message.subject == "Politique de confidentialité : une nouvelle version est en vigueur"
    assert "est en vigueur depuis le" in message.body


def test_each_account_is_told_once_however_often_the_task_runs(privacy, accounts):
    version = publish_material(privacy)  # on_commit never runs here: the task is run by hand
    assert policy_version_notices_send.call(version.pk, batch_size=2) == len(accounts)
    assert policy_version_notices_send.call(version.pk, batch_size=2) == 0
    assert notices().count() == len(accounts)


def test_a_crash_mid_batch_sends_nothing_twice_and_the_next_run_finishes(
    privacy, accounts, monkeypatch
):
    version = publish_material(privacy)
    real_send = notifications.email_send
    calls = []

    def failing_on_the_fourth(**kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 4:
            raise ConnectionError("the worker died")
        real_send(**kwargs)

    monkeypatch.setattr(notifications, "email_send", failing_on_the_fourth)
    with pytest.raises(ConnectionError):
        policy_version_notices_send.call(version.pk, batch_size=2)
    # The first batch is committed, the second rolled back with its e-mail and its notice.
    assert [message.to[0] for message in notices()] == [p.email for p in accounts[:2]]
    assert PolicyVersionNotice.objects.count() == 2

    monkeypatch.setattr(notifications, "email_send", real_send)
    assert policy_version_notices_send.call(version.pk, batch_size=2) == 3
    recipients = [message.to[0] for message in notices()]
    assert sorted(recipients) == sorted(p.email for p in accounts)
    assert len(set(recipients)) == len(recipients)


def test_who_already_accepted_the_version_is_not_told(privacy, accounts):
    version = publish_material(privacy)
    policy_versions_accept_in_force(user=accounts[0], context="reacceptance")
    assert policy_version_notices_send.call(version.pk) == len(accounts) - 1
    assert accounts[0].email not in {message.to[0] for message in notices()}


def test_minor_versions_and_the_first_version_tell_nobody(
    privacy, accounts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        minor = publish(privacy, body="<p>Coquille corrigée.</p>", summary="Coquille")
    assert minor.is_material is False
    assert policy_version_notices_send.call(minor.pk) == 0
    assert not notices().exists()


def test_the_notice_is_written_in_english_for_an_english_reader(privacy, accounts):
    version = publish_material(privacy)
    reader = accounts[0]
    reader.language = "en"  # accounts keep no preference yet: the one place reads this
    notifications.policy_version_notices_batch_send(version=version, users=[reader])
    message = notices().get()
    assert message.language == "en"
    assert message.subject == "Politique de confidentialité: a new version is in force"
    assert "Read the new version" in message.body_text
