"""Clip Natural Earth outlines (from the npm package world-atlas) to the map's views, once.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python manage.py build_map_data package/

writes static/geo/<view>.geojson, which the project commits and serves itself.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cases.visual.geo import VIEWS, clipped_features, decode_topojson


class Command(BaseCommand):
    help = "Clip the world-atlas country outlines to the map's views and write static/geo/*.geojson."

    def add_arguments(self, parser):
        parser.add_argument("atlas_dir", help="The unpacked world-atlas package (with countries-10m.json).")

    def handle(self, atlas_dir, **options):
        for view in VIEWS:
            source = Path(atlas_dir) / f"countries-{view.resolution}.json"
            if not source.exists():
                raise CommandError(f"{source} not found: unpack the world-atlas package first.")
            shapes = decode_topojson(json.loads(source.read_text(encoding="utf-8")), "countries")
            collection = {
                "type": "FeatureCollection",
                "features": clipped_features(shapes, view),
            }
            view.data_file.parent.mkdir(parents=True, exist_ok=True)
            view.data_file.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
            self.stdout.write(f"{view.data_file.name}: {len(collection['features'])} outlines")
