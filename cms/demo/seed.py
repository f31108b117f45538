"""Build the demo site: page tree, practitioners, legal pages, operator identity, editor account.

Idempotent: everything is looked up first (pages by slug, disciplines by slug, images by title)
and only what is missing is created; existing pages are never republished, and settings an editor
filled in are never overwritten.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import Collection, Page, Site
from wagtail.search import index

from cms.demo import data, texts
from cms.demo.images import hero_jpeg
from cms.demo.pages import (
    SeedReport,
    demo_collection,
    image_get_or_create,
    page_create,
    page_publish,
)
from cms.demo.practitioners import disciplines_seed, practitioner_pages_seed
from cms.models import (
    DirectoryPage,
    Discipline,
    HomePage,
    LegalPage,
    OperatorSettings,
    PractitionerPage,
    PrivacyPolicyPage,
    TermsPage,
    VersionedDocumentPage,
)
from core.links import public_host_port

DEFAULT_PRACTITIONERS = 60
MAX_PRACTITIONERS = 500  # well below the number of distinct demo names
HERO_IMAGE_TITLE = "Bandeau d'accueil (démo)"
LEGAL_UPDATED_ON = date(2026, 11, 2)
FEATURED_DISCIPLINES = 8
FEATURED_PRACTITIONERS = 6

EDITOR_EMAIL = "editeur@example.com"
EDITOR_PASSWORD = "demo-editeur-2026"  # demo only: never created when settings.DEMO_MODE is off
EDITORS_GROUP = "Editors"

# A fictional operator: the example domain (RFC 2606) and ARCEP's range of numbers reserved for
# fiction (04 65 71 xx xx) make sure nobody real is named or called.
OPERATOR_DEFAULTS = {
    "company_name": "Praticiens Bien-Être SAS",
    "legal_form": "Société par actions simplifiée au capital de 10 000 €",
    "registration_number": "RCS Lyon 000 000 000 (fictif)",
    "address": "15 rue de l'Exemple\n69002 Lyon\nFrance",
    "contact_email": "contact@praticiens-bien-etre.example",
    "dpo_email": "dpo@praticiens-bien-etre.example",
    "phone": "04 65 71 00 00",
    "publication_director": "Claire Exemple, présidente",
    "host_name": "Hébergeur Santé Exemple SAS",
    "host_address": "1 avenue de l'Exemple\n59000 Lille\nFrance\nTéléphone : 03 53 01 00 00",
}

LEGAL_PAGES = (
    # (model, slug, title); the privacy policy first: the others link to it.
    (PrivacyPolicyPage, "confidentialite", "Politique de confidentialité"),
    (TermsPage, "cgu", "Conditions générales d'utilisation"),
    (LegalPage, "mentions-legales", "Mentions légales"),
)


def demo_site_seed(
    *, practitioners: int = DEFAULT_PRACTITIONERS, accounts: bool = True
) -> SeedReport:
    """Create whatever part of the demo site is missing; return what was done."""
    report = SeedReport()
    with transaction.atomic(), _search_index_updates_deferred():
        home, home_is_new = _home_page(report)
        site = _default_site(home, report)
        _operator_settings(site, report)
        disciplines = disciplines_seed(report)
        collection = demo_collection(report)
        directory = _directory_page(home, report)
        practitioner_pages_seed(directory, disciplines, collection, practitioners, report)
        _legal_pages(home, report)
        if home_is_new:
            _publish_home(home, directory, disciplines, collection, report)
        _remove_welcome_page(site, report)
        # Indexed here, once every relation is saved, rather than from the post_save signal:
        # it fires before modelcluster writes a page's disciplines, languages and services.
        for instance in report.to_index:
            index.insert_or_update_object(instance)

    if not accounts:
        report.notes.append("Comptes de démonstration : ignorés (--no-accounts).")
    elif not settings.DEMO_MODE:
        report.notes.append("Comptes de démonstration : ignorés (DEMO_MODE désactivé).")
    else:
        _editor_account(report)
    return report


@contextmanager
def _search_index_updates_deferred() -> Iterator[None]:
    """Pause the search index's post_save handlers; the caller indexes what it created.

    Each page is saved three times (created, revised, published) and each save would re-index
    it; pausing saves most of the run time. Meant for this command's own process.
    """
    paused = [
        model
        for model in index.get_indexed_models()
        if post_save.disconnect(post_save_signal_handler, sender=model)
    ]
    try:
        yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


# --- Page tree ------------------------------------------------------------------------------


def _home_page(report: SeedReport) -> tuple[HomePage, bool]:
    home = HomePage.objects.first()
    if home is not None:
        report.existing["page d'accueil"] += 1
        return home, False
    root = Page.get_first_root_node()
    home = HomePage(
        title="Accueil",
        slug="accueil",
        seo_title="Praticiens Bien-Être : trouvez un praticien du bien-être près de chez vous",
    )
    page_create(root, home, report)
    report.created["page d'accueil"] += 1
    return home, True


def _default_site(home: HomePage, report: SeedReport) -> Site:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = public_host_port()
        site = Site.objects.create(
            hostname=hostname,
            port=port,
            root_page=home,
            is_default_site=True,
            site_name=settings.WAGTAIL_SITE_NAME,
        )
        report.created["site"] += 1
        return site
    if site.root_page_id != home.pk:
        site.root_page = home
        # Host and port: the public origin's, set by migrate (core/checks.py).
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
        report.notes.append(f"Site par défaut {site.hostname}:{site.port} → « {home.title} ».")
    return site


def _remove_welcome_page(site: Site, report: SeedReport) -> None:
    """Delete Wagtail's initial "Welcome" page once no site points to it any more."""
    welcome = (
        Page.objects.filter(depth=2, slug="home", numchild=0, sites_rooted_here__isnull=True)
        .exclude(pk=site.root_page_id)
        .first()
    )
    if welcome is not None and welcome.specific_class is Page:
        welcome.delete()
        report.notes.append("Page « Welcome » de Wagtail supprimée.")


def _directory_page(home: HomePage, report: SeedReport) -> DirectoryPage:
    directory = DirectoryPage.objects.first()  # max_count = 1
    if directory is not None:
        report.existing["annuaire"] += 1
        return directory
    directory = DirectoryPage(title="Praticiens", slug="praticiens", intro=texts.DIRECTORY_INTRO)
    page_create(home, directory, report)
    page_publish(directory)
    report.created["annuaire"] += 1
    return directory


def _legal_pages(home: HomePage, report: SeedReport) -> None:
    """Create the missing legal pages, then write their texts once every page id is known.

    The texts do not repeat the operator's identity: the legal page template shows the live
    OperatorSettings under each of them (see cms/demo/texts.py). The privacy policy and the
    terms are versioned documents: their publication, like an editor's, creates their version 1
    (snapshot and PDF) through the compliance app's page_published receiver.
    """
    pages: dict[str, Page] = {}
    new: list[Page] = []
    for model, slug, title in LEGAL_PAGES:
        existing = model.objects.child_of(home).filter(slug=slug).first()
        if issubclass(model, VersionedDocumentPage):
            existing = existing or model.objects.first()  # max_count = 1
        if existing is None and model is TermsPage:
            _retire_legacy_terms_page(home, slug, report)
        if existing is not None:
            pages[slug] = existing
            report.existing["page légale"] += 1
            continue
        # The body is required: a placeholder until the real text, with its links, is known.
        fields = (
            {} if issubclass(model, VersionedDocumentPage) else {"updated_on": LEGAL_UPDATED_ON}
        )
        page = model(title=title, slug=slug, body="<p>…</p>", **fields)
        page_create(home, page, report)
        pages[slug] = page
        new.append(page)
        report.created["page légale"] += 1

    page_ids = {slug: page.pk for slug, page in pages.items()}
    bodies = {
        "confidentialite": texts.privacy_policy_html,
        "cgu": texts.terms_html,
        "mentions-legales": texts.legal_notice_html,
    }
    for page in new:
        page.body = bodies[page.slug](page_ids=page_ids)
        page_publish(page)


def _retire_legacy_terms_page(home: HomePage, slug: str, report: SeedReport) -> None:
    """Demo databases seeded before the terms were versioned hold them as a plain LegalPage.

    Demo content only: it is replaced by a TermsPage (whose publication creates version 1).
    """
    legacy = LegalPage.objects.child_of(home).filter(slug=slug).first()
    if legacy is not None:
        legacy.delete()
        report.notes.append("Ancienne page « CGU » non versionnée remplacée.")


def _publish_home(
    home: HomePage,
    directory: DirectoryPage,
    disciplines: dict[str, Discipline],
    collection: Collection,
    report: SeedReport,
) -> None:
    hero = image_get_or_create(
        HERO_IMAGE_TITLE,
        "demo-bandeau-accueil.jpg",
        hero_jpeg,
        collection,
        report,
        description="Collines verdoyantes sous un ciel clair (illustration)",
    )
    featured = [disciplines[spec.slug].pk for spec in data.DISCIPLINES[:FEATURED_DISCIPLINES]]
    practitioners = list(
        PractitionerPage.objects.child_of(directory)
        .live()
        .order_by("path")
        .values_list("pk", flat=True)[:FEATURED_PRACTITIONERS]
    )
    body = [
        {
            "type": "hero",
            "value": {
                "title": texts.HOME_HERO_TITLE,
                "text": texts.HOME_HERO_TEXT,
                "image": hero.pk,
                "cta_label": texts.HOME_HERO_CTA,
                "cta_page": directory.pk,
            },
        },
        {
            "type": "featured_disciplines",
            "value": {"heading": texts.HOME_DISCIPLINES_HEADING, "disciplines": featured},
        },
    ]
    if practitioners:
        body.append(
            {
                "type": "featured_practitioners",
                "value": {
                    "heading": texts.HOME_PRACTITIONERS_HEADING,
                    "practitioners": practitioners,
                },
            }
        )
    body.append({"type": "rich_text", "value": texts.HOME_RICH_TEXT})
    home.body = json.dumps(body)
    page_publish(home)


# --- Operator settings ----------------------------------------------------------------------


def _operator_settings(site: Site, report: SeedReport) -> OperatorSettings:
    operator = OperatorSettings.objects.filter(site=site).first()
    if operator is None:
        operator = OperatorSettings.objects.create(site=site, **OPERATOR_DEFAULTS)
        report.created["identité de l'exploitant"] += 1
        return operator
    # A row may exist empty (BaseSiteSetting.for_site creates one on first read): fill only the
    # blank fields, never what an editor typed.
    blanks = [name for name in OPERATOR_DEFAULTS if not getattr(operator, name)]
    if blanks:
        for name in blanks:
            setattr(operator, name, OPERATOR_DEFAULTS[name])
        operator.save(update_fields=blanks)
        report.notes.append(f"Identité de l'exploitant complétée ({len(blanks)} champs vides).")
    else:
        report.existing["identité de l'exploitant"] += 1
    return operator


# --- Demo account ---------------------------------------------------------------------------


def _editor_account(report: SeedReport) -> None:
    """The editor of the embedded demo. Only called when settings.DEMO_MODE is on."""
    if not settings.DEMO_MODE:  # a second guard: this must never run in production
        raise RuntimeError("Demo accounts are only created when DEMO_MODE is on.")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    User = get_user_model()
    user = User.objects.filter(email=EDITOR_EMAIL).first()
    if user is None:
        user = User(
            email=EDITOR_EMAIL,
            first_name="Éditrice",
            last_name="Démo",
        )
        validate_password(EDITOR_PASSWORD, user)
        user.set_password(EDITOR_PASSWORD)
        user.save()
        report.created["compte éditeur"] += 1
    else:
        report.existing["compte éditeur"] += 1
    user.groups.add(group)
    report.account = {
        "email": user.email,
        "password": EDITOR_PASSWORD if user.check_password(EDITOR_PASSWORD) else "",
    }
