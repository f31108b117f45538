"""The e-mails of online payment: the confirmation names the practitioner as the merchant and
the amount paid; a refund tells the client how much and why; a payment that came after its
slot was lost is refunded in full, with where to choose another slot."""

from __future__ import annotations

from uuid import uuid4

import pytest
from django.core import mail

from booking import notifications
from booking.models import Payment, PaymentRefund, RefundReason
from booking.payments.refunds import payment_refund_decide
from booking.services import appointment_cancel
from booking.services.changes import appointment_refund
from tests.booking.payments.payment_helpers import paid_appointment_create

pytestmark = pytest.mark.usefixtures("frozen_clock")

EURO = "\N{NO-BREAK SPACE}€"


@pytest.fixture
def appointment(paid, client_user, localstripe):
    appointment = paid_appointment_create(paid, client_user, localstripe)
    mail.outbox.clear()
    return appointment


@pytest.fixture
def staff(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(email="equipe@example.com", password="x")


def sent_to(address: str, template_subject: str = "") -> list:
    return [
        message
        for message in mail.outbox
        if address in message.to and template_subject in message.subject
    ]


def html_of(message) -> str:
    return message.alternatives[0][0]


def test_the_confirmation_shows_the_amount_paid_and_the_practitioner_as_merchant(
    appointment, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.appointment_booked_notify(appointment.pk)

    (message,) = sent_to(client_user.email, "Rendez-vous confirmé")
    line = f"Paiement encaissé par Camille Martin : 75,00{EURO}."
    assert line in message.body
    assert line in html_of(message)
    assert f"payé en ligne : 75,00{EURO}" in message.body
    assert "paiement sur place" not in message.body


def test_an_on_site_booking_still_says_payment_on_site(
    directory, client_user, django_capture_on_commit_callbacks
):
    from booking.services import appointment_book
    from tests.booking.booking_helpers import paris
    from tests.factories import bookable_practitioner_create

    practitioner = bookable_practitioner_create(directory, title="Alex Sur-Place")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_book(
            practitioner=practitioner,
            service=practitioner.page.services.first(),
            start=paris(2027, 3, 2, 11),
            client=client_user,
        )

    (message,) = sent_to(client_user.email, "Rendez-vous confirmé")
    assert "(paiement sur place)" in message.body
    assert "Paiement encaissé" not in message.body


def test_a_cancellation_refund_is_told_with_its_amount_and_reason(
    appointment, client_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, by=client_user, by_role="client")

    (message,) = sent_to(client_user.email, "Remboursement de 75,00")
    assert f"Un remboursement de 75,00{EURO} est fait sur votre paiement en ligne" in message.body
    assert "Motif : Annulation par le client avant la limite" in message.body
    assert f"Votre paiement de 75,00{EURO} est ainsi remboursé en totalité." in message.body
    assert f"Remboursement de 75,00{EURO}" in html_of(message)
    assert message.attachments == []  # no calendar file: the cancellation e-mail has it
    # And the cancellation itself, with the refund in its summary.
    (cancellation,) = sent_to(client_user.email, "Rendez-vous annulé")
    assert f"remboursé : 75,00{EURO}" in cancellation.body


def test_a_partial_staff_refund_gives_its_reason_and_what_is_left(
    appointment, client_user, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment_refund(
            appointment=appointment,
            by=staff,
            amount_cents=2550,
            note="Séance écourtée de 20 minutes.",
            decision_id=uuid4(),
        )

    (message,) = sent_to(client_user.email, "Remboursement de 25,50")
    assert "Séance écourtée de 20 minutes." in message.body
    assert "Décision de l'équipe de la plateforme" in message.body
    assert f"Remboursé à ce jour : 25,50{EURO} sur 75,00{EURO}." in message.body
    # Only the client is told: the practitioner sees it in their area.
    assert [m.to for m in mail.outbox] == [[client_user.email]]


def test_a_retried_staff_decision_sends_one_email(
    appointment, client_user, staff, django_capture_on_commit_callbacks
):
    decision = uuid4()
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            appointment_refund(
                appointment=appointment,
                by=staff,
                amount_cents=1000,
                note="Geste commercial",
                decision_id=decision,
            )

    assert len(sent_to(client_user.email, "Remboursement")) == 1


def test_the_slot_lost_email_says_refunded_in_full_with_the_slots_link(
    appointment, client_user, paid, django_capture_on_commit_callbacks
):
    payment = Payment.objects.get(appointment=appointment)
    with django_capture_on_commit_callbacks(execute=True):
        payment_refund_decide(
            payment=payment,
            amount_cents=7500,
            reason=RefundReason.SLOT_LOST,
            decision_key=f"slot_lost:{payment.pk}",
        )
        notifications.payment_slot_lost_notify(appointment.pk)

    # One e-mail, not a refund notice on top of it.
    (message,) = sent_to(client_user.email)
    assert "Créneau déjà pris" in message.subject
    assert f"Votre paiement de 75,00{EURO} vous est remboursé en totalité" in message.body
    service = paid.page.services.first()
    slots_url = f"http://testserver/rendez-vous/{paid.page_id}/{service.pk}/"
    assert slots_url in message.body
    assert f'href="{slots_url}"' in html_of(message)
    assert PaymentRefund.objects.get().reason == RefundReason.SLOT_LOST


def test_a_vanished_refund_sends_nothing(db):
    notifications.payment_refunded_notify(123456)
    notifications.payment_slot_lost_notify(123456)

    assert mail.outbox == []
