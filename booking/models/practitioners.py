"""The bookable practitioner: their rules, weekly hours, days off, special hours, blocked ranges.

A plain model linked one-to-one to the Wagtail page, so that copying, drafting or unpublishing
the page cannot break a booking. Wall-clock hours are in the practitioner's time zone.
"""

import secrets
from datetime import timedelta
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from booking.slots import Availability, BookingRules, OpeningRange


def _calendar_token() -> str:
    return secrets.token_urlsafe(32)


def _validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("Fuseau horaire inconnu : %(tz)s"), params={"tz": value})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class PractitionerQuerySet(models.QuerySet["Practitioner"]):
    def taking_bookings(self) -> "PractitionerQuerySet":
        """Online booking is live: the practitioner takes bookings, no editor suspended them,
        and opening hours exist (a practitioner opened by an editor waits for their hours)."""
        return self.filter(
            accepts_bookings=True,
            booking_suspended_at__isnull=True,
            page__live=True,
        ).filter(models.Exists(OpeningHours.objects.filter(practitioner=models.OuterRef("pk"))))


class Practitioner(models.Model):
    """A practitioner who takes appointments, with their booking rules."""

    page = models.OneToOneField(
        "cms.PractitionerPage",
        verbose_name=_("fiche praticien"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="bookable",
    )
    timezone = models.CharField(
        _("fuseau horaire"), max_length=64, default="Europe/Paris", validators=[_validate_timezone]
    )
    accepts_bookings = models.BooleanField(_("prend des rendez-vous en ligne"), default=True)
    # Set by an editor (booking.onboarding.services), not by the practitioner: new bookings are
    # refused while it is set, appointments already booked stay.
    booking_suspended_at = models.DateTimeField(
        _("réservation en ligne suspendue le"), null=True, blank=True
    )
    slot_step_minutes = models.PositiveSmallIntegerField(
        _("pas des créneaux (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("battement entre deux rendez-vous (minutes)"),
        default=0,
        validators=[MaxValueValidator(120)],
    )
    min_notice_hours = models.PositiveSmallIntegerField(
        _("délai minimum de réservation (heures)"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("réservation possible jusqu'à (jours)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    cancellation_cutoff_hours = models.PositiveSmallIntegerField(
        _("annulation ou report possible jusqu'à (heures avant)"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
    )
    max_reschedules = models.PositiveSmallIntegerField(
        _("nombre maximum de reports par rendez-vous"),
        default=2,
        validators=[MaxValueValidator(10)],
    )
    calendar_token = models.CharField(
        _("jeton du calendrier privé"), max_length=64, unique=True, default=_calendar_token
    )
    # The directory's "Prochaine disponibilité": the first free slot of the shortest service,
    # kept here so a list of practitioners never runs the slot engine per card. Refreshed when
    # what it depends on changes (booking.services.availability) and periodically as time
    # passes; None means no free slot online within the horizon.
    next_free_start = models.DateTimeField(
        _("prochaine disponibilité"), null=True, blank=True, db_index=True
    )
    next_free_refreshed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Ask for online payment at booking (a service may say otherwise: PractitionerService.
    # payment); only once their Stripe account takes charges (booking.payments.selectors).
    online_payment = models.BooleanField(
        _("paiement en ligne à la réservation"),
        default=False,
        help_text=_(
            "Vos clients règlent en ligne en réservant, sur votre propre compte Stripe. Sinon, "
            "ils règlent sur place."
        ),
    )

    objects = PractitionerQuerySet.as_manager()

    class Meta:
        verbose_name = _("praticien (réservation)")
        verbose_name_plural = _("praticiens (réservation)")

    def __str__(self) -> str:
        return self.page.title if self.page is not None else f"Praticien #{self.pk}"

    @property
    def takes_bookings(self) -> bool:
        """Bookings are open on the practitioner's side and not suspended by an editor."""
        return self.accepts_bookings and self.booking_suspended_at is None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def booking_rules(self) -> BookingRules:
        return BookingRules(
            step=timedelta(minutes=self.slot_step_minutes),
            buffer=timedelta(minutes=self.buffer_minutes),
            min_notice=timedelta(hours=self.min_notice_hours),
            horizon=timedelta(days=self.horizon_days),
            tz=self.tz,
        )

    def cancellation_rules(self) -> dict:
        """The rules an appointment keeps a copy of when it is booked (see Appointment)."""
        return {
            "cancellation_cutoff_hours": self.cancellation_cutoff_hours,
            "max_reschedules": self.max_reschedules,
            "buffer_minutes": self.buffer_minutes,
            "timezone": self.timezone,
        }


class OpeningHours(models.Model):
    """One weekly range of opening hours; a day may have several."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start = models.TimeField(_("de"))
    end = models.TimeField(_("à"))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="opening_hours_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def as_range(self) -> OpeningRange:
        return OpeningRange(self.weekday, self.start, self.end)


class DayOff(models.Model):
    """A whole day without appointments (holidays, training...)."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="days_off"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("motif (privé)"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("jour de fermeture")
        verbose_name_plural = _("jours de fermeture")
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "date"], name="one_day_off_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"


class SpecialHours(models.Model):
    """Hours that replace the weekly hours on one date (an exceptional opening, say)."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="special_hours"
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("de"))
    end = models.TimeField(_("à"))

    class Meta:
        ordering = ["date", "start"]
        verbose_name = _("ouverture exceptionnelle")
        verbose_name_plural = _("ouvertures exceptionnelles")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="special_hours_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.start:%H:%M}-{self.end:%H:%M}"


class BlockedRange(models.Model):
    """A span of time the practitioner keeps free of appointments (blocked from the agenda)."""

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="blocked_ranges"
    )
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    reason = models.CharField(_("motif (privé)"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("plage bloquée")
        verbose_name_plural = _("plages bloquées")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="blocked_range_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M} → {self.end:%Y-%m-%d %H:%M}"


def availability_of(practitioner: Practitioner) -> Availability:
    """The practitioner's hours as the slot engine takes them (three queries)."""
    special: dict = {}
    for row in practitioner.special_hours.all():
        special.setdefault(row.date, []).append((row.start, row.end))
    return Availability(
        weekly=[row.as_range() for row in practitioner.opening_hours.all()],
        days_off={row.date for row in practitioner.days_off.all()},
        special_hours=special,
    )
