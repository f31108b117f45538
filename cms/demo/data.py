"""Fictional, deterministic demo data: disciplines, cities, names, services and biographies.

Only practices whose title is not regulated in France are listed (no ostéopathe, diététicien,
psychologue...): the directory is about wellness, not care. Cities and postcodes are real;
street numbers and people are not.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

SEED = 20261126

OFFICE, VIDEO, HOME = "cabinet", "visio", "domicile"


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


DISCIPLINES: tuple[DisciplineSpec, ...] = (
    DisciplineSpec(
        slug="naturopathie",
        name="Naturopathie",
        practitioner_noun=("naturopathe", "naturopathe"),
        description=(
            "Une approche globale de l'hygiène de vie : alimentation, activité physique, "
            "sommeil et gestion du stress, pour entretenir sa vitalité au quotidien."
        ),
        modes=(OFFICE, VIDEO, HOME),
        headlines=(
            "Naturopathie et hygiène de vie : retrouver de l'énergie au quotidien",
            "Accompagnement en naturopathie pour un équilibre alimentaire durable",
            "Bilan de vitalité et conseils d'hygiène de vie personnalisés",
        ),
        approach=(
            "En naturopathie, je commence toujours par un bilan de vitalité : habitudes "
            "alimentaires, sommeil, activité physique, niveau de stress.",
            "Ensemble, nous construisons un programme d'hygiène de vie réaliste, par petites "
            "étapes, que vous pouvez tenir dans la durée.",
        ),
        services=(
            ServiceTemplate(
                "Bilan de vitalité",
                "Premier rendez-vous : tour d'horizon de vos habitudes et de vos objectifs.",
                (75, 90, 120),
                (60, 95),
            ),
            ServiceTemplate(
                "Consultation de suivi",
                "Point d'étape sur le programme et ajustement des conseils.",
                (45, 60),
                (40, 65),
            ),
            ServiceTemplate(
                "Atelier alimentation de saison",
                "Conseils pratiques pour composer des repas simples et équilibrés.",
                (90, 120),
                (45, 70),
            ),
            ServiceTemplate(
                "Accompagnement gestion du stress",
                "Respiration, rythme de vie et sommeil : des outils concrets.",
                (60,),
                (50, 75),
            ),
        ),
        certifications=(
            ("Certificat de praticien en naturopathie", "Institut Alizé de naturopathie"),
            ("Formation en nutrition et micronutrition", "École Hippocrate Santé Naturelle"),
            ("Certificat de conseiller en fleurs de Bach", "Collège des élixirs floraux"),
        ),
    ),
    DisciplineSpec(
        slug="sophrologie",
        name="Sophrologie",
        practitioner_noun=("sophrologue", "sophrologue"),
        description=(
            "Des exercices de respiration, de détente musculaire et de visualisation pour "
            "mieux gérer le stress, le sommeil et les moments importants."
        ),
        modes=(OFFICE, VIDEO),
        headlines=(
            "Sophrologie pour mieux gérer le stress et retrouver le sommeil",
            "Préparer un examen, une prise de parole ou un événement important",
            "Sophrologie pour adultes et adolescents",
        ),
        approach=(
            "La sophrologie associe respiration, détente musculaire et visualisation : des "
            "exercices simples que vous pourrez refaire seul·e chez vous.",
            "Chaque séance est enregistrée dans un petit carnet d'exercices pour ancrer les "
            "progrès entre deux rendez-vous.",
        ),
        services=(
            ServiceTemplate(
                "Séance individuelle de sophrologie",
                "Exercices adaptés à votre objectif du moment.",
                (45, 60),
                (45, 70),
            ),
            ServiceTemplate(
                "Préparation aux examens",
                "Gestion du trac et de la concentration avant une échéance.",
                (60,),
                (50, 70),
            ),
            ServiceTemplate(
                "Sophrologie et sommeil",
                "Un cycle de séances centré sur l'endormissement et la récupération.",
                (60,),
                (50, 75),
            ),
            ServiceTemplate(
                "Premier entretien",
                "Faire connaissance et définir ensemble un objectif.",
                (30, 45),
                (40, 50),
            ),
        ),
        certifications=(
            ("Titre de sophrologue", "Académie Sophrologie Méditerranée"),
            ("Spécialisation sommeil et sophrologie", "Institut du Souffle"),
            ("Certificat de sophrologie pour enfants et adolescents", "Institut du Souffle"),
        ),
    ),
    DisciplineSpec(
        slug="reflexologie",
        name="Réflexologie",
        practitioner_noun=("réflexologue", "réflexologue"),
        description=(
            "Un toucher précis des pieds, des mains ou du visage, pour une détente profonde."
        ),
        modes=(OFFICE, HOME),
        headlines=(
            "Réflexologie plantaire : une parenthèse de détente profonde",
            "Réflexologie plantaire et palmaire pour relâcher les tensions",
            "Réflexologie pour se détendre et mieux récupérer",
        ),
        approach=(
            "La réflexologie est un toucher appuyé et précis des pieds ou des mains, dans une "
            "ambiance calme, pour favoriser une détente profonde.",
            "Chaque séance commence par un court échange sur vos besoins du jour.",
        ),
        services=(
            ServiceTemplate(
                "Réflexologie plantaire",
                "Séance complète sur les deux pieds.",
                (60,),
                (50, 70),
            ),
            ServiceTemplate(
                "Réflexologie palmaire",
                "Un toucher doux des mains, idéal pour une première découverte.",
                (45,),
                (40, 55),
            ),
            ServiceTemplate(
                "Réflexologie faciale",
                "Séance de détente centrée sur le visage et le crâne.",
                (45, 60),
                (45, 65),
            ),
            ServiceTemplate(
                "Séance découverte",
                "Une courte séance pour découvrir la réflexologie.",
                (30,),
                (40, 45),
            ),
        ),
        certifications=(
            ("Certificat de réflexologue", "École de réflexologie des Deux Rives"),
            ("Formation en réflexologie faciale", "Atelier Dien Chan Lyon"),
        ),
    ),
    DisciplineSpec(
        slug="hypnotherapie",
        name="Hypnothérapie",
        practitioner_noun=("hypnothérapeute", "hypnothérapeute"),
        description=(
            "L'hypnose ericksonienne, un état de concentration tourné vers soi pour travailler "
            "sur ses habitudes et ses ressources."
        ),
        modes=(OFFICE, VIDEO),
        headlines=(
            "Hypnose ericksonienne : changer une habitude à son rythme",
            "Hypnothérapie pour gagner en confiance en soi",
            "Hypnose pour arrêter de fumer et retrouver de la sérénité",
        ),
        approach=(
            "En hypnose ericksonienne, vous restez conscient·e et acteur·rice de la séance : "
            "je vous guide vers un état de concentration tourné vers vos ressources.",
            "Un accompagnement compte le plus souvent de trois à cinq séances.",
        ),
        services=(
            ServiceTemplate(
                "Séance d'hypnose",
                "Séance individuelle autour d'un objectif défini ensemble.",
                (60, 75),
                (60, 90),
            ),
            ServiceTemplate(
                "Arrêt du tabac",
                "Une séance longue dédiée, avec un enregistrement à réécouter.",
                (90, 120),
                (90, 120),
            ),
            ServiceTemplate(
                "Confiance en soi",
                "Travailler sur la prise de parole et l'estime de soi.",
                (60,),
                (60, 80),
            ),
            ServiceTemplate(
                "Autohypnose",
                "Apprendre à pratiquer seul·e entre les séances.",
                (60,),
                (50, 70),
            ),
        ),
        certifications=(
            ("Praticien en hypnose ericksonienne", "Centre Milton de formation à l'hypnose"),
            ("Maître praticien en hypnose", "Centre Milton de formation à l'hypnose"),
            ("Certificat en thérapie brève", "Institut Palo Alto Sud"),
        ),
    ),
    DisciplineSpec(
        slug="yoga",
        name="Yoga",
        practitioner_noun=("professeure de yoga", "professeur de yoga"),
        description=(
            "Postures, respiration et relaxation : cours particuliers et petits groupes, du "
            "yoga doux au vinyasa."
        ),
        modes=(OFFICE, VIDEO, HOME),
        headlines=(
            "Cours de yoga particuliers, du hatha doux au vinyasa",
            "Yoga doux et respiration pour débutants",
            "Yoga postnatal et yoga du dos en petits groupes",
        ),
        approach=(
            "Les cours alternent postures, respiration (pranayama) et relaxation, adaptés à "
            "votre niveau et à votre forme du jour.",
            "Aucune souplesse n'est requise : on part de là où vous en êtes.",
        ),
        services=(
            ServiceTemplate(
                "Cours particulier de yoga",
                "Une pratique construite pour vous.",
                (60, 75, 90),
                (50, 80),
            ),
            ServiceTemplate(
                "Yoga doux et relaxation",
                "Postures accessibles et longue relaxation finale.",
                (60,),
                (40, 55),
            ),
            ServiceTemplate(
                "Yoga du dos",
                "Renforcement et assouplissement en douceur.",
                (60, 75),
                (45, 60),
            ),
            ServiceTemplate(
                "Cours en duo",
                "Un cours particulier à partager avec un proche.",
                (75, 90),
                (70, 100),
            ),
        ),
        certifications=(
            ("Formation de professeur de yoga (500 h)", "École de yoga du Vercors"),
            ("Spécialisation yoga prénatal et postnatal", "Institut Yoga & Maternité"),
            ("Formation yin yoga", "Studio Lotus Formation"),
        ),
        masculine=True,
    ),
    DisciplineSpec(
        slug="shiatsu",
        name="Shiatsu",
        practitioner_noun=("praticienne en shiatsu", "praticien en shiatsu"),
        description=(
            "Une pratique japonaise de pressions le long des méridiens, habillé, sur futon."
        ),
        modes=(OFFICE, HOME),
        headlines=(
            "Shiatsu traditionnel sur futon, pour relâcher les tensions",
            "Shiatsu de détente et de récupération",
            "Shiatsu pour accompagner les changements de saison",
        ),
        approach=(
            "Le shiatsu se reçoit habillé, allongé sur un futon : pressions des pouces et des "
            "paumes, étirements et mobilisations douces.",
            "Prévoyez une tenue souple et confortable.",
        ),
        services=(
            ServiceTemplate(
                "Séance de shiatsu",
                "Séance complète sur futon.",
                (60, 75),
                (55, 75),
            ),
            ServiceTemplate(
                "Shiatsu assis",
                "Une séance courte sur chaise ergonomique.",
                (30,),
                (40, 45),
            ),
            ServiceTemplate(
                "Shiatsu et étirements",
                "Séance longue avec étirements des méridiens.",
                (90,),
                (75, 95),
            ),
        ),
        certifications=(
            ("Praticien en shiatsu", "École de shiatsu Kaze"),
            ("Certificat de shiatsu assis", "École de shiatsu Kaze"),
        ),
        masculine=True,
    ),
    DisciplineSpec(
        slug="kinesiologie",
        name="Kinésiologie",
        practitioner_noun=("kinésiologue", "kinésiologue"),
        description=(
            "Un accompagnement qui s'appuie sur le test musculaire pour identifier ses "
            "blocages et se fixer des objectifs."
        ),
        modes=(OFFICE, VIDEO),
        headlines=(
            "Kinésiologie pour avancer sur un objectif personnel",
            "Kinésiologie pour enfants et adolescents : apprentissages et confiance",
            "Kinésiologie et gestion des émotions",
        ),
        approach=(
            "La kinésiologie s'appuie sur le test musculaire pour explorer ce qui freine un "
            "objectif que vous aurez choisi.",
            "Les séances se déroulent habillé, dans un cadre bienveillant.",
        ),
        services=(
            ServiceTemplate(
                "Séance de kinésiologie",
                "Séance individuelle autour d'un objectif.",
                (60, 75),
                (55, 75),
            ),
            ServiceTemplate(
                "Kinésiologie enfant",
                "Séance adaptée aux plus jeunes, en présence d'un parent.",
                (45, 60),
                (45, 60),
            ),
            ServiceTemplate(
                "Brain Gym et apprentissages",
                "Mouvements simples pour la concentration.",
                (45,),
                (40, 55),
            ),
        ),
        certifications=(
            ("Certificat de kinésiologue", "Institut de kinésiologie des Alpes"),
            ("Formation Brain Gym", "Association Mouvement & Apprentissage"),
        ),
    ),
    DisciplineSpec(
        slug="art-therapie",
        name="Art-thérapie",
        practitioner_noun=("art-thérapeute", "art-thérapeute"),
        description=(
            "Peinture, collage, modelage, écriture : s'exprimer autrement qu'avec des mots, "
            "sans aucun prérequis artistique."
        ),
        modes=(OFFICE, VIDEO),
        headlines=(
            "Art-thérapie : s'exprimer par la couleur et la matière",
            "Séances d'art-thérapie individuelles pour adultes et enfants",
            "Écriture et collage pour traverser une période de changement",
        ),
        approach=(
            "En art-thérapie, la peinture, le collage ou l'écriture deviennent un moyen "
            "d'expression : nul besoin de savoir dessiner.",
            "Chaque séance se termine par un temps d'échange sur ce qui a été créé.",
        ),
        services=(
            ServiceTemplate(
                "Séance individuelle d'art-thérapie",
                "Un temps de création libre ou guidé, suivi d'un échange.",
                (60, 75),
                (50, 70),
            ),
            ServiceTemplate(
                "Atelier d'écriture",
                "Écrire pour soi, à partir de propositions simples.",
                (90,),
                (45, 65),
            ),
            ServiceTemplate(
                "Art-thérapie enfant",
                "Séance adaptée aux enfants de 6 à 12 ans.",
                (45,),
                (40, 55),
            ),
        ),
        certifications=(
            ("Certificat d'art-thérapeute", "Atelier-école des Couleurs"),
            ("Formation à l'animation d'ateliers d'écriture", "Maison de l'Écriture Vive"),
        ),
    ),
    DisciplineSpec(
        slug="meditation",
        name="Méditation",
        practitioner_noun=("enseignante de méditation", "enseignant de méditation"),
        description=(
            "Méditation de pleine conscience : apprendre à porter attention à l'instant "
            "présent, en séance individuelle ou en petit groupe."
        ),
        modes=(OFFICE, VIDEO, HOME),
        headlines=(
            "Méditation de pleine conscience pour débutants",
            "Apprendre à méditer : séances individuelles et cycles de 8 semaines",
            "Méditation et respiration pour apaiser le mental",
        ),
        approach=(
            "J'enseigne la méditation de pleine conscience de façon laïque et progressive, "
            "avec des pratiques courtes à reprendre chez soi.",
            "Des enregistrements guidés vous sont remis après chaque séance.",
        ),
        services=(
            ServiceTemplate(
                "Initiation à la méditation",
                "Découvrir les bases et une première pratique guidée.",
                (45, 60),
                (40, 55),
            ),
            ServiceTemplate(
                "Séance individuelle de méditation",
                "Pratique guidée et échange sur votre expérience.",
                (60,),
                (45, 65),
            ),
            ServiceTemplate(
                "Méditation et respiration",
                "Exercices de cohérence cardiaque et de respiration consciente.",
                (45,),
                (40, 55),
            ),
        ),
        certifications=(
            ("Instructeur de pleine conscience (cycle 8 semaines)", "Centre Présence & Souffle"),
            ("Formation à la cohérence cardiaque", "Institut du Souffle"),
        ),
    ),
    DisciplineSpec(
        slug="massage-bien-etre",
        name="Massage bien-être",
        practitioner_noun=("praticienne en massage bien-être", "praticien en massage bien-être"),
        description=(
            "Des massages de relaxation non thérapeutiques : californien, suédois, aux pierres "
            "chaudes, ayurvédique."
        ),
        modes=(OFFICE, HOME),
        headlines=(
            "Massages bien-être : californien, suédois et pierres chaudes",
            "Massage ayurvédique et relaxation profonde",
            "Massage bien-être : une heure pour soi, en toute détente",
        ),
        approach=(
            "Mes massages sont des soins de relaxation, non thérapeutiques et non médicaux, "
            "réalisés aux huiles végétales.",
            "Je prends quelques minutes avant chaque séance pour connaître vos préférences de "
            "pression et d'ambiance.",
        ),
        services=(
            ServiceTemplate(
                "Massage californien",
                "Mouvements longs et enveloppants.",
                (60, 90),
                (60, 95),
            ),
            ServiceTemplate(
                "Massage suédois",
                "Un massage plus tonique pour relâcher les muscles.",
                (60,),
                (60, 80),
            ),
            ServiceTemplate(
                "Massage aux pierres chaudes",
                "Détente profonde avec des pierres de basalte chauffées.",
                (75, 90),
                (80, 110),
            ),
            ServiceTemplate(
                "Massage ayurvédique (abhyanga)",
                "Massage traditionnel indien à l'huile tiède.",
                (75, 90),
                (75, 100),
            ),
        ),
        certifications=(
            ("Certificat de praticien en massage bien-être", "École Harmonie du Toucher"),
            ("Formation massage ayurvédique", "Institut Kerala Bien-Être"),
            ("Formation massage aux pierres chaudes", "École Harmonie du Toucher"),
        ),
        masculine=True,
    ),
    DisciplineSpec(
        slug="qi-gong",
        name="Qi gong",
        practitioner_noun=("enseignante de qi gong", "enseignant de qi gong"),
        description=(
            "Une gymnastique douce d'origine chinoise : mouvements lents, postures et "
            "respiration, accessible à tous les âges."
        ),
        modes=(OFFICE, VIDEO, HOME),
        headlines=(
            "Qi gong pour tous : mouvements lents et respiration",
            "Qi gong des saisons, en cours particulier ou en petit groupe",
            "Qi gong et tai-chi pour garder la souplesse",
        ),
        approach=(
            "Le qi gong enchaîne des mouvements lents et des postures tenues, coordonnés à la "
            "respiration : une pratique douce, accessible à tout âge.",
            "Chaque cours se termine par un temps d'auto-massage et de relaxation.",
        ),
        services=(
            ServiceTemplate(
                "Cours particulier de qi gong",
                "Un enchaînement adapté à votre rythme.",
                (60,),
                (45, 65),
            ),
            ServiceTemplate(
                "Qi gong des saisons",
                "Des mouvements liés à la saison en cours.",
                (75,),
                (45, 60),
            ),
            ServiceTemplate(
                "Initiation au tai-chi",
                "Les premières figures de la forme courte.",
                (60,),
                (40, 55),
            ),
        ),
        certifications=(
            ("Diplôme d'enseignant de qi gong", "Fédération des arts énergétiques (fictive)"),
            ("Formation tai-chi style Yang", "Association Nuage Blanc"),
        ),
        masculine=True,
    ),
)


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
