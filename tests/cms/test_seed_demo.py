"""`manage.py seed_demo` builds a complete, consistent demo site, and only once."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision, Site

from cms.demo.seed import EDITOR_EMAIL, EDITOR_PASSWORD, OPERATOR_DEFAULTS
from cms.models import (
    DirectoryPage,
    Discipline,
    HomePage,
    LegalPage,
    OperatorSettings,
    PractitionerPage,
    PractitionerService,
    PrivacyPolicyPage,
    TermsPage,
)

pytestmark = pytest.mark.django_db

SMALL = ("--practitioners", "3")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def page_at(path: str) -> Page | None:
    return Page.find_for_request(RequestFactory().get(path), path)


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "collections": Collection.objects.count(),
        "disciplines": Discipline.objects.count(),
        "services": PractitionerService.objects.count(),
        "settings": OperatorSettings.objects.count(),
        "sites": Site.objects.count(),
        "users": get_user_model().objects.count(),
    }


def test_full_demo_lists_sixty_consistent_practitioners_across_disciplines_and_cities():
    seed()

    practitioners = PractitionerPage.objects.live().prefetch_related(
        "services", "languages", "disciplines"
    )
    assert practitioners.count() >= 60
    assert Discipline.objects.filter(practitioners__live=True).distinct().count() >= 8
    assert practitioners.values("city").distinct().count() >= 10
    for page in practitioners:
        page.full_clean()  # the model's own rules: a mode, an address for the office...
        assert page.photo is not None, page.title
        assert page.photo.width == page.photo.height == 600
        assert page.has_unpublished_changes is False
        assert page.live_revision is not None
        services = list(page.services.all())
        assert 1 <= len(services) <= 4, page.title
        for service in services:
            assert service.mode in page.consultation_modes
            assert 30 <= service.duration_minutes <= 120
            assert Decimal("40") <= service.price <= Decimal("120")
        assert "fr" in {language.code for language in page.languages.all()}
        assert page.url.startswith("/praticiens/")

    with_naturopathy = set(
        practitioners.filter(disciplines__slug="naturopathie").values_list("pk", flat=True)
    )
    found = {page.pk for page in PractitionerPage.objects.live().search("naturopathie")}
    assert with_naturopathy and with_naturopathy <= found


def test_home_page_replaces_the_wagtail_welcome_page_and_links_to_the_directory():
    seed(*SMALL)

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.live
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()

    blocks = {block.block_type: block.value for block in home.body}
    assert set(blocks) == {"hero", "featured_disciplines", "featured_practitioners", "rich_text"}
    assert blocks["hero"]["image"] is not None
    assert blocks["hero"]["cta_page"].specific == DirectoryPage.objects.get()
    assert len(blocks["featured_disciplines"]["disciplines"]) == 8
    assert len(blocks["featured_practitioners"]["practitioners"]) == 3

    assert isinstance(page_at("/praticiens/").specific, DirectoryPage)
    assert page_at("/").specific == home


def test_legal_pages_are_published_at_their_french_addresses():
    seed(*SMALL)

    expected = {
        "/cgu/": (TermsPage, "Conditions générales d'utilisation"),
        "/mentions-legales/": (LegalPage, "Mentions légales"),
        "/confidentialite/": (PrivacyPolicyPage, "Politique de confidentialité"),
    }
    for path, (model, title) in expected.items():
        page = page_at(path)
        assert page is not None, path
        page = page.specific
        assert isinstance(page, model)
        assert page.title == title
        assert page.live and page.live_revision is not None
        if isinstance(page, LegalPage):  # versioned documents date their versions instead
            assert page.updated_on is not None


def test_privacy_policy_states_retention_periods_rights_and_the_cnil():
    seed(*SMALL)

    body = PrivacyPolicyPage.objects.get().body
    for period in ("3 ans", "5 ans", "6 mois", "1 mois"):
        assert period in body
    for words in (
        "CNIL",
        "sous-traitant",
        "HDS",
        "HTTPS",
        "portabilité",
        "après votre décès",
        "justificatif d'identité",
        "en dehors de l'Union européenne",
        "délégué à la protection des données",
    ):
        assert words in body, words
    for purpose in range(1, 11):
        assert f"P{purpose}." in body
    # The operator's contact details come from the editable setting, never frozen in the text.
    assert OPERATOR_DEFAULTS["dpo_email"] not in body


def test_operator_identity_is_seeded_for_the_default_site_without_overwriting_edits():
    site = Site.objects.get(is_default_site=True)
    OperatorSettings.objects.create(
        site=site, company_name="Exploitant Édité SAS", address="1 rue A", contact_email=""
    )

    seed(*SMALL)

    operator = OperatorSettings.objects.get(site=Site.objects.get(is_default_site=True))
    assert operator.company_name == "Exploitant Édité SAS"
    assert operator.address == "1 rue A"
    assert operator.contact_email == OPERATOR_DEFAULTS["contact_email"]  # was blank
    assert operator.dpo_email == OPERATOR_DEFAULTS["dpo_email"]


def test_second_run_creates_nothing_and_republishes_nothing():
    seed(*SMALL)
    before = counts()

    output = seed(*SMALL)

    assert counts() == before
    assert "Rien à créer" in output


def test_raising_the_count_adds_only_the_missing_practitioners():
    seed("--practitioners", "2")
    first = dict(PractitionerPage.objects.values_list("slug", "latest_revision_id"))

    seed("--practitioners", "4")

    after = dict(PractitionerPage.objects.values_list("slug", "latest_revision_id"))
    assert len(after) == 4
    assert {slug: after[slug] for slug in first} == first


def test_no_account_is_created_outside_the_demo_mode(settings):
    assert settings.DEMO_MODE is False  # test settings, like production

    output = seed(*SMALL)

    assert not get_user_model().objects.exists()
    assert "ignorés" in output
    assert EDITOR_PASSWORD not in output


def test_demo_mode_creates_the_editor_account_and_prints_its_credentials(settings):
    settings.DEMO_MODE = True

    output = seed(*SMALL)
    seed(*SMALL)

    user = get_user_model().objects.get()
    assert user.email == EDITOR_EMAIL
    assert user.check_password(EDITOR_PASSWORD)
    assert len(EDITOR_PASSWORD) >= 12
    assert not user.is_superuser
    assert user.groups.filter(name="Editors").exists()
    assert user.has_perm("wagtailadmin.access_admin")
    assert EDITOR_EMAIL in output and EDITOR_PASSWORD in output


def test_no_accounts_option_skips_the_editor_even_in_demo_mode(settings):
    settings.DEMO_MODE = True

    seed(*SMALL, "--no-accounts")

    assert not get_user_model().objects.exists()
