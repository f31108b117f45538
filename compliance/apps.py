from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Policy versions, consent ledger, newsletter opt-in, data-subject rights, retention."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "compliance"
    verbose_name = "Conformité"

    def ready(self):
        from wagtail.signals import page_published

        from compliance.receivers import policy_page_published

        # The one side effect the house style allows in a signal, deliberately: a version must
        # be created by every publication, and a scheduled publication goes live from the
        # `publish_scheduled` command, which runs no admin hook; page_published is the only
        # thing every path to "live" goes through (admin, workflow approval, schedule, API).
        page_published.connect(policy_page_published, dispatch_uid="compliance_policy_version")
