"""The practitioner area's "Paiements" page: their own Stripe account (connect, resume the
hosted onboarding, its state), the online-payment setting, and their payments.

Every view is wrapped by practitioner_required (booking/practitioner/access.py), which sets
request.practitioner; the account and the payments are read for that practitioner only.
Stripe's onboarding sends the practitioner back to `payments_return` (the state is then read
from Stripe, never from the query string) or, when its link expired, to `payments_relink`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from booking.models import Payment, PaymentAccount, PaymentAccountState
from booking.payments import connect, gateway
from booking.payments.selectors import payment_account_state, practitioner_payments
from booking.practitioner.access import PractitionerRequest, practitioner_required
from core.links import absolute_url

PAYMENTS_PER_PAGE = 50


class OnlinePaymentForm(forms.Form):
    online_payment = forms.BooleanField(
        label=gettext_lazy("Demander le paiement en ligne à la réservation"),
        required=False,
        help_text=gettext_lazy(
            "Vos clients paient la prestation en réservant, par carte, sur votre compte "
            "Stripe. Possible une fois les paiements activés sur ce compte."
        ),
    )


@dataclass(frozen=True)
class PaymentRow:
    """One line of the practitioner's payments, amounts in euros."""

    date: datetime
    client: str
    service: str
    amount: Decimal
    status: str
    refunded: Decimal


def _euros(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _row(payment: Payment) -> PaymentRow:
    appointment = payment.appointment
    contact = appointment.contact
    return PaymentRow(
        date=payment.succeeded_at or payment.created_at,
        client=(contact.get_full_name() or contact.email) if contact else _("client supprimé"),
        service=appointment.service_name,
        amount=_euros(payment.amount_cents),
        status=payment.get_status_display(),
        refunded=_euros(payment.refunded_cents),
    )


def _page(request: PractitionerRequest, *, form: OnlinePaymentForm | None = None, status=200):
    practitioner = request.practitioner
    payments = Paginator(
        practitioner_payments(practitioner=practitioner), PAYMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "practitioner": practitioner,
        "configured": gateway.configured(),
        "state": payment_account_state(practitioner),
        "states": PaymentAccountState,
        "form": form or OnlinePaymentForm(initial={"online_payment": practitioner.online_payment}),
        "payments": payments,
        "rows": [_row(payment) for payment in payments],
    }
    return render(request, "booking/practitioner/payments.html", context, status=status)


@never_cache
@require_GET
@practitioner_required
def payments(request: PractitionerRequest) -> HttpResponse:
    return _page(request)


def _onboarding_redirect(request: PractitionerRequest) -> HttpResponse:
    """To Stripe's hosted onboarding (a new single-use link each time), or back to the page
    with the reason it is not possible now."""
    try:
        url = connect.payment_account_connect(
            practitioner=request.practitioner,
            by=request.user,  # type: ignore[arg-type]
            refresh_url=absolute_url(reverse("practitioner:payments_relink")),
            return_url=absolute_url(reverse("practitioner:payments_return")),
        )
    except connect.PaymentsUnavailable as refusal:
        messages.error(request, refusal.message)
        return redirect("practitioner:payments")
    return redirect(url)


@never_cache
@require_POST
@practitioner_required
def payments_connect(request: PractitionerRequest) -> HttpResponse:
    """Create the Stripe account (first time) or resume its onboarding."""
    return _onboarding_redirect(request)


@never_cache
@require_GET
@practitioner_required
def payments_relink(request: PractitionerRequest) -> HttpResponse:
    """Stripe's refresh_url: the onboarding link expired or was used; a new one. Only for an
    account that exists (a GET never creates one: that takes the page's button)."""
    if not PaymentAccount.objects.filter(practitioner=request.practitioner).exists():
        return redirect("practitioner:payments")
    return _onboarding_redirect(request)


@never_cache
@require_GET
@practitioner_required
def payments_return(request: PractitionerRequest) -> HttpResponse:
    """Stripe's return_url: read the account's state from Stripe, then show the page."""
    account = PaymentAccount.objects.filter(practitioner=request.practitioner).first()
    if account is None or not gateway.configured():
        return redirect("practitioner:payments")
    try:
        refreshed = connect.payment_account_refresh(account_id=account.stripe_account_id)
    except gateway.StripeError:
        messages.warning(
            request,
            _(
                "Stripe ne répond pas pour le moment : l'état de votre compte sera mis à jour "
                "dans quelques minutes."
            ),
        )
        return redirect("practitioner:payments")
    if refreshed is not None and refreshed.charges_enabled:
        messages.success(
            request,
            _(
                "Votre compte Stripe accepte les paiements : vous pouvez demander le paiement "
                "en ligne à la réservation."
            ),
        )
    else:
        messages.info(
            request,
            _(
                "Stripe vérifie vos informations : les paiements seront activés une fois la "
                "vérification terminée. Vous pouvez reprendre l'inscription à tout moment."
            ),
        )
    return redirect("practitioner:payments")


@never_cache
@require_POST
@practitioner_required
def online_payment_save(request: PractitionerRequest) -> HttpResponse:
    form = OnlinePaymentForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    enabled = form.cleaned_data["online_payment"]
    try:
        connect.practitioner_online_payment_set(
            practitioner=request.practitioner,
            enabled=enabled,
            by=request.user,  # type: ignore[arg-type]
        )
    except connect.OnlinePaymentRefused as refusal:
        form.add_error("online_payment", refusal.message)
        return _page(request, form=form, status=409)
    if enabled:
        messages.success(
            request,
            _("Paiement en ligne activé : il s'applique aux prochaines réservations."),
        )
    else:
        messages.success(
            request,
            _("Paiement sur place : il s'applique aux prochaines réservations."),
        )
    return redirect("practitioner:payments")
