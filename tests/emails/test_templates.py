"""Every transactional e-mail renders in French and English, in HTML and plain text."""

from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from accounts.models import User
from emails.services import email_send

WHEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def _user():
    return User(email="camille@example.com", first_name="Camille", last_name="Martin")


# name -> (context, the call-to-action URL that must appear in both parts, or None)
EMAILS = {
    "accounts/verification": (
        {"verify_url": "https://example.com/compte/verifier/abc123/", "expires_hours": 48},
        "https://example.com/compte/verifier/abc123/",
    ),
    "accounts/password_reset": (
        {"reset_url": "https://example.com/compte/reinitialiser/xyz789/", "expires_hours": 1},
        "https://example.com/compte/reinitialiser/xyz789/",
    ),
    "accounts/password_changed": ({"when": WHEN}, None),
    "accounts/new_login": (
        {"when": WHEN, "ip_prefix": "203.0.113.0/24", "user_agent": "Firefox 140 sur Linux"},
        None,
    ),
    "twofactor/enrolled": ({"when": WHEN}, None),
}
NOT_YOU = {"fr": "Ce n'est pas vous ?", "en": "Wasn't you?"}
GREETING = {"fr": "Bonjour Camille,", "en": "Hello Camille,"}
# Mails to an address nobody has verified yet greet neutrally: no text a visitor typed.
NEUTRAL_GREETING = {"fr": "Bonjour,", "en": "Hello,"}
UNVERIFIED_RECIPIENT = {"accounts/verification"}


def _send(name, language, capture, **extra):
    context, _ = EMAILS[name]
    with capture(execute=True):
        email_send(
            to="camille@example.com",
            template=name,
            context={"user": _user(), **context, **extra},
            language=language,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = dict((mimetype, body) for body, mimetype in message.alternatives)["text/html"]
    return message, html


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", sorted(EMAILS))
def test_every_email_renders_both_parts_with_operator_footer(
    name, language, site_tree, django_capture_on_commit_callbacks
):
    message, html = _send(name, language, django_capture_on_commit_callbacks)
    _, cta_url = EMAILS[name]

    assert message.subject.strip() and "\n" not in message.subject
    assert message.to == ["camille@example.com"]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == language
    assert soup.find("h1").get_text(strip=True)
    greeting = (NEUTRAL_GREETING if name in UNVERIFIED_RECIPIENT else GREETING)[language]
    for part in (message.body, soup.get_text(" ")):
        assert greeting in part
        assert NOT_YOU[language] in part
        if name in UNVERIFIED_RECIPIENT:
            assert "Camille" not in part
        # The operator's identity, from the site settings, in the footer of both parts.
        for fact in ("Praticiens Test SAS", "1 rue de la Paix", "contact@example.com"):
            assert fact in part
        assert "dpo@example.com" in part
    # Nothing of the template languages is left over.
    for leftover in ("{%", "{{", "<mj-", "%(", "mj-include"):
        assert leftover not in html
        assert leftover not in message.body
    if cta_url:
        assert cta_url in message.body
        assert soup.find("a", href=cta_url), "the call-to-action button links to the URL"


@pytest.mark.parametrize("name", sorted(EMAILS))
def test_english_emails_have_no_french_left(name, site_tree, django_capture_on_commit_callbacks):
    message, html = _send(name, "en", django_capture_on_commit_callbacks)
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    for part in (message.subject, message.body, text):
        for french in ("votre", "vous", "Bonjour", "Délégué"):
            assert french not in part, f"untranslated French in {name}: {french!r}"


def test_security_notice_dates_are_in_paris_time_and_the_recipients_language(
    site_tree, django_capture_on_commit_callbacks
):
    message, _ = _send("accounts/password_changed", "fr", django_capture_on_commit_callbacks)
    assert "14 mars 2026 10:30" in message.body  # 09:30 UTC is 10:30 in Paris in winter


def test_security_notices_offer_a_reset_button_when_given_the_url(
    site_tree, django_capture_on_commit_callbacks
):
    url = "https://example.com/compte/mot-de-passe-oublie/"
    message, html = _send(
        "accounts/new_login", "fr", django_capture_on_commit_callbacks, reset_url=url
    )
    assert BeautifulSoup(html, "html.parser").find("a", href=url)
    assert url in message.body


def test_names_are_escaped_in_html_but_not_in_text(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="x@example.com",
            template="accounts/password_reset",
            context={
                "user": User(email="x@example.com", first_name='<img src=x onerror="alert(1)">'),
                "reset_url": "https://example.com/r/",
                "expires_hours": 1,
            },
        )
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "<img src=x" not in html
    assert "&lt;img src=x" in html
    assert '<img src=x onerror="alert(1)">' in message.body  # plain text is not HTML


def test_email_without_operator_settings_still_renders(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="x@example.com",
            template="twofactor/enrolled",
            context={"user": _user(), "when": WHEN},
        )
    assert "Praticiens Bien-Être" in mail.outbox[0].body
