from django.apps import AppConfig


class CmsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cms"
    verbose_name = "Contenus"

    def ready(self) -> None:
        from cms import search_index

        search_index.connect()
