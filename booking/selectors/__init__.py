"""Reads of the booking app, one module per subject; import them from here.

slots: free slots (the one answer to "next free slot" and "alternatives after a conflict");
appointments: what clients and practitioners see of appointments, why a change is refused;
clients: the practitioner's own clients.
"""

from booking.selectors.appointments import (
    appointment_change_refusal,
    client_active_appointment_at,
    client_appointment,
    client_appointments,
    is_clients_appointment,
    is_practitioner_user,
    practitioner_agenda,
    practitioner_blocked_ranges,
)
from booking.selectors.clients import (
    SEARCH_MAX_LENGTH,
    PractitionerClient,
    practitioner_client_appointments,
    practitioner_clients,
    practitioner_has_client,
)
from booking.selectors.slots import (
    ALTERNATIVES_COUNT,
    MAX_RANGE_DAYS,
    bookable_practitioner,
    busy_intervals,
    day_bounds,
    practitioner_free_slots,
    practitioner_next_free_slot,
    practitioner_service,
    practitioner_services,
    service_is_bookable,
    session_hold,
    slot_alternatives,
    slots_for_duration,
    upcoming_free_slots,
)

__all__ = [
    "ALTERNATIVES_COUNT",
    "MAX_RANGE_DAYS",
    "SEARCH_MAX_LENGTH",
    "PractitionerClient",
    "appointment_change_refusal",
    "bookable_practitioner",
    "busy_intervals",
    "client_active_appointment_at",
    "client_appointment",
    "client_appointments",
    "day_bounds",
    "is_clients_appointment",
    "is_practitioner_user",
    "practitioner_agenda",
    "practitioner_blocked_ranges",
    "practitioner_client_appointments",
    "practitioner_clients",
    "practitioner_free_slots",
    "practitioner_has_client",
    "practitioner_next_free_slot",
    "practitioner_service",
    "practitioner_services",
    "service_is_bookable",
    "session_hold",
    "slot_alternatives",
    "slots_for_duration",
    "upcoming_free_slots",
]
