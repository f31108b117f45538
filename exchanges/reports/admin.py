"""The Wagtail admin side of exchanges.reports (registered by exchanges/wagtail_hooks.py):
the queue's URLs, its menu item (moderators only) and the labels of its audit actions."""

from __future__ import annotations

from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogActionRegistry

from exchanges.reports import admin_views, services


@hooks.register("register_admin_urls")
def admin_urls() -> list[URLPattern]:
    return [
        path("signalements/", admin_views.queue, name="exchanges_report_queue"),
        path(
            "signalements/<int:report_id>/",
            admin_views.detail,
            name="exchanges_report_detail",
        ),
        path(
            "signalements/<int:report_id>/prendre/",
            admin_views.take,
            name="exchanges_report_take",
        ),
        path(
            "signalements/<int:report_id>/decider/",
            admin_views.decide,
            name="exchanges_report_decide",
        ),
    ]


class QueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return QueueMenuItem(
        _("Signalements"), reverse("exchanges_report_queue"), icon_name="warning", order=520
    )


@hooks.register("register_log_actions")
def log_actions_register(actions: LogActionRegistry) -> None:
    actions.register_action(services.ACTION_CREATE, _("Signalement reçu"), _("Signalement reçu"))
    actions.register_action(
        services.ACTION_TAKE, _("Signalement pris en charge"), _("Signalement pris en charge")
    )
    actions.register_action(
        services.ACTION_DECIDE, _("Signalement tranché"), _("Signalement tranché")
    )
