"""Places as visitors type them, resolved with the official administrative division."""

import pytest

from cms.places import commune_of, departement_of, place_key, place_resolve


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("69002", "69123"),  # a postcode of an arrondissement: Lyon
        ("lyon 2e", "69123"),
        ("Lyon 1er", "69123"),
        ("Lyon", "69123"),
        ("LYON", "69123"),
        ("69002 Lyon", "69123"),
        ("saint-etienne", "42218"),
        ("St Étienne", "42218"),
        ("75011", "75056"),
        ("paris 11e", "75056"),
        ("Marseille 13e", "13055"),
        ("13013", "13055"),
        ("Annecy-le-Vieux", "74010"),  # a former commune merged into Annecy
    ],
)
def test_a_postcode_or_a_name_resolves_to_its_commune(typed, code):
    commune = place_resolve(typed)
    assert commune is not None
    assert commune.code == code


def test_an_unknown_place_resolves_to_nothing():
    assert place_resolve("Atlantide") is None
    assert place_resolve("00000") is None


def test_the_city_tells_apart_communes_sharing_a_postcode():
    assert commune_of(postcode="01400", city="Châtillon-sur-Chalaronne").code == "01093"
    assert commune_of(postcode="01400", city="Abergement-Clémenciat (L')").departement == "01"


def test_departements_and_the_french_sort_key():
    assert departement_of("69") == "69"
    assert departement_of("2a") == "2A"
    assert departement_of("99") is None
    assert place_key("Élodie Œillet-Dupré") == "elodie oeillet dupre"
