"""A review is reported and the report dismissed, in a real browser (issue 13's report story).

A published review shows on a profile; another user, sent to the login page by the report
link, reports it with a reason from the list; a moderator (two factors, the Moderators group)
finds it in the admin's queue, dismisses it with a reason; the reporter is told by e-mail,
without a copy of the review.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import Page, expect

from booking.models import AppointmentStatus
from compliance.services import policy_versions_accept_in_force
from exchanges.models import Report, ReportStatus, Review, ReviewStatus
from staff.groups import MODERATORS
from tests.booking.mail_helpers import appointment_make
from tests.e2e.conftest import admin_session_open
from tests.factories import bookable_practitioner_create, client_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "une phrase de passe"
REVIEW_BODY = "Une séance apaisante, une écoute rare."


@pytest.fixture
def story(site):
    for key in ("cgu", "privacy"):
        site[key].save_revision().publish()
    practitioner = bookable_practitioner_create(site["directory"], title="Inès Garnier")
    author = client_create(email="auteur@example.com", password=PASSWORD)
    start = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    appointment = appointment_make(practitioner, author, start, status=AppointmentStatus.DONE)
    review = Review.objects.create(
        appointment=appointment,
        practitioner=practitioner,
        author=author,
        rating=5,
        body=REVIEW_BODY,
        consultation_date=start.date(),
        status=ReviewStatus.PUBLISHED,
        published_at=start + timedelta(days=2),
    )
    reader = client_create(email="lecteur@example.com", password=PASSWORD)
    moderator = client_create(email="moderation@example.com", password=PASSWORD)
    moderator.groups.add(Group.objects.get(name=MODERATORS))
    for user in (author, reader, moderator):
        policy_versions_accept_in_force(user=user, context="signup")
    return {"practitioner": practitioner, "review": review, "reader": reader, "mod": moderator}


def test_a_reported_review_is_dismissed_and_the_reporter_told(live_server, story, page: Page):
    review = story["review"]
    page.goto(live_server.url + story["practitioner"].page.url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inès Garnier")
    expect(page.get_by_role("main")).to_contain_text(REVIEW_BODY)

    # --- Another user reports the review from the profile: the report page asks to sign in.
    page.get_by_role("link", name=re.compile(r"^Signaler")).click()
    expect(page).to_have_url(re.compile(r"/compte/connexion/\?next="))
    main = page.get_by_role("main")
    page.get_by_label("Adresse e-mail").fill("lecteur@example.com")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    main.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler un avis")
    expect(main).to_contain_text(REVIEW_BODY)
    main.get_by_role("button", name="Envoyer le signalement").click()
    expect(main).to_contain_text("Le formulaire n'a pas été accepté")  # no reason picked
    main.get_by_label("propos injurieux, diffamatoires ou discriminatoires").check()
    main.get_by_label("Précisions (facultatif)").fill("Ton méprisant envers une autre cliente.")
    main.get_by_role("button", name="Envoyer le signalement").click()
    expect(main).to_contain_text("votre signalement a été transmis à la modération")
    expect(main).to_contain_text("Envoyé le")
    report = Report.objects.get()
    assert (report.reporter, report.review, report.status) == (
        story["reader"],
        review,
        ReportStatus.NEW,
    )

    # --- The moderator finds it in the queue, takes it and dismisses it with a reason.
    admin_session_open(page, live_server, story["mod"])
    page.goto(live_server.url + "/admin/signalements/")
    row = page.get_by_role("row", name=re.compile("Avis sur Inès Garnier"))
    expect(row).to_contain_text("propos injurieux")
    row.get_by_role("link").click()
    expect(page.get_by_text(REVIEW_BODY)).to_be_visible()
    page.get_by_role("button", name="Prendre en charge").click()
    expect(page.get_by_text("Signalement pris en charge.")).to_be_visible()
    page.get_by_label("Rejeter : le contenu reste tel quel").check()
    page.get_by_label("Motif de la décision").fill("Critique vive mais conforme aux règles.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision enregistrée")).to_be_visible()

    report.refresh_from_db()
    review.refresh_from_db()
    assert (report.status, report.decided_by) == (ReportStatus.DISMISSED, story["mod"])
    assert review.status == ReviewStatus.PUBLISHED
    (told,) = [message for message in mail.outbox if message.to == ["lecteur@example.com"]]
    assert "signalement rejeté" in told.body
    assert "Critique vive mais conforme aux règles." in told.body
    assert REVIEW_BODY not in told.body
