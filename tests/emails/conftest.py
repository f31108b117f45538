import pytest

from emails.rendering import compiled_cache_clear
from tests.emails import flaky


@pytest.fixture(autouse=True)
def _fresh_email_state():
    compiled_cache_clear()
    flaky.reset()
    yield
    flaky.reset()


@pytest.fixture
def flaky_smtp(settings):
    """A mail server that is down for the first `failures` sends, then accepts mail."""

    def configure(failures: int, error: type[Exception] | None = None):
        settings.EMAIL_BACKEND = "tests.emails.flaky.FlakyEmailBackend"
        flaky.reset(failures=failures, error=error)
        return flaky

    return configure
