"""One public address: SITE_URL is parsed strictly, and the default Wagtail Site follows it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail.models import Site

from core.checks import public_origin_check, site_sync_public_origin
from core.links import absolute_reverse, absolute_url, origin_parse, public_hostname


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://localhost:8000/", "http://localhost:8000"),
        ("https://praticiens.example.org", "https://praticiens.example.org"),
        ("https://praticiens.example.org:443", "https://praticiens.example.org"),
        ("HTTP://Example.ORG:80", "http://example.org"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_an_origin_is_normalised(value, origin):
    assert origin_parse(value) == origin


@pytest.mark.parametrize(
    "value",
    [
        "",
        "localhost:8000",
        "ftp://example.org",
        "https://",
        "https://example.org/site/",
        "https://example.org/?a=1",
        "https://example.org/#top",
        "https://user:pw@example.org",
        "http://example.org:99999",
        "http://example.org:port",
        "https://example.org:8443",  # Wagtail's Site would call it http://
        "http://example.org:443",
    ],
)
def test_a_wrong_origin_stops_start_up(value):
    with pytest.raises(ImproperlyConfigured):
        origin_parse(value)


def test_links_are_built_on_the_origin(settings):
    settings.PUBLIC_ORIGIN = "https://praticiens.example.org"
    assert absolute_url("/cgu/") == "https://praticiens.example.org/cgu/"
    assert absolute_url() == "https://praticiens.example.org"
    assert absolute_url("https://cdn.example.net/a.png") == "https://cdn.example.net/a.png"
    assert absolute_reverse("robots_txt") == "https://praticiens.example.org/robots.txt"
    assert public_hostname() == "praticiens.example.org"


@pytest.mark.django_db
def test_the_check_fails_while_the_default_site_disagrees_and_migrate_aligns_it(
    settings, site_tree
):
    assert public_origin_check() == []
    settings.PUBLIC_ORIGIN = "https://praticiens.example.org"

    errors = public_origin_check()
    assert [error.id for error in errors] == ["core.E001"]
    assert "testserver:80" in errors[0].msg and "https://praticiens.example.org" in errors[0].msg

    assert site_sync_public_origin() is True
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "praticiens.example.org",
        443,
        "https://praticiens.example.org",
    )
    assert public_origin_check() == []
    assert site_sync_public_origin() is False  # nothing left to change


@pytest.mark.django_db
def test_migrate_gives_the_default_site_the_public_origin(settings):
    from django.core.management import call_command

    settings.PUBLIC_ORIGIN = "http://localhost:8000"
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://localhost:8000"
