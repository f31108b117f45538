"""The staff payments register in the Wagtail admin: read-only, only for holders of
booking.view_payment, every look at it logged; the staff refund form (amount and a required
reason, one decision per form shown), audited."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from booking.models import Payment, PaymentAccessLog, PaymentRefund, PaymentStatus
from tests.booking.payments.payment_helpers import paid_appointment_create
from tests.factories import client_create, otp_login

pytestmark = pytest.mark.usefixtures("frozen_clock")

LIST_URL = "/admin/booking/payment/"
EURO = "\N{NO-BREAK SPACE}€"


@pytest.fixture
def appointment(paid, client_user, localstripe):
    return paid_appointment_create(paid, client_user, localstripe)


@pytest.fixture
def payment(appointment):
    return Payment.objects.get(appointment=appointment)


def staff_user(*codenames: str, email: str = "equipe@example.com"):
    user = client_create(email=email)
    user.is_staff = True
    user.save()
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="booking", codename__in=codenames),
    )
    return user


@pytest.fixture
def accountant(db):
    """Staff who may look at the register, not refund."""
    return staff_user("view_payment")


@pytest.fixture
def refunder(db):
    return staff_user(
        "view_payment", "change_payment", "view_appointment", email="remboursement@example.com"
    )


def refused(response) -> bool:
    """Wagtail turns a PermissionDenied into a redirect to the dashboard (with a message)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def refund_url(payment) -> str:
    return f"/admin/paiements/{payment.pk}/rembourser/"


def decision_of(page: str) -> str:
    return re.search(r'name="decision" value="([0-9a-f-]{36})"', page).group(1)


def test_the_register_lists_payments_and_logs_each_look(client, accountant, payment):
    otp_login(client, accountant)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert payment.appointment.code in page
    assert "Camille Martin" in page
    assert f"75,00{EURO}" in page
    assert "payé" in page
    assert "client@example.com" not in page  # no client identity in the register
    log = PaymentAccessLog.objects.get()
    assert (log.user, log.action, log.payment) == (accountant, "list", None)


def test_opening_a_payment_is_logged_with_it(client, accountant, payment):
    otp_login(client, accountant)

    response = client.get(f"{LIST_URL}inspect/{payment.pk}/")

    assert response.status_code == 200
    assert payment.payment_intent_id in response.content.decode()
    log = PaymentAccessLog.objects.get()
    assert (log.user, log.action, log.payment) == (accountant, "inspect", payment)


def test_the_register_filters_by_status(client, accountant, payment):
    otp_login(client, accountant)

    succeeded = client.get(LIST_URL, {"status": PaymentStatus.SUCCEEDED}).content.decode()
    refunded = client.get(LIST_URL, {"status": PaymentStatus.REFUNDED}).content.decode()

    assert payment.appointment.code in succeeded
    assert payment.appointment.code not in refunded
    assert PaymentAccessLog.objects.filter(action="list").count() == 2


def test_without_the_permission_there_is_no_register_and_nothing_logged(client, payment, db):
    editor = staff_user("view_appointment", email="editeur@example.com")
    otp_login(client, editor)

    for url in (LIST_URL, f"{LIST_URL}inspect/{payment.pk}/", refund_url(payment)):
        assert refused(client.get(url)), url
    assert not PaymentAccessLog.objects.exists()


def test_the_register_is_read_only_and_not_exported(client, refunder, payment):
    otp_login(client, refunder)

    for url in (
        f"{LIST_URL}create/",
        f"{LIST_URL}edit/{payment.pk}/",
        f"{LIST_URL}delete/{payment.pk}/",
    ):
        assert refused(client.get(url)), url
        assert refused(client.post(url, {"amount_cents": "1"})), url
    assert client.get(LIST_URL, {"export": "csv"}).status_code == 404
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_looking_without_the_refund_permission_shows_no_refund_form(client, accountant, payment):
    otp_login(client, accountant)

    page = client.get(f"{LIST_URL}inspect/{payment.pk}/").content.decode()

    assert refund_url(payment) not in page
    assert refused(client.get(refund_url(payment)))
    response = client.post(
        refund_url(payment),
        {"amount": "10,00", "note": "Essai", "decision": "8b0d1c1e-0000-4000-8000-000000000001"},
    )
    assert refused(response)
    assert not PaymentRefund.objects.exists()


def test_a_staff_refund_from_the_appointment_is_recorded_once_and_audited(
    client, refunder, payment, appointment
):
    otp_login(client, refunder)
    # The appointment's admin page leads to the refund form.
    inspect = client.get(f"/admin/booking/appointment/inspect/{appointment.pk}/")
    assert refund_url(payment) in inspect.content.decode()

    form = client.get(refund_url(payment)).content.decode()
    data = {"amount": "20,50", "note": "Séance écourtée", "decision": decision_of(form)}
    first = client.post(refund_url(payment), data)
    retried = client.post(refund_url(payment), data)

    assert first.status_code == 302 and retried.status_code == 302
    refund = PaymentRefund.objects.get()
    assert (refund.amount_cents, refund.note, refund.decided_by, refund.reason) == (
        2050,
        "Séance écourtée",
        refunder,
        "staff",
    )
    payment.refresh_from_db()
    assert (payment.refunded_cents, payment.status) == (2050, PaymentStatus.PARTIALLY_REFUNDED)
    (entry,) = ModelLogEntry.objects.for_instance(payment)
    assert (entry.action, entry.user, entry.data["amount_cents"]) == (
        "booking.payment_refund",
        refunder,
        2050,
    )
    shown = client.get(f"{LIST_URL}inspect/{payment.pk}/").content.decode()
    assert "Séance écourtée" in shown and f"20,50{EURO}" in shown
    # Opening the form is a look at the payment too.
    assert PaymentAccessLog.objects.filter(user=refunder, action="refund_form").count() == 1


def test_a_second_form_is_a_second_decision(client, refunder, payment):
    otp_login(client, refunder)

    for amount in ("10,00", "5,00"):
        form = client.get(refund_url(payment)).content.decode()
        client.post(
            refund_url(payment), {"amount": amount, "note": "Geste", "decision": decision_of(form)}
        )

    assert sorted(PaymentRefund.objects.values_list("amount_cents", flat=True)) == [500, 1000]


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"amount": "10,00", "note": "   "}, 400),  # a reason is required
        ({"amount": "0", "note": "Geste"}, 400),
        ({"amount": "dix", "note": "Geste"}, 400),
        ({"amount": "75,01", "note": "Geste"}, 409),  # more than what was paid
    ],
)
def test_a_bad_refund_form_is_refused_and_refunds_nothing(client, refunder, payment, data, status):
    otp_login(client, refunder)
    form = client.get(refund_url(payment)).content.decode()

    response = client.post(refund_url(payment), {**data, "decision": decision_of(form)})

    assert response.status_code == status
    assert not PaymentRefund.objects.exists()
    assert Payment.objects.get(pk=payment.pk).refunded_cents == 0


def test_a_refund_form_without_its_decision_id_is_refused(client, refunder, payment):
    otp_login(client, refunder)

    response = client.post(refund_url(payment), {"amount": "10,00", "note": "Geste"})

    assert response.status_code == 400
    assert not PaymentRefund.objects.exists()


def test_an_unknown_payment_is_a_404(client, refunder, db):
    otp_login(client, refunder)

    assert client.get("/admin/paiements/999999/rembourser/").status_code == 404
