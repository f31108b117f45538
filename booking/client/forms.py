"""Forms of the client booking pages.

The confirmation form carries nothing but the acceptance (of what is not accepted yet): the
practitioner, the service and the time are the hold's, checked again by the booking service,
and the price is read from the database. A `price` field slipped into the POST is simply not
a field of this form.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from compliance.models import PolicyVersion
from compliance.services import WORDINGS


class BookingConfirmForm(forms.Form):
    """The confirm step: the checkbox only when documents in force are still to be accepted
    (`pending`: their versions); a client who accepted them all just confirms."""

    accept_terms = forms.BooleanField(
        label=WORDINGS["booking"],
        error_messages={
            "required": _(
                "Cochez la case pour accepter les conditions générales d'utilisation et "
                "confirmer avoir lu la politique de confidentialité."
            )
        },
    )

    def __init__(self, *args: Any, pending: Sequence[PolicyVersion] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = list(pending)
        if not self.pending:
            del self.fields["accept_terms"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif, transmis au praticien)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
