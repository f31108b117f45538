"""The English catalogue is complete: no string left empty or fuzzy after makemessages."""

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_every_string_of_the_catalogue_has_its_english():
    with CATALOGUE.open("rb") as source:
        catalogue = read_po(source)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not (message.string if isinstance(message.id, str) else all(message.string))
        )
    ]
    assert untranslated == []
