from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Policy versions, consent ledger, newsletter opt-in, data-subject rights, retention.

    Empty until the policy-versions issue lands; it exists so that the layout is settled.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "compliance"
    verbose_name = "Conformité"
