"""Browser tests: Playwright (pytest-playwright) driving Debian's Chromium against live_server.

Run them with `make test-e2e` (or `.venv/bin/python -m pytest -m e2e`). Every test in this
folder is marked `e2e`, so `make test` (`-m "not e2e"`) leaves them out. Playwright's own
browser downloads are never used: Chromium comes from Debian (`apt-get install chromium`).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the markers must be on the items before pytest's `-m` deselection runs.
    missing_browser = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium)"
    )
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(missing_browser)


def pytest_collection_finish(session):
    # Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses
    # synchronous ORM calls from a thread with a running loop (SynchronousOnlyOperation). The
    # tests set up data with the ORM between browser actions, which is safe: one thread.
    # Set before any fixture runs (the database setup may come after Playwright starts), and
    # only when browser tests were selected, so `make test` keeps Django's async-safety check.
    if any(item.get_closest_marker("e2e") for item in session.items):
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French visitor: LocaleMiddleware picks the language from Accept-Language.
    return {**browser_context_args, "locale": "fr-FR"}


@pytest.fixture
def site(live_server):
    """The published site tree, its default Site answering on the live server's address.

    Wagtail would fall back to the default Site for an unknown host anyway; matching the
    address makes `{% pageurl %}` and `{% fullpageurl %}` point at the live server.
    """
    from django.core.cache import cache
    from wagtail.models import Site

    from tests.factories import site_tree_create

    tree = site_tree_create()
    address = urlsplit(live_server.url)
    Site.objects.filter(is_default_site=True).update(hostname=address.hostname, port=address.port)
    # Site root paths are cached (locmem cache, shared with the server thread).
    cache.clear()
    return tree


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing fast rather than waiting 30 s for a missing element."""
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(20_000)
    return page


def admin_session_open(page, live_server, user):
    """Sign `user` in in the browser with a session verified by a TOTP device, as the admin and
    the practitioner area demand (the login forms themselves are tested elsewhere). Returns the
    device."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cookie = client.cookies[next(iter(client.cookies))]
    page.context.add_cookies(
        [
            {
                "name": cookie.key,
                "value": cookie.value,
                "domain": urlsplit(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    return device
