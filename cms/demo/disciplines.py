"""The demo disciplines, their services and certifications, read from disciplines.toml.

The texts are data, not code: they live in a TOML file beside this module so that editing a
headline does not mean reading Python, and the dataclasses below give them their shape.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

OFFICE, VIDEO, HOME = "cabinet", "visio", "domicile"
_MODES = {"office": OFFICE, "video": VIDEO, "home": HOME}
SOURCE = Path(__file__).with_name("disciplines.toml")


@dataclass(frozen=True)
class ServiceTemplate:
    name: str
    description: str
    durations: tuple[int, ...]
    price_range: tuple[int, int]  # euros, both ends within 40-120


@dataclass(frozen=True)
class DisciplineSpec:
    slug: str
    name: str
    practitioner_noun: tuple[str, str]  # (feminine, masculine)
    description: str
    modes: tuple[str, ...]
    headlines: tuple[str, ...]
    approach: tuple[str, ...]
    services: tuple[ServiceTemplate, ...]
    certifications: tuple[tuple[str, str], ...]  # (title, issuer), issuers are fictional
    masculine: bool = False  # grammatical gender of the name: "le yoga", "la sophrologie"
    synonyms: str = ""  # comma-separated, as editors type them in the snippet


def _service(raw: dict) -> ServiceTemplate:
    low, high = raw["price_range"]
    return ServiceTemplate(
        name=raw["name"],
        description=raw["description"],
        durations=tuple(raw["durations"]),
        price_range=(low, high),
    )


def _discipline(raw: dict) -> DisciplineSpec:
    feminine, masculine = raw["practitioner_noun"]
    return DisciplineSpec(
        slug=raw["slug"],
        name=raw["name"],
        practitioner_noun=(feminine, masculine),
        description=raw["description"],
        modes=tuple(_MODES[mode] for mode in raw["modes"]),
        headlines=tuple(raw["headlines"]),
        approach=tuple(raw["approach"]),
        services=tuple(_service(service) for service in raw["services"]),
        certifications=tuple((title, issuer) for title, issuer in raw["certifications"]),
        masculine=raw.get("masculine", False),
        synonyms=raw.get("synonyms", ""),
    )


def disciplines_load(path: Path = SOURCE) -> tuple[DisciplineSpec, ...]:
    with path.open("rb") as source:
        return tuple(_discipline(raw) for raw in tomllib.load(source)["discipline"])


DISCIPLINES: tuple[DisciplineSpec, ...] = disciplines_load()
