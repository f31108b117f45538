from tests.payments_server import localstripe, localstripe_server  # noqa: F401
