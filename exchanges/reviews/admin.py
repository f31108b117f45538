"""The Wagtail admin side of exchanges.reviews (registered by exchanges/wagtail_hooks.py): the
moderation queue's URLs and menu item, and the review decisions in Wagtail's log."""

from __future__ import annotations

from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogActionRegistry, LogFormatter
from wagtail.models import ModelLogEntry

from exchanges.reviews import admin_views, services


def admin_urls() -> list[URLPattern]:
    return [
        path("moderation-avis/", admin_views.queue, name="exchanges_reviews_queue"),
        path(
            "moderation-avis/<int:review_id>/",
            admin_views.detail,
            name="exchanges_reviews_detail",
        ),
        path(
            "moderation-avis/<int:review_id>/publier/",
            admin_views.publish,
            name="exchanges_reviews_publish",
        ),
        path(
            "moderation-avis/<int:review_id>/refuser/",
            admin_views.refuse,
            name="exchanges_reviews_refuse",
        ),
        path(
            "moderation-avis/<int:review_id>/reponse/publier/",
            admin_views.reply_publish,
            name="exchanges_reviews_reply_publish",
        ),
        path(
            "moderation-avis/<int:review_id>/reponse/refuser/",
            admin_views.reply_refuse,
            name="exchanges_reviews_reply_refuse",
        ),
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.PERMISSION)


def menu_item() -> MenuItem:
    return QueueMenuItem(
        _("Modération des avis"),
        reverse("exchanges_reviews_queue"),
        icon_name="openquote",
        order=520,
    )


class _WithReason(LogFormatter):
    template = ""

    def format_message(self, log_entry: ModelLogEntry) -> str:
        return str(self.template) % {"reason": log_entry.data.get("reason", "")}


def log_actions_register(actions: LogActionRegistry) -> None:
    for action, label in (
        (services.ACTION_SUBMIT, _("Avis déposé")),
        (services.ACTION_EDIT, _("Avis modifié par son auteur")),
        (services.ACTION_PUBLISH, _("Avis publié")),
        (services.ACTION_REPLY, _("Réponse du praticien déposée")),
        (services.ACTION_REPLY_PUBLISH, _("Réponse du praticien publiée")),
    ):
        actions.register_action(action, label, label)
    for action, label, template in (
        (services.ACTION_REFUSE, _("Avis refusé"), _("Avis refusé : %(reason)s")),
        (
            services.ACTION_REPLY_REFUSE,
            _("Réponse du praticien refusée"),
            _("Réponse du praticien refusée : %(reason)s"),
        ),
    ):
        actions.register_action(action)(
            type("Formatter", (_WithReason,), {"label": label, "template": template})
        )


hooks.register("register_admin_urls", admin_urls)
hooks.register("register_admin_menu_item", menu_item)
hooks.register("register_log_actions", log_actions_register)
