"""Who worked with, funded, supported or targeted whom: a deterministic column layout.

Organisations are grouped by what they are and where they are based, so the same data always gives the same
drawing (no random force layout), and a reader can find a node by its group.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cases.organisations.models import Base, OrgKind, RelationKind

WIDTH = 1000
ROW = 28
HEADING = 40
TOP = 16
LABEL_CHARS = 40
LEFT_X, CENTRE_X, RIGHT_X = 330, 500, 670
# The hub's names are centred under their nodes, wrapped to this many characters so that they stay between the
# columns; a line of them adds this much to the row.
CENTRE_CHARS = 20
LINE = 15
# How wide a character of a name (12.5 px) and of a group heading (12 px, capitals, spaced) is drawn, at most:
# label boxes are estimated from these, to lay names out so that none overlaps another.
CHAR = 7.4
HEADING_CHAR = 9.4
ASCENT, DESCENT = 11, 4
RADIUS = 6

# A phone's layout: every organisation in one column, its name to the right, links as arcs on the left.
NARROW_WIDTH = 360
NARROW_X = 150
NARROW_CHARS = 26
NARROW_ROW = 22

# (slug, heading, side, test): an organisation goes to the first group whose test it passes. The Hong Kong
# LNGOs, the hub of most links, stand in the middle; what they worked with in China on the left, and
# companies, international allies and the rest on the right, so most lines cross one gap only.
GROUPS = (
    ("hong-kong", _("Hong Kong labour NGOs"), "centre", lambda o: o.base == Base.HONG_KONG and o.kind in _CIVIL),
    (
        "mainland",
        _("Mainland labour NGOs and partners"),
        "left",
        lambda o: o.base == Base.MAINLAND and o.kind in _CIVIL,
    ),
    ("unions", _("Official unions"), "left", lambda o: o.kind == OrgKind.OFFICIAL_UNION),
    ("state", _("State and party"), "left", lambda o: o.kind in {OrgKind.STATE, OrgKind.PARTY}),
    (
        "companies",
        _("Companies and employers"),
        "right",
        lambda o: o.kind in {OrgKind.COMPANY, OrgKind.BUSINESS_ASSOCIATION},
    ),
    (
        "international",
        _("International allies"),
        "right",
        lambda o: o.kind in {OrgKind.INTERNATIONAL_UNION, OrgKind.INTERNATIONAL_NGO} or o.base == Base.INTERNATIONAL,
    ),
    ("other", _("Other organisations"), "right", lambda o: True),
)
_CIVIL = {OrgKind.LNGO, OrgKind.GROUP, OrgKind.NETWORK}


def group_of(organisation):
    return next(slug for slug, _heading, _side, test in GROUPS if test(organisation))


@dataclass
class Node:
    organisation: object
    x: float
    y: float
    lines: list  # the name as drawn, one string a line
    side: str  # "left" (name before the node), "right" (after it) or "centre" (under it)

    @property
    def label(self):
        return " ".join(self.lines)

    @property
    def label_x(self):
        return {"left": self.x - 12, "right": self.x + 12, "centre": self.x}[self.side]

    @property
    def label_y(self):
        return self.y + 19 if self.side == "centre" else self.y + 4

    @property
    def anchor(self):
        return {"left": "end", "right": "start", "centre": "middle"}[self.side]

    @property
    def label_box(self):
        """(left, top, right, bottom) the name takes up, estimated generously from its length."""
        return text_box(self.lines, self.label_x, self.label_y, self.anchor, CHAR)

    @property
    def circle_box(self):
        return (self.x - RADIUS, self.y - RADIUS, self.x + RADIUS, self.y + RADIUS)


def text_box(lines, x, y, anchor, char):
    width = max(len(line) for line in lines) * char
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return (round(left, 1), y - ASCENT, round(left + width, 1), y + (len(lines) - 1) * LINE + DESCENT)


@dataclass
class Edge:
    """A line between two nodes; `link` is the row of the table it stands for."""

    link: object
    source: Node
    target: Node
    narrow: bool = False

    @property
    def path(self):
        (x1, y1), (x2, y2) = (self.source.x, self.source.y), (self.target.x, self.target.y)
        if self.narrow:  # one column: an arc out to the left, wider the further apart the two are
            bow = min((NARROW_X - 8) / 0.75, 14 + 0.55 * abs(y2 - y1))
            return f"M{x1},{y1} C{x1 - bow:.1f},{y1} {x2 - bow:.1f},{y2} {x2},{y2}"
        if x1 == x2:  # same column: bow out into the gap beside it, away from the labels
            side = self.source.side
            # In the hub's column, clear of the names centred under its nodes (the curve reaches half-way).
            gap = 2 * (CENTRE_CHARS * CHAR / 2 + 14) if side == "centre" else 40
            bow = gap + abs(y2 - y1) / 5
            bend = x1 - bow if side == "right" else x1 + bow
            return f"M{x1},{y1} Q{bend:.1f},{(y1 + y2) / 2:.1f} {x2},{y2}"
        middle = (x1 + x2) / 2
        return f"M{x1},{y1} C{middle:.1f},{y1} {middle:.1f},{y2} {x2},{y2}"


@dataclass
class Group:
    slug: str
    heading: str
    side: str
    x: float
    y: float
    nodes: list = field(default_factory=list)
    anchor_override: str = ""

    @property
    def anchor(self):
        return self.anchor_override or {"left": "end", "right": "start", "centre": "middle"}[self.side]

    @property
    def box(self):
        return text_box([self.heading], self.x, self.y, self.anchor, HEADING_CHAR)


@dataclass
class Network:
    groups: list
    nodes: list
    edges: list
    height: int
    width: int = WIDTH
    variant: str = "wide"

    @property
    def legend(self):
        """[(line style, what it means)] for the kinds of link drawn, in a fixed order."""
        drawn = {edge.link.kind for edge in self.edges}
        return [(style, words) for style, words, kinds in LEGEND if drawn & kinds]

    def boxes(self):
        """[(what, box)] for every name, node and group heading drawn: none of them may overlap another."""
        return (
            [(f"name of {n.organisation}", n.label_box) for n in self.nodes]
            + [(f"node of {n.organisation}", n.circle_box) for n in self.nodes]
            + [(f"heading {g.heading}", g.box) for g in self.groups]
        )


# How each kind of link is drawn (its line style, in site.css) and said in the legend.
LEGEND = (
    ("partner", _("partner of, or allied with"), {RelationKind.PARTNER, RelationKind.ALLY}),
    ("funder", _("funded"), {RelationKind.FUNDER}),
    ("target", _("targeted (dashed)"), {RelationKind.TARGET}),
    (
        "connected",
        _("other ties: member of, established, supervises, published, connected to"),
        {RelationKind.MEMBER, RelationKind.ESTABLISHED, RelationKind.SUPERVISES, RelationKind.PUBLISHED}
        | {RelationKind.CONNECTED},
    ),
)


def shorten(text, limit=LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap(text, limit, lines=2):
    """At most `lines` lines of at most `limit` characters, broken between words; the last shortened if need be."""
    result, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > limit:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    result.append(current)
    if len(result) > lines:
        result = result[: lines - 1] + [" ".join(result[lines - 1 :])]
    return [shorten(line, limit) for line in result]


def _grouped(organisations):
    """{side: [(slug, heading, [organisation, ...])]} for the groups that have organisations, in reading order."""
    members = {slug: [] for slug, *_rest in GROUPS}
    for organisation in sorted(organisations, key=lambda o: (o.name.casefold(), o.pk)):
        members[group_of(organisation)].append(organisation)
    sides = {"left": [], "centre": [], "right": []}
    for slug, heading, side, _test in GROUPS:
        if members[slug]:
            sides[side].append((slug, str(heading), members[slug]))  # measured in the active language
    return sides


def _name(organisation):
    return organisation.short_name or organisation.name


def _edges(links, by_pk, narrow=False):
    return [
        Edge(link=link, source=by_pk[link.subject.pk], target=by_pk[link.object.pk], narrow=narrow)
        for link in links
        if link.subject.pk in by_pk and link.object.pk in by_pk
    ]


def layout(organisations, links):
    """Nodes in three columns of groups (only groups that have organisations), and an edge for each link.

    `links` have `subject` and `object` organisations (relations, or links made from a case's roles).
    """
    sides = _grouped(organisations)

    def lines_of(side, organisation):
        if side == "centre":
            return wrap(_name(organisation), CENTRE_CHARS)
        return [shorten(_name(organisation))]

    def step(side, lines):
        return ROW + 8 + (len(lines) - 1) * LINE if side == "centre" else ROW

    def column_height(side):
        return sum(HEADING + sum(step(side, lines_of(side, o)) for o in orgs) for _s, _h, orgs in sides[side])

    height = max(column_height(side) for side in sides) + TOP + 10
    x_of = {"left": LEFT_X, "centre": CENTRE_X, "right": RIGHT_X}
    groups, nodes, by_pk = [], [], {}
    for side, entries in sides.items():
        y = TOP + (height - TOP - 10 - column_height(side)) / 2  # centre shorter columns
        for slug, heading, orgs in entries:
            heading_x = {"left": LEFT_X + 6, "centre": CENTRE_X, "right": RIGHT_X - 6}[side]
            group = Group(slug=slug, heading=heading, side=side, x=heading_x, y=round(y + 14, 1))
            y += HEADING
            for organisation in orgs:
                lines = lines_of(side, organisation)
                node = Node(organisation=organisation, x=x_of[side], y=round(y - 8, 1), lines=lines, side=side)
                y += step(side, lines)
                group.nodes.append(node)
                nodes.append(node)
                by_pk[organisation.pk] = node
            groups.append(group)
    return Network(groups=groups, nodes=nodes, edges=_edges(links, by_pk), height=round(height))


def narrow_layout(organisations, links):
    """The same network laid out for a phone: one column, the groups in the wide layout's reading order (the
    Hong Kong labour NGOs in the middle), each name to the right of its node, each link an arc on the left."""
    sides = _grouped(organisations)
    groups, nodes, by_pk = [], [], {}
    y = TOP
    for side in ("left", "centre", "right"):
        for slug, heading, orgs in sides[side]:
            group = Group(slug=slug, heading=heading, side=side, x=4, y=round(y + 12, 1), anchor_override="start")
            y += 30
            for organisation in orgs:
                lines = wrap(_name(organisation), NARROW_CHARS)
                node = Node(organisation=organisation, x=NARROW_X, y=round(y, 1), lines=lines, side="right")
                y += NARROW_ROW + (len(lines) - 1) * LINE
                group.nodes.append(node)
                nodes.append(node)
                by_pk[organisation.pk] = node
            groups.append(group)
            y += 6
    return Network(
        groups=groups,
        nodes=nodes,
        edges=_edges(links, by_pk, narrow=True),
        height=round(y + 4),
        width=NARROW_WIDTH,
        variant="narrow",
    )
