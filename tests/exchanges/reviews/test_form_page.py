"""The client's review page (/compte/rendez-vous/<reference>/avis/): the rules before the
form, refusals as 4xx pages, the review pending after submission, its rewrite."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentStatus
from exchanges.models import Review, ReviewStatus
from tests.booking.mail_helpers import appointment_make
from tests.exchanges.reviews.review_helpers import review_published
from tests.factories import client_create


def _url(appointment) -> str:
    return reverse("reviews:review_form", args=[appointment.reference])


def test_the_form_shows_the_rules_before_submission(client, done_appointment, client_user, rules):
    client.force_login(client_user)

    page = client.get(_url(done_appointment)).content.decode()

    rules_at = page.index("Les règles des avis")
    assert rules_at < page.index('name="body"')
    assert "seuls les clients ayant eu un rendez-vous réalisé sur la plateforme" in page
    assert "Publication après modération" in page
    assert f'href="{rules.url}"' in page
    assert f"{rules.review_window_days} jours après la consultation" in page


def test_a_review_sent_from_the_page_waits_for_moderation(client, done_appointment, client_user):
    client.force_login(client_user)

    response = client.post(_url(done_appointment), {"rating": "4", "body": "Séance très utile."})

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.status, review.rating, review.author) == (ReviewStatus.PENDING, 4, client_user)


def test_bad_input_is_a_400_and_stores_nothing(client, done_appointment, client_user):
    client.force_login(client_user)

    for data in ({"rating": "9", "body": "Séance très utile."}, {"rating": "4", "body": ""}):
        assert client.post(_url(done_appointment), data).status_code == 400
    assert not Review.objects.exists()


def test_an_appointment_to_come_gets_a_403_page_saying_why(client, practitioner, client_user):
    appointment = appointment_make(practitioner, client_user, timezone.now() + timedelta(days=1))
    client.force_login(client_user)

    response = client.get(_url(appointment))

    assert response.status_code == 403
    assert "une fois la consultation réalisée" in response.content.decode()
    assert client.post(_url(appointment), {"rating": "5", "body": "Trop tôt !"}).status_code == 403
    assert not Review.objects.exists()


def test_another_clients_appointment_is_a_404(client, done_appointment):
    client.force_login(client_create("autre@example.com"))

    assert client.get(_url(done_appointment)).status_code == 404
    assert (
        client.post(_url(done_appointment), {"rating": "1", "body": "Faux avis"}).status_code == 404
    )
    assert not Review.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, done_appointment):
    response = client.get(_url(done_appointment))

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_no_show_cannot_be_reviewed_from_the_page(client, practitioner, client_user):
    start = timezone.now() - timedelta(days=2)
    appointment = appointment_make(
        practitioner, client_user, start, status=AppointmentStatus.NO_SHOW
    )
    client.force_login(client_user)

    assert client.get(_url(appointment)).status_code == 403


def test_the_author_rewrites_the_review_from_the_same_page(
    client, done_appointment, client_user, moderator
):
    review = review_published(done_appointment, client_user, moderator)
    client.force_login(client_user)

    page = client.get(_url(done_appointment)).content.decode()
    assert "Une séance apaisante." in page  # the form holds the current text

    response = client.post(_url(done_appointment), {"rating": "3", "body": "Avis revu."})

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.body, review.rating) == (ReviewStatus.PENDING, "Avis revu.", 3)
    assert review.edited_at is not None
    assert Review.objects.count() == 1
