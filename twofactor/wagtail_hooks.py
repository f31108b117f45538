from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from twofactor.admin_views import DevicesResetView


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "securite/utilisateurs/<int:user_id>/reinitialiser-2fa/",
            DevicesResetView.as_view(),
            name="twofactor_admin_reset",
        )
    ]


@hooks.register("register_user_listing_buttons")
def user_listing_buttons(user, request_user):
    if not request_user.is_superuser:
        return []
    return [
        Button(
            _("Réinitialiser la double authentification"),
            url=reverse("twofactor_admin_reset", args=[user.pk]),
            icon_name="key",
            priority=60,
        )
    ]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "twofactor.reset",
        _("Réinitialiser la double authentification"),
        _("Double authentification réinitialisée"),
    )
