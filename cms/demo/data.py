"""Fictional, deterministic demo people: cities, names, services and biographies.

The disciplines come from cms/demo/disciplines.toml (see cms.demo.disciplines). Cities and
postcodes are real; street numbers and people are not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from cms.demo.disciplines import DISCIPLINES, HOME, OFFICE, VIDEO, DisciplineSpec

SEED = 20261126


@dataclass(frozen=True)
class CitySpec:
    city: str
    postcode: str
    streets: tuple[str, ...]


# Real cities, postcodes and streets; the numbers in front of the streets are made up.
CITIES: tuple[CitySpec, ...] = (
    CitySpec("Paris", "75011", ("rue Oberkampf", "boulevard Voltaire", "rue de la Roquette")),
    CitySpec("Lyon", "69003", ("cours Lafayette", "rue Paul Bert", "rue Servient")),
    CitySpec("Marseille", "13006", ("rue Paradis", "rue de Rome", "cours Julien")),
    CitySpec("Bordeaux", "33000", ("cours de l'Intendance", "rue Sainte-Catherine")),
    CitySpec("Toulouse", "31000", ("rue d'Alsace-Lorraine", "rue de Metz", "rue du Taur")),
    CitySpec("Nantes", "44000", ("rue Crébillon", "rue de Strasbourg", "quai de la Fosse")),
    CitySpec("Lille", "59000", ("rue Nationale", "rue Esquermoise", "rue de Béthune")),
    CitySpec("Strasbourg", "67000", ("rue des Grandes Arcades", "quai des Bateliers")),
    CitySpec("Montpellier", "34000", ("rue Foch", "boulevard du Jeu de Paume")),
    CitySpec("Rennes", "35000", ("rue de Saint-Malo", "boulevard de la Liberté")),
    CitySpec("Nice", "06000", ("avenue Jean Médecin", "rue de France", "rue Pastorelli")),
    CitySpec("Grenoble", "38000", ("cours Berriat", "rue Félix Poulat")),
    CitySpec("Paris", "75015", ("rue de la Convention", "rue du Commerce")),
    CitySpec("Lyon", "69007", ("avenue Jean Jaurès", "rue de Marseille")),
    CitySpec("Dijon", "21000", ("rue de la Liberté", "rue Monge")),
    CitySpec("Annecy", "74000", ("rue Sommeiller", "avenue de Chevêne")),
    CitySpec("Tours", "37000", ("rue Nationale", "rue Colbert")),
    CitySpec("Paris", "75018", ("rue Caulaincourt", "rue Lepic")),
    CitySpec("Aix-en-Provence", "13100", ("cours Mirabeau", "rue d'Italie")),
    CitySpec("Marseille", "13008", ("avenue du Prado", "rue Paradis")),
)

FEMININE_FIRST_NAMES = (
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Claire", "Élise", "Anaïs",
    "Mathilde", "Pauline", "Hélène", "Nathalie", "Sophie", "Amandine", "Céline", "Laure",
    "Marion", "Aurélie", "Louise", "Zoé", "Yasmine", "Nadia", "Émilie", "Agathe", "Margaux",
    "Sandrine", "Isabelle", "Lucie",
)  # fmt: skip
MASCULINE_FIRST_NAMES = (
    "Thomas", "Nicolas", "Julien", "Antoine", "Maxime", "Hugo", "Lucas", "Romain", "Mehdi",
    "Olivier", "Sébastien", "Vincent", "Pierre", "Mathieu", "Karim", "Baptiste", "Guillaume",
    "Étienne", "Arnaud", "François",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Brun", "Benali",
    "Nguyen", "Lemoine", "Barbier", "Arnaud", "Marchand", "Caron", "Picard",
)  # fmt: skip

FORMER_CAREERS = (
    "l'enseignement",
    "la communication",
    "le secteur bancaire",
    "l'hôtellerie",
    "les ressources humaines",
    "le commerce",
    "l'ingénierie",
    "le journalisme",
    "la danse contemporaine",
    "l'accompagnement des personnes âgées",
    "le design graphique",
    "la restauration",
)

# Extra languages beyond French, with weights (codes created by cms/migrations/0002_languages.py).
EXTRA_LANGUAGES = (("en", 8), ("es", 3), ("de", 2), ("it", 2), ("pt", 1), ("ar", 2), ("nl", 1))


@dataclass
class ServiceData:
    name: str
    description: str
    duration_minutes: int
    price: Decimal
    mode: str


@dataclass
class PractitionerData:
    first_name: str
    last_name: str
    feminine: bool
    disciplines: list[DisciplineSpec]
    city: CitySpec
    street_address: str
    offers_office: bool
    offers_video: bool
    offers_home: bool
    headline: str
    biography: str
    languages: list[str]
    services: list[ServiceData] = field(default_factory=list)
    certifications: list[tuple[str, str, int]] = field(default_factory=list)
    portrait_seed: int = 0

    @property
    def title(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def slug(self) -> str:
        return slugify(self.title)

    @property
    def initials(self) -> str:
        return (self.first_name[0] + self.last_name[0]).upper()

    @property
    def modes(self) -> list[str]:
        flags = ((OFFICE, self.offers_office), (VIDEO, self.offers_video), (HOME, self.offers_home))
        return [mode for mode, offered in flags if offered]


def practitioners(count: int) -> list[PractitionerData]:
    """The first `count` demo practitioners; the list for n is a prefix of the list for n + 1."""
    rng = random.Random(SEED)
    used_names: set[str] = set()
    result = []
    for index in range(count):
        result.append(_practitioner(index, rng, used_names))
    return result


def _practitioner(index: int, rng: random.Random, used_names: set[str]) -> PractitionerData:
    feminine = rng.random() < 0.65
    while True:
        first = rng.choice(FEMININE_FIRST_NAMES if feminine else MASCULINE_FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        if f"{first} {last}" not in used_names and first != last:
            used_names.add(f"{first} {last}")
            break

    # Round-robin over disciplines and cities so that even a small demo covers many of them.
    primary = DISCIPLINES[index % len(DISCIPLINES)]
    disciplines = [primary]
    if rng.random() < 0.3:
        disciplines.append(rng.choice([d for d in DISCIPLINES if d is not primary]))
    city = CITIES[(index * 7) % len(CITIES)]

    allowed = set(primary.modes)
    for extra in disciplines[1:]:
        allowed &= set(extra.modes)
    offers_office = OFFICE in allowed and rng.random() < 0.85
    offers_video = VIDEO in allowed and rng.random() < 0.45
    offers_home = HOME in allowed and rng.random() < 0.3
    if not (offers_office or offers_video or offers_home):
        offers_office = True
    street = f"{rng.randint(1, 120)} {rng.choice(city.streets)}" if offers_office else ""

    data = PractitionerData(
        first_name=first,
        last_name=last,
        feminine=feminine,
        disciplines=disciplines,
        city=city,
        street_address=street,
        offers_office=offers_office,
        offers_video=offers_video,
        offers_home=offers_home,
        headline="",
        biography="",
        languages=_languages(rng),
        portrait_seed=rng.randrange(1 << 30),
    )
    data.headline = _headline(data, rng)
    data.biography = _biography(data, rng)
    data.services = _services(data, rng)
    data.certifications = _certifications(data, rng)
    return data


def _languages(rng: random.Random) -> list[str]:
    codes = ["fr"]
    roll = rng.random()
    extra_count = 2 if roll < 0.08 else 1 if roll < 0.4 else 0
    population = [code for code, _ in EXTRA_LANGUAGES]
    weights = [weight for _, weight in EXTRA_LANGUAGES]
    while len(codes) < 1 + extra_count:
        code = rng.choices(population, weights)[0]
        if code not in codes:
            codes.append(code)
    if rng.random() < 0.04:
        codes.append("lsf")
    return codes


def _noun(data: PractitionerData, discipline: DisciplineSpec) -> str:
    return discipline.practitioner_noun[0 if data.feminine else 1]


def _headline(data: PractitionerData, rng: random.Random) -> str:
    primary = data.disciplines[0]
    headline = rng.choice(primary.headlines)
    if rng.random() < 0.5:
        who = _noun(data, primary)
        headline = (
            f"{who[0].upper()}{who[1:]} à {data.city.city}, {headline[0].lower()}{headline[1:]}"
        )
    return headline[:160]


def _article(discipline: DisciplineSpec, preposition: str = "") -> str:
    """The discipline with its article: "la naturopathie", "l'hypnothérapie", "le yoga".

    With "à": "à la sophrologie", "au yoga"; with "de": "de yoga", "d'art-thérapie".
    """
    name = discipline.name.lower()
    elided = name[0] in "aeéiouh"
    if preposition == "de":
        return f"d'{name}" if elided else f"de {name}"
    if elided:
        article = "l'"
    elif discipline.masculine:
        article = "au " if preposition == "à" else "le "
        return f"{article}{name}"
    else:
        article = "la "
    return f"{preposition + ' ' if preposition else ''}{article}{name}"


def _biography(data: PractitionerData, rng: random.Random) -> str:
    primary = data.disciplines[0]
    trained = "formée" if data.feminine else "formé"
    years = rng.randint(3, 18)
    career = rng.choice(FORMER_CAREERS)
    paragraphs = [
        f"Après plusieurs années dans {career}, je me suis {trained} "
        f"{_article(primary, 'à')} et j'exerce depuis {years} ans comme "
        f"{_noun(data, primary)}.",
        " ".join(primary.approach),
    ]
    if len(data.disciplines) > 1:
        second = data.disciplines[1]
        paragraphs.append(
            f"Je propose aussi des séances {_article(second, 'de')}, que je combine volontiers "
            f"avec {_article(primary)} selon vos besoins."
        )
    if data.offers_office:
        paragraphs.append(f"Je vous reçois dans mon cabinet à {data.city.city}.")
    if data.offers_home:
        paragraphs.append(f"Je me déplace à domicile à {data.city.city} et dans ses environs.")
    if data.offers_video:
        also = "peuvent aussi se dérouler" if data.offers_office or data.offers_home else "ont lieu"
        paragraphs.append(f"Les séances {also} en visio.")
    html = "".join(f"<p>{text}</p>" for text in paragraphs)
    html += (
        "<p><i>Cette pratique de bien-être ne remplace ni un diagnostic ni un traitement "
        "médical : consultez votre médecin pour toute question de santé.</i></p>"
    )
    return html


def _services(data: PractitionerData, rng: random.Random) -> list[ServiceData]:
    modes = data.modes
    templates = list(data.disciplines[0].services)
    for extra in data.disciplines[1:]:
        templates.append(rng.choice(extra.services))
    count = rng.randint(min(len(modes), 4, len(templates)), min(4, len(templates)))
    chosen = rng.sample(templates, count)
    # Every consultation mode the profile offers is used by at least one service.
    service_modes = modes + [rng.choice(modes) for _ in range(max(0, count - len(modes)))]
    rng.shuffle(service_modes)
    services = []
    for template, mode in zip(chosen, service_modes, strict=False):
        low, high = template.price_range
        services.append(
            ServiceData(
                name=template.name,
                description=template.description,
                duration_minutes=rng.choice(template.durations),
                price=Decimal(rng.randrange(low, high + 1, 5)).quantize(Decimal("0.01")),
                mode=mode,
            )
        )
    return services


def _certifications(data: PractitionerData, rng: random.Random) -> list[tuple[str, str, int]]:
    pool = list(data.disciplines[0].certifications)
    chosen = rng.sample(pool, rng.randint(1, min(2, len(pool))))
    return [(name, issuer, rng.randint(2008, 2024)) for name, issuer in chosen]
