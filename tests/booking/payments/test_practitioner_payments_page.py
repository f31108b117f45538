"""The practitioner area's "Paiements" page: the Stripe account's state and its hosted
onboarding, the online-payment setting, and the practitioner's own payments only."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from booking.models import Payment, PaymentAccount, PaymentStatus
from booking.templatetags.booking_practitioner import practitioner_checklist
from core.links import absolute_url
from tests.booking.booking_helpers import paris
from tests.booking.payments.stripe_recorder import ACCOUNT, LINK, account_body
from tests.booking.practitioner_helpers import appointment_insert
from tests.factories import bookable_practitioner_create, client_create
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

PAGE = reverse("practitioner:payments")
CONNECT = reverse("practitioner:payments_connect")
RELINK = reverse("practitioner:payments_relink")
RETURN = reverse("practitioner:payments_return")
SETTING = reverse("practitioner:online_payment_save")


def account_for(practitioner, *, charges_enabled=False) -> PaymentAccount:
    return PaymentAccount.objects.create(
        practitioner=practitioner,
        stripe_account_id=ACCOUNT,
        charges_enabled=charges_enabled,
        details_submitted=charges_enabled,
    )


def payment_for(practitioner, client, *, start, intent: str, **fields) -> Payment:
    appointment = appointment_insert(practitioner, client, start)
    return Payment.objects.create(
        appointment=appointment,
        stripe_account_id="acct_x",
        payment_intent_id=intent,
        amount_cents=fields.pop("amount_cents", 7000),
        **fields,
    )


def state_text(response) -> str:
    soup = assert_valid_accessible_html(response.content)
    return soup.select_one(".payment-state").get_text(strip=True)


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("method, url", [("get", PAGE), ("post", CONNECT), ("get", RETURN)])
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("accounts:login")


def test_only_the_practitioners_own_payments_are_listed(client, own, directory):
    other = bookable_practitioner_create(directory, title="Dominique Autre")
    someone = client_create(email="claire@example.com")
    stranger = client_create(email="zoe@example.com")
    stranger.first_name, stranger.last_name = "Zoé", "Inconnue"
    stranger.save()
    payment_for(
        own,
        someone,
        start=paris(2027, 3, 2, 10),
        intent="pi_own",
        status=PaymentStatus.PARTIALLY_REFUNDED,
        refunded_cents=2000,
    )
    payment_for(other, stranger, start=paris(2027, 3, 2, 10), intent="pi_other")

    response = client.get(PAGE)

    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in soup.find("section", attrs={"aria-labelledby": "mes-paiements"}).select(
            "tbody tr"
        )
    ]
    assert len(rows) == 1
    _date, name, service, amount, status, refunded = rows[0]
    assert (name, service, status) == (
        "Claire Dupont",
        "Première consultation",
        "remboursé en partie",
    )
    assert amount.replace("\xa0", " ") == "70,00 €"
    assert refunded.replace("\xa0", " ") == "20,00 €"
    assert "Inconnue" not in response.content.decode()


def test_the_menu_leads_to_the_page_and_marks_it_current(client, own):
    soup = assert_valid_accessible_html(client.get(PAGE).content)

    link = soup.select_one(f'.practitioner-menu a[href="{PAGE}"]')
    assert link is not None and link.get("aria-current") == "page"


# --- The account's state ----------------------------------------------------------------------


def test_without_stripe_keys_the_page_says_online_payment_is_not_available(client, own, settings):
    settings.STRIPE_SECRET_KEY = ""

    response = client.get(PAGE)

    soup = assert_valid_accessible_html(response.content)
    assert "pas encore disponible sur cette plateforme" in soup.get_text()
    assert soup.find("form", action=CONNECT) is None
    assert soup.find("form", action=SETTING) is None


def test_a_practitioner_without_an_account_is_offered_to_connect_one(client, own, recorder):
    response = client.get(PAGE)

    assert state_text(response) == "non connecté"
    soup = assert_valid_accessible_html(response.content)
    form = soup.find("form", action=CONNECT)
    assert form is not None and form.get("method") == "post"
    assert "Connecter mon compte Stripe" in form.get_text()
    assert recorder.requests == []  # showing the page asks Stripe nothing


def test_a_pending_account_offers_to_resume_onboarding(client, own, recorder):
    account_for(own)

    response = client.get(PAGE)

    assert state_text(response) == "vérification en cours"
    form = assert_valid_accessible_html(response.content).find("form", action=CONNECT)
    assert "Reprendre l'inscription chez Stripe" in form.get_text()


def test_an_enabled_account_shows_payments_enabled_without_the_button(client, own, recorder):
    account_for(own, charges_enabled=True)

    response = client.get(PAGE)

    assert state_text(response) == "paiements activés"
    soup = assert_valid_accessible_html(response.content)
    assert soup.find("form", action=CONNECT) is None


def online_payment_step(practitioner):
    checklist = practitioner_checklist(practitioner)
    return checklist, next(step for step in checklist.steps if step.label == "Paiement en ligne")


def test_the_checklist_step_is_optional_links_here_and_is_done_once_charges_are_enabled(own):
    checklist, step = online_payment_step(own)
    assert (step.done, step.required, step.url) == (False, False, PAGE)
    assert checklist.complete  # never waited for: booking opens without it

    account_for(own)
    assert online_payment_step(own)[1].done is False

    PaymentAccount.objects.filter(practitioner=own).update(charges_enabled=True)
    _checklist, step = online_payment_step(own)
    assert step.done is True
    assert step.note == ""


def test_the_checklist_shows_the_step_to_a_practitioner_still_setting_up(client, own):
    own.accepts_bookings = False
    own.save(update_fields=["accepts_bookings"])

    soup = assert_valid_accessible_html(client.get(PAGE).content)

    step = next(li for li in soup.select(".checklist__step") if "Paiement en ligne" in li.text)
    assert step.find("a")["href"] == PAGE
    assert "checklist__step--done" not in step["class"]
    assert "Facultatif" in step.get_text()


# --- Onboarding -------------------------------------------------------------------------------


def test_the_button_creates_the_account_and_redirects_to_stripes_onboarding(client, own, recorder):
    response = client.post(CONNECT)

    assert response.status_code == 302
    assert response["Location"] == LINK
    assert PaymentAccount.objects.get(practitioner=own).stripe_account_id == ACCOUNT
    link_request = recorder.requests[-1]
    assert link_request.path == "/v1/account_links"
    assert link_request.data["refresh_url"] == absolute_url(RELINK)
    assert link_request.data["return_url"] == absolute_url(RETURN)


def test_the_refresh_url_makes_a_new_link_for_the_existing_account(client, own, recorder):
    account_for(own)

    response = client.get(RELINK)

    assert response["Location"] == LINK
    assert [(r.method, r.path) for r in recorder.requests] == [("POST", "/v1/account_links")]


def test_the_refresh_url_never_creates_an_account(client, own, recorder):
    response = client.get(RELINK)

    assert response["Location"] == PAGE
    assert recorder.requests == []
    assert not PaymentAccount.objects.exists()


def test_stripe_failing_at_the_button_is_said_on_the_page(client, own, recorder):
    recorder.responses[("POST", "/v1/accounts")] = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Connect is not enabled"}},
    )

    response = client.post(CONNECT, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Stripe ne répond pas pour le moment" in response.content.decode()
    assert not PaymentAccount.objects.exists()


def test_the_return_url_reads_the_state_from_stripe(client, own, recorder):
    account_for(own)
    recorder.responses[("GET", f"/v1/accounts/{ACCOUNT}")] = account_body(
        charges_enabled=True, details_submitted=True
    )

    response = client.get(f"{RETURN}?charges_enabled=false", follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert [(r.method, r.path) for r in recorder.requests] == [("GET", f"/v1/accounts/{ACCOUNT}")]
    assert PaymentAccount.objects.get(practitioner=own).charges_enabled is True
    assert state_text(response) == "paiements activés"
    assert "Votre compte Stripe accepte les paiements" in response.content.decode()


def test_the_return_url_while_stripe_still_verifies_says_so(client, own, recorder):
    account_for(own)

    response = client.get(RETURN, follow=True)

    assert state_text(response) == "vérification en cours"
    assert "Stripe vérifie vos informations" in response.content.decode()


# --- The online-payment setting ---------------------------------------------------------------


def test_online_payment_is_refused_while_charges_are_not_enabled(client, own, recorder):
    account_for(own)

    response = client.post(SETTING, {"online_payment": "on"})

    assert response.status_code == 409
    soup = assert_valid_accessible_html(response.content)
    assert "une fois votre compte Stripe vérifié" in soup.select_one(".field__error").get_text()
    own.refresh_from_db()
    assert own.online_payment is False


def test_online_payment_is_saved_once_charges_are_enabled(client, own, recorder):
    account_for(own, charges_enabled=True)

    response = client.post(SETTING, {"online_payment": "on"}, follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    own.refresh_from_db()
    assert own.online_payment is True
    soup = assert_valid_accessible_html(response.content)
    assert soup.find("input", attrs={"name": "online_payment"}).has_attr("checked")

    client.post(SETTING, {})
    own.refresh_from_db()
    assert own.online_payment is False
