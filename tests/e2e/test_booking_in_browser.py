"""A returning client books a slot in a real browser, gets both e-mails, then cancels.

From the profile: "Réserver" on a service, a slot of the week (choosing it holds it), the
sign-up page the visitor lands on, its link to the login (the held slot survives it), the
confirm step with the consent checkbox for what the client has not accepted yet, the
confirmation page; then "Mes rendez-vous" and the cancellation. The e-mails are sent after the
commit (on_commit with the immediate task backend), which a transactional live-server test
really performs.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from booking.models import Appointment, AppointmentStatus
from compliance.models import Acceptance, PolicyVersion
from compliance.selectors import policy_versions_in_force
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
    # Since Claire signed up, a minor correction of the privacy policy came into force: the
    # confirm step asks her about that one, and only that one (a material change would send
    # her to the re-acceptance page instead).
    privacy = type(site["privacy"]).objects.get(pk=site["privacy"].pk)
    privacy.body = "<h2>Données</h2><p>Texte corrigé.</p>"
    privacy.change_summary = "Une coquille corrigée."
    privacy.is_material_change = False
    privacy.save_revision().publish()
    corrected = PolicyVersion.objects.get(kind="privacy", number=2)
    return {"practitioner": practitioner, "customer": customer, "pro": pro, "corrected": corrected}


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
        tuesday.get_by_role("button", name=re.compile(r"^10:00")).click()

        # Not signed in: the sign-up page, the slot held meanwhile. Claire has an account: the
        # page's link to the login keeps where she is going.
        expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
        expect(main).to_contain_text(
            re.compile(
                r"Pour réserver mardi 12 janvier à 10:00 avec Camille Martin"
                r"\s+—\s+créneau réservé pour vous jusqu'à \d\d:\d\d"
            )
        )
        hold = Appointment.objects.get(status=AppointmentStatus.HELD)
        assert hold.start == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
        assert hold.client is None
        main.get_by_role("link", name="Se connecter", exact=True).click()

        expect(page).to_have_url(re.compile(r"/compte/connexion/\?next="))
        expect(main).to_contain_text("Pour réserver mardi 12 janvier à 10:00 avec Camille Martin")
        page.get_by_label("Adresse e-mail").fill("claire@example.com")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        main.get_by_role("button", name="Se connecter").click()

        expect(page).to_have_url(re.compile(rf"/rendez-vous/retenu/{hold.reference}/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer le rendez-vous")
        expect(main).to_contain_text("Créneau réservé pour vous jusqu'à")
        expect(main).to_contain_text("Mardi 12 janvier 2027")
        expect(main).to_contain_text("de 10:00 à 11:00")
        expect(main).to_contain_text(re.compile(r"75\s*€"))
        expect(main).to_contain_text("Paiement sur place le jour du rendez-vous.")
        # Only the corrected privacy policy is to accept: the terms were accepted at sign-up.
        documents = main.locator(".account-form__documents")
        expect(documents.get_by_role("link")).to_have_count(1)
        expect(documents.get_by_role("link")).to_have_text(booking_data["corrected"].title)
        # Confirming without the box is refused, and the slot stays held.
        main.get_by_role("button", name="Confirmer le rendez-vous").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer le rendez-vous")
        expect(main).to_contain_text("Cochez la case pour accepter")
        assert Appointment.objects.get().status == AppointmentStatus.HELD
        main.get_by_label(WORDINGS["booking"]).check()
        main.get_by_role("button", name="Confirmer le rendez-vous").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")
        appointment = Appointment.objects.get()
        expect(main).to_contain_text(f"Référence : {appointment.code}")
        # The UUID stays in the links, out of what people read.
        assert str(appointment.reference) not in main.inner_text()
        assert appointment.status == AppointmentStatus.CONFIRMED
        assert appointment.client == booking_data["customer"]
        assert appointment.start == datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
        # The ledger: the sign-up's two acceptances, and the correction once, at booking.
        ledger = Acceptance.objects.filter(user=appointment.client)
        assert ledger.count() == 3
        (at_booking,) = ledger.filter(context="booking")
        assert at_booking.version == booking_data["corrected"]
        in_force = set(policy_versions_in_force().values())
        assert set(appointment.accepted_versions.all()) == in_force

        # Both e-mails, each with its calendar file.
        to_client = mails_to("claire@example.com")
        to_pro = mails_to("camille.pro@example.com")
        assert len(to_client) == 1 and len(to_pro) == 1
        for message in (to_client[0], to_pro[0]):
            assert any(name.endswith(".ics") for name, *_ in message.attachments), message.subject

        main.get_by_role("link", name="Voir mes rendez-vous").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes rendez-vous")
        upcoming = main.get_by_role("region", name="À venir")
        cancel = re.compile(r"^Annuler ce rendez-vous du 12 janvier")
        upcoming.get_by_role("link", name=cancel).click()

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
