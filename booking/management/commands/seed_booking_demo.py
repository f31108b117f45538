"""`manage.py seed_booking_demo`: make every live demo practitioner bookable (idempotent).

Run after seed_demo (the Makefile's `setup` does). For each live practitioner page without a
booking Practitioner, it creates one with rules, weekly hours, a day off and an exceptional
Sunday opening, varied from one practitioner to the next so the demo shows different agendas.
Pages that already have one are left alone, so a practitioner's own settings are never
overwritten. Each practitioner it creates also gets a few past appointments (last two weeks) with
two client records, so that marking an appointment done or no-show can be tried: the recent ones
still confirmed (awaiting a mark), the older ones already marked. They are written as rows, not
through the booking service (which refuses the past and sends confirmations): no e-mail at seed
time, and the records have no address anyway. In the embedded demo only (settings.DEMO_MODE), it
also creates a practitioner account linked to the first page and a client account, and prints
them.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from booking.models import (
    Appointment,
    AppointmentStatus,
    ClientRecord,
    DayOff,
    OpeningHours,
    Practitioner,
    SpecialHours,
)
from booking.services.availability import next_free_slots_refresh
from cms.models import PractitionerPage, PractitionerService
from compliance.services import policy_versions_accept_in_force
from staff.models import PractitionerAccount
from staff.services import practitioner_account_link

# Demo only: never created when settings.DEMO_MODE is off (production, tests).
DEMO_PRACTITIONER = ("praticien@example.com", "demo-praticien-2026")
DEMO_CLIENT = ("client@example.com", "demo-client-2026")

# (slot step, buffer, notice hours, horizon days, cut-off hours, max reschedules)
RULES = [
    (30, 0, 24, 60, 24, 2),
    (15, 10, 12, 90, 48, 1),
    (60, 15, 48, 30, 24, 3),
    (30, 5, 2, 45, 12, 0),
]

# Weekly hours: weekdays (0 = Monday) and their ranges.
WEEKS = [
    ([0, 1, 2, 3, 4], [(time(9), time(12)), (time(14), time(18))]),
    ([1, 2, 3, 4, 5], [(time(8, 30), time(12, 30)), (time(13, 30), time(17))]),
    ([0, 2, 4], [(time(10), time(19))]),
    ([0, 1, 3, 5], [(time(9), time(13)), (time(15), time(20))]),
]


# The demo's phoned clients (no e-mail address, no phone: nothing can be sent to them).
PAST_CLIENTS = [("Martine", "Lefèvre"), ("Julien", "Moreau")]
# The past appointments of each new practitioner, oldest first: the older ones marked already,
# the two most recent still confirmed, awaiting the practitioner's mark.
PAST_STATUSES = [
    AppointmentStatus.DONE,
    AppointmentStatus.NO_SHOW,
    AppointmentStatus.DONE,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CONFIRMED,
]


def past_appointments_seed(
    *, practitioner: Practitioner, weekdays: list[int], ranges: list[tuple[time, time]], today: date
) -> list[Appointment]:
    """A few appointments on the practitioner's opening days of the last two weeks."""
    service = (
        PractitionerService.objects.filter(page_id=practitioner.page_id)
        .order_by("sort_order", "pk")
        .first()
    )
    open_days = [
        today - timedelta(days=n)
        for n in range(14, 0, -1)
        if (today - timedelta(days=n)).weekday() in weekdays
    ]
    if service is None or not open_days:
        return []
    # Spread over the fortnight, oldest first; never today (it may not be over yet).
    count = len(PAST_STATUSES)
    picked = sorted({open_days[i * (len(open_days) - 1) // (count - 1)] for i in range(count)})
    # Fewer open days than appointments: the most recent ones keep their "awaiting" status.
    statuses = PAST_STATUSES[count - len(picked) :]
    records = [
        ClientRecord.objects.create(practitioner=practitioner, first_name=first, last_name=last)
        for first, last in PAST_CLIENTS
    ]
    duration = timedelta(minutes=service.duration_minutes)
    buffer = timedelta(minutes=practitioner.buffer_minutes)
    created = []
    for index, (day, status) in enumerate(zip(picked, statuses, strict=True)):
        opens, closes = ranges[index % len(ranges)]
        start = datetime.combine(day, opens, tzinfo=practitioner.tz).astimezone(UTC)
        if start + duration > datetime.combine(day, closes, tzinfo=practitioner.tz):
            continue  # a service longer than the range: no appointment that day
        created.append(
            Appointment.objects.create(
                practitioner=practitioner,
                client_record=records[index % len(records)],
                service=service,
                service_name=service.name,
                duration_minutes=service.duration_minutes,
                price=service.price,
                mode=service.mode,
                start=start,
                end=start + duration,
                blocked_start=start - buffer,
                blocked_end=start + duration + buffer,
                status=status,
                rules_snapshot=practitioner.cancellation_rules(),
            )
        )
    return created


# In the embedded demo, the newest profiles stay closed so that an editor can try onboarding
# (open booking, invite) from the admin's Praticiens register.
ONBOARDING_DEMO_PAGES = 2


def booking_demo_seed(*, today: date, keep_closed: int = 0) -> int:
    """Create the missing booking Practitioners; return how many were created.

    The `keep_closed` newest live profiles are left without one, on every run.
    """
    live = list(PractitionerPage.objects.live().order_by("pk").values_list("pk", flat=True))
    closed = live[-keep_closed:] if keep_closed and len(live) > keep_closed else []
    pages = (
        PractitionerPage.objects.live()
        .filter(bookable__isnull=True)
        .exclude(pk__in=closed)
        .order_by("pk")
    )
    created = 0
    for index, page in enumerate(pages):
        step, buffer, notice, horizon, cutoff, reschedules = RULES[index % len(RULES)]
        weekdays, ranges = WEEKS[index % len(WEEKS)]
        with transaction.atomic():
            practitioner = Practitioner.objects.create(
                page=page,
                slot_step_minutes=step,
                buffer_minutes=buffer,
                min_notice_hours=notice,
                horizon_days=horizon,
                cancellation_cutoff_hours=cutoff,
                max_reschedules=reschedules,
            )
            OpeningHours.objects.bulk_create(
                OpeningHours(practitioner=practitioner, weekday=day, start=start, end=end)
                for day in weekdays
                for start, end in ranges
            )
            # A day off in about two weeks and a Sunday opening the week after.
            DayOff.objects.create(
                practitioner=practitioner,
                date=today + timedelta(days=14 + index % 5),
                reason="Formation",
            )
            sunday = today + timedelta(days=(6 - today.weekday()) % 7 + 21)
            SpecialHours.objects.create(
                practitioner=practitioner, date=sunday, start=time(10), end=time(13)
            )
            # Only for a practitioner created now: running the command again adds nothing.
            past_appointments_seed(
                practitioner=practitioner, weekdays=weekdays, ranges=ranges, today=today
            )
        created += 1
    return created


def demo_accounts_seed() -> list[tuple[str, str, str]]:
    """The demo's practitioner and client accounts: (role, e-mail, password) to print."""
    if not settings.DEMO_MODE:  # a second guard: this must never run in production
        raise RuntimeError("Demo accounts are only created when DEMO_MODE is on.")
    User = get_user_model()
    accounts = []
    with transaction.atomic():
        email, password = DEMO_PRACTITIONER
        page = PractitionerPage.objects.live().filter(bookable__isnull=False).order_by("pk").first()
        if page is not None:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email,
                    password,
                    first_name=page.title.split(" ")[0],
                    last_name=" ".join(page.title.split(" ")[1:]),
                    email_verified_at=timezone.now(),
                )
                policy_versions_accept_in_force(user=user, context="signup")
            if not PractitionerAccount.objects.filter(page=page).exists():
                practitioner_account_link(user=user, page=page)
            accounts.append((f"praticien ({page.title})", email, password))
        email, password = DEMO_CLIENT
        if not User.objects.filter(email=email).exists():
            client = User.objects.create_user(
                email,
                password,
                first_name="Claire",
                last_name="Démo",
                email_verified_at=timezone.now(),
            )
            policy_versions_accept_in_force(user=client, context="signup")
        accounts.append(("client", email, password))
    return accounts


class Command(BaseCommand):
    help = (
        "Rend réservables les fiches praticiens publiées qui ne le sont pas encore : règles, "
        "horaires, un jour de fermeture, une ouverture exceptionnelle et quelques rendez-vous "
        "passés à marquer (honoré ou absence). Ne crée aucun compte et ne modifie pas les "
        "praticiens existants."
    )

    def handle(self, *args, **options):
        keep_closed = ONBOARDING_DEMO_PAGES if settings.DEMO_MODE else 0
        created = booking_demo_seed(today=timezone.localdate(), keep_closed=keep_closed)
        if settings.DEMO_MODE:
            self.stdout.write(
                self.style.WARNING("Comptes de démonstration (http://127.0.0.1:8000/compte/) :")
            )
            for role, email, password in demo_accounts_seed():
                self.stdout.write(f"  {role} : {email} / {password}")
        # The directory shows each practitioner's cached next free slot: compute those the
        # seed created (and any never computed) now rather than at the first cron pass.
        next_free_slots_refresh()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Praticiens réservables créés : {created}."))
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    "Rien à créer : les praticiens publiés sont déjà réservables"
                    + (
                        f" (sauf {keep_closed}, gardés pour essayer l'intégration)."
                        if keep_closed
                        else "."
                    )
                )
            )
