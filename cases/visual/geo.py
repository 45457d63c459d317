"""Map data the project ships, and its projection into SVG paths.

The outlines come from Natural Earth (public domain) by way of the `world-atlas` TopoJSON files. They are
clipped once to the two views the map draws (`manage.py build_map_data`) and committed as small GeoJSON files
in static/geo/; at run time they are projected into SVG paths once per process. No tiles, nothing online.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

GEO_DIR = Path(settings.BASE_DIR) / "static" / "geo"


@dataclass(frozen=True)
class View:
    """A rectangle of the earth drawn into an SVG of `width` pixels (the height follows from the projection)."""

    slug: str
    title: str
    west: float
    south: float
    east: float
    north: float
    width: int
    resolution: str  # which world-atlas file the outlines come from: "10m" or "50m"
    data: str = ""  # the shipped outlines it draws, when another view's (a smaller frame of the same area)

    @property
    def kx(self):
        # Equirectangular projection with the parallels scaled at the view's middle latitude:
        # over a region this size the distortion is small, and the maths stays readable.
        return self.width / (self.east - self.west)

    @property
    def ky(self):
        return self.kx / math.cos(math.radians((self.north + self.south) / 2))

    @property
    def height(self):
        return round((self.north - self.south) * self.ky)

    def contains(self, longitude, latitude):
        return self.west <= longitude <= self.east and self.south <= latitude <= self.north

    def project(self, longitude, latitude):
        return (round((longitude - self.west) * self.kx, 1), round((self.north - latitude) * self.ky, 1))

    @property
    def data_file(self):
        return GEO_DIR / f"{self.data or self.slug}.geojson"


PRD = View("pearl-river-delta", _("The Pearl River Delta and Hong Kong"), 112.75, 21.95, 114.75, 23.55, 800, "10m")
CHINA = View("china", _("China"), 97.0, 17.5, 124.0, 42.5, 520, "50m")
VIEWS = (PRD, CHINA)
# The detail map on a phone: framed closer, on the cities from Guangzhou to Hong Kong and Huizhou, so that the whole
# delta fits the screen with legible names (the wide frame's outlines, cut by the frame).
PRD_NARROW = View(
    "pearl-river-delta-narrow", PRD.title, 113.05, 22.15, 114.6, 23.3, 400, "10m", data="pearl-river-delta"
)


# --- Building the shipped data (run once, by the build_map_data command) ---------------------------------


def decode_topojson(topology, object_name):
    """[(name, [polygon, ...])] of a TopoJSON object; a polygon is a list of rings of (lon, lat)."""
    scale_x, scale_y = topology["transform"]["scale"]
    translate_x, translate_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantised positions
            x += dx
            y += dy
            points.append((x * scale_x + translate_x, y * scale_y + translate_y))
        arcs.append(points)

    def ring(indexes):
        points = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    shapes = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        name = geometry.get("properties", {}).get("name", "")
        shapes.append((name, [[ring(r) for r in polygon] for polygon in polygons]))
    return shapes


def clip_ring(points, west, south, east, north):
    """Sutherland–Hodgman clipping of a closed ring to a rectangle (land polygons stay closed shapes)."""
    edges = (
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    )
    for inside, cross in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _cross_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def clipped_features(shapes, view, margin=0.2, digits=3):
    """GeoJSON features of the shapes that reach into the view, clipped to it (with a margin)."""
    box = (view.west - margin, view.south - margin, view.east + margin, view.north + margin)
    features = []
    for name, polygons in shapes:
        kept = []
        for polygon in polygons:
            rings = []
            for ring in polygon:
                clipped = clip_ring(ring, *box)
                if len(clipped) >= 3:
                    rounded = [[round(x, digits), round(y, digits)] for x, y in clipped]
                    deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
                    if len(deduplicated) >= 3:
                        rings.append(deduplicated)
            if rings:
                kept.append(rings)
        if kept:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": kept},
                }
            )
    return features


# --- Drawing (run time) ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outline:
    name: str
    path: str


@cache
def outlines(view):
    """The view's country outlines as SVG path data, projected once per process."""
    try:
        data = json.loads(view.data_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ()
    result = []
    for feature in data["features"]:
        parts = []
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                points = [view.project(lon, lat) for lon, lat in ring]
                parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in points) + "Z")
        result.append(Outline(feature["properties"]["name"], "".join(parts)))
    return tuple(result)
