"""The booking JSON API under /api/v1/booking/ (routes in booking/api/urls.py, mounted once by
site/api.py).

The same operations as the web pages, for the site's own scripts and apps that share its
session: reading a practitioner's services and free slots is public; booking, listing and
changing appointments needs a signed-in user (session cookie, plus the CSRF token in the
X-CSRFToken header for writes, as DRF's SessionAuthentication checks, like /api/v1/policies/).

Errors are JSON with a French `detail`: field errors as {"field": ["message"]} (DRF's format),
refusals by the booking rules as {"code": ..., "detail": ...}:
- 400 `outside_booking_rules`: the time is not offered (notice, horizon, hours, step) or the
  service is not the practitioner's;
- 409 `slot_unavailable`: the slot was just taken, with `alternatives` (next free slots);
- 409 `change_not_allowed`: a cancellation or reschedule refused by the appointment's state
  (cut-off passed, too many reschedules, cancelled or started). 409 rather than 400: the request
  is well-formed, it conflicts with the appointment's current state and may have been accepted
  earlier.
"""
