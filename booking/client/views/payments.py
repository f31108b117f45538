"""The client's payment page (Stripe's Payment Element) and the page Stripe sends them back to.

The card is typed into Stripe's own frames (Stripe.js, frontend/js/payment.js): no card field
is ever rendered here and nothing card-related is posted to us. These pages only read: the
PaymentIntent is created once and reused (booking.payments.services.payment_start), and only
its state as read from Stripe changes the appointment (payment_refresh), never the query
string Stripe's redirect carries. Only these responses allow Stripe's hosts in their Content
Security Policy (booking.payments.csp).
"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from booking.client.presenters import tz_context
from booking.client.session import hold_forget, hold_record
from booking.models import Appointment, AppointmentStatus, PaymentStatus
from booking.payments import gateway
from booking.payments.csp import stripe_csp_allow
from booking.payments.selectors import client_payment
from booking.payments.services import PaymentNotPossible, payment_refresh, payment_start
from core.users import signed_in_user

# The appointment rows a payment page is about (booking.selectors hides them: not appointments).
PAYMENT_STATUSES = (AppointmentStatus.AWAITING_PAYMENT, AppointmentStatus.PAYMENT_EXPIRED)
# PaymentIntent states in which the client still has something to do on the page.
INTENT_TO_PAY = ("requires_payment_method", "requires_confirmation", "requires_action")
# Seconds between two looks of the "being checked" page (a <meta> refresh: no script needed).
PROCESSING_REFRESH_SECONDS = 5


def client_payment_appointment(user, reference: UUID) -> Appointment | None:
    """The client's own appointment `reference` awaiting its payment or past its deadline
    (None for anyone else's, or one in another state)."""
    return (
        Appointment.objects.select_related("practitioner__page", "service")
        .filter(reference=reference, client=user, status__in=PAYMENT_STATUSES)
        .first()
    )


def payment_url(appointment: Appointment) -> str:
    return reverse("booking:payment", args=[appointment.reference])


def _own_or_404(user, reference: UUID) -> Appointment:
    appointment = (
        Appointment.objects.select_related("practitioner__page", "service")
        .filter(reference=reference, client=user)
        .first()
    )
    if appointment is None:
        # Another client's reference and an unknown one look the same.
        raise Http404(_("Rendez-vous introuvable."))
    return appointment


def _slots_url(appointment: Appointment) -> str:
    page_id = appointment.practitioner.page_id
    if appointment.service_id is None:
        return reverse("booking:service_choose", args=[page_id])
    return reverse("booking:slot_choose", args=[page_id, appointment.service_id])


def _confirmed(appointment: Appointment) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("booking:confirmed", args=[appointment.reference]))


def decline_message(code: str) -> str:
    """What to tell the client about the last failed attempt (Stripe's error code)."""
    messages_by_code = {
        "card_declined": _("Votre carte a été refusée par votre banque."),
        "expired_card": _("Votre carte a expiré."),
        "incorrect_cvc": _("Le code de sécurité de la carte est incorrect."),
        "insufficient_funds": _("Le solde de votre carte est insuffisant."),
        "processing_error": _("Une erreur est survenue pendant le traitement de la carte."),
        "payment_intent_authentication_failure": _(
            "L'authentification auprès de votre banque (3-D Secure) n'a pas abouti."
        ),
    }
    return messages_by_code.get(code, _("Le paiement n'a pas abouti."))


def _page(request: HttpRequest, template: str, appointment: Appointment, status=200, **extra):
    page = appointment.practitioner.page
    context = {
        **tz_context(appointment.practitioner),
        "appointment": appointment,
        "merchant": page.title if page is not None else "",
        "slots_url": _slots_url(appointment),
        **extra,
    }
    return render(request, f"booking/client/{template}", context, status=status)


def _expired(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    return _page(request, "payment_expired.html", appointment)


def _not_possible(request: HttpRequest, appointment: Appointment, error) -> HttpResponse:
    return _page(request, "payment_unavailable.html", appointment, status=409, reason=error.message)


@require_safe
@never_cache  # the page holds the intent's client secret: no cache keeps it
@login_required
def payment_page(request: HttpRequest, reference: UUID) -> HttpResponse:
    user = signed_in_user(request.user)
    appointment = _own_or_404(user, reference)
    record = hold_record(request)
    if record is not None and record.reference == reference:
        # The funnel kept the hold's record up to here; the payment page takes over.
        hold_forget(request)
    if appointment.status not in PAYMENT_STATUSES:
        return _confirmed(appointment)
    if appointment.status == AppointmentStatus.PAYMENT_EXPIRED:
        return _expired(request, appointment)
    try:
        intent = payment_start(appointment=appointment)
    except PaymentNotPossible as error:
        if error.code == "payment_expired":
            return _expired(request, appointment)
        return _not_possible(request, appointment, error)
    if intent.status not in INTENT_TO_PAY:
        # Paid already, or being processed: the return page asks Stripe and says which.
        return HttpResponseRedirect(reverse("booking:payment_return", args=[reference]))
    now = timezone.now()
    expires_at = appointment.hold_expires_at or now
    response = _page(
        request,
        "payment.html",
        appointment,
        publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
        client_secret=intent.client_secret,
        stripe_js_url=settings.STRIPE_JS_URL,
        amount=appointment.price,
        expires_at=expires_at,
        minutes_left=max(0, int((expires_at - now).total_seconds() // 60)),
        return_path=reverse("booking:payment_return", args=[reference]),
        last_error=decline_message(intent.last_error_code) if intent.last_error_code else "",
    )
    return stripe_csp_allow(response)


@require_safe
@never_cache
@login_required
def payment_return(request: HttpRequest, reference: UUID) -> HttpResponse:
    """Where Stripe sends the client back (after 3-D Secure, or straight away). The query
    string (payment_intent=..., redirect_status=...) is ignored: anyone can type it."""
    user = signed_in_user(request.user)
    appointment = _own_or_404(user, reference)
    payment = client_payment(client=user, reference=reference)
    if payment is None:
        # No intent was ever created for it: nothing was paid.
        if appointment.status in PAYMENT_STATUSES:
            return HttpResponseRedirect(payment_url(appointment))
        return _confirmed(appointment)
    try:
        payment = payment_refresh(payment=payment)
    except gateway.StripeError:
        return _page(request, "payment_processing.html", appointment, status=503, unreachable=True)
    appointment.refresh_from_db()
    if appointment.status == AppointmentStatus.CONFIRMED:
        return _confirmed(appointment)
    if payment.status in (PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED):
        # Paid after the slot went to someone else: refunded in full (payment_refresh).
        amount = Decimal(payment.amount_cents) / 100
        return _page(request, "payment_refunded.html", appointment, amount=amount)
    if appointment.status == AppointmentStatus.PAYMENT_EXPIRED:
        return _expired(request, appointment)
    if appointment.status not in PAYMENT_STATUSES:
        return _confirmed(appointment)
    return _still_pending(request, appointment)


def _still_pending(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    """Not settled yet: being processed (the page looks again by itself), or failed (back to
    the payment page, with the reason, to try again on the same PaymentIntent)."""
    try:
        intent = payment_start(appointment=appointment)
    except PaymentNotPossible as error:
        if error.code == "payment_expired":
            return _expired(request, appointment)
        return _not_possible(request, appointment, error)
    except gateway.StripeError:
        intent = None
    if intent is None or intent.status not in INTENT_TO_PAY:
        return _page(
            request,
            "payment_processing.html",
            appointment,
            refresh_seconds=PROCESSING_REFRESH_SECONDS,
        )
    if intent.status == "requires_action" and not intent.last_error_code:
        # The payment page shows a declined card's reason itself (the intent's last error).
        messages.error(
            request,
            _("L'authentification auprès de votre banque n'a pas été terminée : réessayez."),
        )
    return HttpResponseRedirect(payment_url(appointment))
