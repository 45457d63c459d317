"""The table of what is indexed, read from the registry: every kind of entry and part with a search document.

Each kind declares its document in its own app (`search=SearchDocument(...)`, e.g. cases/interventions/search.py):
a builder that takes a model instance (with the related rows it needs) and returns the fields of its `SearchEntry`
(title, weighted most, summary, body, link and context; optionally `names`, the entry's Chinese names, whose
pinyin finds it as its title's does), or None when it must not be found; and a queryset that fetches those rows in
a fixed number of queries. Chinese in any of the texts is indexed as words in either script (cases/search/chinese.py).
"""

from dataclasses import dataclass

from django.utils.module_loading import import_string

from cases.core import registry
from cases.core.text import MARK_END, MARK_START, clean  # noqa: F401  (the highlighter's markers live with clean)


@dataclass(frozen=True)
class Indexed:
    key: str
    label: str
    model: type
    build: object
    queryset: object
    document: object


def indexed_kinds():
    """{key: Indexed} for every registered kind and part with a search document, in the order results show."""
    found = []
    for declared in [*registry.kinds(), *registry.parts()]:
        document = declared.search
        if document is None:
            continue
        model = declared.model_class if hasattr(declared, "model_class") else _model(declared.model)
        label = document.label or getattr(declared, "plural", "") or declared.label
        found.append(
            Indexed(
                key=declared.key,
                label=label,
                model=model,
                build=import_string(document.builder),
                queryset=import_string(document.queryset),
                document=document,
            )
        )
    found.sort(key=lambda indexed: indexed.document.order)
    return {indexed.key: indexed for indexed in found}


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


def label_of(key):
    indexed = indexed_kinds().get(key)
    return indexed.label if indexed else key


def choices():
    return [(key, indexed.label) for key, indexed in indexed_kinds().items()]
