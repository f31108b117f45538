"""schema.org data (JSON-LD) describing public pages to search engines."""

from urllib.parse import urljoin

from django.http import HttpRequest
from django.utils.html import strip_tags

from cms.models.practitioner import PHOTO_PROFILE, PractitionerPage

SCHEMA_CONTEXT = "https://schema.org"


def practitioner_structured_data(page: PractitionerPage, request: HttpRequest | None) -> dict:
    """A practitioner profile as a schema.org Person offering services priced in euros.

    A Person rather than a LocalBusiness: many practitioners only consult by video or at the
    client's home, and a LocalBusiness without a place is not valid for search engines. The
    office address, when there is one, goes in `address`.
    """
    page_url = page.get_full_url(request)
    data: dict = {
        "@context": SCHEMA_CONTEXT,
        "@type": "Person",
        "name": page.title,
        "description": page.headline,
        "url": page_url,
    }
    if page.photo:
        # Same rendition as the profile's <img>; relative media URLs are made absolute on the
        # page's own origin (the site's root URL), absolute ones (object storage) stay as they are.
        rendition_url = page.photo.get_rendition(PHOTO_PROFILE).url
        data["image"] = urljoin(page_url or "", rendition_url)
    disciplines = [discipline.name for discipline in page.disciplines.all()]
    if disciplines:
        data["knowsAbout"] = disciplines
    languages = [language.code for language in page.languages.all()]
    if languages:
        data["knowsLanguage"] = languages
    if page.offers_office and page.street_address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": page.street_address,
            "postalCode": page.postcode,
            "addressLocality": page.city,
            "addressCountry": "FR",
        }
    offers = [_service_offer(service) for service in page.services.all()]
    if offers:
        data["makesOffer"] = offers
    return data


def _service_offer(service) -> dict:
    item: dict = {"@type": "Service", "name": service.name}
    if service.description:
        item["description"] = strip_tags(service.description)
    return {
        "@type": "Offer",
        "name": service.name,
        "price": f"{service.price:.2f}",
        "priceCurrency": "EUR",
        "itemOffered": item,
    }
