"""Questions to a practitioner (threads of plain-text messages), reviews of a completed
appointment (French consumer code L111-7-2, D111-16 to D111-19), reports of either, and the
page where editors publish the review rules (with the refusal reasons moderators pick from).

Retention (privacy rules P4, P7): a thread is kept 5 years from its last message, a report 5
years from the report; reviews stay online as long as the rules page says.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from booking.models import Appointment, Practitioner

MESSAGE_MAX_LENGTH = 2000
REVIEW_MAX_LENGTH = 3000
REPORT_MAX_LENGTH = 1000


# --- Questions --------------------------------------------------------------------------------


class ThreadStatus(models.TextChoices):
    OPEN = "open", _("ouvert")
    CLOSED = "closed", _("clos")


class Thread(models.Model):
    """A user's question to a practitioner and the replies of both. Only those two see it;
    staff only when handling a report (each read logged in ExchangeAccessLog)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="threads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="threads"
    )
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="threads"
    )
    subject = models.CharField(_("objet"), max_length=120)
    status = models.CharField(
        _("statut"), max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    # The retention clock: 5 years after the end of the exchange (its last message).
    last_message_at = models.DateTimeField(_("dernier message le"), db_index=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at"]
        verbose_name = _("échange")
        verbose_name_plural = _("échanges")

    def __str__(self) -> str:
        return self.subject


class MessageAuthor(models.TextChoices):
    USER = "user", _("le client")
    PRACTITIONER = "practitioner", _("le praticien")


class Message(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(max_length=12, choices=MessageAuthor.choices)
    body = models.TextField(_("message"), validators=[MaxLengthValidator(MESSAGE_MAX_LENGTH)])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_author_role_display()} — {self.created_at:%Y-%m-%d %H:%M}"


# --- Reviews ----------------------------------------------------------------------------------


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("en attente de modération")
    PUBLISHED = "published", _("publié")
    REFUSED = "refused", _("refusé")
    REMOVED = "removed", _("retiré après signalement")
    # Online for as long as the rules page says (ReviewRulesPage.online_duration_years), then
    # taken offline by exchanges.reviews.retention; the record follows its appointment.
    ARCHIVED = "archived", _("retiré : durée de mise en ligne écoulée")


class Review(models.Model):
    """One review per completed appointment, by its client, published after moderation.

    Shown with its publication date, the date of the consultation and, when edited, the date
    of the update (D111-17). The practitioner may answer it publicly once, moderated too.
    """

    appointment = models.OneToOneField(Appointment, on_delete=models.CASCADE, related_name="review")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField(
        _("note"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    body = models.TextField(_("avis"), validators=[MaxLengthValidator(REVIEW_MAX_LENGTH)])
    consultation_date = models.DateField(_("date de la consultation"))
    status = models.CharField(
        _("statut"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    # The reason picked from the published rules, and its wording as the author was told it
    # (an editor may later reword or remove the reason on the rules page).
    refusal_reason = models.ForeignKey(
        "exchanges.ReviewRefusalReason",
        verbose_name=_("motif du refus"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason_text = models.TextField(_("motif du refus communiqué"), blank=True)
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modéré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The practitioner's public answer (once), moderated like the review.
    reply = models.TextField(
        _("réponse du praticien"), blank=True, validators=[MaxLengthValidator(REVIEW_MAX_LENGTH)]
    )
    reply_status = models.CharField(
        _("statut de la réponse"), max_length=10, choices=ReviewStatus.choices, blank=True
    )
    reply_published_at = models.DateTimeField(_("réponse publiée le"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        indexes = [
            models.Index(
                fields=["practitioner", "-published_at"],
                name="review_published",
                condition=Q(status="published"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 — {self.consultation_date}"


# --- Reports ----------------------------------------------------------------------------------


class ReportReason(models.TextChoices):
    OFFENSIVE = "offensive", _("propos injurieux, diffamatoires ou discriminatoires")
    PERSONAL_DATA = "personal_data", _("données personnelles ou de santé d'un tiers")
    FAKE = "fake", _("avis ou message trompeur (pas de vraie consultation, conflit d'intérêts)")
    OFF_TOPIC = "off_topic", _("sans rapport avec la consultation")
    SPAM = "spam", _("publicité ou démarchage")
    OTHER = "other", _("autre")


class ReportStatus(models.TextChoices):
    NEW = "new", _("nouveau")
    UNDER_REVIEW = "under_review", _("en cours d'examen")
    UPHELD = "upheld", _("fondé : contenu retiré ou modifié")
    DISMISSED = "dismissed", _("rejeté")


class Report(models.Model):
    """A report of a review (by anyone signed in) or of a thread (by its practitioner); one per
    person per item. Kept 5 years from the report (P7); the item follows its own rule."""

    review = models.ForeignKey(
        Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The practitioner of the page reported a review about them: moderators see it flagged.
    by_practitioner = models.BooleanField(_("signalé par le praticien concerné"), default=False)
    reason = models.CharField(_("motif"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(
        _("précisions"), blank=True, validators=[MaxLengthValidator(REPORT_MAX_LENGTH)]
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    decision = models.TextField(_("décision motivée"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=True) | Q(thread__isnull=True),
                name="report_one_item",
            ),
            models.UniqueConstraint(
                fields=["reporter", "review"],
                name="one_report_per_person_per_review",
                condition=Q(review__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["reporter", "thread"],
                name="one_report_per_person_per_thread",
                condition=Q(thread__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.created_at:%Y-%m-%d}"


class ExchangeAccessLog(models.Model):
    """Each time a staff member reads a thread (only when handling a report or a support
    case): the exchange is the user's and the practitioner's."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="access_logs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    report = models.ForeignKey(Report, on_delete=models.SET_NULL, null=True, blank=True)
    accessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accessed_at"]
        verbose_name = _("lecture d'un échange par l'équipe")
        verbose_name_plural = _("lectures d'échanges par l'équipe")

    def __str__(self) -> str:
        return f"{self.user} — {self.accessed_at:%Y-%m-%d %H:%M}"


# --- The review rules page ----------------------------------------------------------------------


class ReviewRulesPage(Page):
    """What the law asks to tell about reviews (D111-17): whether and how they are checked,
    that nothing is given in exchange, the maximum delay before publication, how long they stay
    online, the moderation rules (the refusal reasons below, which moderators choose from) and
    how to report one. Linked near every list of reviews."""

    intro = RichTextField(_("introduction"), blank=True)
    verification = RichTextField(_("contrôle des avis"))
    no_consideration = RichTextField(_("absence de contrepartie"))
    max_publication_delay_days = models.PositiveSmallIntegerField(
        _("délai maximal de publication (jours)"), default=7
    )
    online_duration_years = models.PositiveSmallIntegerField(
        _("durée de mise en ligne (années)"), default=3
    )
    review_window_days = models.PositiveSmallIntegerField(
        _("délai pour déposer un avis après la consultation (jours)"), default=60
    )
    moderation = RichTextField(_("règles de modération"))
    reporting = RichTextField(_("comment signaler un avis"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("verification"),
        FieldPanel("no_consideration"),
        FieldPanel("max_publication_delay_days"),
        FieldPanel("online_duration_years"),
        FieldPanel("review_window_days"),
        FieldPanel("moderation"),
        InlinePanel("refusal_reasons", label=_("motifs de refus"), min_num=1),
        FieldPanel("reporting"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("règles des avis")


class ReviewRefusalReason(Orderable):
    page = ParentalKey(ReviewRulesPage, on_delete=models.CASCADE, related_name="refusal_reasons")
    label = models.CharField(_("motif"), max_length=200)
    explanation = models.TextField(_("explication envoyée à l'auteur"), blank=True)

    panels = [FieldPanel("label"), FieldPanel("explanation")]

    class Meta(Orderable.Meta):
        verbose_name = _("motif de refus")
        verbose_name_plural = _("motifs de refus")

    def __str__(self) -> str:
        return self.label
