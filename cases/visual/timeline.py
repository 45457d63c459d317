"""Timelines drawn from the data: each dated thing becomes a span as long as the precision of its date.

A year-precision event covers the whole year on the axis, a month-precision one the month, a day one a dot:
the drawing shows no more certainty than the sources give.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cases.core.dates import Precision

WIDTH = 720
LEFT = 22
RIGHT = 22
LANE = 16
TOP = 30
MIN_MARK = 10
OPEN_END = 18  # the dashed stub after a case whose end the sources do not give: a sign, not a length of time


def period_end(value, precision):
    """The first day after the period a date at this precision stands for."""
    if precision == Precision.YEAR:
        return datetime.date(value.year + 1, 1, 1)
    if precision == Precision.MONTH:
        return datetime.date(value.year + value.month // 12, value.month % 12 + 1, 1)
    return value + datetime.timedelta(days=1)


def fractional_year(value):
    start = datetime.date(value.year, 1, 1)
    days = (datetime.date(value.year + 1, 1, 1) - start).days
    return value.year + (value - start).days / days


@dataclass
class Mark:
    """One drawn span: `item` is the event (or case) it stands for."""

    item: object
    start: float
    end: float
    precision: str
    anchor: str = ""
    label: str = ""
    open_end: bool = False  # the sources do not say when it ended
    lane: int = 0
    x: float = 0
    width: float = 0
    y: float = 0


@dataclass
class Axis:
    first_year: int
    last_year: int  # exclusive: the axis ends on 1 January of this year
    marks: list = field(default_factory=list)
    span: Mark | None = None
    width: int = WIDTH

    @property
    def lanes(self):
        return max((mark.lane for mark in self.marks), default=0) + 1

    @property
    def height(self):
        return TOP + self.lanes * LANE + 10

    @property
    def x_start(self):
        return LEFT

    @property
    def x_end(self):
        return self.width - RIGHT

    @property
    def axis_y(self):
        return TOP - 8

    def x(self, year):
        inner = self.width - LEFT - RIGHT
        return round(LEFT + (year - self.first_year) / (self.last_year - self.first_year) * inner, 1)

    @property
    def ticks(self):
        """(x, label) for year boundaries, thinned so labels never collide."""
        years = self.last_year - self.first_year
        most = max(2, min(12, self.width // 56))  # labels about 56 units apart at least
        step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if years / s <= most)
        return [(self.x(year), str(year)) for year in range(self.first_year, self.last_year + 1) if year % step == 0]

    @property
    def open_end_x(self):
        """Where the dashed stub after a case whose end is unknown stops: a sign, not a length of time."""
        if not (self.span and self.span.open_end):
            return None
        return round(min(self.span.x + self.span.width + OPEN_END, self.x_end + RIGHT - 10), 1)

    @property
    def year_width(self):
        return self.x(self.first_year + 1) - self.x(self.first_year)


def event_mark(event, anchor=""):
    end_value = period_end(event.end_date, event.end_precision) if event.end_date else None
    end_value = end_value or period_end(event.date, event.precision)
    return Mark(
        item=event,
        start=fractional_year(event.date),
        end=fractional_year(end_value),
        precision=event.precision if not event.end_date else "range",
        anchor=anchor,
        label=f"{event.date_display}: {event.title}",
    )


def year_range(marks):
    """(first year, year after the last) that the marks cover, or None."""
    if not marks:
        return None
    first = int(min(m.start for m in marks))
    last = int(max(m.end for m in marks) + 0.999999)
    return first, max(last, first + 1)


def place_in_lanes(marks, axis, top=0, lane_height=LANE):
    """Give each mark its x, width and a lane, so that no two marks in a lane overlap."""
    lane_ends = []
    for mark in sorted(marks, key=lambda m: (m.start, m.end)):
        mark.x = axis.x(mark.start)
        mark.width = max(round(axis.x(mark.end) - mark.x, 1), MIN_MARK)
        for lane, end in enumerate(lane_ends):
            if mark.x >= end + 2:
                mark.lane = lane
                lane_ends[lane] = mark.x + mark.width
                break
        else:
            mark.lane = len(lane_ends)
            lane_ends.append(mark.x + mark.width)
        mark.y = top + mark.lane * lane_height
    return len(lane_ends)


def build_axis(marks, span=None, width=WIDTH, years=None):
    """Lay `marks` out on a year axis, in lanes so that no two overlap. None when nothing is dated.

    `years` fixes the axis's (first, last) so several axes share one scale.
    """
    dated = [m for m in marks if m is not None]
    years = years or year_range(dated + ([span] if span else []))
    if years is None:
        return None
    first, last = years
    axis = Axis(first_year=first, last_year=last, marks=dated, span=span, width=width)
    place_in_lanes(dated, axis, top=TOP)
    if span:
        span.x = axis.x(span.start)
        span.width = max(round(axis.x(span.end) - span.x, 1), MIN_MARK)
        span.y = axis.axis_y - 3
    return axis


def case_span(case):
    """The case's own period as a mark, or None when its start is unknown."""
    if not case.start_date:
        return None
    if case.end_date:
        end = period_end(case.end_date, case.end_precision)
    else:
        end = period_end(case.start_date, case.start_precision)
    return Mark(
        item=case,
        start=fractional_year(case.start_date),
        end=fractional_year(end),
        precision="case",
        label=_("The case: %(period)s") % {"period": case.period_display},
        open_end=not case.end_date,
    )


def case_axis(case, events, width=WIDTH):
    return build_axis([event_mark(e, anchor=f"event-{e.position}") for e in events], span=case_span(case), width=width)


NARROW = 340  # the width of the drawings a phone shows: a whole axis fits a 320 px screen, labels legible


def case_axes(case, events):
    """The case's axis at full width and at a phone's width: the same marks, laid out for each."""
    return case_axis(case, events), case_axis(case, events, width=NARROW)


# --- The timeline of all cases: what happened, case by case ------------------------------------------------

TITLE_LINE = 14  # a line of a case's title
CHAR = 6.4  # the average width of a character of a title (12 px sans), to wrap titles to the drawing
SPAN_GAP = 5  # from a title to its case's bar
SPAN_HEIGHT = 6
EVENT_LANE = 12
ROW_GAP = 12


@dataclass
class CaseRow:
    """A case on the timeline of all cases: its title, its period (if known) and its dated events."""

    case: object
    title: list
    y: float
    span: Mark | None
    marks: list
    height: float

    @property
    def span_y(self):
        return len(self.title) * TITLE_LINE + SPAN_GAP

    @property
    def span_end_x(self):
        return round(self.span.x + self.span.width, 1) if self.span else None

    @property
    def open_end_x(self):
        return round(self.span_end_x + OPEN_END, 1) if self.span and self.span.open_end else None

    @property
    def years(self):
        """(first, last) year the row draws something in, for the year-range zoom."""
        drawn = [*self.marks, *([self.span] if self.span else [])]
        return int(min(m.start for m in drawn)), int(max(m.end for m in drawn) - 1e-9)


@dataclass
class CasesChart:
    axis: Axis
    rows: list
    height: float

    @property
    def width(self):
        return self.axis.width


def wrap_words(text, limit):
    """Lines of at most about `limit` characters, broken between words; nothing is cut."""
    lines, current = [], ""
    for word in str(text).split():
        if current and len(current) + 1 + len(word) > limit:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*lines, current] if current else lines


def cases_chart(cases, width=WIDTH):
    """Each case as a row: its title, a bar from its start to its end as the sources date them (a dashed stub
    where they do not say when it ended, no bar where they do not say when it began), and its dated events as
    marks under the bar. `cases` is [(case, [its events])]. None when nothing is dated."""
    prepared = []
    for case, events in cases:
        span = case_span(case)
        marks = [event_mark(event, anchor=f"event-{event.position}") for event in events]
        prepared.append((case, span, marks))
    dated = [m for _case, span, marks in prepared for m in [*marks, *([span] if span else [])]]
    years = year_range(dated)
    if years is None:
        return None
    axis = Axis(first_year=years[0], last_year=years[1], width=width)
    chars = int((width - LEFT - RIGHT) / CHAR)
    rows, y = [], TOP
    for case, span, marks in prepared:
        # The bar shows the period; the words say what it cannot: that a date is unknown.
        unknown = _(" (dates unknown)") if not case.start_date else _(" (end unknown)") if not case.end_date else ""
        title = wrap_words(case.title + unknown, chars)
        row = CaseRow(case=case, title=title, y=y, span=span, marks=marks, height=0)
        if span:
            span.x = axis.x(span.start)
            span.width = max(round(axis.x(span.end) - span.x, 1), 3)
        lanes = place_in_lanes(marks, axis, top=row.span_y + SPAN_HEIGHT + 3, lane_height=EVENT_LANE)
        row.height = row.span_y + SPAN_HEIGHT + 3 + lanes * EVENT_LANE
        rows.append(row)
        y = round(y + row.height + ROW_GAP, 1)
    return CasesChart(axis=axis, rows=rows, height=round(y))
