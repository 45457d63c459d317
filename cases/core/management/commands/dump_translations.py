"""Write the Chinese layer (fixtures/translations/zh.yaml) from the database: names and the archive's translations.

The simplified texts are written; a traditional text is written only where it differs from OpenCC's conversion of
the simplified (a curator's correction), since `load_archive` converts the rest. The review records are not written:
the fixtures carry no history, so a reload shows the translations as the archive's, not yet reviewed.
"""

import yaml
from django.apps import apps
from django.core.management.base import BaseCommand
from modeltranslation.translator import translator

from cases.core.chinese import ChineseName, to_traditional

HEADER = """\
# The archive in Chinese, applied by `manage.py load_archive` over the English fixtures (cases/core/chinese.py).
# Written by `manage.py dump_translations`; see CONTRIBUTING.md, "Translations into Chinese".
# name_*: the archive's rendering of standard Chinese names (never for a pseudonym or an unnamed group).
# *_zh_hans: the archive's translations; quotations stay in the source's language. Traditional Chinese is
# converted from the simplified with OpenCC unless given here.
"""


def _models():
    registered = set(translator.get_registered_models())
    for model in apps.get_models():
        if model.__module__.startswith("cases.") and (issubclass(model, ChineseName) or model in registered):
            yield model


def _fields(model):
    names = ["name_zh_hans", "name_zh_hant", "name_pinyin"] if issubclass(model, ChineseName) else []
    if model in set(translator.get_registered_models()):
        for field in translator.get_options_for_model(model).fields:
            names += [f"{field}_zh_hans", f"{field}_zh_hant"]
    return names


class Command(BaseCommand):
    help = "Print the Chinese layer of the fixtures (names and translations) from the database, as YAML."

    def handle(self, *args, **options):
        layer = {}
        for model in _models():
            names = _fields(model)
            entries = {}
            for row in model._default_manager.order_by("pk"):
                values = {}
                for name in names:
                    value = getattr(row, name) or ""
                    if name.endswith("_zh_hant"):
                        simplified = getattr(row, name.removesuffix("_zh_hant") + "_zh_hans") or ""
                        if value == to_traditional(simplified):
                            continue
                    if value:
                        values[name] = value
                if values:
                    entries["/".join(str(part) for part in row.natural_key())] = values
            if entries:
                layer[model._meta.label_lower] = entries
        self.stdout.write(HEADER + "\n" + yaml.safe_dump(layer, allow_unicode=True, sort_keys=False, width=118))
