"""One declaration of what the archive says about each kind of entry, read by every surface that says it.

Each public kind (case, organisation, position, source) declares its fields once, in its own app's
`representation.py`: a name, how to read the value from a listed row, a label and the value's type as JSON
Schema. The CSV and JSON exports use the declaration as their columns, the API builds its serializers from it
(cases/api/serializers.py) and the JSON-LD of a detail page reads the fields it shares from it
(cases/citations/metadata.py). So a field has one name and one value everywhere; only CSV writes the value
as text (lists joined with "; ", yes/no, each structured item through the field's `text`).

Naming rules, so the names stay predictable:

- a yes/no field is a question, `is_…` or `needs_…` (`is_pseudonym`, `is_seed`, `needs_checking`);
- a field the entry does not fill is null, never an empty string;
- a link to another entry is its slug (`source`), or `{"slug", "name"}` objects for a list of them;
- `url` is the entry's page on the site; a source's own address is `source_url`.

This module sits below the apps (it imports no app), so `cases.core` can declare sources with it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from cases.core.addresses import absolute_url
from cases.core.chinese import CHINESE, ENGLISH, suffix
from cases.core.gate import public_or_none

# JSON Schema of the values (OpenAPI 3.0 flavour), used for the API's schema and the documentation.
STRING = {"type": "string"}
TEXT = {"type": "string"}  # Markdown
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
URI = {"type": "string", "format": "uri"}
DATE = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}  # ISO 8601 at the precision the source gives
STRINGS = {"type": "array", "items": STRING}
LINK = {
    "type": "object",
    "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
    "required": ["slug", "name"],
}
LINKS = {"type": "array", "items": LINK}


def choice(choices):
    """A string from a model's choices (`Kind.choices`); the API's schema lists the labels too (`x-choices`)."""
    # The labels in English, whichever language is active when this is built: the schema is data.
    with translation.override(None):
        choices = [(value, str(label)) for value, label in choices]
    return {"type": "string", "enum": [value for value, _label in choices], "x-choices": choices}


def objects(**properties):
    """A list of objects with the given properties (each a schema)."""
    return {
        "type": "array",
        "items": {"type": "object", "properties": properties, "required": list(properties)},
    }


def page_url(obj, request=None):
    """The entry's page as an absolute URL (cases/core/addresses.py)."""
    return absolute_url(obj.get_absolute_url(), request)


def attribute(name, *, empty_is_null=False):
    """A reader of `row.name` (dotted paths follow relations); `empty_is_null` turns "" into null."""
    path = name.split(".")

    def read(row, request):
        value = row
        for part in path:
            value = getattr(value, part)
        return None if empty_is_null and value == "" else value

    read.path = name  # the model field it reads, for what is generated from the models (the data releases)
    return read


def public_slug(entry):
    """The slug of a related entry the public may see, else None (never the slug of a draft)."""
    entry = public_or_none(entry)
    return entry.slug if entry is not None else None


def published_slug(relation):
    """A reader of a related entry's slug, null when that entry is not published."""

    def read(row, request):
        return public_slug(getattr(row, relation))

    read.path = relation
    return read


def english_text(name, *, empty_is_null=False):
    """A reader of a translated field's English, whatever the page's language: a download's `title` is always the
    English title, and the Chinese come in their own fields (`chinese_texts`)."""
    column = f"{name}_{suffix(ENGLISH)}"

    def read(row, request):
        value = getattr(row, column)
        return None if empty_is_null and not value else value

    read.path = name
    return read


def chinese_texts(name, label, schema=None):
    """`<name>_zh_hans` and `<name>_zh_hant`: the archive's translations of a field, null where there is none."""
    return tuple(
        Field(
            f"{name}_{suffix(language)}",
            attribute(f"{name}_{suffix(language)}", empty_is_null=True),
            f"{label}, {script} (the archive's translation)",
            schema or STRING,
            nullable=True,
        )
        for language, script in (("zh-hans", "simplified Chinese"), ("zh-hant", "traditional Chinese"))
    )


def chinese_names():
    """A name's Chinese forms (`name_zh_hans`, `name_zh_hant`, `name_pinyin`): the archive's rendering of the
    standard name, null where none exists (never for a pseudonym)."""
    return (
        Field(
            "name_zh_hans",
            attribute("name_zh_hans", empty_is_null=True),
            "Chinese name, simplified (the archive's rendering of the standard name, not from the sources)",
            nullable=True,
        ),
        Field(
            "name_zh_hant",
            attribute("name_zh_hant", empty_is_null=True),
            "Chinese name, traditional (the archive's rendering)",
            nullable=True,
        ),
        Field(
            "name_pinyin",
            attribute("name_pinyin", empty_is_null=True),
            "Chinese name in pinyin with tone marks (the archive's rendering)",
            nullable=True,
        ),
    )


def _translation_states(row, request):
    states = {}
    for language in CHINESE:
        state = row.translation_state(language)
        states[suffix(language)] = {
            "state": state.state,
            "reviewed_by": state.reviewer or None,
            "reviewed_on": state.reviewed_on or None,
        }
    return states


_STATE = {
    "type": "object",
    "properties": {
        "state": {"type": "string", "enum": ["missing", "unreviewed", "converted", "reviewed", "stale"]},
        "reviewed_by": {"type": "string", "nullable": True},
        "reviewed_on": {"type": "string", "nullable": True},
    },
}


def translation_states():
    """Where each Chinese translation stands: missing, the archive's (unreviewed), converted from the simplified by
    computer, reviewed (by whom, when) or changed since its review (stale)."""
    return Field(
        "translation",
        _translation_states,
        "State of the Chinese translations",
        {"type": "object", "properties": {"zh_hans": _STATE, "zh_hant": _STATE}},
    )


def link_text(link):
    return link["name"]


@dataclass(frozen=True)
class Field:
    name: str
    read: Any  # read(row, request) -> the value as JSON would have it
    label: str
    schema: dict = field(default_factory=lambda: STRING)
    nullable: bool = False
    text: Any = None  # how CSV writes each item of a list of objects (default: str)

    def value(self, row, request=None):
        return self.read(row, request)

    def cell_value(self, value):
        """The value CSV writes (before joining and escaping): list items through `text`."""
        if self.text is not None and isinstance(value, list | tuple):
            return [self.text(item) for item in value]
        return value


@dataclass(frozen=True)
class Representation:
    """The public fields of one kind: `listed` on lists, exports and API lists; `detail` only on one entry."""

    kind: str
    model: Any  # the model whose rows it reads
    schema_name: str  # the API schema's component name
    listed: tuple
    detail: tuple = ()

    def __post_init__(self):
        names = [f.name for f in (*self.listed, *self.detail)]
        duplicates = {name for name in names if names.count(name) > 1}
        if duplicates:
            raise ValueError(f"{self.kind}: fields declared twice: {sorted(duplicates)}")

    @property
    def columns(self):
        """The export's columns: the listed fields."""
        return self.listed

    def field(self, name):
        return next(f for f in (*self.listed, *self.detail) if f.name == name)

    def values(self, row, request=None, names=None):
        """{name: value} of the listed fields (or of `names`, which may include detail fields)."""
        fields = self.listed if names is None else [self.field(name) for name in names]
        return {f.name: f.value(row, request) for f in fields}
