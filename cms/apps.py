from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def _site_follow_public_origin(sender, using="default", **kwargs) -> None:
    from core.checks import site_sync_public_origin

    # Wagtail's first migration creates a default Site on localhost:80; every migrate, and
    # hence `make run`, gives it the public origin's host and port.
    if using == "default":
        site_sync_public_origin()


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"
    verbose_name = "Contenus"

    def ready(self) -> None:
        from cms import search_index
        from core.checks import public_origin_check

        search_index.connect()
        checks.register(public_origin_check)
        post_migrate.connect(
            _site_follow_public_origin, sender=self, dispatch_uid="cms_site_public_origin"
        )
