"""The confirm step of an online-paid service, the payment page (only the client's own,
Stripe's hosts in its CSP and no other page's, one PaymentIntent for every attempt) and the
return page (the state read from Stripe only), against localstripe."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from booking.models import Appointment, AppointmentStatus, Payment, PaymentAccount, PaymentStatus
from booking.payments import csp
from booking.payments.gateway import IntentState
from booking.services.appointments import appointment_create
from tests.booking.client_helpers import NOW, PASSWORD, book, hold
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html
from tests.security.test_headers import csp_directives

pytestmark = pytest.mark.usefixtures("frozen_clock")

GOOD_CARD = "4242424242424242"
DECLINED_AT_CHARGE = "4000000000000341"
THREE_D_SECURE = "4000002500003155"


@pytest.fixture
def clock_start():
    return NOW  # client_helpers.NOW: the first free slot is Tuesday at 09:00 in Paris


@pytest.fixture(autouse=True)
def hold_counters():
    cache.clear()  # the per-network hold counters live in the cache


@pytest.fixture
def practitioner(directory):
    """Camille Martin, paid online: her own Stripe account takes charges."""
    practitioner = bookable_practitioner_create(
        directory, services=[("Première consultation", 60, "70.00", "cabinet")]
    )
    practitioner.online_payment = True
    practitioner.cancellation_cutoff_hours = 48
    practitioner.save()
    PaymentAccount.objects.create(
        practitioner=practitioner, stripe_account_id="acct_camille", charges_enabled=True
    )
    return practitioner


@pytest.fixture
def service(practitioner):
    return practitioner.page.services.get()


@pytest.fixture
def customer(db):
    return client_create(email="claire@example.com", password=PASSWORD)


def text_of(response) -> str:
    return assert_valid_accessible_html(response.content).get_text(" ").replace("\xa0", " ")


def confirm_step(client, practitioner, service) -> str:
    response = hold(client, practitioner, service)
    assert response.status_code == 303, response.content
    return response["Location"]


def awaiting_payment(client, practitioner, service) -> Appointment:
    """Through the funnel up to the payment: the appointment awaiting its payment."""
    response = client.post(confirm_step(client, practitioner, service), {})
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.AWAITING_PAYMENT
    assert response.status_code == 303
    assert response["Location"] == f"/rendez-vous/paiement/{appointment.reference}/"
    return appointment


def payment_path(appointment) -> str:
    return f"/rendez-vous/paiement/{appointment.reference}/"


def return_path(appointment) -> str:
    return f"{payment_path(appointment)}retour/"


# --- The confirm step --------------------------------------------------------------------------


def test_confirm_step_says_payment_is_online_next_with_merchant_amount_and_refund_rule(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    response = client.get(confirm_step(client, practitioner, service))

    text = text_of(response)
    for expected in (
        "Paiement en ligne",
        "vous paierez 70 € par carte à l'étape suivante",
        "encaissé directement par Camille Martin",
        "son nom qui figurera sur votre relevé bancaire",
        "si vous annulez jusqu'à 48 heures avant le rendez-vous, vous êtes remboursé en totalité",
        "ne peut plus être annulé en ligne et n'est pas remboursé",
        "Confirmer et passer au paiement",
    ):
        assert expected in text, expected


def test_confirm_step_of_a_service_paid_on_site_says_nothing_of_online_payment(
    client, localstripe, practitioner, service, customer
):
    service.payment = "on_site"
    service.save()
    client.force_login(customer)

    text = text_of(client.get(confirm_step(client, practitioner, service)))

    assert "Paiement en ligne" not in text and "relevé bancaire" not in text
    response = client.post(confirm_step(client, practitioner, service), {})
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert response["Location"] == f"/rendez-vous/confirme/{appointment.reference}/"


# --- The payment page ----------------------------------------------------------------------------


def test_payment_page_mounts_stripe_with_the_intents_secret_and_forgets_the_hold(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    assert "booking_hold" in client.session  # kept up to the payment page

    response = client.get(payment_path(appointment))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    payment = Payment.objects.get(appointment=appointment)
    intent = localstripe.intent(payment.payment_intent_id)
    assert intent["amount"] == 7000 and intent["currency"] == "eur"
    soup = assert_valid_accessible_html(response.content)
    form = soup.find("form", id="payment-form")
    assert form["data-client-secret"] == intent["client_secret"]
    assert form["data-publishable-key"] == "pk_test_localstripe"
    assert form["data-return-url"] == return_path(appointment)
    assert soup.find(id="payment-element") is not None
    assert form.find(["input", "select", "textarea"]) is None  # Stripe's frames take the card
    scripts = [s["src"] for s in soup.find_all("script")]
    assert f"{localstripe.base}/js.stripe.com/v3/" in scripts
    assert "/static/js/payment.js" in scripts
    text = text_of(response)
    assert "70 €" in text and "Camille Martin, votre praticien, qui encaisse" in text
    assert "Créneau réservé pour vous jusqu'à 08:15 (encore 15 minutes)" in text
    assert "booking_hold" not in client.session

    # The back button to the confirm step leads here again, never to a second booking.
    back = client.get(f"/rendez-vous/retenu/{appointment.reference}/")
    assert back.status_code == 302 and back["Location"] == payment_path(appointment)


def test_payment_page_is_only_the_clients_own(client, localstripe, practitioner, service, customer):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)

    other = Client()
    other.force_login(client_create(email="autre@example.com", password=PASSWORD))
    assert other.get(payment_path(appointment)).status_code == 404
    assert other.get(return_path(appointment)).status_code == 404
    anonymous = Client().get(payment_path(appointment))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/compte/connexion/")
    assert client.get("/rendez-vous/paiement/pas-une-reference/").status_code == 404
    assert client.post(payment_path(appointment)).status_code == 405
    assert not Payment.objects.exists()  # none of these started a payment


def test_payment_page_of_a_confirmed_appointment_leads_to_its_confirmation(
    client, localstripe, practitioner, service, customer
):
    service.payment = "on_site"
    service.save()
    appointment = book(practitioner, service, customer)
    client.force_login(customer)

    response = client.get(payment_path(appointment))

    assert response.status_code == 302
    assert response["Location"] == f"/rendez-vous/confirme/{appointment.reference}/"


def test_payment_page_after_the_deadline_says_so_with_a_link_to_the_slots(
    client, localstripe, practitioner, service, customer, frozen_clock
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    frozen_clock.move_to(NOW + timedelta(minutes=16))

    response = client.get(payment_path(appointment))

    assert response.status_code == 200
    text = text_of(response)
    assert "Délai de paiement dépassé" in text and "le créneau a été libéré" in text
    soup = assert_valid_accessible_html(response.content)
    week = f"/rendez-vous/{practitioner.page_id}/{service.pk}/"
    assert soup.find("a", string="Choisir un créneau")["href"] == week
    assert not Payment.objects.exists()


def test_payment_page_when_payment_cannot_start_is_a_clear_409(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    PaymentAccount.objects.filter(practitioner=practitioner).update(charges_enabled=False)

    response = client.get(payment_path(appointment))

    assert response.status_code == 409
    assert "Paiement impossible pour le moment" in text_of(response)
    assert "payment-element" not in response.content.decode()


def test_a_declined_card_is_shown_and_retried_on_the_same_payment_intent(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    client.get(payment_path(appointment))
    payment = Payment.objects.get()

    # 3-D Secure refused by the bank: Stripe sends the client back, the intent needs a card.
    localstripe.confirm(payment.payment_intent_id, localstripe.card(THREE_D_SECURE))
    secret = localstripe.intent(payment.payment_intent_id)["client_secret"]
    localstripe.authenticate(payment.payment_intent_id, secret, success=False)
    back = client.get(return_path(appointment))
    assert back.status_code == 302 and back["Location"] == payment_path(appointment)
    page = client.get(payment_path(appointment))
    assert "L'authentification auprès de votre banque (3-D Secure) n'a pas abouti" in text_of(page)
    assert "Vous pouvez réessayer" in text_of(page)
    form = assert_valid_accessible_html(page.content).find("form", id="payment-form")
    assert form["data-client-secret"] == secret  # the same intent, not a new one

    # The retry with a good card, on that intent, confirms the appointment.
    localstripe.confirm(payment.payment_intent_id, localstripe.card(GOOD_CARD))
    done = client.get(return_path(appointment))

    assert done.status_code == 302
    assert done["Location"] == f"/rendez-vous/confirme/{appointment.reference}/"
    assert Payment.objects.count() == 1
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED


def test_a_card_declined_when_charged_shows_the_reason_and_keeps_the_intent(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    client.get(payment_path(appointment))
    payment = Payment.objects.get()

    localstripe.confirm(payment.payment_intent_id, localstripe.card(DECLINED_AT_CHARGE))
    back = client.get(return_path(appointment))
    page = client.get(payment_path(appointment))

    assert back["Location"] == payment_path(appointment)
    assert "Votre carte a été refusée par votre banque." in text_of(page)
    form = assert_valid_accessible_html(page.content).find("form", id="payment-form")
    intent = localstripe.intent(payment.payment_intent_id)
    assert form["data-client-secret"] == intent["client_secret"] and Payment.objects.count() == 1
    assert Appointment.objects.get().status == AppointmentStatus.AWAITING_PAYMENT


# --- The return page -----------------------------------------------------------------------------


def test_a_query_string_claiming_success_changes_nothing(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    client.get(payment_path(appointment))
    intent_id = Payment.objects.get().payment_intent_id
    forged = f"{return_path(appointment)}?payment_intent={intent_id}&redirect_status=succeeded"

    response = client.get(forged)

    assert response.status_code == 302 and response["Location"] == payment_path(appointment)
    assert Appointment.objects.get().status == AppointmentStatus.AWAITING_PAYMENT
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_return_page_confirms_what_stripe_says_is_paid(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    client.get(payment_path(appointment))
    payment = Payment.objects.get()
    localstripe.confirm(payment.payment_intent_id, localstripe.card(GOOD_CARD))

    response = client.get(f"{return_path(appointment)}?redirect_status=failed")

    assert response["Location"] == f"/rendez-vous/confirme/{appointment.reference}/"
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED
    # Paid: the payment page now only leads to the confirmation.
    assert client.get(payment_path(appointment))["Location"] == response["Location"]


def test_return_page_while_stripe_processes_refreshes_itself(
    client, localstripe, practitioner, service, customer, monkeypatch
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    client.get(payment_path(appointment))
    payment = Payment.objects.get()
    processing = IntentState(payment.payment_intent_id, "processing", 7000, "eur", "")
    # localstripe never leaves a card payment "processing": Stripe's answer is given here.
    monkeypatch.setattr(
        "booking.payments.gateway.payment_intent_retrieve", lambda **kwargs: processing
    )

    response = client.get(return_path(appointment))

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    assert "Paiement en cours de vérification" in soup.get_text()
    assert soup.find("meta", attrs={"http-equiv": "refresh"})["content"] == "5"
    assert soup.find("a", string="Vérifier à nouveau")["href"] == return_path(appointment)
    assert Appointment.objects.get().status == AppointmentStatus.AWAITING_PAYMENT


def test_return_page_after_the_slot_was_lost_says_refunded_with_a_link_to_the_slots(
    client, localstripe, practitioner, service, customer, frozen_clock
):
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)
    client.get(payment_path(appointment))
    payment = Payment.objects.get()
    # The deadline passes, the slot goes to someone else, then the payment comes in.
    frozen_clock.move_to(NOW + timedelta(minutes=16))
    appointment_create(  # the practitioner books it by hand for someone on the phone
        practitioner=practitioner,
        service=service,
        start=appointment.start,
        client=client_create(email="autre@example.com"),
        online=False,
    )
    localstripe.confirm(payment.payment_intent_id, localstripe.card(GOOD_CARD))

    response = client.get(return_path(appointment))

    assert response.status_code == 200
    text = text_of(response)
    assert "Paiement remboursé" in text and "Votre paiement de 70 €" in text
    assert "remboursé en totalité" in text
    soup = assert_valid_accessible_html(response.content)
    assert soup.find("a", string="Choisir un autre créneau")["href"] == (
        f"/rendez-vous/{practitioner.page_id}/{service.pk}/"
    )
    assert Payment.objects.get().status == PaymentStatus.REFUNDED


# --- The Content Security Policy -----------------------------------------------------------------


def test_only_the_payment_page_allows_stripes_hosts(
    client, localstripe, practitioner, service, customer
):
    client.force_login(customer)
    confirm = confirm_step(client, practitioner, service)
    confirm_csp = client.get(confirm)["Content-Security-Policy"]
    appointment = awaiting_payment(client, practitioner, service)

    payment_csp = csp_directives(client.get(payment_path(appointment))["Content-Security-Policy"])

    origin = localstripe.base
    assert payment_csp["script-src"] == ["'self'", origin]
    assert payment_csp["frame-src"] == ["'self'", origin]
    assert payment_csp["connect-src"] == ["'self'", origin]
    assert payment_csp["default-src"] == ["'self'"] and payment_csp["form-action"] == ["'self'"]
    week = f"/rendez-vous/{practitioner.page_id}/{service.pk}/"
    others = ["/", "/praticiens/", practitioner.page.url, week, "/compte/rendez-vous/", "/compte/"]
    headers = [confirm_csp] + [client.get(path)["Content-Security-Policy"] for path in others]
    for path, header in zip(["confirm", *others], headers, strict=True):
        assert urlsplit(origin).netloc not in header, path
        assert "stripe.com" not in header, path


def test_with_real_stripe_the_payment_page_allows_exactly_the_documented_hosts(
    client, practitioner, service, customer, settings, monkeypatch
):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    intent = IntentState("pi_1", "requires_payment_method", 7000, "eur", "pi_1_secret_x")
    monkeypatch.setattr("booking.client.views.payments.payment_start", lambda **kw: intent)
    client.force_login(customer)
    appointment = awaiting_payment(client, practitioner, service)

    response = client.get(payment_path(appointment))

    directives = csp_directives(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'", "https://js.stripe.com"]
    assert directives["frame-src"] == [
        "'self'",
        "https://js.stripe.com",
        "https://hooks.stripe.com",
    ]
    assert directives["connect-src"] == ["'self'", "https://api.stripe.com"]
    # Wallets in Stripe's frame need the Payment Request API, off on every other page.
    assert 'payment=(self "https://js.stripe.com")' in response["Permissions-Policy"]
    assert "payment=()" in client.get("/")["Permissions-Policy"]
    assert csp.stripe_csp_sources() == {
        "script-src": ["https://js.stripe.com"],
        "frame-src": ["https://js.stripe.com", "https://hooks.stripe.com"],
        "connect-src": ["https://api.stripe.com"],
    }
