"""The question and reply forms: plain text, the lengths of the model (checked again by the
services, which own the rules)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from exchanges.models import MESSAGE_MAX_LENGTH
from exchanges.questions.services import SUBJECT_MAX_LENGTH

# Lazy: the help text is read in the language of each request, not of the import.
LENGTH_HELP = format_lazy(
    _("{max} caractères au plus. Texte seul, sans pièce jointe."), max=MESSAGE_MAX_LENGTH
)


class QuestionForm(forms.Form):
    subject = forms.CharField(
        label=_("Objet"),
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("Quelques mots, sans détail de santé : l'objet apparaît dans vos listes."),
    )
    body = forms.CharField(
        label=_("Votre question"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=LENGTH_HELP,
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=LENGTH_HELP,
    )
