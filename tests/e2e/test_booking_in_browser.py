"""A visitor books a slot in a real browser, gets both e-mails, then cancels.

From the profile: "Réserver" on a service, a slot of the week, the detour through the login
(the choice survives it), the confirmation with the terms checkbox, the confirmation page; then
"Mes rendez-vous" and the cancellation. The e-mails are sent after the commit (on_commit with
the immediate task backend), which a transactional live-server test really performs.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from booking.models import Appointment, AppointmentStatus
from compliance.models import Acceptance
from compliance.services import WORDINGS, policy_versions_accept_in_force
from staff.models import PractitionerAccount
from tests.factories import bookable_practitioner_create, client_create

# transaction=True: the live server thread reads the data through its own connection, and
# on_commit callbacks (the e-mails) run. serialized_rollback=True: keep what the migrations
# created (Wagtail's root page, the languages) for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe"
# Monday 11 January 2027, 08:00 in Paris; the clock keeps ticking from there (the browser's
# session must not expire). The first free slot is Tuesday 12 January at 09:00.
NOW = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)


@pytest.fixture
def booking_data(site):
    for key in ("cgu", "privacy"):
        site[key].save_revision().publish()
    practitioner = bookable_practitioner_create(
        site["directory"],
        title="Camille Martin",
        services=[
            ("Bilan de vitalité", 60, "75.00", "cabinet"),
            ("Suivi en visio", 30, "40.00", "visio"),
        ],
    )
    pro = client_create(email="camille.pro@example.com", password=PASSWORD)
    PractitionerAccount.objects.create(user=pro, page=practitioner.page)
    customer = client_create(email="claire@example.com", password=PASSWORD)
    policy_versions_accept_in_force(user=customer, context="signup")
    return {"practitioner": practitioner, "customer": customer, "pro": pro}


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def test_visitor_books_a_slot_gets_both_emails_and_cancels(live_server, booking_data, page: Page):
    practitioner = booking_data["practitioner"]
    with time_machine.travel(NOW, tick=True):
        page.goto(live_server.url + practitioner.page.url)
        main = page.get_by_role("main")
        expect(main).to_contain_text("Prochain créneau disponible : mardi 12 janvier à 09:00")

        main.get_by_role("link", name="Réserver : Bilan de vitalité").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Choisissez un créneau")
        tuesday = page.get_by_role("region", name="Mardi 12 janvier")
        tuesday.get_by_role("link", name=re.compile(r"^10:00")).click()

        # Not signed in: the login, which brings the visitor back to the chosen slot.
        expect(page).to_have_url(re.compile(r"/compte/connexion/\?next="))
        page.get_by_label("Adresse e-mail").fill("claire@example.com")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        main.get_by_role("button", name="Se connecter").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer le rendez-vous")
        expect(main).to_contain_text("Mardi 12 janvier 2027")
        expect(main).to_contain_text("de 10:00 à 11:00")
        expect(main).to_contain_text(re.compile(r"75\s*€"))
        expect(main).to_contain_text("Paiement sur place le jour du rendez-vous.")
        main.get_by_label(WORDINGS["booking"]).check()
        main.get_by_role("button", name="Confirmer le rendez-vous").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")
        appointment = Appointment.objects.get()
        expect(main).to_contain_text(str(appointment.reference))
        assert appointment.client == booking_data["customer"]
        assert appointment.start == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
        assert Acceptance.objects.filter(user=appointment.client, context="booking").count() == 2

        # Both e-mails, each with its calendar file.
        to_client = mails_to("claire@example.com")
        to_pro = mails_to("camille.pro@example.com")
        assert len(to_client) == 1 and len(to_pro) == 1
        for message in (to_client[0], to_pro[0]):
            assert any(name.endswith(".ics") for name, *_ in message.attachments), message.subject

        main.get_by_role("link", name="Voir mes rendez-vous").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes rendez-vous")
        main.get_by_role("link", name=re.compile(r"^Annuler ce rendez-vous du 12 janvier")).click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Annuler le rendez-vous")
        main.get_by_label(re.compile("^Motif")).fill("Un empêchement")
        main.get_by_role("button", name="Annuler ce rendez-vous").click()

        expect(page.get_by_role("status")).to_contain_text("Votre rendez-vous est annulé.")
        appointment.refresh_from_db()
        assert appointment.status == AppointmentStatus.CANCELLED
        assert appointment.cancellation_reason == "Un empêchement"
        # The cancellation reached the practitioner, and the client has its confirmation.
        assert len(mails_to("camille.pro@example.com")) == 2
        assert len(mails_to("claire@example.com")) == 2
        cancel_notice = mails_to("camille.pro@example.com")[-1]
        ics = next(
            content for name, content, *_ in cancel_notice.attachments if name.endswith(".ics")
        )
        ics_text = ics.decode() if isinstance(ics, bytes) else ics
        assert "METHOD:CANCEL" in ics_text
