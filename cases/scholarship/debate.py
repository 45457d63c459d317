"""The debate map: positions placed on a line from the most critical view of LNGOs to the most hopeful.

Each position is shown with its whole title and the cases that support, challenge or complicate it, named: the map
is laid out in the page (five columns on a wide screen, one under another on a phone), so titles wrap instead of
being cut.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cases.scholarship.models import Outlook, Relation
from cases.scholarship.selectors import positions_for_spectrum

# How a group of cases reads under a position, in words: (relation, "Supported by"). Translators: the words are
# followed by a count ("Supported by 3 cases:"), and the catalogue may put them after it ("3 个案例支持它：").
RELATION_WORDS = (
    (Relation.SUPPORTS, _("Supported by")),
    (Relation.CHALLENGES, _("Challenged by")),
    (Relation.COMPLICATES, _("Complicated by")),
)


@dataclass
class Placed:
    """A position on the map, with the published cases bearing on it grouped by how they bear on it."""

    position: object
    case_groups: list  # [(relation, words, [stance, ...])], only the relations some case has


@dataclass
class Band:
    outlook: int
    label: str
    items: list = field(default_factory=list)


@dataclass
class Spectrum:
    bands: list

    @property
    def positions(self):
        return [placed for band in self.bands for placed in band.items]


def spectrum(positions=None):
    """Bands from Critical to Optimistic, each with its positions in rank order and the cases bearing on each."""
    positions = list(positions_for_spectrum() if positions is None else positions)
    bands = [Band(outlook=value, label=label) for value, label in Outlook.choices]
    by_outlook = {band.outlook: band for band in bands}
    for position in positions:  # already ordered by outlook, rank, title
        stances = list(position.stances.all())
        groups = [(rel, words, [s for s in stances if s.relation == rel]) for rel, words in RELATION_WORDS]
        by_outlook[position.outlook].items.append(
            Placed(position=position, case_groups=[group for group in groups if group[2]])
        )
    return Spectrum(bands=bands)
