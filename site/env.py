"""Strict readers for environment variables.

A typo in a boolean or a number must stop the process at start-up rather than silently
fall back to a default (healthchecks does the same).
"""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
# ASCII digits only: int() would also take "1_000", " 25 " or Arabic-Indic digits.
_INTEGER = re.compile(r"-?[0-9]+")


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool = False) -> bool:
    """True or False from 1/0, true/false, yes/no, on/off (any case); unset or empty: default.

    Empty is the default rather than False, as for the other readers: "SECURE_SSL_REDIRECT="
    left in a deployment file must not switch a protection off.
    """
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number written in ASCII digits, at least `minimum` (no setting here is
    negative: a port, a count of proxies, seconds); unset or empty: default."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not _INTEGER.fullmatch(value):
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.")
    number = int(value)
    if number < minimum:
        raise ImproperlyConfigured(f"{name}={value!r} is below {minimum}.")
    return number


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    value = env_str(name, required=required)
    if not value:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
