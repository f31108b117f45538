"""Forms of the client booking pages.

The confirmation form carries nothing but the acceptance: the practitioner, the service and the
time come from the URL and are checked again by the booking service, and the price is read
from the database. A `price` field slipped into the POST is simply not a field of this form.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.services import WORDINGS


class BookingConfirmForm(forms.Form):
    accept_terms = forms.BooleanField(
        label=WORDINGS["booking"],
        error_messages={
            "required": _(
                "Cochez la case pour accepter les conditions générales d'utilisation et "
                "confirmer avoir lu la politique de confidentialité."
            )
        },
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif, transmis au praticien)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
