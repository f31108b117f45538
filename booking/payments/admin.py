"""The staff payments register in the Wagtail admin, and the staff refund of a payment.

Read-only like the appointments' admin (booking.wagtail_hooks): a payment changes only through
Stripe's answers and refund decisions. Only users holding booking.view_payment see it (no group
gets it by default), and every opening of the list or of one payment leaves a PaymentAccessLog
row. A refund needs booking.change_payment; it goes through
booking.services.changes.appointment_refund, which records the decision (who, when, why:
PaymentRefund.decided_by/note) and a history entry on the payment.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import LogActionRegistry, LogFormatter
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import IndexView, InspectView

from booking.exceptions import BookingError
from booking.ics import practitioner_name
from booking.models import Payment, PaymentAccessLog
from booking.services.changes import (
    ACTION_PAYMENT_REFUND,
    REFUND_PERMISSION,
    appointment_refund,
)
from booking.templatetags.booking_payments import (
    appointment_payment,
    cents_display,
    payment_summary,
)
from core.readonly_admin import ReadOnlyPermissionHelper
from core.users import signed_in_user

VIEW_PERMISSION = "booking.view_payment"


def _access_log(request: HttpRequest, action: str, payment: Payment | None = None) -> None:
    PaymentAccessLog.objects.create(
        user=signed_in_user(request.user), payment=payment, action=action
    )


# --- The refund form ------------------------------------------------------------------------


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=gettext_lazy("Montant à rembourser (€)"),
        min_value=Decimal("0.01"),
        max_digits=9,
        decimal_places=2,
        localize=True,
    )
    note = forms.CharField(
        label=gettext_lazy("Motif"),
        help_text=gettext_lazy("Envoyé au client dans l'e-mail du remboursement."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # One decision per form shown: the same submission retried refunds once.
    decision = forms.UUIDField(widget=forms.HiddenInput)

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Indiquez le motif du remboursement."))
        return note

    def clean_amount(self) -> int:
        # What is left to refund is checked by the decision itself, under the payment's lock
        # (and a retried submission must find its decision, not an amount now too high).
        return int(self.cleaned_data["amount"] * 100)


def _refund_page(request, payment: Payment, form: RefundForm, *, status: int = 200):
    context = {
        "payment": payment,
        "appointment": payment.appointment,
        "practitioner_name": practitioner_name(payment.appointment.practitioner),
        "paid": payment_summary(payment),
        "form": form,
    }
    return render(request, "booking/payments/admin/refund.html", context, status=status)


def payment_refund_view(request: HttpRequest, payment_id: int) -> HttpResponse:
    """GET: the form (a fresh decision id); POST: one refund decision, then the payment."""
    if not (request.user.has_perm(REFUND_PERMISSION) and request.user.has_perm(VIEW_PERMISSION)):
        raise PermissionDenied
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    payment = get_object_or_404(
        Payment.objects.select_related("appointment__practitioner__page"), pk=payment_id
    )
    if request.method == "GET":
        _access_log(request, "refund_form", payment)
        form = RefundForm(
            initial={
                "amount": Decimal(payment.refundable_cents) / 100,
                "decision": uuid.uuid4(),
            },
        )
        return _refund_page(request, payment, form)
    form = RefundForm(request.POST)
    if not form.is_valid():
        return _refund_page(request, payment, form, status=400)
    try:
        refund = appointment_refund(
            appointment=payment.appointment,
            by=signed_in_user(request.user),
            amount_cents=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
            decision_id=form.cleaned_data["decision"],
        )
    except BookingError as error:
        form.add_error(None, error.message)
        return _refund_page(request, payment, form, status=409)
    messages.success(
        request,
        _("Remboursement de %(amount)s enregistré ; il est envoyé à Stripe.")
        % {"amount": cents_display(refund.amount_cents, payment.currency)},
    )
    return redirect("booking_payment_modeladmin_inspect", payment.pk)


def admin_urls() -> list[URLPattern]:
    return [
        path(
            "paiements/<int:payment_id>/rembourser/",
            payment_refund_view,
            name="booking_payment_refund",
        )
    ]


def refund_button(request: HttpRequest, payment: Payment | None) -> dict | None:
    """The "Rembourser" button of a payment (or None: nothing left, or not allowed)."""
    if payment is None or not payment.refundable_cents:
        return None
    user = request.user
    if not (user.has_perm(REFUND_PERMISSION) and user.has_perm(VIEW_PERMISSION)):
        return None
    return {
        "url": reverse("booking_payment_refund", args=[payment.pk]),
        "label": _("Rembourser"),
        "classname": "button button-secondary",
        "title": _("Rembourser tout ou partie de ce paiement"),
    }


# --- The register ---------------------------------------------------------------------------


class PaymentButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        button = refund_button(self.request, obj)
        return [*buttons, button] if button else buttons


class AppointmentButtonHelper(ButtonHelper):
    """The appointments' admin buttons, plus the refund of an appointment paid online."""

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        button = refund_button(self.request, appointment_payment(obj))
        return [*buttons, button] if button else buttons


class LoggedIndexView(IndexView):
    def get(self, request, *args, **kwargs):
        # dispatch() has checked the permission: only actual displays are logged.
        _access_log(request, "list")
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # No export: the register is looked at, not copied out (each look is logged).
        raise Http404


# The inspect view's labels: amounts are shown in euros, and the Stripe ids named plainly.
_INSPECT_LABELS = {
    "appointment": gettext_lazy("rendez-vous"),
    "amount_cents": gettext_lazy("montant"),
    "refunded_cents": gettext_lazy("remboursé"),
    "application_fee_cents": gettext_lazy("commission de la plateforme"),
    "currency": gettext_lazy("devise"),
    "payment_intent_id": gettext_lazy("PaymentIntent Stripe"),
    "stripe_account_id": gettext_lazy("compte Stripe du praticien"),
}


class LoggedPaymentInspectView(InspectView):
    def get(self, request, *args, **kwargs):
        _access_log(request, "inspect", self.instance)
        return super().get(request, *args, **kwargs)

    def get_field_label(self, field_name, field=None):
        return _INSPECT_LABELS.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field=None):
        if field_name.endswith("_cents"):
            return cents_display(getattr(self.instance, field_name), self.instance.currency)
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        payment = self.instance
        return super().get_context_data(
            refunds=list(payment.refunds.select_related("decided_by")),
            history=list(log_registry.get_logs_for_instance(payment).select_related("user")),
            **kwargs,
        )


class PaymentAdmin(ModelAdmin):
    model = Payment
    menu_label = gettext_lazy("Registre des paiements")
    menu_icon = "form"
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = PaymentButtonHelper
    index_view_class = LoggedIndexView
    inspect_view_enabled = True
    inspect_view_class = LoggedPaymentInspectView
    inspect_template_name = "booking/payments/admin/inspect.html"
    inspect_view_fields = [
        "appointment",
        "status",
        "amount_cents",
        "refunded_cents",
        "application_fee_cents",
        "currency",
        "created_at",
        "succeeded_at",
        "payment_intent_id",
        "stripe_account_id",
    ]
    list_display = ["created_at", "practitioner", "code", "amount", "status", "refunded"]
    list_filter = ["status"]
    search_fields = ["appointment__code", "payment_intent_id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("appointment__practitioner__page")

    # Columns: the admin calls these with the row (django.contrib.admin's convention).
    def practitioner(self, payment: Payment) -> str:
        return practitioner_name(payment.appointment.practitioner)

    def code(self, payment: Payment) -> str:
        return payment.appointment.code

    def amount(self, payment: Payment) -> str:
        return cents_display(payment.amount_cents, payment.currency)

    def refunded(self, payment: Payment) -> str:
        return cents_display(payment.refunded_cents, payment.currency)

    practitioner.short_description = gettext_lazy("praticien")  # type: ignore[attr-defined]
    code.short_description = gettext_lazy("rendez-vous")  # type: ignore[attr-defined]
    amount.short_description = gettext_lazy("montant")  # type: ignore[attr-defined]
    refunded.short_description = gettext_lazy("remboursé")  # type: ignore[attr-defined]


class PaymentAccessLogAdmin(ModelAdmin):
    model = PaymentAccessLog
    menu_label = gettext_lazy("Accès au registre")
    menu_icon = "list-ul"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ["accessed_at", "user", "action", "payment"]
    list_filter = ["action"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "payment")


class PaymentAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Paiements")
    menu_icon = "form"
    menu_order = 510
    items = (PaymentAdmin, PaymentAccessLogAdmin)


def log_actions_register(actions: LogActionRegistry) -> None:
    @actions.register_action(ACTION_PAYMENT_REFUND)
    class RefundFormatter(LogFormatter):
        label = gettext_lazy("Remboursement")

        def format_message(self, log_entry: ModelLogEntry) -> str:
            data = log_entry.data
            return _("Remboursement de %(amount)s : %(note)s") % {
                "amount": cents_display(int(data.get("amount_cents", 0))),
                "note": data.get("note", ""),
            }
