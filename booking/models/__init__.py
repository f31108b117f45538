"""The bookable side of practitioners: rules, hours, exceptions, appointments, client records.

One module per part; everything is importable from `booking.models`, as the migrations expect.
"""

from booking.models.appointments import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentAccessLog,
    AppointmentStatus,
    CancelledBy,
    PaymentMethod,
)
from booking.models.clients import ClientRecord
from booking.models.practitioners import (
    BlockedRange,
    DayOff,
    OpeningHours,
    Practitioner,
    PractitionerQuerySet,
    SpecialHours,
    Weekday,
    _calendar_token,
    _validate_timezone,
    availability_of,
)
from booking.onboarding.models import PractitionerInvitation

__all__ = [
    "ACTIVE_STATUSES",
    "Appointment",
    "AppointmentAccessLog",
    "AppointmentStatus",
    "BlockedRange",
    "CancelledBy",
    "ClientRecord",
    "DayOff",
    "OpeningHours",
    "PaymentMethod",
    "Practitioner",
    "PractitionerInvitation",
    "PractitionerQuerySet",
    "SpecialHours",
    "Weekday",
    "_calendar_token",  # named by migration 0001
    "_validate_timezone",  # named by migration 0001
    "availability_of",
]
