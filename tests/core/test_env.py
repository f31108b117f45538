"""The strict environment readers (site/env.py): a typo stops start-up, it never becomes a
silent default, False or a negative number."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

NAME = "WELLNESS_TEST_SETTING"


@pytest.fixture
def setting(monkeypatch):
    def set_to(value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(NAME, raising=False)
        else:
            monkeypatch.setenv(NAME, value)

    set_to(None)
    return set_to


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " on "])
def test_true_spellings_are_true(setting, value):
    setting(value)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "off"])
def test_false_spellings_are_false(setting, value):
    setting(value)
    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("value", ["ture", "flase", "2", "-1", "oui", "y", "enabled", "1.0"])
def test_a_wrong_boolean_stops_start_up_with_the_variable_named(setting, value):
    setting(value)
    with pytest.raises(ImproperlyConfigured, match=f"^{NAME}=.* is not a boolean"):
        env_bool(NAME, False)


@pytest.mark.parametrize("value", [None, "", "  "])
def test_an_unset_or_empty_boolean_is_the_default_not_false(setting, value):
    setting(value)
    assert env_bool(NAME, True) is True
    assert env_bool(NAME, False) is False


@pytest.mark.parametrize(("value", "number"), [("0", 0), ("25", 25), ("31536000", 31_536_000)])
def test_whole_numbers_are_read(setting, value, number):
    setting(value)
    assert env_int(NAME, 7) == number


@pytest.mark.parametrize("value", ["abc", "1.5", "1e3", "1_000", " 25", "25 ", "٣", "0x10"])
def test_a_wrong_number_stops_start_up_with_the_variable_named(setting, value):
    setting(value)
    with pytest.raises(ImproperlyConfigured, match=f"^{NAME}=.* is not an integer"):
        env_int(NAME, 7)


def test_a_negative_number_is_refused_unless_allowed(setting):
    setting("-1")
    with pytest.raises(ImproperlyConfigured, match=f"^{NAME}='-1' is below 0"):
        env_int(NAME, 7)
    assert env_int(NAME, 7, minimum=-5) == -1


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_or_empty_number_is_the_default(setting, value):
    setting(value)
    assert env_int(NAME, 7) == 7


def test_a_required_string_must_be_set(setting):
    with pytest.raises(ImproperlyConfigured, match=f"^The environment variable {NAME} is required"):
        env_str(NAME, required=True)
    setting("")
    with pytest.raises(ImproperlyConfigured, match=f"^The environment variable {NAME} is required"):
        env_str(NAME, required=True)
    setting("valeur")
    assert env_str(NAME, required=True) == "valeur"


def test_a_list_is_split_on_commas_without_blanks(setting):
    assert env_list(NAME, ["défaut"]) == ["défaut"]
    setting(" a.example , b.example,, ")
    assert env_list(NAME) == ["a.example", "b.example"]
    setting("")
    with pytest.raises(ImproperlyConfigured, match="is required"):
        env_list(NAME, required=True)
