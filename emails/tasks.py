"""Background tasks of the e-mail module (Django Tasks API)."""

from django_tasks import task

from emails.delivery import outgoing_email_deliver


@task()
def email_deliver(outgoing_email_id: int) -> str:
    """Send one stored e-mail; retries are scheduled by outgoing_email_deliver itself."""
    return outgoing_email_deliver(outgoing_email_id=outgoing_email_id)
