"""The question pages: the profile's link, the ask page and its warning, replies, closing,
the rate-limit page, and messages shown as escaped plain text."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import PractitionerPage
from exchanges.models import Message, Thread, ThreadStatus
from exchanges.questions import services
from exchanges.questions.services import thread_close, thread_reply
from tests.exchanges.questions.conftest import BODY, SUBJECT
from tests.factories import bookable_practitioner_create, client_create, otp_login
from tests.html import assert_valid_accessible_html

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>\nVoir https://evil.example/page <a href="/x">ici</a>'


def _ask_url(practitioner) -> str:
    return reverse("questions:ask", args=[practitioner.page_id])


# --- The profile ----------------------------------------------------------------------------------


def test_the_profile_links_to_the_ask_page_without_a_form(client, practitioner):
    response = client.get(practitioner.page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{_ask_url(practitioner)}"' in html
    assert "Poser une question" in html
    # A plain link, not a form: the part adds no CSRF token to the profile (the page stays
    # as cacheable for visitors as it was).
    part = render_to_string("exchanges/questions/_profile_ask.html", {"page": practitioner.page})
    assert "<form" not in part and "csrf" not in part
    assert f'href="{_ask_url(practitioner)}"' in part


def test_the_profile_offers_no_question_without_an_account(client, directory):
    lonely = bookable_practitioner_create(directory, title="Sans Compte")
    html = client.get(lonely.page.url).content.decode()
    assert "Poser une question" not in html
    assert client.get(_ask_url(lonely)).status_code == 302  # the login first
    client.force_login(client_create("a@example.com"))
    assert client.get(_ask_url(lonely)).status_code == 404


def test_the_profile_offers_no_question_when_the_account_is_inactive(client, practitioner):
    user = practitioner.page.account.user
    user.is_active = False
    user.save()
    assert "Poser une question" not in client.get(practitioner.page.url).content.decode()


@pytest.mark.parametrize("with_account", [True, False])
def test_the_profile_part_costs_a_constant_few_queries(directory, practitioner, with_account):
    page = practitioner.page
    if not with_account:
        page = bookable_practitioner_create(directory, title="Sans Compte").page
    fresh = PractitionerPage.objects.get(pk=page.pk)  # nothing cached on the instance
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("exchanges/questions/_profile_ask.html", {"page": fresh})
    assert len(queries) <= 3
    assert ("Poser une question" in html) is with_account


# --- Asking ---------------------------------------------------------------------------------------


def test_the_ask_page_warns_about_health_data_and_retention(client, practitioner, asker):
    client.force_login(asker)
    response = client.get(_ask_url(practitioner))
    assert response.status_code == 200
    soup = assert_valid_accessible_html(response.content)
    text = soup.get_text(" ", strip=True)
    assert "n'envoyez pas d'information sur votre santé qui ne soit pas nécessaire" in text
    assert "conservé 5 ans après son dernier message" in text
    assert "Camille Martin" in soup.h1.get_text()


def test_asking_creates_the_thread_and_shows_it(client, practitioner, asker):
    client.force_login(asker)
    response = client.post(_ask_url(practitioner), {"subject": SUBJECT, "body": BODY})
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("questions:my_thread", args=[thread.pk])
    assert (thread.user, thread.practitioner) == (asker, practitioner)
    page = client.get(response["Location"])
    assert_valid_accessible_html(page.content)
    assert "Votre question est envoyée" in page.content.decode()


def test_an_empty_question_is_a_400_with_the_form(client, practitioner, asker):
    client.force_login(asker)
    response = client.post(_ask_url(practitioner), {"subject": SUBJECT, "body": "   "})
    assert response.status_code == 400
    assert_valid_accessible_html(response.content)
    assert not Thread.objects.exists()


def test_too_many_messages_give_a_429_page(client, practitioner, asker, monkeypatch):
    monkeypatch.setattr(services, "MESSAGES_PER_HOUR", 1)
    client.force_login(asker)
    assert client.post(_ask_url(practitioner), {"subject": "Un", "body": BODY}).status_code == 302
    response = client.post(_ask_url(practitioner), {"subject": "Deux", "body": BODY})
    assert response.status_code == 429
    assert "Trop de messages" in response.content.decode()
    assert_valid_accessible_html(response.content)
    assert Thread.objects.count() == 1
    thread = Thread.objects.get()
    reply = client.post(reverse("questions:my_thread", args=[thread.pk]), {"body": "Encore"})
    assert reply.status_code == 429
    assert thread.messages.count() == 1
    cache.clear()


# --- A thread ---------------------------------------------------------------------------------


def test_messages_are_escaped_and_links_are_not_clickable(client, thread, asker, practitioner_user):
    thread_reply(thread=thread, by=practitioner_user, body=HOSTILE)
    for url, sign_in in (
        (reverse("questions:my_thread", args=[thread.pk]), lambda: client.force_login(asker)),
        (
            reverse("questions:practitioner_thread", args=[thread.pk]),
            lambda: otp_login(client, practitioner_user),
        ),
    ):
        sign_in()
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>" in html
        assert 'href="https://evil.example' not in html
        assert 'href="/x"' not in html
        assert "https://evil.example/page" in html


def test_the_practitioner_replies_from_their_area(client, thread, practitioner_user):
    otp_login(client, practitioner_user)
    url = reverse("questions:practitioner_thread", args=[thread.pk])
    page = client.get(url)
    assert_valid_accessible_html(page.content)
    assert BODY.replace("'", "&#x27;") in page.content.decode()
    response = client.post(url, {"body": "Oui, c'est possible."})
    assert response.status_code == 302
    last = thread.messages.last()
    assert last is not None and last.author == practitioner_user


def test_closing_from_the_page_stops_replies(client, thread, asker):
    client.force_login(asker)
    response = client.post(reverse("questions:my_thread_close", args=[thread.pk]))
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED
    url = reverse("questions:my_thread", args=[thread.pk])
    page = client.get(url).content.decode()
    assert "Cet échange est clos" in page and 'name="body"' not in page
    refused = client.post(url, {"body": "Encore une chose"})
    assert refused.status_code == 409
    assert "il n&#x27;accepte plus de réponse" in refused.content.decode()
    assert Message.objects.filter(thread=thread).count() == 1


def test_the_practitioner_closes_from_their_area(client, thread, practitioner_user):
    otp_login(client, practitioner_user)
    client.post(reverse("questions:practitioner_thread_close", args=[thread.pk]))
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED


def test_close_takes_post_only(client, thread, asker):
    client.force_login(asker)
    assert client.get(reverse("questions:my_thread_close", args=[thread.pk])).status_code == 405
    thread_close(thread=thread, by=asker)  # and twice is harmless
    thread_close(thread=thread, by=asker)


def test_only_the_practitioner_is_offered_to_report_the_thread(client, thread, practitioner_user):
    report_url = reverse("reports:thread_report", args=[thread.pk])
    otp_login(client, practitioner_user)
    page = client.get(reverse("questions:practitioner_thread", args=[thread.pk]))
    assert f'href="{report_url}"' in page.content.decode()
    client.force_login(thread.user)
    page = client.get(reverse("questions:my_thread", args=[thread.pk]))
    assert report_url not in page.content.decode()


def test_a_question_about_ones_own_appointment(client, practitioner, asker):
    from datetime import timedelta

    from django.utils import timezone

    from tests.booking.mail_helpers import appointment_make

    own = appointment_make(practitioner, asker, timezone.now())
    # Another day: two appointments of one practitioner never overlap (PostgreSQL's constraint).
    other = appointment_make(
        practitioner, client_create("autre@example.com"), timezone.now() + timedelta(days=1)
    )
    client.force_login(asker)
    url = f"{_ask_url(practitioner)}?rendez-vous={own.reference}"
    page = client.get(url)
    assert "À propos de votre rendez-vous « Première consultation »" in page.content.decode()
    assert client.post(url, {"subject": SUBJECT, "body": BODY}).status_code == 302
    assert Thread.objects.get().appointment == own
    for bad in (other.reference, "pas-un-uuid"):
        response = client.get(f"{_ask_url(practitioner)}?rendez-vous={bad}")
        assert response.status_code == 404
