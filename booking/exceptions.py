"""Why a booking, a cancellation or a reschedule is refused.

Each error carries a French `message` meant for the person who tried (views show it, the API
returns it) and a stable `code` for programs (the API, tests). Views map them to 4xx answers:
none of them is a server error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from booking.slots import Slot


class BookingError(Exception):
    """A refused booking operation; nothing was changed."""

    code = "booking_error"
    default_message = _("Cette opération n'est pas possible.")

    def __init__(self, message: str | None = None, *, code: str | None = None) -> None:
        # Translated when raised, in the language of the request being answered.
        self.message = str(message or self.default_message)
        if code is not None:
            self.code = code
        super().__init__(self.message)


class SlotUnavailable(BookingError):
    """The slot was free a moment ago but is taken now (or by a concurrent booking)."""

    code = "slot_unavailable"
    default_message = _("Ce créneau vient d'être pris. Choisissez un autre horaire.")

    def __init__(
        self,
        message: str | None = None,
        *,
        alternatives: list[Slot] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message, code=code)
        # The next free slots of the same service, to propose at once (at most five).
        self.alternatives: list[Slot] = list(alternatives or [])


class OutsideBookingRules(BookingError):
    """The time is not offered by the rules, the service is unknown or foreign, or the
    practitioner does not take bookings."""

    code = "outside_booking_rules"
    default_message = _("Cet horaire n'est pas proposé à la réservation.")


class ChangeNotAllowed(BookingError):
    """A cancellation, reschedule or status change refused (cut-off passed, too many
    reschedules, appointment cancelled or already started, or not the caller's)."""

    code = "change_not_allowed"
    default_message = _("Ce rendez-vous ne peut plus être modifié.")
