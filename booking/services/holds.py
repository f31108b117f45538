"""Slot holds: the slot a visitor chooses is kept for them while they sign in and confirm.

A hold is an Appointment row with status HELD, `hold_expires_at` (the only clock: the payment
step will push it back while a payment is pending) and `hold_key`, a secret kept in the
browser's session, so that a visitor without an account yet owns it; it names no client until
it is confirmed. It is written like an appointment (booking.services.appointments.slot_write:
the practitioner's lock, the same checks, the same exclusion constraint), so nobody can book
or hold a held slot. An expired hold occupies nothing: the slot engine ignores it and every
writer removes it under the lock before writing; slot_holds_sweep only tidies the table.

One hold per browser at a time (a new one replaces the previous one), and a cap per network
and hour (hold_quota_take): a visitor cannot hold the whole agenda.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ReferenceIndex

from accounts.models import User
from booking.exceptions import BookingError
from booking.models import Appointment, AppointmentAccessLog, AppointmentStatus, Practitioner
from booking.services.appointments import (
    _check_slot,
    appointment_create,
    slot_fields,
    slot_row_save,
    slot_write,
)
from booking.services.availability import next_free_refresh_on_commit
from cms.models import PractitionerService
from core.counters import counter_key, window_counter_incr
from core.network import ip_throttle_key

# Holds one network may take per hour (each attempt counts, refused ones included). A person
# hesitating between slots takes a few; a script emptying an agenda takes hundreds.
HOLD_WINDOW = 60 * 60
MAX_HOLDS_PER_NETWORK = 30
# Expired holds deleted per transaction by the sweep.
SWEEP_BATCH = 500


class HoldLimitReached(BookingError):
    """Too many holds from one network within the hour (a 429 for the pages)."""

    code = "hold_limit_reached"
    default_message = _(
        "Trop de créneaux ont été retenus depuis votre connexion en peu de temps. "
        "Réessayez dans une heure."
    )


def hold_duration() -> timedelta:
    """How long a hold keeps its slot (BOOKING_HOLD_MINUTES, 10 by default)."""
    return timedelta(minutes=settings.BOOKING_HOLD_MINUTES)


def hold_key_new() -> str:
    """The secret a browser's session keeps to own its hold (43 URL-safe characters)."""
    return secrets.token_urlsafe(32)


def hold_quota_take(*, ip: str) -> None:
    """Count one hold attempt from `ip`'s network; raises HoldLimitReached past the cap.

    The counter is keyed by a digest of the network (one IPv4 address, one IPv6 /64), as for
    logins: the cache holds no address in clear. Without a known address nothing is counted
    (the one-hold-per-session rule still applies).
    """
    network = ip_throttle_key(ip)
    if not network:
        return
    count = window_counter_incr(counter_key("hold:ip:", network), window=HOLD_WINDOW)
    if count > MAX_HOLDS_PER_NETWORK:
        raise HoldLimitReached()


def slot_hold(
    *,
    practitioner: Practitioner,
    service: PractitionerService,
    start: datetime,
    hold_key: str,
) -> Appointment:
    """Hold `service` at `start` for the browser owning `hold_key`; raises a BookingError
    (SlotUnavailable with alternatives when taken) and changes nothing if not.

    Checked exactly like an online booking. The browser's previous hold is replaced; holding
    the same slot again (a double click, an expired hold coming back) keeps the same row and
    reference and starts the clock again.
    """
    if not hold_key:
        raise ValueError("A hold needs the key of the browser that holds it.")

    def write(
        locked: Practitioner, row: PractitionerService, at: datetime, now: datetime
    ) -> Appointment:
        previous = list(
            Appointment.objects.select_for_update().filter(
                status=AppointmentStatus.HELD, hold_key=hold_key
            )
        )
        same = next(
            (
                hold
                for hold in previous
                if (hold.practitioner_id, hold.service_id, hold.start) == (locked.pk, row.pk, at)
            ),
            None,
        )
        replaced = [hold for hold in previous if hold is not same]
        if replaced:
            Appointment.objects.filter(pk__in=[hold.pk for hold in replaced]).delete()
            for practitioner_id in {hold.practitioner_id for hold in replaced} - {locked.pk}:
                next_free_refresh_on_commit(practitioner_id)
        _check_slot(
            practitioner=locked,
            start=at,
            duration=timedelta(minutes=row.duration_minutes),
            now=now,
            exclude_appointment_id=same.pk if same is not None else None,
        )
        fields = {
            **slot_fields(locked=locked, row=row, start=at),
            "status": AppointmentStatus.HELD,
            "hold_key": hold_key,
            "hold_expires_at": now + hold_duration(),
        }
        return slot_row_save(same, fields)

    # The browser's own hold of this very slot, kept by the lock's removal of expired holds:
    # holding it again keeps its reference (the confirm step's URL).
    aware = isinstance(start, datetime) and timezone.is_aware(start)
    same_id = (
        Appointment.objects.filter(
            status=AppointmentStatus.HELD,
            hold_key=hold_key,
            practitioner_id=practitioner.pk,
            service_id=getattr(service, "pk", None),
            start=start,
        )
        .values_list("pk", flat=True)
        .first()
        if aware
        else None
    )
    return slot_write(
        practitioner=practitioner,
        service=service,
        start=start,
        online=True,
        write=write,
        keep_hold_id=same_id,
    )


def hold_confirm(*, hold: Appointment, client: User) -> Appointment:
    """Turn `hold` into `client`'s appointment (booking.services.appointments.appointment_create,
    the one writer: the same checks, acceptance of what is missing, snapshots, e-mails).

    An expired hold is confirmed if nobody took its slot meanwhile; one that is gone books the
    slot anew if it is still free; otherwise SlotUnavailable, with alternatives.
    """
    return appointment_create(
        practitioner=hold.practitioner,
        service=hold.service,  # type: ignore[arg-type]  # None: refused as an unknown service
        start=hold.start,
        client=client,
        online=True,
        hold=hold,
    )


def slot_holds_sweep(*, now: datetime | None = None) -> int:
    """Delete the holds expired at `now`, in bulk; returns how many. Run every few minutes.

    Nothing depends on it for correctness (an expired hold occupies nothing, and writers remove
    the ones in their way): it keeps the table small. A fixed number of queries per batch of
    SWEEP_BATCH holds, whatever their number: Wagtail's reference index listens to every
    deletion, which would make the ORM delete row by row, so the rows that may point at a hold
    (its reference-index entries, an admin's access log) are deleted with it, in bulk. The
    practitioners concerned get their cached next free slot refreshed.
    """
    now = now or timezone.now()
    content_type = ContentType.objects.get_for_model(Appointment)
    deleted = 0
    while True:
        with transaction.atomic():
            rows = list(
                Appointment.objects.filter(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
                .order_by("pk")
                .values_list("pk", "practitioner_id")[:SWEEP_BATCH]
            )
            if not rows:
                return deleted
            ids = [pk for pk, _practitioner_id in rows]
            for queryset in (
                ReferenceIndex.objects.filter(
                    base_content_type=content_type, object_id__in=[str(pk) for pk in ids]
                ),
                AppointmentAccessLog.objects.filter(appointment_id__in=ids),
                Appointment.accepted_versions.through.objects.filter(appointment_id__in=ids),
            ):
                queryset._raw_delete(queryset.db)
            holds = Appointment.objects.filter(pk__in=ids, status=AppointmentStatus.HELD)
            deleted += holds._raw_delete(holds.db)
            for practitioner_id in {practitioner_id for _pk, practitioner_id in rows}:
                next_free_refresh_on_commit(practitioner_id)
