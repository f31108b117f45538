"""A refusal's default message is in the language of the request that meets it."""

from django.utils import translation

from booking.exceptions import ChangeNotAllowed, SlotUnavailable
from booking.onboarding.exceptions import InvitationInvalid


def test_default_refusal_messages_follow_the_active_language():
    with translation.override("en"):
        assert SlotUnavailable().message == "This slot has just been taken. Choose another time."
        assert InvitationInvalid().message == "This invitation link is not (or no longer) valid."
    with translation.override("fr"):
        assert ChangeNotAllowed().message == "Ce rendez-vous ne peut plus être modifié."
