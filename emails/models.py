"""The outbox: every transactional e-mail is stored here before it is handed to the mail server.

Storing the rendered message is what makes "no message is lost" true: if the SMTP server is down,
or the process dies between the commit and the task, the row stays pending and is sent later
(by the task's own retries, or by `email_retry_failed`). Personal data is kept to the minimum:
the bodies and attachments are erased as soon as the message is accepted by the server, and
`email_purge` deletes the remaining delivery record (recipient, subject, dates) after
EMAIL_OUTBOX_RETENTION_DAYS days (30 by default: technical management, P6 of the privacy rules).
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")

    template = models.CharField(_("modèle"), max_length=120)
    language = models.CharField(_("langue"), max_length=8)
    to = models.JSONField(_("destinataires"), default=list)
    reply_to = models.JSONField(_("répondre à"), default=list, blank=True)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"), blank=True)
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}], erased once sent.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    # When the sweeper (`email_retry_failed`) may pick a pending message up.
    retry_after = models.DateTimeField(_("nouvel essai après"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "retry_after"], name="emails_status_retry_idx")]

    def __str__(self) -> str:
        return f"{self.template} → {', '.join(self.to)} ({self.status})"
