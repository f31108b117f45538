"""Why an onboarding step is refused: a French message for the person, a stable code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from booking.exceptions import BookingError


class OnboardingError(BookingError):
    code = "onboarding_error"
    default_message = _("Cette opération n'est pas possible pour ce praticien.")


class InvitationInvalid(OnboardingError):
    """The link is unknown, expired, already used or replaced by a newer one."""

    code = "invitation_invalid"
    default_message = _("Ce lien d'invitation n'est pas (ou plus) valable.")
