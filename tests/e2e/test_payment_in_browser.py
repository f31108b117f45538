"""A client pays an online-paid appointment in a real browser, on the local Stripe server.

The funnel (a slot of the week, the confirm step saying payment comes next), then the payment
page with Stripe.js served by localstripe. Its stand-in has no Payment Element and no
confirmPayment, only a card Element and confirmCardPayment, which ignores the card typed and
only plays the 3-D Secure step of an intent that already has a card: so the card is attached
server-side (what the Payment Element would do), a 3-D Secure one, and the browser does the
rest through frontend/js/payment.js's fallback: the bank's "authentication", the redirect to
the return page, which asks Stripe and confirms. The Payment Element itself (real Stripe.js)
is not driven here; the integration tests cover the states it leads to
(tests/booking/payments/test_payment_page.py).
"""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, expect

from booking.models import Appointment, AppointmentStatus, Payment, PaymentAccount, PaymentStatus
from tests.factories import bookable_practitioner_create, client_create
from tests.payments_server import localstripe, localstripe_server  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe"
# Monday 11 January 2027, 08:00 in Paris; the first free slot is Tuesday 12 January at 09:00.
NOW = datetime(2027, 1, 11, 7, 0, tzinfo=UTC)
THREE_D_SECURE = "4000002500003155"


@pytest.fixture
def paid_online(site, localstripe):  # noqa: F811
    practitioner = bookable_practitioner_create(
        site["directory"],
        title="Camille Martin",
        services=[("Bilan de vitalité", 60, "75.00", "cabinet")],
    )
    practitioner.online_payment = True
    practitioner.save()
    PaymentAccount.objects.create(
        practitioner=practitioner, stripe_account_id="acct_camille", charges_enabled=True
    )
    customer = client_create(email="claire@example.com", password=PASSWORD)
    return practitioner, customer


def sign_in(page: Page, live_server, user) -> None:
    """The client's session in the browser (the login form is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[next(iter(client.cookies))]
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "domain": host, "path": "/"}]
    )


def test_client_pays_through_the_stripe_stand_in_and_is_booked(
    live_server,
    paid_online,
    localstripe,  # noqa: F811
    page: Page,
):
    practitioner, customer = paid_online
    service = practitioner.page.services.get()
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    with time_machine.travel(NOW, tick=True):
        sign_in(page, live_server, customer)  # at the test's date: the session is fresh then
        page.goto(f"{live_server.url}/rendez-vous/{practitioner.page_id}/{service.pk}/")
        main = page.get_by_role("main")
        tuesday = page.get_by_role("region", name="Mardi 12 janvier")
        tuesday.get_by_role("button", name=re.compile(r"^10:00")).click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer le rendez-vous")
        expect(main).to_contain_text(re.compile(r"vous paierez 75\s€ par carte à l'étape suivante"))
        expect(main).to_contain_text("encaissé directement par Camille Martin")
        main.get_by_role("button", name="Confirmer et passer au paiement").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Paiement du rendez-vous")
        appointment = Appointment.objects.get()
        assert appointment.status == AppointmentStatus.AWAITING_PAYMENT
        expect(page).to_have_url(f"{live_server.url}/rendez-vous/paiement/{appointment.reference}/")
        # payment.js mounted the stand-in's card Element (Stripe.js loaded: the CSP allowed it).
        card = page.locator("#payment-element input")
        expect(card).to_have_count(5)
        payment = Payment.objects.get()
        # What the Payment Element would have done with a card asking for 3-D Secure.
        localstripe.confirm(payment.payment_intent_id, localstripe.card(THREE_D_SECURE))
        card.nth(0).fill(THREE_D_SECURE)

        main.get_by_role("button", name=re.compile(r"^Payer 75\s€$")).click()
        page.get_by_role("button", name="Complete authentication").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Rendez-vous confirmé")
        expect(page).to_have_url(f"{live_server.url}/rendez-vous/confirme/{appointment.reference}/")
    appointment.refresh_from_db()
    payment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert payment.status == PaymentStatus.SUCCEEDED
    assert [m for m in mail.outbox if "claire@example.com" in m.to]
    assert blocked == []
