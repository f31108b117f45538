"""Background tasks of the compliance app (Django Tasks API)."""

import logging

from django_tasks import task

from compliance import selectors
from compliance.models import PolicyVersion
from compliance.notifications import notice_context, policy_version_notices_batch_send
from compliance.pdf import policy_version_pdf_store

logger = logging.getLogger(__name__)

# Recipients per transaction: a crash costs at most one batch, sent again by the next run.
NOTICE_BATCH_SIZE = 200


@task()
def policy_version_pdf_render(version_id: int) -> bool:
    """Render and store a committed version's PDF; True if this run wrote the file."""
    version = PolicyVersion.objects.filter(pk=version_id).first()
    if version is None:
        # Enqueued on commit, so the row existed; only the retention purge removes versions.
        logger.warning("Policy version %s is gone: no PDF to render.", version_id)
        return False
    return policy_version_pdf_store(version=version)


@task()
def policy_version_notices_send(version_id: int, batch_size: int = NOTICE_BATCH_SIZE) -> int:
    """E-mail every account about a material version, batch by batch; how many were queued.

    Resumable: each batch commits its notices with their e-mails, and the recipients are those
    without a notice yet, so running it again (after a crash, or twice) goes on where it stopped.
    """
    version = PolicyVersion.objects.filter(pk=version_id, is_material=True).first()
    if version is None:
        logger.warning("Policy version %s is gone or not material: no notice.", version_id)
        return 0
    context = notice_context(version)
    queued = 0
    while True:
        users = list(selectors.policy_version_notice_recipients(version)[:batch_size])
        if not users:
            break
        queued += policy_version_notices_batch_send(version=version, users=users, context=context)
    logger.info("%s: %d notices queued.", version, queued)
    return queued
