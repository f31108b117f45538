"""Background tasks of the compliance app (Django Tasks API)."""

import logging

from django_tasks import task

from compliance.models import PolicyVersion
from compliance.pdf import policy_version_pdf_store

logger = logging.getLogger(__name__)


@task()
def policy_version_pdf_render(version_id: int) -> bool:
    """Render and store a committed version's PDF; True if this run wrote the file."""
    version = PolicyVersion.objects.filter(pk=version_id).first()
    if version is None:
        # Enqueued on commit, so the row existed; only the retention purge removes versions.
        logger.warning("Policy version %s is gone: no PDF to render.", version_id)
        return False
    return policy_version_pdf_store(version=version)
