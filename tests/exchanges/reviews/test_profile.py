"""The profile's reviews: rating summary, published reviews with their dates (publication,
consultation, update), the order and the other sorts, the verified-reviews sentence and the
rules link, the practitioner's answer, the JSON-LD, and a query count that does not grow."""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.models import AppointmentStatus
from exchanges.models import Review, ReviewStatus
from tests.booking.mail_helpers import appointment_make
from tests.factories import client_create

VERIFIED = (
    "Avis vérifiés : seuls les clients ayant eu un rendez-vous réalisé sur la plateforme "
    "peuvent déposer un avis"
)


def _review(practitioner, author, *, days_ago, rating, body, status=ReviewStatus.PUBLISHED, **f):
    """A review row of a consultation `days_ago` days ago, published a day after it."""
    start = timezone.now() - timedelta(days=days_ago, hours=2)
    appointment = appointment_make(practitioner, author, start, status=AppointmentStatus.DONE)
    published = status == ReviewStatus.PUBLISHED
    return Review.objects.create(
        appointment=appointment,
        practitioner=practitioner,
        author=author,
        rating=rating,
        body=body,
        consultation_date=timezone.localdate(start, practitioner.tz),
        status=status,
        published_at=start + timedelta(days=1) if published else None,
        **f,
    )


@pytest.fixture
def reviews(practitioner, client_user, rules):
    return {
        "old": _review(practitioner, client_user, days_ago=40, rating=5, body="Avis ancien"),
        "mid": _review(
            practitioner,
            client_user,
            days_ago=20,
            rating=2,
            body="Avis moyen",
            edited_at=timezone.now() - timedelta(days=2),
            reply="Merci de votre retour.",
            reply_status=ReviewStatus.PUBLISHED,
            reply_published_at=timezone.now() - timedelta(days=1),
        ),
        "new": _review(practitioner, client_user, days_ago=5, rating=4, body="Avis récent"),
        "pending": _review(
            practitioner,
            client_user,
            days_ago=3,
            rating=1,
            body="Avis en attente",
            status=ReviewStatus.PENDING,
        ),
        "refused": _review(
            practitioner,
            client_user,
            days_ago=2,
            rating=1,
            body="Avis refusé",
            status=ReviewStatus.REFUSED,
            reply="Réponse en attente",
            reply_status=ReviewStatus.PENDING,
        ),
    }


def _profile(client, practitioner, query="") -> str:
    response = client.get(practitioner.page.url + query)
    assert response.status_code == 200
    return response.content.decode()


def _order(page: str) -> list[str]:
    # The list on the page (the JSON-LD in the head names them too).
    page = page[page.index('id="avis"') :]
    return re.findall(r"Avis (ancien|moyen|récent|en attente|refusé)", page)


def test_only_published_reviews_show_most_recent_first(client, practitioner, reviews):
    page = _profile(client, practitioner)

    assert _order(page) == ["récent", "moyen", "ancien"]
    assert "les plus récents d&#x27;abord" in page or "les plus récents d'abord" in page
    assert "Réponse en attente" not in page


def test_the_other_sorts_are_named_links_without_javascript(client, practitioner, reviews):
    page = _profile(client, practitioner)
    assert 'href="?avis=note-haute#avis"' in page
    assert "note la plus haute" in page and "note la plus basse" in page

    assert _order(_profile(client, practitioner, "?avis=note-haute")) == [
        "ancien",
        "récent",
        "moyen",
    ]
    assert _order(_profile(client, practitioner, "?avis=note-basse")) == [
        "moyen",
        "récent",
        "ancien",
    ]
    # An unknown sort is the default, not an error.
    assert _order(_profile(client, practitioner, "?avis=n%27importe")) == [
        "récent",
        "moyen",
        "ancien",
    ]


def test_each_review_shows_its_dates_and_the_published_answer(client, practitioner, reviews):
    page = _profile(client, practitioner)
    mid = reviews["mid"]

    block = page[page.index(f'id="avis-{mid.pk}"') :]
    block = block[: block.index("</li>")]
    assert f'datetime="{timezone.localdate(mid.published_at).isoformat()}"' in block
    assert f'datetime="{mid.consultation_date.isoformat()}"' in block
    assert "consultation du" in block and "publié le" in block
    assert "modifié le" in block
    assert "Merci de votre retour." in block
    new = reviews["new"]
    new_block = page[page.index(f'id="avis-{new.pk}"') :]
    assert "modifié le" not in new_block[: new_block.index("</li>")]
    assert "Claire D." in block  # first name and initial only
    assert "Dupont" not in page


def test_the_summary_the_verified_sentence_and_the_rules_link(client, practitioner, reviews, rules):
    page = _profile(client, practitioner)

    assert "<strong>3,7</strong> sur 5, 3 avis" in page
    distribution = page[page.index("reviews__distribution") : page.index("</table>")]
    counts = re.findall(r'value="(\d+)"', distribution)
    assert counts == ["33", "33", "0", "33", "0"]  # 5, 4, 3, 2, 1 stars
    assert VERIFIED in page
    section = page[page.index('id="avis"') :]
    assert f'href="{rules.url}"' in section


def test_the_json_ld_carries_the_aggregate_rating_and_the_reviews(client, practitioner, reviews):
    page = _profile(client, practitioner)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )

    assert data["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 3.7,
        "ratingCount": 3,
        "reviewCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert [item["reviewBody"] for item in data["review"]] == [
        "Avis récent",
        "Avis moyen",
        "Avis ancien",
    ]
    first = data["review"][0]
    assert first["datePublished"] == timezone.localdate(reviews["new"].published_at).isoformat()
    assert first["reviewRating"]["ratingValue"] == 4
    assert first["author"] == {"@type": "Person", "name": "Claire D."}


def test_without_published_reviews_there_is_no_rating_in_the_json_ld(client, practitioner, rules):
    page = _profile(client, practitioner)

    assert "aggregateRating" not in page
    assert "Aucun avis publié pour le moment." in page
    assert VERIFIED in page


def test_the_query_count_does_not_grow_with_the_reviews(client, practitioner, client_user, rules):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _profile(client, practitioner)
        return len(queries)

    _review(practitioner, client_user, days_ago=200, rating=3, body="Avis numéro 0")
    _profile(client, practitioner)  # warm caches (site root paths, content types)
    few = count()
    authors = [client_create(f"client{n}@example.com") for n in range(1, 30)]
    for n, author in enumerate(authors, start=1):
        _review(practitioner, author, days_ago=200 - n, rating=1 + n % 5, body=f"Avis numéro {n}")

    assert count() == few


def test_each_review_has_a_report_link(client, practitioner, reviews):
    page = _profile(client, practitioner)

    for key in ("old", "mid", "new"):
        assert f'href="{reverse("reports:review_report", args=[reviews[key].pk])}"' in page
    assert reverse("reports:review_report", args=[reviews["pending"].pk]) not in page
