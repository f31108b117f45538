"""A client with a completed appointment reviews it in a real browser; a moderator, signed in
with two factors, publishes it from the Wagtail admin; the review shows on the profile with its
publication and consultation dates, and in the profile's JSON-LD. (Reporting it is the
reports' browser test.)"""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from booking.models import AppointmentStatus
from exchanges.models import Review, ReviewStatus
from exchanges.reviews.demo import review_rules_page_seed
from tests.booking.mail_helpers import appointment_make
from tests.e2e.conftest import admin_session_open
from tests.factories import bookable_practitioner_create, client_create

# transaction=True: the live server reads through its own connection and on_commit runs (the
# e-mails). serialized_rollback=True: keep what the migrations created for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def story(site):
    review_rules_page_seed(site["home"])
    practitioner = bookable_practitioner_create(site["directory"], title="Camille Martin")
    customer = client_create(email="claire@example.com")
    start = timezone.now() - timedelta(days=4)
    appointment = appointment_make(practitioner, customer, start, status=AppointmentStatus.DONE)
    moderator = get_user_model().objects.create_user(
        email="maud@example.com", password="une phrase de passe", is_staff=True
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    return {"practitioner": practitioner, "appointment": appointment, "moderator": moderator}


def test_a_review_is_written_moderated_and_shown_with_both_dates(
    live_server, story, page: Page, browser
):
    appointment = story["appointment"]
    admin_session_open(page, live_server, appointment.client)

    page.goto(f"{live_server.url}/compte/rendez-vous/{appointment.reference}/avis/")
    expect(page.get_by_role("heading", name="Les règles des avis")).to_be_visible()
    expect(page.get_by_text("Publication après modération", exact=False)).to_be_visible()
    page.get_by_label("Votre note").select_option("5")
    page.get_by_label("Votre avis").fill("Une écoute rare, des conseils concrets.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Votre avis sera publié après modération")).to_be_visible()
    review = Review.objects.get()
    assert review.status == ReviewStatus.PENDING

    # Not on the profile before moderation.
    profile_url = f"{live_server.url}{story['practitioner'].page.url}"
    page.goto(profile_url)
    expect(page.get_by_text("Une écoute rare")).to_have_count(0)

    moderation = browser.new_context(locale="fr-FR").new_page()
    moderation.set_default_timeout(10_000)
    admin_session_open(moderation, live_server, story["moderator"])
    moderation.goto(f"{live_server.url}/admin/moderation-avis/")
    moderation.locator(f'a[href="/admin/moderation-avis/{review.pk}/"]').click()
    expect(moderation.get_by_text("Une écoute rare, des conseils concrets.")).to_be_visible()
    moderation.get_by_role("button", name="Publier l'avis").click()
    expect(moderation.get_by_text("Avis publié")).to_be_visible()
    moderation.context.close()

    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED
    assert [message.to for message in mail.outbox if "publié" in message.subject] == [
        ["claire@example.com"]
    ]

    page.goto(profile_url)
    item = page.locator(f"#avis-{review.pk}")
    expect(item).to_contain_text("Une écoute rare, des conseils concrets.")
    published = timezone.localdate(review.published_at).isoformat()
    consulted = review.consultation_date.isoformat()
    expect(item.locator(f'time[datetime="{published}"]')).to_be_visible()
    expect(item.locator(f'time[datetime="{consulted}"]')).to_be_visible()
    expect(item).to_contain_text("publié le")
    expect(item).to_contain_text("consultation du")
    expect(page.get_by_text("Avis vérifiés : seuls les clients", exact=False)).to_be_visible()

    data = json.loads(page.locator('script[type="application/ld+json"]').first.text_content())
    assert data["aggregateRating"]["ratingValue"] == 5.0
    assert data["aggregateRating"]["reviewCount"] == 1
    assert data["review"][0]["datePublished"] == published
    assert data["review"][0]["reviewBody"] == "Une écoute rare, des conseils concrets."
