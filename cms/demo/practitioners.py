"""The demo directory's content: disciplines and practitioner pages with portraits."""

from __future__ import annotations

from functools import partial

from wagtail.models import Collection

from cms.demo import data
from cms.demo.images import portrait_jpeg
from cms.demo.pages import SeedReport, image_get_or_create, page_create, page_publish
from cms.models import (
    DirectoryPage,
    Discipline,
    Language,
    PractitionerCertification,
    PractitionerPage,
    PractitionerService,
)


def disciplines_seed(report: SeedReport) -> dict[str, Discipline]:
    by_slug = {}
    for spec in data.DISCIPLINES:
        discipline = (
            Discipline.objects.filter(slug=spec.slug).first()
            or Discipline.objects.filter(name__iexact=spec.name).first()
        )
        if discipline is None:
            discipline = Discipline.objects.create(
                name=spec.name, slug=spec.slug, description=spec.description, synonyms=spec.synonyms
            )
            report.created["discipline"] += 1
            report.to_index.append(discipline)
        else:
            report.existing["discipline"] += 1
            if spec.synonyms and not discipline.synonyms:  # a demo seeded before synonyms
                discipline.synonyms = spec.synonyms
                discipline.save(update_fields=["synonyms"])
                report.to_index.append(discipline)
        by_slug[spec.slug] = discipline
    return by_slug


def languages_by_code() -> dict[str, Language]:
    languages = Language.objects.in_bulk(field_name="code")
    if "fr" not in languages:  # created by a migration; only a hand-edited database lacks it
        languages["fr"] = Language.objects.create(code="fr", name="Français")
    return languages


def practitioner_pages_seed(
    directory: DirectoryPage,
    disciplines: dict[str, Discipline],
    collection: Collection,
    count: int,
    report: SeedReport,
) -> None:
    existing = set(directory.get_children().values_list("slug", flat=True))
    languages = languages_by_code()
    for spec in data.practitioners(count):
        if spec.slug in existing:
            report.existing["fiche praticien"] += 1
            continue
        photo = image_get_or_create(
            f"Portrait démo {spec.title}",
            f"demo-{spec.slug}.jpg",
            partial(portrait_jpeg, spec.initials, seed=spec.portrait_seed),
            collection,
            report,
            description=f"Initiales de {spec.title} sur un fond coloré",
        )
        page = PractitionerPage(
            title=spec.title,
            slug=spec.slug,
            search_description=spec.headline,
            photo=photo,
            headline=spec.headline,
            biography=spec.biography,
            offers_office=spec.offers_office,
            offers_video=spec.offers_video,
            offers_home=spec.offers_home,
            street_address=spec.street_address,
            postcode=spec.city.postcode,
            city=spec.city.city,
        )
        page.disciplines = [disciplines[d.slug] for d in spec.disciplines]
        page.languages = [languages[code] for code in spec.languages if code in languages]
        page.services = [
            PractitionerService(
                sort_order=position,
                name=service.name,
                description=service.description,
                duration_minutes=service.duration_minutes,
                price=service.price,
                mode=service.mode,
            )
            for position, service in enumerate(spec.services)
        ]
        page.certifications = [
            PractitionerCertification(sort_order=position, name=name, issuer=issuer, year=year)
            for position, (name, issuer, year) in enumerate(spec.certifications)
        ]
        # Page.save() runs full_clean(), hence the model's own clean() rules.
        page_create(directory, page, report)
        page_publish(page)
        existing.add(spec.slug)
        report.created["fiche praticien"] += 1
