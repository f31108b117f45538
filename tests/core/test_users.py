import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.users import signed_in_user
from tests.factories import client_create


def test_a_signed_in_account_is_returned_as_is(db):
    account = client_create()
    assert signed_in_user(account) is account


def test_an_anonymous_visitor_is_refused_with_403_not_served():
    # A view that lost its login_required must not act for nobody (nor fail with a 500).
    with pytest.raises(PermissionDenied):
        signed_in_user(AnonymousUser())
