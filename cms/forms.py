from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.models.snippets import ConsultationMode, Discipline, Language

QUERY_MAX_LENGTH = 200


class Availability(models.TextChoices):
    TODAY = "aujourdhui", _("Aujourd'hui")
    TOMORROW = "demain", _("D'ici demain")
    WEEK = "semaine", _("Cette semaine (7 jours)")


class Sort(models.TextChoices):
    AVAILABILITY = "dispo", _("Disponibilité la plus proche")
    PRICE = "prix", _("Prix le plus bas")
    NAME = "nom", _("Nom")


class DirectoryFilterForm(forms.Form):
    """The directory's GET form. Parameter names are French because they show in shared URLs."""

    q = forms.CharField(
        label=_("Recherche"),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={
            "max_length": _("La recherche est trop longue (%(limit_value)d caractères au plus).")
        },
    )
    discipline = forms.ModelChoiceField(
        label=_("Discipline"),
        queryset=Discipline.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Toutes les disciplines"),
        error_messages={"invalid_choice": _("Cette discipline n'existe pas.")},
    )
    lieu = forms.CharField(
        label=_("Ville ou code postal"),
        required=False,
        max_length=80,
        error_messages={"max_length": _("Ce lieu est trop long.")},
    )
    mode = forms.ChoiceField(
        label=_("Mode de consultation"),
        choices=[("", _("Tous les modes")), *ConsultationMode.choices],
        required=False,
        error_messages={"invalid_choice": _("Ce mode de consultation n'existe pas.")},
    )
    langue = forms.ModelChoiceField(
        label=_("Langue"),
        queryset=Language.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes les langues"),
        error_messages={"invalid_choice": _("Cette langue n'est pas proposée.")},
    )
    prix_max = forms.IntegerField(
        label=_("Prix maximum (€)"),
        required=False,
        min_value=0,
        max_value=10_000,
        error_messages={"invalid": _("Indiquez un prix en euros, sans centimes.")},
    )

    dispo = forms.ChoiceField(
        label=_("Disponible"),
        choices=[("", _("Quand vous voulez")), *Availability.choices],
        required=False,
        error_messages={"invalid_choice": _("Cette disponibilité n'est pas proposée.")},
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        choices=[("", _("Pertinence")), *Sort.choices],
        required=False,
        error_messages={"invalid_choice": _("Ce tri n'est pas proposé.")},
    )

    def valid_filters(self) -> dict:
        """The filters that passed validation; invalid ones are reported and ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value not in ("", None)}
