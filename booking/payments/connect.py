"""The practitioner's own Stripe account (Stripe Connect, Standard): created once, onboarded
through Stripe's hosted pages (Account Links), its state read back from Stripe; and the
practitioner's online-payment setting, which waits for that account to take charges.

The practitioner is the merchant: the account is theirs (their dashboard, their payouts), the
platform only keeps its id and two booleans. Changes are written to the practitioner's audit
log (Wagtail's, as booking.onboarding.services does), shown in the practitioners' register.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogActionRegistry, LogFormatter, log
from wagtail.models import ModelLogEntry

from accounts.models import User
from booking.exceptions import BookingError
from booking.models import PaymentAccount, PaymentAccountState, Practitioner
from booking.payments import gateway

# Audit-log actions (their labels: log_actions_register, registered by booking/wagtail_hooks.py).
ACTION_ACCOUNT_CONNECT = "booking.practitioner.payment_account_connect"
ACTION_ACCOUNT_STATE = "booking.practitioner.payment_account_state"
ACTION_ONLINE_PAYMENT = "booking.practitioner.online_payment"


class PaymentsUnavailable(BookingError):
    """Online payment is not set up on this platform (no Stripe keys), or Stripe failed."""

    code = "payments_unavailable"
    default_message = gettext_lazy("Le paiement en ligne n'est pas disponible pour le moment.")


class OnlinePaymentRefused(BookingError):
    """Online payment switched on before the practitioner's Stripe account takes charges."""

    code = "online_payment_refused"
    default_message = gettext_lazy(
        "Le paiement en ligne ne peut être activé qu'une fois votre compte Stripe vérifié "
        "(paiements activés) : d'ici là, vos prestations sont en paiement sur place."
    )


def payment_account_connect(
    *, practitioner: Practitioner, by: User, refresh_url: str, return_url: str
) -> str:
    """The URL of Stripe's hosted onboarding for the practitioner's account, created the first
    time (a Standard account in France), reused afterwards: calling again resumes onboarding.

    Stripe is called outside any transaction (no database lock held across the network); the
    account's creation carries an idempotency key per practitioner, so two clicks or two tabs
    get the same account from Stripe, and the unique practitioner of PaymentAccount keeps one
    row. Raises PaymentsUnavailable without Stripe keys or when Stripe fails.
    """
    if not gateway.configured():
        raise PaymentsUnavailable
    account = PaymentAccount.objects.filter(practitioner=practitioner).first()
    try:
        if account is None:
            account_id = gateway.account_create(practitioner_id=practitioner.pk, email=by.email)
            with transaction.atomic():
                account, created = PaymentAccount.objects.get_or_create(
                    practitioner=practitioner, defaults={"stripe_account_id": account_id}
                )
                if created:
                    log(
                        instance=practitioner,
                        action=ACTION_ACCOUNT_CONNECT,
                        user=by,
                        data={"account": account_id},
                    )
        return gateway.account_link_create(
            account_id=account.stripe_account_id, refresh_url=refresh_url, return_url=return_url
        )
    except gateway.StripeError as error:
        raise PaymentsUnavailable(
            _("Stripe ne répond pas pour le moment : réessayez dans quelques minutes.")
        ) from error


def payment_account_refresh(*, account_id: str) -> PaymentAccount | None:
    """The account's state as Stripe has it now (charges enabled, details submitted), stored;
    None for an account id we do not know (an event of another platform's account, say).

    Called on the return from onboarding and for the webhook's account.updated. Stripe's answer
    is the truth whatever the order events come in; a change of state is logged. Raises
    gateway.StripeError when Stripe cannot be read (the caller says so or retries).
    """
    if not PaymentAccount.objects.filter(stripe_account_id=account_id).exists():
        return None
    state = gateway.account_retrieve(account_id=account_id)
    with transaction.atomic():
        account = (
            PaymentAccount.objects.select_for_update()
            .select_related("practitioner")
            .get(stripe_account_id=account_id)
        )
        before = account.state
        account.charges_enabled = state.charges_enabled
        account.details_submitted = state.details_submitted
        account.save(update_fields=["charges_enabled", "details_submitted", "updated_at"])
        if account.state != before:
            log(
                instance=account.practitioner,
                action=ACTION_ACCOUNT_STATE,
                user=None,
                data={"account": account_id, "state": account.state},
            )
    return account


def payment_account_disconnected(*, account_id: str) -> PaymentAccount | None:
    """The practitioner removed the platform from their Stripe account (the event
    account.application.deauthorized): no charge can be made on it any more, so their services
    go back to payment on site at once; logged. None for an account we do not know."""
    with transaction.atomic():
        account = (
            PaymentAccount.objects.select_for_update()
            .select_related("practitioner")
            .filter(stripe_account_id=account_id)
            .first()
        )
        if account is None or not account.charges_enabled:
            return account
        account.charges_enabled = False
        account.save(update_fields=["charges_enabled", "updated_at"])
        log(
            instance=account.practitioner,
            action=ACTION_ACCOUNT_STATE,
            user=None,
            data={"account": account_id, "state": account.state},
        )
    return account


def payment_account_charges_enabled(practitioner: Practitioner) -> bool:
    return PaymentAccount.objects.filter(practitioner=practitioner, charges_enabled=True).exists()


def practitioner_online_payment_set(
    *, practitioner: Practitioner, enabled: bool, by: User
) -> Practitioner:
    """Ask for online payment at booking (or stop asking). Switching it on is refused
    (OnlinePaymentRefused) while the Stripe account does not take charges; switching it off is
    always possible. Bookings already made keep their payment method."""
    with transaction.atomic():
        locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
        if enabled and not (gateway.configured() and payment_account_charges_enabled(locked)):
            raise OnlinePaymentRefused
        if locked.online_payment != enabled:
            locked.online_payment = enabled
            locked.save(update_fields=["online_payment"])
            log(instance=locked, action=ACTION_ONLINE_PAYMENT, user=by, data={"enabled": enabled})
    return locked


class _AccountStateFormatter(LogFormatter):
    label = gettext_lazy("État du compte Stripe")

    def format_message(self, log_entry: ModelLogEntry) -> str:
        state = log_entry.data.get("state", "")
        label = PaymentAccountState(state).label if state in PaymentAccountState.values else state
        return _("Compte Stripe : %(state)s") % {"state": label}


class _OnlinePaymentFormatter(LogFormatter):
    label = gettext_lazy("Paiement en ligne")

    def format_message(self, log_entry: ModelLogEntry) -> str:
        if log_entry.data.get("enabled"):
            return _("Paiement en ligne demandé à la réservation")
        return _("Paiement sur place (paiement en ligne désactivé)")


def log_actions_register(actions: LogActionRegistry) -> None:
    """Labels of the actions above in the practitioner's history (register_log_actions).
    Idempotent: it may be reached through the hook and directly (below)."""
    if ACTION_ACCOUNT_CONNECT not in actions.formatters:
        actions.register_action(
            ACTION_ACCOUNT_CONNECT,
            gettext_lazy("Compte Stripe créé"),
            gettext_lazy("Compte Stripe créé"),
        )
    for action, formatter in (
        (ACTION_ACCOUNT_STATE, _AccountStateFormatter),
        (ACTION_ONLINE_PAYMENT, _OnlinePaymentFormatter),
    ):
        if action not in actions.formatters:
            actions.register_action(action)(formatter)
