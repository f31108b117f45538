"""Password reset and change of address do the same work whether or not the address is known.

Not a timing test (timings are noisy): these compare what each request does before it answers,
its queries, password hashes, signed tokens, e-mails rendered or stored, security-log rows and
tasks enqueued, for an address with an account and one without. The look-up happens in the
task, after the response; the task itself is replaced here by a recorder.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.hashers import get_hasher
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

import emails.services
from accounts import tasks, tokens
from accounts.models import SecurityEvent
from emails.models import OutgoingEmail
from tests.accounts.conftest import login_post, member_create

pytestmark = pytest.mark.django_db


@dataclass
class Work:
    queries: list[str] = field(default_factory=list)
    hashes: int = 0
    tokens: int = 0
    renders: int = 0
    stored_emails: int = 0
    security_events: list[str] = field(default_factory=list)
    tasks: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


# Quoted values, numbers and savepoint names (one per atomic block, numbered as they come).
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+\b|SAVEPOINT \"[^\"]+\"")


def _shape(sql: str) -> str:
    # Values differ between the two addresses (and ids between runs); the statements must not.
    return _LITERALS.sub("?", sql)


class _TaskRecorder:
    def __init__(self, name: str, work: Work):
        self.name, self.work = name, work

    def enqueue(self, *args, **kwargs):
        self.work.tasks.append((self.name, tuple(sorted(kwargs))))


@pytest.fixture
def measure(monkeypatch, django_capture_on_commit_callbacks):
    """measure(post) -> Work: what `post()` did before answering."""
    current: list[Work] = []

    def count(attribute):
        def wrap(original):
            def counted(*args, **kwargs):
                if current:
                    setattr(current[-1], attribute, getattr(current[-1], attribute) + 1)
                return original(*args, **kwargs)

            return counted

        return wrap

    hasher = type(get_hasher())
    monkeypatch.setattr(hasher, "encode", count("hashes")(hasher.encode))
    monkeypatch.setattr(
        default_token_generator,
        "make_token",
        count("tokens")(default_token_generator.make_token),
    )
    for name in ("verification_token_make", "email_change_token_make"):
        monkeypatch.setattr(tokens, name, count("tokens")(getattr(tokens, name)))
    render = emails.services.email_render
    monkeypatch.setattr(emails.services, "email_render", count("renders")(render))

    def run(post) -> Work:
        work = Work()
        for name in ("password_reset_link_send", "email_change_link_send"):
            monkeypatch.setattr(tasks, name, _TaskRecorder(name, work))
        emails_before = OutgoingEmail.objects.count()
        events_before = set(SecurityEvent.objects.values_list("pk", flat=True))
        current.append(work)
        try:
            with (
                CaptureQueriesContext(connection) as queries,
                django_capture_on_commit_callbacks(execute=True),
            ):
                response = post()
        finally:
            current.pop()
        assert response.status_code == 302
        work.queries = [_shape(q["sql"]) for q in queries.captured_queries]
        work.stored_emails = OutgoingEmail.objects.count() - emails_before
        work.security_events = sorted(
            SecurityEvent.objects.exclude(pk__in=events_before).values_list("kind", flat=True)
        )
        return work

    return run


def test_reset_for_a_known_address_does_what_it_does_for_an_unknown_one(client, member, measure):
    def reset(email):
        return lambda: client.post("/compte/mot-de-passe/oubli/", {"email": email})

    measure(reset("warm-up@example.com"))  # first request of the process: caches fill
    known = measure(reset("camille@example.com"))
    unknown = measure(reset("nobody@example.com"))

    assert known == unknown
    # And that shared work is small: no look-up-dependent step runs before the answer.
    assert (known.hashes, known.tokens, known.renders, known.stored_emails) == (0, 0, 0, 0)
    assert known.security_events == []
    assert known.tasks == [("password_reset_link_send", ("agent", "email", "language", "network"))]
    assert not mail.outbox


def test_change_to_a_taken_address_does_what_a_change_to_a_free_one_does(client, member, measure):
    member_create(email="taken@example.com")
    login_post(client, "camille@example.com")

    def change(email):
        data = {"first_name": "Camille", "last_name": "Martin", "email": email, "phone": ""}
        return lambda: client.post("/compte/profil/", data)

    measure(change("warm-up@example.com"))
    taken = measure(change("taken@example.com"))
    free = measure(change("free@example.com"))

    assert taken == free
    assert (free.hashes, free.tokens, free.renders, free.stored_emails) == (0, 0, 0, 0)
    assert free.security_events == ["email_change_requested"]
    assert free.tasks == [("email_change_link_send", ("language", "new_email", "user_id"))]
    assert not mail.outbox


def test_the_tasks_do_the_look_up_and_send_only_to_whom_they_should(
    client, member, django_capture_on_commit_callbacks
):
    """The other half: the work moved after the response still happens, and only when due."""
    member_create(email="taken@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/mot-de-passe/oubli/", {"email": "nobody@example.com"})
        client.post("/compte/mot-de-passe/oubli/", {"email": "camille@example.com"})
    login_post(client, "camille@example.com")
    for email in ("taken@example.com", "free@example.com"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/compte/profil/",
                {"first_name": "Camille", "last_name": "Martin", "email": email, "phone": ""},
            )

    assert [m.to for m in mail.outbox] == [["camille@example.com"], ["free@example.com"]]
    assert "/compte/reinitialisation/" in mail.outbox[0].body
    assert "/compte/profil/adresse/" in mail.outbox[1].body
    reset_event = SecurityEvent.objects.get(kind="password_reset_requested")
    assert reset_event.user == member and reset_event.ip_prefix == "127.0.0.0/24"
