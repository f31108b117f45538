"""A first-time client books on a phone: from the directory to booked in at most six page loads
after the profile, with one ledger acceptance per document.

Directory filtered by "disponible cette semaine" and a postcode → profile (sticky button) →
slot (held) → sign-up → verification link in the same browser → signed in on the confirm step →
booked. A page load is the browser's `load` event: a redirect followed by its target is one.
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Browser, expect

from booking.models import Appointment, AppointmentStatus
from booking.services.availability import next_free_slots_refresh
from compliance.models import Acceptance, PolicyVersion
from tests.factories import bookable_practitioner_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe assez longue"
# Monday 11 January 2027, 08:00 in Paris (the clock ticks on): the first free slot is Tuesday.
NOW = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
PHONE = {"width": 375, "height": 667}


@pytest.fixture
def funnel_data(site):
    for key in ("cgu", "privacy"):
        site[key].save_revision().publish()
    lyon = bookable_practitioner_create(
        site["directory"],
        title="Léa Perrin",
        city="Lyon",
        postcode="69003",
        services=[("Bilan de vitalité", 60, "75.00", "cabinet")],
    )
    # In Lille, at the office only: not near Lyon, so not among the results.
    bookable_practitioner_create(
        site["directory"], title="Marc Durand", city="Lille", postcode="59000"
    )
    return lyon


def test_first_time_client_books_on_a_phone(browser: Browser, live_server, funnel_data):
    mail.outbox.clear()
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(10_000)
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    with time_machine.travel(NOW, tick=True):
        next_free_slots_refresh()
        page.goto(f"{live_server.url}/praticiens/")
        toggle = page.get_by_role("button", name="Filtres")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false":
            toggle.click()
        page.get_by_label("Ville ou code postal").fill("69002")
        page.get_by_label("Disponible").select_option("semaine")
        page.get_by_role("button", name="Rechercher").click()
        main = page.get_by_role("main")
        expect(main).to_contain_text("Prochaine disponibilité : demain 09:00")
        expect(main.get_by_role("link", name=re.compile("Marc Durand"))).to_have_count(0)
        main.get_by_role("link", name=re.compile("Léa Perrin")).first.click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Léa Perrin")
        # The heading shows before the profile's own load event fires: wait for it, or the
        # profile would be counted as one of the six loads that follow.
        page.wait_for_load_state("load")
        loads.clear()
        bar = page.get_by_role("link", name="Prendre rendez-vous", exact=True)
        expect(bar).to_be_in_viewport()
        bar.click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Choisissez un créneau")
        first_slot = page.get_by_role("button", name=re.compile(r"^09:00")).first
        expect(first_slot).to_be_in_viewport()
        first_slot.click()

        # The visitor has no account: the sign-up page, with the slot held for them.
        expect(page.get_by_role("heading", level=1)).to_have_text("Créer un compte")
        expect(page.get_by_role("main")).to_contain_text("créneau réservé pour vous jusqu'à")
        assert Appointment.objects.filter(status=AppointmentStatus.HELD).count() == 1
        page.get_by_label("Adresse e-mail").fill("nina@example.com")
        page.get_by_label("Prénom").fill("Nina")
        page.get_by_label("Nom", exact=True).fill("Rossi")
        page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
        page.get_by_label("Confirmation du mot de passe").fill(PASSWORD)
        page.get_by_label(re.compile("J'accepte les conditions générales")).check()
        page.get_by_role("button", name="Créer mon compte").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Vérifiez votre boîte de réception"
        )

        (message,) = mail.outbox
        path = re.search(r"https?://[^/\s]+(/compte/verification/\S+)", message.body).group(1)
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("button", name="Activer mon compte").click()

        # Signed in, on the confirm step: nothing left to accept, one button.
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer le rendez-vous")
        expect(page.get_by_role("checkbox")).to_have_count(0)
        page.get_by_role("button", name="Confirmer le rendez-vous").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")

    assert len(loads) <= 6, loads
    appointment = Appointment.objects.get(status=AppointmentStatus.CONFIRMED)
    assert appointment.client.email == "nina@example.com"
    assert appointment.start == datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
    expect(page.get_by_role("main")).to_contain_text(appointment.code)
    acceptances = Acceptance.objects.filter(user=appointment.client)
    assert acceptances.count() == PolicyVersion.objects.count() == 2
    assert set(appointment.accepted_versions.all()) == set(PolicyVersion.objects.all())
    context.close()
