"""A new practitioner joins and works, in a real browser (issue 9's story).

An editor opens booking for a published profile from the admin's register and invites its
practitioner; the practitioner follows the e-mailed link, creates the account, enrols an
authenticator app, sets the weekly hours; a client books them; the practitioner adds a phone
appointment for a new client and sees both on the week grid.
"""

import re
from base64 import b32decode
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from booking.models import Appointment, Practitioner
from compliance.services import policy_versions_accept_in_force
from tests.e2e.conftest import admin_session_open
from tests.factories import client_create, practitioner_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe"
# Monday 11 January 2027, 08:00 in Paris; the clock ticks on from there.
NOW = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)


@pytest.fixture
def story(site):
    from django.contrib.auth.models import Group

    for key in ("cgu", "privacy"):
        site[key].save_revision().publish()
    profile = practitioner_create(
        site["directory"],
        title="Inès Garnier",
        slug="ines-garnier",
        services=[("Séance de sophrologie", 60, "60.00", "cabinet")],
        live=False,  # a draft: the editor publishes it in the browser
    )
    editor = client_create(email="redaction@example.com", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    policy_versions_accept_in_force(user=editor, context="signup")
    customer = client_create(email="claire@example.com", password=PASSWORD)
    policy_versions_accept_in_force(user=customer, context="signup")
    return {"profile": profile, "editor": editor, "customer": customer}


def _code_for(secret_text: str) -> str:
    key = b32decode(secret_text.replace(" ", ""))
    totp = TOTP(key)
    totp.time = datetime.now(tz=UTC).timestamp()
    return f"{totp.token():06d}"


def test_an_editor_onboards_a_practitioner_who_then_takes_bookings(live_server, story, page: Page):
    profile = story["profile"]
    with time_machine.travel(NOW, tick=True):
        # --- The editor publishes the new profile, then opens booking and invites.
        admin_session_open(page, live_server, story["editor"])
        page.goto(f"{live_server.url}/admin/pages/{profile.pk}/edit/")
        page.get_by_role("button", name="Plus d'actions").click()
        page.get_by_role("button", name="Publier").click()
        expect(page.get_by_text("publiée", exact=False).first).to_be_visible()
        profile.refresh_from_db()
        assert profile.live
        page.goto(live_server.url + "/admin/praticiens/")
        expect(page.get_by_role("row", name=re.compile("Inès Garnier"))).to_contain_text(
            "réservation non ouverte"
        )
        page.get_by_role("link", name="Inès Garnier").click()
        page.get_by_role("button", name="Ouvrir la réservation").click()
        page.get_by_label("Adresse e-mail du praticien").fill("ines@example.com")
        page.get_by_role("button", name="Envoyer l'invitation").click()
        expect(page.get_by_text("Invitation envoyée à ines@example.com.")).to_be_visible()
        (invitation,) = [m for m in mail.outbox if m.to == ["ines@example.com"]]
        link = re.search(r"https?://\S+/espace-praticien/invitation/\S+/", invitation.body)[0]

        # --- The practitioner. One browser page plays every part in turn, each with its own
        # cookies (a second browser context would give Django a second database connection).
        page.context.clear_cookies()
        pro = page
        pro.goto(live_server.url + urlsplit(link).path)
        pro.get_by_label("Prénom").fill("Inès")
        pro.get_by_label("Nom", exact=True).fill("Garnier")
        pro.get_by_label("Mot de passe", exact=True).fill("sophrologie et respiration")
        pro.get_by_label("Confirmation du mot de passe").fill("sophrologie et respiration")
        pro.get_by_label(re.compile("J'accepte les conditions")).check()
        pro.get_by_role("button", name="Créer mon compte praticien").click()

        # The area demands an authenticator app first.
        expect(pro.get_by_role("heading", level=1)).to_have_text(
            "Ajouter une application d'authentification"
        )
        secret = pro.locator(".twofactor-secret").inner_text()
        pro.get_by_label(re.compile("^Code")).fill(_code_for(secret))
        pro.get_by_role("button", name="Activer").click()
        pro.goto(live_server.url + "/espace-praticien/")
        expect(
            pro.get_by_role("heading", name="Pour ouvrir votre agenda aux clients")
        ).to_be_visible()

        # Weekly hours: Monday and Tuesday mornings.
        pro.get_by_role("link", name="Saisir vos horaires d'ouverture").click()
        for row, weekday in ((1, "0"), (2, "1")):
            pro.get_by_label(f"Jour (ligne {row})").select_option(weekday)
            pro.get_by_label(f"De (ligne {row})").fill("09:00")
            pro.get_by_label(f"À (ligne {row})").fill("12:00")
        pro.get_by_role("button", name="Enregistrer les horaires").click()
        expect(pro.get_by_role("status")).to_be_visible()
        practitioner = Practitioner.objects.get(page=profile)
        assert practitioner.opening_hours.count() == 2

        # --- A client books the first free slot from the profile.
        practitioner_cookies = page.context.cookies()
        page.context.clear_cookies()
        client_page = page
        client_page.goto(live_server.url + "/compte/connexion/")
        client_page.get_by_label("Adresse e-mail").fill("claire@example.com")
        client_page.get_by_label("Mot de passe").fill(PASSWORD)
        client_page.get_by_role("main").get_by_role("button", name="Se connecter").click()
        client_page.goto(live_server.url + profile.url)
        client_page.get_by_role("main").get_by_role(
            "link", name="Réserver : Séance de sophrologie"
        ).click()
        tuesday = client_page.get_by_role("region", name="Mardi 12 janvier")
        tuesday.get_by_role("button", name=re.compile(r"^09:00")).click()
        # Signed in, with the documents accepted at sign-up: the held slot, one button.
        expect(client_page.get_by_role("heading", level=1)).to_have_text("Confirmer le rendez-vous")
        expect(client_page.get_by_role("checkbox")).to_have_count(0)
        client_page.get_by_role("button", name="Confirmer le rendez-vous").click()
        expect(client_page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")

        # --- The practitioner adds a client who phoned, and books them.
        page.context.clear_cookies()
        page.context.add_cookies(practitioner_cookies)
        pro.goto(live_server.url + "/espace-praticien/clients/")
        pro.get_by_role("link", name=re.compile("Ajouter un client")).click()
        pro.get_by_label("Prénom").fill("Jean")
        pro.get_by_label("Nom", exact=True).fill("Morel")
        pro.get_by_label("Téléphone").fill("06 12 34 56 78")
        pro.get_by_role("button", name="Enregistrer").click()
        pro.get_by_label("Prestation").select_option(label="Séance de sophrologie")
        pro.get_by_label("Date").fill("2027-01-12")
        pro.get_by_label("Heure").fill("10:30")
        pro.get_by_role("button", name="Réserver").click()
        expect(pro.get_by_role("status")).to_contain_text("Rendez-vous ajouté à votre agenda.")

        # --- Both on the week grid.
        pro.goto(live_server.url + "/espace-praticien/?vue=semaine&date=2027-01-11")
        grid = pro.get_by_role("main")
        expect(grid).to_contain_text("Claire Dupont")
        expect(grid).to_contain_text("Jean Morel")
        assert Appointment.objects.filter(practitioner=practitioner).count() == 2
