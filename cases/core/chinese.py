"""The archive in Chinese: standard Chinese names beside the English, and the state of each translation.

Two different things, kept apart:

- A *Chinese name* (广州 / 廣州 / Guǎngzhōu; 中华全国总工会) is a fact about a place, an organisation, a concept,
  an issue or a tactic: the standard name it has in Chinese. It is shown beside the English on every page, in
  every language, and is left empty where no standard name exists. Pseudonyms (HKA, HKB, HKC, GMA) and unnamed
  groups never get one: the archive does not invent names. The names are the archive's rendering, not words of
  the source texts, so they are not quotations and the quotation check never reads them.
- A *translation* (a case's title and summary, an event's title, a position's title and claim, a concept's
  definition) is the archive's Chinese version of its own English text: django-modeltranslation keeps it in
  columns beside the English (`title_zh_hans`, `title_zh_hant`), and on a Chinese page `case.title` reads it,
  falling back to the English when it is empty. The page then says so (`shown_in_english`).

Each translated entry records, per language, who reviewed its translation and what the English and the Chinese
said then (`translation_review`). The state is worked out from the row itself, with no query: when either text
has changed since the review, the translation needs reviewing again.
"""

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

ENGLISH = "en-gb"
CHINESE = ("zh-hans", "zh-hant")
# The HTML `lang` of each script (BCP 47), for names shown beside the English.
HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}

# The reason a Chinese name was given, for the help texts, the codebook and the exports' documentation.
NAME_PROVENANCE = _(
    "The archive's rendering of the standard Chinese name, not taken from the source texts. Leave empty where "
    "no standard name exists; never for a pseudonym or an unnamed group."
)


def suffix(language):
    """The column suffix modeltranslation gives a language: zh-hans -> zh_hans."""
    return language.replace("-", "_")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC(getattr(settings, "OPENCC_PROFILE", "s2hk"))


def to_traditional(text):
    """Simplified to traditional Chinese with OpenCC (the profile in OPENCC_PROFILE)."""
    return _converter().convert(text) if text else text


def converter_label():
    return f"OpenCC {getattr(settings, 'OPENCC_PROFILE', 's2hk')}"


class LocalName(str):
    """A label with the language it is written in when that is not the page's (`lang`: an English name on a Chinese
    page, so that a screen reader reads it as English), else with `lang` empty."""

    lang = ""


def local_label(name, name_zh_hans, name_zh_hant):
    """`local_name` for values read without their row (a facet's options): the Chinese name in the page's script on
    a Chinese page where there is one, else the name."""
    language = translation.get_language()
    chinese = {"zh-hans": name_zh_hans, "zh-hant": name_zh_hant}.get(language)
    label = LocalName(chinese or name)
    if language in CHINESE and not chinese:
        label.lang = "en-GB"
    return label


class ChineseName(models.Model):
    """The standard Chinese name of an entry, in both scripts and in pinyin, shown beside its English name."""

    name_zh_hans = models.CharField(
        _("Chinese name (simplified)"), max_length=120, blank=True, help_text=NAME_PROVENANCE
    )
    name_zh_hant = models.CharField(
        _("Chinese name (traditional)"),
        max_length=120,
        blank=True,
        help_text=_("Converted from the simplified with OpenCC when left empty; correct it where usage differs."),
    )
    name_pinyin = models.CharField(
        _("Chinese name (pinyin)"),
        max_length=200,
        blank=True,
        help_text=_("Hanyu pinyin with tone marks, as displayed, e.g. Guǎngzhōu."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.name_zh_hans and not self.name_zh_hant:
            self.name_zh_hant = to_traditional(self.name_zh_hans)
        super().save(*args, **kwargs)

    @property
    def has_chinese_name(self):
        return bool(self.name_zh_hans or self.name_zh_hant)

    @property
    def local_name(self):
        """The name for a label with room for one: on a Chinese page the Chinese name in the page's script where it
        has one, else the name."""
        return local_label(self.name, self.name_zh_hans, self.name_zh_hant)

    def chinese_labels(self):
        """The names to show beside the English: the reader's script first on a Chinese page."""
        names = [
            (language, getattr(self, f"name_{suffix(language)}"), HTML_LANG[language])
            for language in CHINESE
            if getattr(self, f"name_{suffix(language)}")
        ]
        if translation.get_language() == "zh-hant":
            names.reverse()
        # One script only when both read alike (香港): the same characters twice say nothing.
        if len(names) == 2 and names[0][1] == names[1][1]:
            names = names[:1]
        return names


@dataclass(frozen=True)
class TranslationState:
    """Where one language's translation of an entry stands, as the public page shows it."""

    language: str
    state: str  # "missing", "unreviewed", "converted", "reviewed" or "stale"
    reviewer: str = ""
    reviewed_on: str = ""

    @property
    def is_reviewed(self):
        return self.state == "reviewed"

    @property
    def label(self):
        labels = {
            "missing": _("No Chinese translation yet: shown in English."),
            "unreviewed": _("The archive's translation, not yet reviewed."),
            "converted": _(
                "The archive's translation, converted from the simplified Chinese by computer; not yet reviewed."
            ),
            "stale": _(
                "The archive's translation; the text has changed since it was reviewed: not yet reviewed again."
            ),
        }
        if self.state == "reviewed":
            return _("The archive's translation, reviewed by %(reviewer)s on %(date)s.") % {
                "reviewer": self.reviewer,
                "date": self.reviewed_on,
            }
        return labels[self.state]


class Translated(models.Model):
    """An entry whose texts have Chinese versions, with the review of each language's translation.

    `translated_fields` names the entry's own translated fields; `translated_parts` names reverse relations whose
    rows' translated fields belong to the entry's translation (a case's timeline events), reviewed with it.
    """

    translated_fields = ()
    translated_parts = {}

    # JSON in a text column rather than a JSONField: a case's rows are read with it in one query when its form is
    # posted (cases/curation/loading.py), which a column needing conversion on reading would prevent.
    translation_review = models.TextField(
        _("review of the translations"),
        blank=True,
        default="",
        editable=False,
        help_text=_("Per language, as JSON: who reviewed the translation, when, and a digest of the texts then."),
    )

    class Meta:
        abstract = True

    def _texts(self, language):
        own = [getattr(self, f"{name}_{suffix(language)}") or "" for name in self.translated_fields]
        for relation, names in self.translated_parts.items():
            for row in getattr(self, relation).all():
                own.extend(getattr(row, f"{name}_{suffix(language)}") or "" for name in names)
        return own

    def translation_digest(self, language):
        """A digest of the English and the language's texts: a review holds while both are unchanged."""
        texts = {"en": self._texts(ENGLISH), language: self._texts(language)}
        return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()[:16]

    def _converted_digest(self):
        return hashlib.sha256(json.dumps(self._texts("zh-hant"), ensure_ascii=False).encode()).hexdigest()[:16]

    def review_records(self):
        """{language: its review record}, from the JSON the entry keeps."""
        try:
            records = json.loads(self.translation_review or "{}")
        except ValueError:
            return {}
        return records if isinstance(records, dict) else {}

    def has_translation(self, language):
        return any(self._texts(language))

    def translation_state(self, language=None):
        language = language or translation.get_language()
        if language not in CHINESE:
            return None
        if not self.has_translation(language):
            return TranslationState(language, "missing")
        record = self.review_records().get(language) or {}
        if record.get("reviewed_by"):
            if record.get("digest") == self.translation_digest(language):
                return TranslationState(language, "reviewed", record["reviewed_by"], record.get("reviewed_on", ""))
            return TranslationState(language, "stale")
        if record.get("converted") and record.get("converted") == self._converted_digest():
            return TranslationState(language, "converted")
        return TranslationState(language, "unreviewed")

    def record_review(self, language, reviewer_name, when=None):
        """Mark the language's translation as reviewed by the named curator, as the texts stand now."""
        review = self.review_records()
        review[language] = {
            "reviewed_by": reviewer_name,
            "reviewed_on": (when or timezone.now()).date().isoformat(),
            "digest": self.translation_digest(language),
        }
        self.translation_review = json.dumps(review, ensure_ascii=False, sort_keys=True)

    def record_conversion(self):
        """Note that the traditional texts are as OpenCC converted them (until someone edits them)."""
        review = self.review_records()
        review["zh-hant"] = {"converted": self._converted_digest(), "by": converter_label()}
        self.translation_review = json.dumps(review, ensure_ascii=False, sort_keys=True)


def keep_english_in_base_columns(sender, instance, raw=False, **kwargs):
    """Before a translated model is saved, its original column takes the English (modeltranslation leaves it as it
    was read), so SQL that reads the column itself, such as ordering a related list by a case's title, reads the
    English whatever language the curator's admin was in."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        options = translator.get_options_for_model(sender)
    except NotRegistered:
        return
    deferred = instance.get_deferred_fields()
    for name in options.all_fields:
        if f"{name}_{suffix(ENGLISH)}" in deferred:
            continue
        english_value = getattr(instance, f"{name}_{suffix(ENGLISH)}", None)
        if english_value is not None:
            instance.__dict__[name] = english_value


def shown_in_english(obj, field):
    """True on a Chinese page when the field has no translation, so the English stands in for it."""
    language = translation.get_language()
    if language not in CHINESE:
        return False
    return not getattr(obj, f"{field}_{suffix(language)}", "") and bool(getattr(obj, f"{field}_{suffix(ENGLISH)}", ""))


def translations(obj, *fields):
    """The Chinese versions of the fields, both scripts, skipping empty ones (for the search index)."""
    return [
        value for field in fields for language in CHINESE if (value := getattr(obj, f"{field}_{suffix(language)}", ""))
    ]


def chinese_names(entry):
    """An entry's Chinese name in both scripts and in pinyin (for the search index), skipping empty ones."""
    return [value for value in (entry.name_zh_hans, entry.name_zh_hant, entry.name_pinyin) if value]


def columns(path):
    """Every language's column of a translated field, for `.only()` on a model that is not itself translated
    (modeltranslation expands a translated model's own `.only()`, not a related one's)."""
    return [f"{path}_{suffix(language)}" for language in (ENGLISH, *CHINESE)]


def english(obj, field):
    """The English text of a translated field, whatever the active language (exports, search, citations)."""
    return getattr(obj, f"{field}_{suffix(ENGLISH)}")


# Data migrations (historical models: plain columns, no modeltranslation descriptors).


def move_chinese_name(label, old_field):
    """A RunPython function moving a former single Chinese-name column into `name_zh_hans`, and its OpenCC
    conversion into `name_zh_hant`: nothing a curator entered is lost."""

    def forwards(apps, schema_editor):
        model = apps.get_model(label)
        for row in model._default_manager.exclude(**{old_field: ""}).only("pk", old_field):
            value = getattr(row, old_field)
            model._default_manager.filter(pk=row.pk).update(name_zh_hans=value, name_zh_hant=to_traditional(value))

    def backwards(apps, schema_editor):
        model = apps.get_model(label)
        for row in model._default_manager.exclude(name_zh_hans="").only("pk", "name_zh_hans"):
            model._default_manager.filter(pk=row.pk).update(**{old_field: row.name_zh_hans})

    return forwards, backwards


def copy_to_english(label, *fields):
    """A RunPython function filling the English columns modeltranslation adds from the existing texts."""

    def forwards(apps, schema_editor):
        model = apps.get_model(label)
        model._default_manager.update(**{f"{name}_{suffix(ENGLISH)}": models.F(name) for name in fields})

    return forwards


def apply_translations(path):
    """Load a translation layer (fixtures/translations/*.yaml) over the English content already loaded.

    The file maps a model label to entries by natural key (a slug, or "<case slug>/<position>" for an event) and
    each entry to its simplified Chinese fields (`name_zh_hans`, `name_pinyin`, `title_zh_hans`...). Each
    `*_zh_hans` without a `*_zh_hant` beside it gets OpenCC's conversion, and a translated entry records that its
    traditional text is converted (until a curator edits or reviews it). Rows are updated in place, so the
    English fixtures stay as they are and a reload never duplicates anything.
    """
    import yaml
    from django.apps import apps

    layer = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    owners = set()
    for label, entries in layer.items():
        model = apps.get_model(label)
        rows = _rows_by_key(model)
        for key, fields in (entries or {}).items():
            values = dict(fields)
            for name, value in fields.items():
                if name.endswith("_zh_hans"):
                    values.setdefault(name.removesuffix("_zh_hans") + "_zh_hant", to_traditional(value))
            row = rows.get(str(key))
            if row is None:
                raise model.DoesNotExist(f"{label} {key}: no such entry to translate")
            model._default_manager.filter(pk=row.pk).update(**values)
            owner = _translation_owner(row)
            if owner is not None:
                owners.add(owner)
    for model, pk in owners:
        owner = model._default_manager.get(pk=pk)
        owner.record_conversion()
        model._default_manager.filter(pk=pk).update(translation_review=owner.translation_review)
    return len(owners)


def _rows_by_key(model):
    """{natural key joined by "/": row} of a model, read in one query (the loader names rows by natural key)."""
    manager = model._default_manager
    related = [name for name in getattr(manager, "key_fields", ()) if model._meta.get_field(name).is_relation]
    rows = manager.select_related(*related) if related else manager.all()
    return {"/".join(str(part) for part in row.natural_key()): row for row in rows}


def _translation_owner(row):
    """(model, pk) of the translated entry whose review covers the row: itself, or the entry a part (an event)
    belongs to, named by the row's foreign key without reading the entry."""
    if isinstance(row, Translated):
        return (type(row), row.pk)
    for field in row._meta.get_fields():
        if (
            field.many_to_one
            and issubclass(field.related_model, Translated)
            and field.remote_field.related_name in field.related_model.translated_parts
        ):
            return (field.related_model, getattr(row, field.attname))
    return None
