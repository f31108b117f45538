"""The page_published receiver (see ComplianceConfig.ready for why a signal)."""

from cms.models import VersionedDocumentPage
from compliance.services import policy_version_publish


def policy_page_published(sender, instance, revision=None, **kwargs):
    if not issubclass(sender, VersionedDocumentPage):
        return
    # Wagtail also sends page_published when it only *schedules* the first publication of a
    # page (go_live_at in the future): the page is not live then, and no version is due yet.
    if not instance.live or (revision is not None and instance.live_revision_id != revision.pk):
        return
    # The signal does not say who published; the revision's author is who wrote the text
    # (the publisher in the admin, the approver of a scheduled revision).
    policy_version_publish(
        page=instance, revision=revision, published_by=getattr(revision, "user", None)
    )
