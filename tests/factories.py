"""Factories for the page tree and its snippets, shared by every test."""

from decimal import Decimal
from io import BytesIO

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.models import (
    DirectoryPage,
    Discipline,
    HomePage,
    Language,
    LegalPage,
    OperatorSettings,
    PractitionerPage,
    PractitionerService,
    PrivacyPolicyPage,
    TermsPage,
)


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Discipline {n}")
    slug = factory.Sequence(lambda n: f"discipline-{n}")


def image_create(title: str = "Portrait", colour: str = "#7aa37a"):
    buffer = BytesIO()
    PILImage.new("RGB", (600, 600), colour).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(BytesIO(buffer.getvalue()), name=f"{title}.jpg")
    )


def site_tree_create() -> dict:
    """Home, directory and legal pages under the default site, as an editor would publish."""
    root = Page.get_first_root_node()
    home = HomePage(title="Accueil", slug="accueil")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home},
    )
    Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    directory = DirectoryPage(title="Praticiens", slug="praticiens")
    home.add_child(instance=directory)
    legal = {
        "mentions-legales": home.add_child(
            instance=LegalPage(
                title="Mentions légales",
                slug="mentions-legales",
                body="<h2>Objet</h2><p>Texte.</p>",
            )
        ),
        # Added without a publication: no policy version exists until a test publishes one.
        "cgu": home.add_child(
            instance=TermsPage(
                title="Conditions générales", slug="cgu", body="<h2>Objet</h2><p>Texte.</p>"
            )
        ),
    }
    privacy = home.add_child(
        instance=PrivacyPolicyPage(
            title="Politique de confidentialité",
            slug="confidentialite",
            body="<h2>Vos droits</h2><p>Texte.</p>",
        )
    )
    OperatorSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "company_name": "Praticiens Test SAS",
            "address": "1 rue de la Paix, 69001 Lyon",
            "contact_email": "contact@example.com",
            "dpo_email": "dpo@example.com",
        },
    )
    return {"home": home, "directory": directory, "privacy": privacy, **legal}


def practitioner_create(
    directory: DirectoryPage,
    *,
    title: str = "Camille Martin",
    disciplines: list[Discipline] | None = None,
    languages: tuple[str, ...] = ("fr",),
    city: str = "Lyon",
    postcode: str = "69003",
    services: list[tuple[str, int, str, str]] | None = None,
    photo=None,
    live: bool = True,
    **fields,
) -> PractitionerPage:
    """A published practitioner page; services are (name, minutes, price, mode) tuples."""
    services = services or [("Première consultation", 60, "70.00", "cabinet")]
    modes = {mode for *_, mode in services}
    page = PractitionerPage(
        title=title,
        headline=fields.pop("headline", "Accompagnement bienveillant"),
        biography=fields.pop("biography", "<p>Praticienne depuis dix ans.</p>"),
        city=city,
        postcode=postcode,
        street_address=fields.pop("street_address", "3 place Bellecour"),
        offers_office="cabinet" in modes,
        offers_video="visio" in modes,
        offers_home="domicile" in modes,
        photo=photo,
        live=live,
        **fields,
    )
    page.services = [
        PractitionerService(name=name, duration_minutes=minutes, price=Decimal(price), mode=mode)
        for name, minutes, price, mode in services
    ]
    page.disciplines = disciplines or [DisciplineFactory()]
    page.languages = list(Language.objects.filter(code__in=languages))
    directory.add_child(instance=page)
    if live:
        # Publishing a revision, as an editor does, is what makes the search index complete.
        page.save_revision().publish()
    return page


def otp_login(client, user):
    """Sign `user` in as the admin demands: a session verified with a confirmed TOTP device.

    Every admin test needs it: staff.middleware refuses admin pages to password-only sessions.
    Returns the device.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


# --- Booking (issue 5) -------------------------------------------------------------------------

# Monday to Saturday, 09:00-12:00 and 14:00-18:00 (weekday numbers as booking.models.Weekday).
BOOKING_WEEKLY_HOURS = [
    (weekday, start, end)
    for weekday in range(6)
    for start, end in (("09:00", "12:00"), ("14:00", "18:00"))
]


def bookable_practitioner_create(
    directory: DirectoryPage,
    *,
    title: str = "Camille Martin",
    services: list[tuple[str, int, str, str]] | None = None,
    city: str = "Lyon",
    postcode: str = "69003",
    **rules,
):
    """A live practitioner page with its booking Practitioner, open Monday-Saturday.

    Hours: 09:00-12:00 and 14:00-18:00 in the practitioner's time zone. `rules` are fields of
    booking.models.Practitioner (slot_step_minutes, buffer_minutes, min_notice_hours...); the
    model's defaults apply otherwise. The page is `practitioner.page`, its services
    `practitioner.page.services.all()`.
    """
    from datetime import time

    from booking.models import OpeningHours, Practitioner

    page = practitioner_create(
        directory, title=title, services=services, city=city, postcode=postcode
    )
    practitioner = Practitioner.objects.create(page=page, **rules)
    OpeningHours.objects.bulk_create(
        OpeningHours(
            practitioner=practitioner,
            weekday=weekday,
            start=time.fromisoformat(start),
            end=time.fromisoformat(end),
        )
        for weekday, start, end in BOOKING_WEEKLY_HOURS
    )
    return practitioner


def client_create(email: str = "client@example.com", password: str = "une phrase de passe"):
    """An active client account whose e-mail address is verified."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    return get_user_model().objects.create_user(
        email=email,
        password=password,
        first_name="Claire",
        last_name="Dupont",
        is_active=True,
        email_verified_at=timezone.now(),
    )


def policies_publish(site_tree, *users) -> None:
    """The terms and the privacy policy published, hence in force (version 1 of each), and
    accepted by `users` at their sign-up (else the re-acceptance gate stops them first)."""
    from compliance.services import policy_versions_accept_in_force

    for key in ("cgu", "privacy"):
        site_tree[key].save_revision().publish()
    for user in users:
        policy_versions_accept_in_force(user=user, context="signup")
