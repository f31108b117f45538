"""A visitor signs up in a real browser and confirms the address from the e-mail: signed in
there, asked to log in anywhere else."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def policies(site):
    for key in ("cgu", "privacy"):
        site[key].save_revision().publish()
    return site


def test_sign_up_verify_and_log_in_in_the_browser(
    page: Page, browser, browser_context_args, live_server, policies
):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")

    # Submitting without accepting the terms shows the error, linked to the checkbox.
    page.get_by_label("Adresse e-mail").fill("nina@example.com")
    page.get_by_label("Prénom").fill("Nina")
    page.get_by_label("Nom", exact=True).fill("Rossi")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("alert")).to_contain_text("acceptez les conditions")

    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label(re.compile("J'accepte les conditions générales")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte de réception")

    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/compte/verification/\S+)", message.body).group(1)
    # Opened in another browser, the link activates the account; there, one logs in.
    elsewhere = browser.new_context(**browser_context_args).new_page()
    elsewhere.goto(f"{live_server.url}{path}")
    elsewhere.get_by_role("button", name="Activer mon compte").click()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Compte activé")

    elsewhere.get_by_role("main").get_by_role("link", name="Se connecter").click()
    elsewhere.get_by_label("Adresse e-mail").fill("nina@example.com")
    elsewhere.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    expect(elsewhere.get_by_label(re.compile("Rester connecté"))).not_to_be_checked()
    elsewhere.get_by_role("button", name="Se connecter").click()
    expect(elsewhere.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(elsewhere.get_by_role("main")).to_contain_text("nina@example.com")
    elsewhere.context.close()


def test_the_browser_that_signed_up_is_signed_in_by_the_link(page: Page, live_server, policies):
    mail.outbox.clear()
    page.goto(f"{live_server.url}/compte/inscription/")
    page.get_by_label("Adresse e-mail").fill("lou@example.com")
    page.get_by_label("Prénom").fill("Lou")
    page.get_by_label("Nom", exact=True).fill("Bernard")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
    page.get_by_label(re.compile("J'accepte les conditions générales")).check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre boîte de réception")

    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/compte/verification/\S+)", message.body).group(1)
    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name="Activer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_role("main")).to_contain_text("lou@example.com")
