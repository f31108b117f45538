from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, email: str | None) -> "User":
        # Logins are case-insensitive: "Alice@Example.com" is the same account.
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person with an account: client, practitioner or staff. The e-mail is the login."""

    # No user name: the e-mail is the login (django-stubs types the inherited field as a str).
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    # Set when the owner clicks the link e-mailed at sign-up. It tells a new account waiting for
    # verification (inactive, never verified) from one staff deactivated (inactive, verified),
    # and it is part of the verification token, so a link works once.
    email_verified_at = models.DateTimeField(_("adresse vérifiée le"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class SecurityEvent(models.Model):
    """One entry of the security log: logins, lockouts, password and e-mail changes.

    Append-only by convention: the code only ever creates rows (services.security_event_record).
    Minimisation: the IP address is truncated (/24 for IPv4, /48 for IPv6), the user-agent is
    cut short, and an attempt on an unknown e-mail records no e-mail at all (not even a hash).
    Purpose P8 (fraud prevention) allows one month at most: the retention issue purges rows
    older than a month; until then, nothing here reads beyond that month either (new-device check).
    """

    class Kind(models.TextChoices):
        SIGNED_UP = "signed_up", _("inscription")
        EMAIL_VERIFIED = "email_verified", _("adresse vérifiée")
        LOGIN_SUCCEEDED = "login_succeeded", _("connexion réussie")
        LOGIN_FAILED = "login_failed", _("échec de connexion")
        LOCKED_OUT = "locked_out", _("connexions bloquées")
        OTP_FAILED = "otp_failed", _("code de double authentification refusé")
        LOGGED_OUT = "logged_out", _("déconnexion")
        PASSWORD_CHANGED = "password_changed", _("mot de passe modifié")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("réinitialisation demandée")
        PASSWORD_RESET = "password_reset", _("mot de passe réinitialisé")
        EMAIL_CHANGE_REQUESTED = "email_change_requested", _("changement d'adresse demandé")
        EMAIL_CHANGED = "email_changed", _("adresse e-mail modifiée")

    created_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    ip_prefix = models.CharField(_("réseau (IP tronquée)"), max_length=64, blank=True)
    user_agent = models.CharField(_("navigateur"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("journal de sécurité")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "kind", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.kind}"
