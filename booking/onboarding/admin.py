"""What the onboarding adds to the Wagtail admin: its URLs, its menu item, its log actions."""

from __future__ import annotations

from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogActionRegistry, LogFormatter
from wagtail.models import ModelLogEntry

from booking.onboarding import admin_views, services


def admin_urls() -> list[URLPattern]:
    return [
        path("praticiens/", admin_views.register, name="booking_onboarding_register"),
        path("praticiens/<int:page_id>/", admin_views.detail, name="booking_onboarding_detail"),
        path(
            "praticiens/<int:page_id>/ouvrir/",
            admin_views.booking_open,
            name="booking_onboarding_open",
        ),
        path(
            "praticiens/<int:page_id>/inviter/",
            admin_views.invite,
            name="booking_onboarding_invite",
        ),
        path(
            "praticiens/<int:page_id>/relier/",
            admin_views.account_link,
            name="booking_onboarding_link",
        ),
        path(
            "praticiens/<int:page_id>/suspendre/",
            admin_views.suspend,
            name="booking_onboarding_suspend",
        ),
        path(
            "praticiens/<int:page_id>/reprendre/",
            admin_views.resume,
            name="booking_onboarding_resume",
        ),
        path(
            "praticiens/<int:page_id>/retirer/",
            admin_views.revoke,
            name="booking_onboarding_revoke",
        ),
    ]


class RegisterMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.PERMISSION)


def register_menu_item() -> MenuItem:
    return RegisterMenuItem(
        _("Praticiens"), reverse("booking_onboarding_register"), icon_name="group", order=490
    )


class _WithEmail(LogFormatter):
    template = ""

    def format_message(self, log_entry: ModelLogEntry) -> str:
        return str(self.template) % {"email": log_entry.data.get("email", "")}


def log_actions_register(actions: LogActionRegistry) -> None:
    actions.register_action(
        services.ACTION_BOOKING_OPEN, _("Réservation ouverte"), _("Réservation ouverte")
    )
    for action, label, template in (
        (services.ACTION_INVITE, _("Invitation envoyée"), _("Invitation envoyée à %(email)s")),
        (
            services.ACTION_INVITATION_ACCEPT,
            _("Invitation acceptée"),
            _("Invitation acceptée par %(email)s"),
        ),
        (services.ACTION_ACCOUNT_LINK, _("Compte relié"), _("Compte %(email)s relié")),
        (services.ACTION_REVOKE, _("Accès retiré"), _("Accès retiré à %(email)s")),
    ):
        actions.register_action(action)(
            type("Formatter", (_WithEmail,), {"label": label, "template": template})
        )

    @actions.register_action(services.ACTION_SUSPEND)
    class SuspendFormatter(LogFormatter):
        label = _("Réservation suspendue")

        def format_message(self, log_entry: ModelLogEntry) -> str:
            return str(_("Réservation en ligne suspendue : %(reason)s")) % {
                "reason": log_entry.data.get("reason", "")
            }

    actions.register_action(
        services.ACTION_RESUME, _("Réservation reprise"), _("Réservation en ligne reprise")
    )
