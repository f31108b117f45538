from django.apps import AppConfig


class EmailsConfig(AppConfig):
    """Transactional e-mail: MJML templates rendered with mjml-python, sent through tasks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "emails"
    verbose_name = "E-mails"
