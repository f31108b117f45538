"""The e-mails this app adds render in French and English, HTML and plain text."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from accounts.models import User
from emails.services import email_send

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)

EMAILS = {
    "accounts/signup_existing": {
        "login_url": "https://example.com/compte/connexion/",
        "reset_url": "https://example.com/compte/mot-de-passe/oubli/",
    },
    "accounts/email_change": {
        "confirm_url": "https://example.com/compte/profil/adresse/abc/",
        "expires_hours": 48,
    },
    "accounts/verification": {
        "verify_url": "https://example.com/compte/verification/abc/",
        "expires_hours": 48,
    },
    "accounts/email_changed": {"old_email": "camille.old@example.com", "when": WHEN},
}
NOT_YOU = {"fr": "Ce n'est pas vous ?", "en": "Wasn't you?"}
# Sent to an address that has not proved to be the member's: no name, whatever the context holds.
TO_UNVERIFIED = {"accounts/email_change", "accounts/verification"}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(EMAILS))
def test_account_emails_render_both_parts_in_both_languages(
    name, language, site_tree, django_capture_on_commit_callbacks
):
    user = User(email="camille@example.com", first_name="Camille", last_name="Martin")
    context = EMAILS[name]
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="camille@example.com",
            template=name,
            context={"user": user, **context},
            language=language,
        )
    (message,) = mail.outbox
    html = dict((mimetype, body) for body, mimetype in message.alternatives)["text/html"]
    soup = BeautifulSoup(html, "html.parser")
    text = soup.get_text(" ")

    assert soup.html["lang"] == language
    assert message.subject.strip() and "\n" not in message.subject
    for part in (message.body, text):
        assert NOT_YOU[language] in part
        assert "Praticiens Test SAS" in part
        for value in context.values():
            if isinstance(value, str) and value.startswith("https://"):
                assert value in part or soup.find("a", href=value)
    if name in TO_UNVERIFIED:
        for part in (message.subject, message.body, text):
            assert "Camille" not in part and "Martin" not in part
    for leftover in ("{%", "{{", "<mj-", "%("):
        assert leftover not in html and leftover not in message.body
    if language == "en":
        for part in (message.subject, message.body, text):
            for french in ("votre", "vous", "Bonjour"):
                assert french not in part, f"untranslated French in {name}: {french!r}"
