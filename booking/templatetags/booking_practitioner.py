"""What the practitioner area shows on every page: the checklist until booking is live."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from booking.models import OpeningHours, PaymentAccountState, Practitioner
from booking.payments.selectors import payment_account_state
from cms.models import PractitionerService

register = template.Library()


@dataclass(frozen=True)
class ChecklistStep:
    label: str
    done: bool
    url: str = ""
    note: str = ""
    required: bool = True  # an optional step is shown, never waited for


@dataclass(frozen=True)
class Checklist:
    steps: list[ChecklistStep]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps if step.required)


@register.simple_tag
def practitioner_checklist(practitioner: Practitioner) -> Checklist:
    """Hours and services (and online booking switched on): clients are offered booking once
    these are done; the rules and online payment (done once the Stripe account takes charges) are
    shown as optional steps and never wait."""
    page_id = practitioner.page_id
    has_hours = OpeningHours.objects.filter(practitioner=practitioner).exists()
    has_services = PractitionerService.objects.filter(page_id=page_id, page__live=True).exists()
    steps = [
        ChecklistStep(
            _("Saisir vos horaires d'ouverture"), has_hours, reverse("practitioner:hours")
        ),
        ChecklistStep(
            _("Vérifier vos règles de réservation (délai, horizon, annulation)"),
            False,
            reverse("practitioner:rules"),
            _("Facultatif : des règles par défaut s'appliquent tant que vous ne les changez pas."),
            required=False,
        ),
        ChecklistStep(
            _("Décrire vos prestations sur votre fiche"),
            has_services,
            reverse("wagtailadmin_pages:edit", args=[page_id]) if page_id else "",
            _(
                "Chaque modification de la fiche est relue par l'équipe éditoriale avant "
                "publication."
            ),
        ),
    ]
    if not practitioner.accepts_bookings:
        steps.append(
            ChecklistStep(
                _("Activer la prise de rendez-vous en ligne"), False, reverse("practitioner:rules")
            )
        )
    # Optional: until the practitioner's Stripe account takes charges, clients pay on site.
    charges_enabled = payment_account_state(practitioner) == PaymentAccountState.ENABLED
    steps.append(
        ChecklistStep(
            _("Paiement en ligne"),
            charges_enabled,
            reverse("practitioner:payments"),
            ""
            if charges_enabled
            else _("Facultatif : en attendant, vos clients règlent sur place."),
            required=False,
        )
    )
    return Checklist(steps=steps)
