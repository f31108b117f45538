"""Forms of "Mes clients": a client record, an appointment booked by the practitioner."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from booking.models import Practitioner
from booking.services.schedule import local_instant
from cms.models import PractitionerService

_PHONE_CHARS = set("0123456789 +.-()")


class ClientRecordForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    email = forms.EmailField(
        label=_("Adresse e-mail (facultative)"),
        max_length=254,
        required=False,
        help_text=_(
            "Si vous la renseignez, le client reçoit la confirmation et le fichier d'agenda."
        ),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and (not set(phone) <= _PHONE_CHARS or sum(c.isdigit() for c in phone) < 6):
            raise ValidationError(
                _("Saisissez un numéro de téléphone, par exemple 06 12 34 56 78."), code="phone"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise ValidationError(
                _("Indiquez au moins un moyen de joindre le client : téléphone ou e-mail."),
                code="no_contact",
            )
        return cleaned


class ManualAppointmentForm(forms.Form):
    """A service of the practitioner's page, a day and a time on their clock."""

    service = forms.ModelChoiceField(
        label=_("Prestation"), queryset=PractitionerService.objects.none()
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Heure"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args: Any, practitioner: Practitioner, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.practitioner = practitioner
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PractitionerService.objects.filter(page_id=practitioner.page_id).order_by(
            "sort_order", "pk"
        )

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if not 2000 <= day.year <= 2100:
            raise ValidationError(_("Cette date est hors des dates possibles."), code="range")
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, clock = cleaned.get("day"), cleaned.get("time")
        if day is not None and clock is not None:
            try:
                cleaned["start"] = local_instant(day=day, clock=clock, tz=self.practitioner.tz)
            except ValidationError as error:
                self.add_error("time", error)
        return cleaned

    @property
    def start(self) -> datetime:
        return self.cleaned_data["start"]
