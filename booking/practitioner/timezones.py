"""The time-zone choice of the booking rules: the French zones first, then the rest by region.

Practitioners work in France, metropolitan or overseas: a list of 600 raw IANA names, Abidjan
first, hides theirs. The French zones come first under French names (the IANA name kept in
brackets: it is what their calendar apps show); every other zone follows, grouped by region, so
that a practitioner abroad (or a value set before) is still offered.
"""

from functools import cache
from zoneinfo import available_timezones

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# In the order of the issue: metropolitan France, the overseas departments, then the
# collectivities (Pacific ones last).
FRENCH_ZONES: tuple[tuple[str, str | Promise], ...] = (
    ("Europe/Paris", gettext_lazy("France métropolitaine")),
    ("America/Guadeloupe", gettext_lazy("Guadeloupe")),
    ("America/Martinique", gettext_lazy("Martinique")),
    ("America/Cayenne", gettext_lazy("Guyane")),
    ("Indian/Reunion", gettext_lazy("La Réunion")),
    ("Indian/Mayotte", gettext_lazy("Mayotte")),
    ("America/Miquelon", gettext_lazy("Saint-Pierre-et-Miquelon")),
    ("Pacific/Noumea", gettext_lazy("Nouvelle-Calédonie")),
    ("Pacific/Tahiti", gettext_lazy("Polynésie française (Tahiti)")),
    ("Pacific/Marquesas", gettext_lazy("Polynésie française (Marquises)")),
    ("Pacific/Gambier", gettext_lazy("Polynésie française (Gambier)")),
    ("Pacific/Wallis", gettext_lazy("Wallis-et-Futuna")),
    ("America/St_Barthelemy", gettext_lazy("Saint-Barthélemy")),
    ("America/Marigot", gettext_lazy("Saint-Martin")),
    ("Indian/Kerguelen", gettext_lazy("Terres australes et antarctiques françaises")),
)

# The other zones by the first part of their IANA name; names without one (UTC, legacy
# aliases such as "US/Eastern" or "Etc/GMT+5") go under "Autres".
REGIONS: tuple[tuple[str, str | Promise], ...] = (
    ("Europe", gettext_lazy("Europe")),
    ("Africa", gettext_lazy("Afrique")),
    ("America", gettext_lazy("Amériques")),
    ("Asia", gettext_lazy("Asie")),
    ("Atlantic", gettext_lazy("Océan Atlantique")),
    ("Indian", gettext_lazy("Océan Indien")),
    ("Pacific", gettext_lazy("Océan Pacifique")),
    ("Australia", gettext_lazy("Australie")),
    ("Antarctica", gettext_lazy("Antarctique")),
    ("Arctic", gettext_lazy("Arctique")),
)

ChoiceGroups = list[tuple[str, list[tuple[str, str]]]]


@cache
def _known() -> frozenset[str]:
    # available_timezones() reads the system's database from disk: once per process.
    return frozenset(available_timezones())


@cache
def _other_zone_names() -> dict[str, list[str]]:
    french = {name for name, _label in FRENCH_ZONES}
    known = {prefix for prefix, _label in REGIONS}
    grouped: dict[str, list[str]] = {}
    for name in sorted(_known() - french):
        prefix = name.split("/", 1)[0] if "/" in name else ""
        grouped.setdefault(prefix if prefix in known else "", []).append(name)
    return grouped


def _label(name: str) -> str:
    # "America/Argentina/Buenos_Aires" reads "Argentina / Buenos Aires (America/...)".
    place = name.split("/", 1)[1] if "/" in name else name
    return f"{place.replace('_', ' ').replace('/', ' / ')} ({name})"


def timezone_choices() -> ChoiceGroups:
    """The choices of the time-zone field, in the active language (option groups)."""
    grouped = _other_zone_names()
    # A system database without a zone (a trimmed tzdata) must not offer it: the model refuses
    # what available_timezones() lacks.
    french = [(name, f"{label} ({name})") for name, label in FRENCH_ZONES if name in _known()]
    groups: ChoiceGroups = [(_("Zones françaises"), french)]
    for prefix, region in REGIONS:
        if grouped.get(prefix):
            groups.append((str(region), [(name, _label(name)) for name in grouped[prefix]]))
    if grouped.get(""):
        groups.append((_("Autres"), [(name, _label(name)) for name in grouped[""]]))
    return groups
