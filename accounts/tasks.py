"""Background tasks of the accounts app (Django Tasks API).

The e-mails a visitor asks for by typing an address whose owner must stay secret (password
reset, change of address) are looked up, rendered and stored here, after the response: the
request itself does the same work whether or not an account has the address.
"""

from django_tasks import task

from accounts import services


@task()
def password_reset_link_send(*, email: str, language: str, network: str, agent: str) -> str:
    return services.password_reset_link_send(
        email=email, language=language, network=network, agent=agent
    )


@task()
def email_change_link_send(*, user_id: int, new_email: str, language: str) -> bool:
    return services.email_change_link_send(user_id=user_id, new_email=new_email, language=language)
