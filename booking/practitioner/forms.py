"""Forms of the practitioner area. They check the input; services write it."""

import datetime as dt
from typing import Any, ClassVar, cast
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from booking.models import AppointmentStatus, Practitioner, Weekday
from booking.practitioner.timezones import timezone_choices
from booking.selectors.slots import day_bounds
from booking.services.collisions import Collisions
from booking.services.schedule import (
    RULE_FIELDS,
    local_instant,
    wall_clock_ranges_check,
    weekly_ranges_check,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def _today(practitioner: Practitioner) -> dt.date:
    return timezone.now().astimezone(practitioner.tz).date()


def _not_before_today(day: dt.date, practitioner: Practitioner) -> dt.date:
    if day < _today(practitioner):
        raise ValidationError(_("Cette date est déjà passée."), code="past_date")
    return day


class AppointmentMarkForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Issue du rendez-vous"),
        choices=[
            (AppointmentStatus.DONE, _("Honoré")),
            (AppointmentStatus.NO_SHOW, _("Absence du client")),
        ],
        widget=forms.RadioSelect,
    )


class AppointmentCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation (transmis au client)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif de l'annulation : le client le lira.")},
    )


class CollisionsForm(forms.Form):
    """The choice a closure over booked appointments asks for (booking.services.collisions).

    Its fields show only once the closure was refused with the list of appointments: `seen`
    carries back the references of that list, so that a choice made on it is not applied to
    another (an appointment booked meanwhile makes the service ask again).
    """

    cancel_label: ClassVar[str | Promise]
    keep_label: ClassVar[str | Promise]
    practitioner: Practitioner

    collisions = forms.ChoiceField(
        label=_("Ces rendez-vous"), choices=(), widget=forms.RadioSelect, required=False
    )
    cancel_reason = forms.CharField(
        label=_("Motif de l'annulation (transmis aux clients)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collisions"].choices = [  # type: ignore[attr-defined]
            (Collisions.CANCEL.value, self.cancel_label),
            (Collisions.KEEP.value, self.keep_label),
        ]

    def clean_collisions(self) -> Collisions:
        return Collisions(self.cleaned_data["collisions"] or Collisions.REFUSE)

    def clean_seen(self) -> list[UUID]:
        try:
            return [UUID(value) for value in self.cleaned_data["seen"].split()]
        except ValueError:
            raise ValidationError(
                _(
                    "La liste des rendez-vous affichée est illisible : ajoutez la fermeture de "
                    "nouveau."
                ),
                code="bad_seen",
            ) from None

    def clean_cancel_reason(self) -> str:
        reason = self.cleaned_data["cancel_reason"].strip()
        if self.data.get(self.add_prefix("collisions")) == Collisions.CANCEL and not reason:
            raise ValidationError(
                _("Indiquez le motif de l'annulation : les clients le liront."),
                code="required",
            )
        return reason

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        """The closed time [start, end) as UTC instants, once the dates are valid."""
        raise NotImplementedError


class BlockedRangeForm(CollisionsForm):
    """A range on the practitioner's clock, over one day or several (end day left blank: the
    start day)."""

    cancel_label = _("Bloquer et annuler ces rendez-vous (motif envoyé aux clients)")
    keep_label = _("Bloquer en gardant ces rendez-vous")

    date = forms.DateField(label=_("Du"), widget=DateInput)
    start = forms.TimeField(label=_("À partir de"), widget=TimeInput)
    end_date = forms.DateField(
        label=_("Au"),
        widget=DateInput,
        required=False,
        help_text=_("Laissez vide pour une plage dans la journée."),
    )
    end = forms.TimeField(label=_("Jusqu'à"), widget=TimeInput)
    reason = forms.CharField(
        label=_("Motif (visible de vous seul)"), max_length=120, required=False
    )
    field_order = ["date", "start", "end_date", "end", "reason"]

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner

    def clean_date(self) -> dt.date:
        # Before any conversion: a date of year 1 would overflow it.
        return _not_before_today(self.cleaned_data["date"], self.practitioner)

    def clean_end_date(self) -> dt.date | None:
        day = self.cleaned_data["end_date"]
        return None if day is None else _not_before_today(day, self.practitioner)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day is None or start is None or end is None or "end_date" in self.errors:
            return data
        end_day = data.get("end_date") or day
        if (end_day, end) <= (day, start):
            raise ValidationError(_("La fin de la plage doit être après son début."))
        tz = self.practitioner.tz
        data["start_at"] = local_instant(day=day, clock=start, tz=tz)
        data["end_at"] = local_instant(day=end_day, clock=end, tz=tz)
        if data["end_at"] <= timezone.now():
            raise ValidationError(_("Cette plage est déjà passée."))
        return data

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        data = getattr(self, "cleaned_data", {})
        if "start_at" in data and "end_at" in data:
            return data["start_at"], data["end_at"]
        return None


class RulesForm(forms.ModelForm):
    timezone = forms.TypedChoiceField(
        label=_("Fuseau horaire"),
        # A callable: the labels follow the request's language.
        choices=timezone_choices,
        help_text=_("Vos horaires et votre agenda sont exprimés dans ce fuseau."),
    )

    class Meta:
        model = Practitioner
        fields = RULE_FIELDS
        help_texts = {
            "accepts_bookings": _(
                "Décochez pour suspendre la prise de rendez-vous en ligne ; les rendez-vous "
                "déjà pris sont maintenus."
            ),
            "slot_step_minutes": _("Intervalle entre deux heures de début proposées."),
            "min_notice_hours": _("Aucun créneau n'est proposé avant ce délai."),
            "cancellation_cutoff_hours": _(
                "S'applique aux rendez-vous pris après ce changement : chaque rendez-vous garde "
                "les règles en vigueur lors de sa réservation."
            ),
        }


class OpeningHoursForm(forms.Form):
    """One weekly range; a row left (or made) blank is no range at all."""

    weekday = forms.TypedChoiceField(
        label=_("Jour"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start = forms.TimeField(label=_("De"), widget=TimeInput, required=False)
    end = forms.TimeField(label=_("À"), widget=TimeInput, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        values = (data.get("weekday"), data.get("start"), data.get("end"))
        if all(value is None for value in values):
            data["blank"] = True
            return data
        if any(value is None for value in values):
            raise ValidationError(_("Indiquez le jour, l'heure de début et l'heure de fin."))
        if data["start"] >= data["end"]:
            raise ValidationError(_("L'heure de fin doit être après l'heure de début."))
        return data


class BaseOpeningHoursFormSet(forms.BaseFormSet):
    ranges: list[tuple[int, dt.time, dt.time]]

    def __init__(self, *args: Any, practitioner: Practitioner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner

    def clean(self) -> None:
        if any(self.errors):
            return
        ranges = [
            (form.cleaned_data["weekday"], form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and not form.cleaned_data.get("blank")
        ]
        # Overlaps are refused rather than merged: the practitioner sees what they typed.
        weekly_ranges_check(ranges=ranges, tz=self.practitioner.tz, today=_today(self.practitioner))
        self.ranges = ranges


# formset_factory is typed as returning a plain BaseFormSet: the cast keeps `ranges` known.
OpeningHoursFormSet = cast(
    type[BaseOpeningHoursFormSet],
    forms.formset_factory(
        OpeningHoursForm,
        formset=BaseOpeningHoursFormSet,
        extra=3,
        can_delete=True,
        max_num=42,
        validate_max=True,
    ),
)


class OpeningHoursCopyForm(forms.Form):
    """ "Copy Monday's hours to: [ ] Tuesday [ ] Wednesday..." without any script."""

    from_weekday = forms.TypedChoiceField(
        label=_("Copier les horaires du"), choices=Weekday.choices, coerce=int
    )
    to_weekdays = forms.TypedMultipleChoiceField(
        label=_("vers"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les plages des jours cochés sont remplacées par celles du jour copié."),
        error_messages={"required": _("Cochez au moins un jour vers lequel copier.")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "from_weekday" in data and "to_weekdays" in data:
            data["to_weekdays"] = [d for d in data["to_weekdays"] if d != data["from_weekday"]]
            if not data["to_weekdays"]:
                self.add_error("to_weekdays", _("Cochez au moins un autre jour que le jour copié."))
        return data


class DayOffForm(CollisionsForm):
    cancel_label = _("Fermer et annuler ces rendez-vous (motif envoyé aux clients)")
    keep_label = _("Fermer en gardant ces rendez-vous")

    date = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.CharField(
        label=_("Motif (visible de vous seul)"), max_length=120, required=False
    )
    field_order = ["date", "reason"]

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner

    def clean_date(self) -> dt.date:
        return _not_before_today(self.cleaned_data["date"], self.practitioner)

    def span(self) -> tuple[dt.datetime, dt.datetime] | None:
        day = getattr(self, "cleaned_data", {}).get("date")
        try:
            return None if day is None else day_bounds(self.practitioner, day, day)
        except OverflowError:  # the service refuses such a date with a message
            return None


class SpecialHoursForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("De"), widget=TimeInput)
    end = forms.TimeField(label=_("À"), widget=TimeInput)

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner

    def clean_date(self) -> dt.date:
        return _not_before_today(self.cleaned_data["date"], self.practitioner)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if start is not None and end is not None and start >= end:
            raise ValidationError(_("L'heure de fin doit être après l'heure de début."))
        if day is not None and start is not None and end is not None:
            wall_clock_ranges_check(ranges=[(day, start, end)], tz=self.practitioner.tz)
        return data
