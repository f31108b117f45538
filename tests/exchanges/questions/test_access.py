"""Who sees which thread: its user and its practitioner; anyone else gets a 404, a visitor
the login page. Writes by others change nothing."""

import pytest
from django.urls import reverse

from exchanges.models import ThreadStatus
from tests.booking.practitioner_helpers import practitioner_user_create
from tests.factories import bookable_practitioner_create, client_create, otp_login

pytestmark = pytest.mark.django_db

USER_URLS = ["questions:my_thread", "questions:my_thread_close"]
AREA_URLS = ["questions:practitioner_thread", "questions:practitioner_thread_close"]


def test_the_user_sees_their_thread_and_it_is_in_their_list(client, thread, asker):
    client.force_login(asker)
    assert client.get(reverse("questions:my_thread", args=[thread.pk])).status_code == 200
    listing = client.get(reverse("questions:my_threads")).content.decode()
    assert reverse("questions:my_thread", args=[thread.pk]) in listing


def test_the_practitioner_sees_the_thread_in_their_area(client, thread, practitioner_user):
    otp_login(client, practitioner_user)
    url = reverse("questions:practitioner_thread", args=[thread.pk])
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("questions:practitioner_threads")).content.decode()


def test_another_client_gets_404_and_an_empty_list(client, thread):
    client.force_login(client_create("autre@example.com"))
    for name in USER_URLS:
        url = reverse(name, args=[thread.pk])
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"body": "Intrus"}).status_code == 404
    listing = client.get(reverse("questions:my_threads")).content.decode()
    assert thread.subject not in listing
    assert thread.messages.count() == 1
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.OPEN


def test_another_practitioner_gets_404_in_their_area(client, thread, directory):
    other = bookable_practitioner_create(directory, title="Luc Bernard")
    otp_login(client, practitioner_user_create(other, "luc@praticien.example"))
    for name in AREA_URLS:
        url = reverse(name, args=[thread.pk])
        assert client.post(url, {"body": "Intrus"}).status_code == 404
    assert client.get(reverse(AREA_URLS[0], args=[thread.pk])).status_code == 404
    assert (
        thread.subject not in client.get(reverse("questions:practitioner_threads")).content.decode()
    )
    # Nor through the user's side: the thread is not theirs as a client either.
    assert client.get(reverse("questions:my_thread", args=[thread.pk])).status_code == 404
    assert thread.messages.count() == 1


def test_the_practitioner_does_not_read_it_as_a_client(client, thread, practitioner_user):
    otp_login(client, practitioner_user)
    assert client.get(reverse("questions:my_thread", args=[thread.pk])).status_code == 404


def test_the_client_does_not_enter_the_practitioner_area(client, thread, asker):
    client.force_login(asker)
    url = reverse("questions:practitioner_thread", args=[thread.pk])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", USER_URLS + AREA_URLS)
def test_a_visitor_is_sent_to_the_login_page(client, thread, name):
    url = reverse(name, args=[thread.pk])
    for response in (client.get(url), client.post(url, {"body": "x"})):
        if response.status_code == 405:  # the close URLs take POST only
            continue
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert thread.messages.count() == 1


@pytest.mark.parametrize("name", ["questions:my_threads", "questions:practitioner_threads"])
def test_the_lists_send_a_visitor_to_the_login_page(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_ask_page_sends_a_visitor_to_the_login_and_back(client, practitioner):
    url = reverse("questions:ask", args=[practitioner.page_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=" in response["Location"]
