"""The review rules page (D111-17): every field shown, the refusal reasons as the moderation
rules, "publication après modération"; the demo's page created once."""

from django.utils.html import escape

from exchanges.models import ReviewRulesPage
from exchanges.reviews.demo import review_rules_page_seed


def test_the_rules_page_states_everything_the_law_asks(client, rules):
    rules.max_publication_delay_days = 5
    rules.online_duration_years = 2
    rules.review_window_days = 45
    rules.save_revision().publish()

    page = client.get(rules.url).content.decode()

    assert "Publication après modération" in page
    assert "Délai maximal de publication : 5 jours après le dépôt." in page
    assert "Durée de mise en ligne : 2 ans à compter de la publication." in page
    assert "dans les 45 jours qui suivent la consultation" in page
    for text in (rules.intro, rules.verification, rules.no_consideration, rules.moderation):
        assert text in page
    assert escape("« Signaler »") in page or "« Signaler »" in page  # the reporting field
    for reason in rules.refusal_reasons.all():
        assert escape(reason.label) in page
        assert escape(reason.explanation) in page


def test_the_demo_rules_page_is_created_once(site_tree):
    first = review_rules_page_seed(site_tree["home"])

    assert first is not None and first.live
    assert first.refusal_reasons.count() >= 1
    assert review_rules_page_seed(site_tree["home"]) is None
    assert ReviewRulesPage.objects.count() == 1
