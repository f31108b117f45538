"""The bookable side of practitioners: rules, hours, exceptions, appointments, client records.

One module per part; everything is importable from `booking.models`, as the migrations expect.
"""

from booking.models.appointments import (
    ACTIVE_STATUSES,
    NOT_APPOINTMENT_STATUSES,
    PENDING_STATUSES,
    Appointment,
    AppointmentAccessLog,
    AppointmentStatus,
    CancelledBy,
    PaymentMethod,
)
from booking.models.clients import ClientRecord
from booking.models.payments import (
    Payment,
    PaymentAccessLog,
    PaymentAccount,
    PaymentAccountState,
    PaymentEvent,
    PaymentRefund,
    PaymentStatus,
    RefundReason,
)
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
    "NOT_APPOINTMENT_STATUSES",
    "PENDING_STATUSES",
    "Appointment",
    "AppointmentAccessLog",
    "AppointmentStatus",
    "BlockedRange",
    "CancelledBy",
    "ClientRecord",
    "DayOff",
    "OpeningHours",
    "Payment",
    "PaymentAccessLog",
    "PaymentAccount",
    "PaymentAccountState",
    "PaymentEvent",
    "PaymentMethod",
    "PaymentRefund",
    "PaymentStatus",
    "Practitioner",
    "PractitionerInvitation",
    "PractitionerQuerySet",
    "RefundReason",
    "SpecialHours",
    "Weekday",
    "_calendar_token",  # named by migration 0001
    "_validate_timezone",  # named by migration 0001
    "availability_of",
]
