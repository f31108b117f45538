"""The report form (a reason from the list, optional details) and the moderator's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from exchanges.models import REPORT_MAX_LENGTH, REVIEW_MAX_LENGTH, ReportReason
from exchanges.reports.services import ACTION_EDIT, ACTION_REMOVE


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif du signalement"), choices=ReportReason.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Précisions (facultatif)"),
        help_text=_(
            "N'indiquez pas d'informations de santé : seule l'équipe de modération lit ce texte."
        ),
        required=False,
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


DISMISS = "dismiss"


class DecisionForm(forms.Form):
    """One outcome, its reason, and for an edited review the text that replaces it."""

    outcome = forms.ChoiceField(
        label=_("Décision"),
        widget=forms.RadioSelect,
        choices=[
            (DISMISS, _("Rejeter : le contenu reste tel quel")),
            (ACTION_REMOVE, _("Fondé : retirer le contenu (clore l'échange)")),
            (ACTION_EDIT, _("Fondé : modifier l'avis")),
        ],
    )
    decision = forms.CharField(
        label=_("Motif de la décision"),
        help_text=_("Enregistré avec le signalement et envoyé à son auteur."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    edited_body = forms.CharField(
        label=_("Texte modifié de l'avis"),
        help_text=_("Seulement pour « modifier l'avis » : il remplace le texte publié."),
        required=False,
        max_length=REVIEW_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, is_review: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not is_review:
            self.fields["outcome"].choices = self.fields["outcome"].choices[:2]  # type: ignore[attr-defined]
            del self.fields["edited_body"]

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("outcome") == ACTION_EDIT and not (data.get("edited_body") or "").strip():
            self.add_error("edited_body", _("Indiquez le texte modifié de l'avis."))
        return data
