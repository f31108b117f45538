"""No card field is ever ours: cards are typed into Stripe's frames and go to Stripe only.

Every template under templates/ and every Django form of the project is scanned for a field
that would collect a card number, its security code or its expiry date (by name, id or
autocomplete token). The scanner itself is checked on fields it must catch.
"""

import importlib
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django import forms

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "templates"
FIELD_TAGS = ("input", "select", "textarea")
# Names and ids a card field goes by (card_number, cardNumber, cvc, cvv, csc, exp_month...).
CARD_NAME = re.compile(
    r"card|cvc|cvv|csc|cc[-_]?(num|exp|name)|exp(iry|iration)?[-_]?(date|month|year)|^pan$",
    re.IGNORECASE,
)
# The autocomplete tokens of payment cards (cc-number, cc-csc, cc-exp, cc-exp-month...).
CARD_AUTOCOMPLETE = re.compile(r"(^|\s)cc-", re.IGNORECASE)


def card_fields(html: str) -> list[str]:
    """The fields in `html` (a template's source or a rendered page) that look like card data."""
    found = []
    for field in BeautifulSoup(html, "html.parser").find_all(FIELD_TAGS):
        for attr in ("name", "id"):
            value = field.get(attr) or ""
            if CARD_NAME.search(value):
                found.append(f"<{field.name} {attr}={value!r}>")
        autocomplete = field.get("autocomplete") or ""
        if CARD_AUTOCOMPLETE.search(autocomplete):
            found.append(f"<{field.name} autocomplete={autocomplete!r}>")
    if CARD_AUTOCOMPLETE.search(" ".join(re.findall(r'autocomplete="([^"]*)"', html))):
        found.append("an autocomplete cc-* token")
    return found


@pytest.mark.parametrize(
    "html",
    [
        '<input name="card_number">',
        '<input name="cardNumber" type="tel">',
        '<input id="cvc">',
        '<input name="cvv">',
        '<input name="exp_month">',
        '<input name="expiry_date">',
        '<input name="x" autocomplete="cc-number">',
        '<input name="x" autocomplete="billing cc-csc">',
        '<select name="y" autocomplete="cc-exp-year"></select>',
        '{% if x %}<input autocomplete="cc-exp" name="{{ field.html_name }}">{% endif %}',
    ],
)
def test_the_scanner_catches_card_fields(html):
    assert card_fields(html)


def test_the_scanner_leaves_ordinary_fields_alone():
    assert not card_fields(
        '<input name="email" autocomplete="email"><input name="accept_terms" type="checkbox">'
        '<input name="debut" type="hidden"><textarea name="reason"></textarea>'
    )


def test_no_template_has_a_card_field():
    templates = sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))
    assert len(templates) > 50  # the whole tree, not an empty folder
    offenders = {}
    for path in templates:
        found = card_fields(path.read_text(encoding="utf-8"))
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def _project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's forms modules (forms.py, forms/*.py)."""
    modules = []
    for path in sorted(ROOT.rglob("forms*.py")) + sorted(ROOT.rglob("forms/*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules", "tests", "var"}:
            continue
        name = ".".join(relative.with_suffix("").parts)
        if name.endswith(".__init__"):
            name = name.removesuffix(".__init__")
        modules.append(importlib.import_module(name))
    classes = []
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                classes.append(value)
    return classes


def test_no_form_has_a_card_field(db):
    classes = _project_form_classes()
    assert len(classes) > 5
    offenders = []
    for form_class in classes:
        for name, field in getattr(form_class, "base_fields", {}).items():
            autocomplete = str(field.widget.attrs.get("autocomplete", ""))
            if CARD_NAME.search(name) or CARD_AUTOCOMPLETE.search(autocomplete):
                offenders.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert offenders == []


def test_the_payment_pages_form_holds_a_mount_point_and_a_button_only():
    # The rendered page (with its blocks filled) is covered by test_payment_page; here the
    # template's form holds a mount point and a button only, whatever the context.
    source = (TEMPLATES / "booking/client/payment.html").read_text(encoding="utf-8")
    form = BeautifulSoup(source, "html.parser").find("form", id="payment-form")
    assert form is not None and form.get("method") == "get"
    assert form.find(FIELD_TAGS) is None
    assert form.find(id="payment-element") is not None
