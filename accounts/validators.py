from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Refuses passwords longer than max_length characters.

    Long passphrases are welcome (128 characters and more are accepted), but hashing a
    megabyte-long "password" with Argon2 would let anyone tie up the servers.
    """

    def __init__(self, max_length: int = 1024):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                ngettext(
                    "Ce mot de passe est trop long : %(max_length)d caractère au maximum.",
                    "Ce mot de passe est trop long : %(max_length)d caractères au maximum.",
                    self.max_length,
                ),
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Votre mot de passe doit contenir au plus %(max_length)d caractères.") % {
            "max_length": self.max_length
        }
