"""Writes of the booking app, one module per subject; import them from here.

appointments: book (with the acceptance of the documents in force); holds: keep a chosen slot
while the visitor signs in, confirm it, sweep expired holds; changes: cancel, reschedule, mark;
schedule: what the practitioner sets (rules, weekly hours, days off, openings, blocked ranges,
calendar feed secret).

Only the services are exported here; the checks and constants the forms share with them
(RULE_FIELDS, ranges_overlap_check, local_instant...) are imported from their module,
booking.services.schedule.
"""

from booking.services.appointments import appointment_book, practitioner_for_page
from booking.services.changes import appointment_cancel, appointment_mark, appointment_reschedule
from booking.services.holds import hold_confirm, slot_hold, slot_holds_sweep
from booking.services.schedule import (
    blocked_range_create,
    blocked_range_remove,
    calendar_token_regenerate,
    day_off_add,
    day_off_remove,
    opening_hours_copy,
    opening_hours_replace,
    practitioner_rules_update,
    special_hours_add,
    special_hours_remove,
)

__all__ = [
    "appointment_book",
    "appointment_cancel",
    "appointment_mark",
    "appointment_reschedule",
    "blocked_range_create",
    "blocked_range_remove",
    "calendar_token_regenerate",
    "day_off_add",
    "day_off_remove",
    "hold_confirm",
    "opening_hours_copy",
    "opening_hours_replace",
    "practitioner_for_page",
    "practitioner_rules_update",
    "slot_hold",
    "slot_holds_sweep",
    "special_hours_add",
    "special_hours_remove",
]
