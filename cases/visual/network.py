"""Who worked with, funded, supported or targeted whom: a deterministic column layout.

Organisations are grouped by what they are and where they are based, so the same data always gives the same
drawing (no random force layout), and a reader can find a node by its group.
"""

from dataclasses import dataclass, field

from cases.organisations.models import Base, OrgKind

WIDTH = 1000
ROW = 28
HEADING = 40
TOP = 16
LABEL_CHARS = 40
LEFT_X, CENTRE_X, RIGHT_X = 330, 500, 670

# (slug, heading, side, test): an organisation goes to the first group whose test it passes. The Hong Kong
# LNGOs, the hub of most links, stand in the middle; what they worked with in China on the left, and
# companies, international allies and the rest on the right, so most lines cross one gap only.
GROUPS = (
    ("hong-kong", "Hong Kong labour NGOs", "centre", lambda o: o.base == Base.HONG_KONG and o.kind in _CIVIL),
    ("mainland", "Mainland labour NGOs and partners", "left", lambda o: o.base == Base.MAINLAND and o.kind in _CIVIL),
    ("unions", "Official unions", "left", lambda o: o.kind == OrgKind.OFFICIAL_UNION),
    ("state", "State and party", "left", lambda o: o.kind in {OrgKind.STATE, OrgKind.PARTY}),
    (
        "companies",
        "Companies and employers",
        "right",
        lambda o: o.kind in {OrgKind.COMPANY, OrgKind.BUSINESS_ASSOCIATION},
    ),
    (
        "international",
        "International allies",
        "right",
        lambda o: o.kind in {OrgKind.INTERNATIONAL_UNION, OrgKind.INTERNATIONAL_NGO} or o.base == Base.INTERNATIONAL,
    ),
    ("other", "Other organisations", "right", lambda o: True),
)
_CIVIL = {OrgKind.LNGO, OrgKind.GROUP, OrgKind.NETWORK}


def group_of(organisation):
    return next(slug for slug, _heading, _side, test in GROUPS if test(organisation))


@dataclass
class Node:
    organisation: object
    x: float
    y: float
    label: str
    side: str

    @property
    def label_x(self):
        return {"left": self.x - 12, "right": self.x + 12, "centre": self.x}[self.side]

    @property
    def label_y(self):
        return self.y + 15 if self.side == "centre" else self.y + 4

    @property
    def anchor(self):
        return {"left": "end", "right": "start", "centre": "middle"}[self.side]


@dataclass
class Edge:
    """A line between two nodes; `link` is the row of the table it stands for."""

    link: object
    source: Node
    target: Node

    @property
    def path(self):
        (x1, y1), (x2, y2) = (self.source.x, self.source.y), (self.target.x, self.target.y)
        if x1 == x2:  # same column: bow out into the gap beside it, away from the labels
            side = self.source.side
            bow = 40 + abs(y2 - y1) / 5
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

    @property
    def anchor(self):
        return {"left": "end", "right": "start", "centre": "middle"}[self.side]


@dataclass
class Network:
    groups: list
    nodes: list
    edges: list
    height: int
    width: int = WIDTH


def shorten(text, limit=LABEL_CHARS):
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def layout(organisations, links):
    """Nodes in three columns of groups (only groups that have organisations), and an edge for each link.

    `links` have `subject` and `object` organisations (relations, or links made from a case's roles).
    """
    members = {slug: [] for slug, *_rest in GROUPS}
    for organisation in sorted(organisations, key=lambda o: (o.name.casefold(), o.pk)):
        members[group_of(organisation)].append(organisation)
    sides = {"left": [], "centre": [], "right": []}
    for slug, heading, side, _test in GROUPS:
        if members[slug]:
            sides[side].append((slug, heading, members[slug]))

    def column_height(side):
        step = ROW + 8 if side == "centre" else ROW
        return sum(HEADING + len(orgs) * step for _s, _h, orgs in sides[side])

    height = max(column_height(side) for side in sides) + TOP + 10
    x_of = {"left": LEFT_X, "centre": CENTRE_X, "right": RIGHT_X}
    groups, nodes, by_pk = [], [], {}
    for side, entries in sides.items():
        step = ROW + 8 if side == "centre" else ROW
        y = TOP + (height - TOP - 10 - column_height(side)) / 2  # centre shorter columns
        for slug, heading, orgs in entries:
            heading_x = {"left": LEFT_X + 6, "centre": CENTRE_X, "right": RIGHT_X - 6}[side]
            group = Group(slug=slug, heading=heading, side=side, x=heading_x, y=round(y + 14, 1))
            y += HEADING
            for organisation in orgs:
                node = Node(
                    organisation=organisation,
                    x=x_of[side],
                    y=round(y - 8, 1),
                    label=shorten(organisation.short_name or organisation.name),
                    side=side,
                )
                y += step
                group.nodes.append(node)
                nodes.append(node)
                by_pk[organisation.pk] = node
            groups.append(group)
    edges = [
        Edge(link=link, source=by_pk[link.subject.pk], target=by_pk[link.object.pk])
        for link in links
        if link.subject.pk in by_pk and link.object.pk in by_pk
    ]
    return Network(groups=groups, nodes=nodes, edges=edges, height=round(height))
