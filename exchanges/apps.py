from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    """Questions between users and practitioners, reviews (French review law), reports and
    their moderation."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exchanges"
    verbose_name = "Échanges et avis"
