"""Places: a postcode or a city name, as a visitor types it, resolved to its commune.

The data is the official French administrative division (INSEE's Code officiel géographique
with La Poste's postcodes) as published by Etalab in the npm package
@etalab/decoupage-administratif, pinned in package-lock.json and installed by `make` (npm ci):
nothing is downloaded at run time. It is read once per process (about 37,000 rows, a few
megabytes in memory) and kept in plain dictionaries, so resolving a place runs no query.

Arrondissements (Paris, Lyon, Marseille) resolve to their commune: "69002", "Lyon 2e" and
"lyon" are all Lyon. Names are compared without accents, case, hyphens or apostrophes
("saint-etienne", "SAINT ETIENNE" and "St-Étienne" are Saint-Étienne). The data set has no
coordinates, so nearness is the commune, then the département.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATA_FILE = (
    Path(__file__).resolve().parent.parent
    / "node_modules"
    / "@etalab"
    / "decoupage-administratif"
    / "data"
    / "communes.json"
)

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_POSTCODE = re.compile(r"\b(\d{5})\b")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
# "Lyon 2e Arrondissement" → number 2; "Paris 1er Arrondissement" → 1.
_ARRONDISSEMENT = re.compile(r"^(.*) (\d+)(?:er|e) arrondissement$")


@dataclass(frozen=True)
class Commune:
    code: str  # INSEE code (Lyon: 69123), not a postcode
    name: str
    departement: str
    population: int


def place_key(text: str) -> str:
    """The comparison form of a place name: no accents, case or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "Oe"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NON_ALNUM.sub(" ", plain.casefold()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _arrondissement_keys(city: str, number: int) -> list[str]:
    suffix = "er" if number == 1 else "e"
    base = place_key(city)
    return [f"{base} {number}{suffix}", f"{base} {number}", f"{base} {number}eme"]


@dataclass(frozen=True)
class _Index:
    by_postcode: dict[str, list[Commune]]
    by_name: dict[str, list[Commune]]
    departements: frozenset[str]


@cache
def _index() -> _Index:
    try:
        rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:  # pragma: no cover - an installation error
        raise ImproperlyConfigured(
            f"{DATA_FILE} is missing: run `make` (npm ci installs the place data set)."
        ) from exc
    communes: dict[str, Commune] = {}
    for row in rows:
        if row["type"] == "commune-actuelle":
            communes[row["code"]] = Commune(
                row["code"], row["nom"], row["departement"], row.get("population") or 0
            )
    by_postcode: dict[str, list[Commune]] = {}
    by_name: dict[str, list[Commune]] = {}

    def add_name(key: str, commune: Commune) -> None:
        found = by_name.setdefault(key, [])
        if commune not in found:
            found.append(commune)

    for row in rows:
        kind = row["type"]
        if kind == "commune-actuelle":
            commune = communes[row["code"]]
        elif kind == "arrondissement-municipal":
            commune = communes[row["commune"]]
            if match := _ARRONDISSEMENT.match(place_key(row["nom"])):
                for key in _arrondissement_keys(match.group(1), int(match.group(2))):
                    add_name(key, commune)
        elif row.get("chefLieu") in communes:  # a former commune merged into another
            commune = communes[row["chefLieu"]]
        else:
            continue
        add_name(place_key(row["nom"]), commune)
        for postcode in row.get("codesPostaux", []):
            found = by_postcode.setdefault(postcode, [])
            if commune not in found:
                found.append(commune)
    for found in (*by_postcode.values(), *by_name.values()):
        # The most populous first: a name several communes share means the best known.
        found.sort(key=lambda commune: -commune.population)
    departements = frozenset(commune.departement for commune in communes.values())
    return _Index(by_postcode, by_name, departements)


def place_resolve(text: str) -> Commune | None:
    """The commune a visitor means by `text` (a postcode, a name, or both), or None."""
    index = _index()
    if match := _POSTCODE.search(text):
        found = index.by_postcode.get(match.group(1), [])
        rest = place_key(_POSTCODE.sub(" ", text))
        named = [commune for commune in found if rest and place_key(commune.name) == rest]
        candidates = named or found
        return candidates[0] if candidates else None
    found = index.by_name.get(place_key(text), [])
    return found[0] if found else None


def departement_of(text: str) -> str | None:
    """A département code typed alone ("69", "2A", "974"), or None."""
    code = text.strip().upper()
    return code if code in _index().departements else None


def commune_of(*, postcode: str, city: str) -> Commune | None:
    """A practitioner's commune from their office's postcode and city (the city tells apart
    the communes that share a postcode)."""
    found = _index().by_postcode.get(postcode.strip(), [])
    key = place_key(city)
    named = [commune for commune in found if place_key(commune.name) == key]
    if not named and key:
        by_name = _index().by_name.get(key, [])
        named = [commune for commune in found if commune in by_name]
    candidates = named or found
    return candidates[0] if candidates else None
