"""Forms of exchanges.reviews: the client's review, the practitioner's answer, a moderator's
refusal (a reason among those of the published rules page)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from exchanges.models import REVIEW_MAX_LENGTH, ReviewRefusalReason, ReviewRulesPage

RATING_CHOICES = [
    ("", _("Choisissez une note")),
    (5, _("5 sur 5 — excellent")),
    (4, _("4 sur 5 — très bien")),
    (3, _("3 sur 5 — bien")),
    (2, _("2 sur 5 — décevant")),
    (1, _("1 sur 5 — mauvais")),
]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Votre note"), choices=RATING_CHOICES, coerce=int)
    body = forms.CharField(
        label=_("Votre avis"),
        max_length=REVIEW_MAX_LENGTH,
        min_length=10,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": REVIEW_MAX_LENGTH}),
        help_text=_(
            "Décrivez votre expérience de la consultation. Ne donnez pas d'informations sur "
            "votre santé ni sur d'autres personnes. 3 000 caractères au plus."
        ),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Votre réponse publique"),
        max_length=REVIEW_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REVIEW_MAX_LENGTH}),
        help_text=_(
            "Une seule réponse par avis, publiée après modération. Ne révélez rien de la "
            "consultation ni de la santé de votre client."
        ),
    )


class RefuseForm(forms.Form):
    """The reason comes from the published rules page, nowhere else: a moderator cannot refuse
    for a reason the rules do not state."""

    reason = forms.ModelChoiceField(
        label=_("Motif du refus"),
        queryset=ReviewRefusalReason.objects.none(),
        empty_label=_("Choisissez un motif des règles publiées"),
    )

    def __init__(self, *args, rules: ReviewRulesPage | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            ReviewRefusalReason.objects.filter(page=rules).order_by("sort_order", "pk")
            if rules is not None
            else ReviewRefusalReason.objects.none()
        )
