"""The debate map: positions placed on a line from the most critical view of LNGOs to the most hopeful."""

from dataclasses import dataclass, field

from cases.scholarship.models import Outlook
from cases.scholarship.selectors import positions_with_counts

BAND_WIDTH = 200
HEADER = 44
BOX_HEIGHT = 82
GAP = 10
LINE_CHARS = 25


def shorten(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text, limit=LINE_CHARS, lines=2):
    """Break a title into at most `lines` lines of about `limit` characters, the last one shortened if need be."""
    result, current = [], ""
    for word in str(text).split():
        if current and len(current) + 1 + len(word) > limit:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    result.append(current)
    if len(result) > lines:
        result = result[: lines - 1] + [" ".join(result[lines - 1 :])]
    return [shorten(line, limit) for line in result]


@dataclass
class Placed:
    position: object
    x: float
    y: float
    title: list
    scholar: str


@dataclass
class Band:
    outlook: int
    label: str
    x: float
    items: list = field(default_factory=list)

    @property
    def centre(self):
        return self.x + BAND_WIDTH / 2


@dataclass
class Spectrum:
    bands: list
    width: int = BAND_WIDTH * len(Outlook)

    @property
    def positions(self):
        return [placed for band in self.bands for placed in band.items]

    @property
    def height(self):
        deepest = max((len(band.items) for band in self.bands), default=0)
        return HEADER + max(deepest, 1) * (BOX_HEIGHT + GAP) + 24

    @property
    def arrow_y(self):
        return self.height - 12


def spectrum(positions=None):
    """Bands from Critical to Optimistic, each with its positions in rank order and their case counts."""
    positions = list(positions_with_counts() if positions is None else positions)
    bands = [Band(outlook=value, label=label, x=i * BAND_WIDTH) for i, (value, label) in enumerate(Outlook.choices)]
    by_outlook = {band.outlook: band for band in bands}
    for position in positions:  # already ordered by outlook, rank, title
        band = by_outlook[position.outlook]
        band.items.append(
            Placed(
                position=position,
                x=band.x + 8,
                y=HEADER + len(band.items) * (BOX_HEIGHT + GAP),
                title=wrap(position.title),
                scholar=shorten(position.scholar, LINE_CHARS - 5),
            )
        )
    return Spectrum(bands=bands)
