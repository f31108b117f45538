import pytest

from tests.factories import site_tree_create


@pytest.fixture
def site_tree(db):
    return site_tree_create()


@pytest.fixture
def directory(site_tree):
    return site_tree["directory"]
