"""Half a Stripe configuration stops the site at start-up instead of failing at a payment."""

import pytest

from booking.payments.checks import stripe_settings_check


def ids(settings, **values):
    for name, value in values.items():
        setattr(settings, name, value)
    return [message.id for message in stripe_settings_check()]


def test_no_keys_is_fine_everything_is_paid_on_site(settings):
    assert ids(settings, STRIPE_SECRET_KEY="", STRIPE_PUBLISHABLE_KEY="") == []


@pytest.mark.parametrize(
    ("secret", "public"), [("sk_test_abc", ""), ("", "pk_test_abc")], ids=["secret", "public"]
)
def test_one_key_without_the_other_is_an_error(settings, secret, public):
    assert ids(settings, STRIPE_SECRET_KEY=secret, STRIPE_PUBLISHABLE_KEY=public) == [
        "booking.E001"
    ]


def test_keys_of_two_modes_are_an_error(settings):
    found = ids(
        settings,
        STRIPE_SECRET_KEY="sk_live_abc",
        STRIPE_PUBLISHABLE_KEY="pk_test_abc",
        STRIPE_WEBHOOK_SECRET="whsec_abc",
    )
    assert found == ["booking.E002"]


def test_keys_without_a_webhook_secret_are_a_warning(settings):
    found = ids(
        settings,
        STRIPE_SECRET_KEY="sk_test_abc",
        STRIPE_PUBLISHABLE_KEY="pk_test_abc",
        STRIPE_WEBHOOK_SECRET="",
    )
    assert found == ["booking.W001"]
    assert ids(settings, STRIPE_WEBHOOK_SECRET="whsec_abc") == []
