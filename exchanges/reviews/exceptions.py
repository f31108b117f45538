"""Why a review, an edit, an answer or a moderation decision is refused.

Like booking.exceptions.BookingError: a French `message` for the person who tried and a stable
`code` for programs and tests. Views answer them with a 4xx page, never a server error.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ReviewError(Exception):
    """A refused review operation; nothing was changed."""

    code = "review_error"
    default_message = _("Cette opération n'est pas possible.")

    def __init__(self, message: str | Promise | None = None, *, code: str | None = None) -> None:
        # Translated when raised, in the language of the request being answered.
        self.message = str(message or self.default_message)
        if code is not None:
            self.code = code
        super().__init__(self.message)
