"""Forms of the practitioner area. They check the input; services write it."""

import datetime as dt
from typing import Any, cast
from zoneinfo import available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booking.models import AppointmentStatus, Practitioner, Weekday
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


class BlockedRangeForm(forms.Form):
    """A range of one day, on the practitioner's clock."""

    date = forms.DateField(label=_("Date"), widget=DateInput)
    start = forms.TimeField(label=_("De"), widget=TimeInput)
    end = forms.TimeField(label=_("À"), widget=TimeInput)
    reason = forms.CharField(
        label=_("Motif (visible de vous seul)"), max_length=120, required=False
    )

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner

    def clean_date(self) -> dt.date:
        # Before any conversion: a date of year 1 would overflow it.
        return _not_before_today(self.cleaned_data["date"], self.practitioner)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day is None or start is None or end is None:
            return data
        if start >= end:
            raise ValidationError(_("L'heure de fin doit être après l'heure de début."))
        tz = self.practitioner.tz
        data["start_at"] = local_instant(day=day, clock=start, tz=tz)
        data["end_at"] = local_instant(day=day, clock=end, tz=tz)
        if data["end_at"] <= timezone.now():
            raise ValidationError(_("Cette plage est déjà passée."))
        return data


class RulesForm(forms.ModelForm):
    timezone = forms.TypedChoiceField(
        label=_("Fuseau horaire"),
        choices=[(name, name) for name in sorted(available_timezones())],
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


class DayOffForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    reason = forms.CharField(
        label=_("Motif (visible de vous seul)"), max_length=120, required=False
    )

    def __init__(self, *args, practitioner: Practitioner, **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner

    def clean_date(self) -> dt.date:
        return _not_before_today(self.cleaned_data["date"], self.practitioner)


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
