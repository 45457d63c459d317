"""Revision history: every curated entry is versioned together with the rows that belong to it.

django-reversion stores a serialised copy of an entry and of its child rows (events, evidence, roles, stances...)
each time a curator saves it, so any earlier version can be compared and restored, and a deleted entry recovered
with its children.
"""

import difflib

import reversion
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connections, router
from django.utils.encoding import force_str
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from reversion.models import Revision, Version
from reversion.revisions import _follow_relations, _get_options, create_revision
from reversion.signals import post_revision_commit, pre_revision_commit

from cases.core import registry

# Curated vocabularies without pages of their own (no kind of entry): versioned, with no child rows.
VOCABULARIES = ("core.author", "interventions.issue", "interventions.tactic")


def versioned_models():
    """[(model, follow)]: every kind of entry with its parts, the parts themselves, and the vocabularies."""
    models = {}
    for kind in registry.kinds():
        owner = kind.model_class
        models[owner] = tuple(kind.parts)
        for relation in kind.parts:
            models.setdefault(owner._meta.get_field(relation).related_model, ())
    for part in registry.parts():
        models.setdefault(apps.get_model(part.model), ())
    for label in VOCABULARIES:
        models.setdefault(apps.get_model(label), ())
    return list(models.items())


def register_archive_models():
    """Register the archive's models with django-reversion (idempotent: the admin and the app both call it).

    The admins are imported before the apps declare their kinds, and reversion's admin registers a model with
    the inlines it has then (a case's stances inline is added later, by the scholarship app): a model registered
    so is registered again here with every part its kind declares.
    """
    for model, follow in versioned_models():
        if reversion.is_registered(model):
            held = _get_options(model).follow
            if set(follow) <= set(held):
                continue
            reversion.unregister(model)
            follow = tuple(dict.fromkeys((*held, *follow)))
        reversion.register(model, follow=follow)


def save_revision(entry, also=(), user=None, comment="", date_created=None, using="default"):
    """Save a revision of `entry`, the rows it follows and the registered rows in `also`, as django-reversion
    saves one when its create_revision block ends, from the objects in hand.

    reversion adds an object as each is saved, then asks the database, a query per model, which of them still
    exist (a row may have been deleted since). The admin's form calls this once everything is saved, with rows
    it read or wrote in this transaction and deleted none of since (admin_save keeps only those in hand; the
    others are read again here): the versions are the same, without those queries.
    """
    objects = {}

    def add(obj):
        key = (type(obj), obj.pk)
        if obj.pk is None or key in objects or not reversion.is_registered(type(obj)):
            return
        objects[key] = obj
        for related in _follow_relations(obj):
            add(related)

    for obj in (entry, *also):
        add(obj)
    versions = [_version(obj, using) for obj in objects.values()]
    revision = Revision(date_created=date_created, user=user, comment=comment)
    pre_revision_commit.send(sender=create_revision, revision=revision, versions=versions)
    revision.save(using=using)
    for version in versions:
        version.revision = revision
    if connections[using].features.can_return_rows_from_bulk_insert:
        Version.objects.using(using).bulk_create(versions)
    else:
        for version in versions:
            version.save(using=using)
    post_revision_commit.send(sender=create_revision, revision=revision, versions=versions)
    return revision


def _version(obj, using):
    # As reversion's _add_to_revision builds it.
    options = _get_options(type(obj))
    return Version(
        content_type=ContentType.objects.db_manager(using).get_for_model(
            type(obj), for_concrete_model=options.for_concrete_model
        ),
        object_id=force_str(getattr(obj, options.object_id_field)),
        db=router.db_for_write(type(obj), instance=obj),
        format=options.format,
        serialized_data=serializers.serialize(
            options.format,
            (obj,),
            fields=options.fields,
            use_natural_foreign_keys=options.use_natural_foreign_keys,
        ),
        object_repr=force_str(obj),
    )


def field_values(version):
    """{field verbose name: text} of a stored version, in the model's field order."""
    model = version._model
    data = version.field_dict
    values = {}
    for field in model._meta.get_fields():
        # Timestamps (not editable) change on every save: they are not what a curator compares.
        if not getattr(field, "concrete", False) or field.auto_created or not field.editable:
            continue
        if field.name not in data:
            continue
        value = data[field.name]
        if field.choices and value is not None and not field.many_to_many:
            value = dict(field.flatchoices).get(value, value)
        elif field.is_relation:
            value = _related_labels(field, value)
        values[str(field.verbose_name)] = "" if value is None else str(value)
    return values


def _related_labels(field, value):
    ids = value if isinstance(value, list | tuple | set) else [value]
    ids = [i for i in ids if i is not None]
    if not ids:
        return ""
    found = {obj.pk: str(obj) for obj in field.related_model._base_manager.filter(pk__in=ids)}
    return "; ".join(found.get(i, f"(deleted #{i})") for i in ids)


def child_rows(version):
    """Labels of the child rows saved in the same revision as `version` (e.g. the case's events)."""
    rows = {}
    for other in version.revision.version_set.all():
        if other.pk == version.pk:
            continue
        try:
            rows.setdefault(other._model._meta.verbose_name_plural.capitalize(), []).append(other.object_repr)
        except LookupError:  # a model removed since
            continue
    return {name: "\n".join(sorted(labels)) for name, labels in rows.items()}


def word_diff(old, new):
    """HTML marking words removed (<del>) and added (<ins>); everything escaped."""
    old_words, new_words = old.split(" "), new.split(" ")
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", " ".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", " ".join(new_words[b1:b2])))
    return mark_safe(" ".join(parts))  # noqa: S308 - every part is escaped above


def compare(old_version, new_version):
    """[(field, old text, new text, diff HTML)] for the fields (and child rows) that differ between two versions."""
    old, new = field_values(old_version), field_values(new_version)
    old.update(child_rows(old_version))
    new.update(child_rows(new_version))
    changes = []
    for name in list(dict.fromkeys([*old, *new])):
        before, after = old.get(name, ""), new.get(name, "")
        if before != after:
            changes.append((name, before, after, _line_diff(before, after)))
    return changes


def _line_diff(before, after):
    """Paragraph by paragraph: unchanged ones as they are, changed ones word by word, new and removed ones whole."""
    lines_a, lines_b = before.splitlines() or [""], after.splitlines() or [""]
    rows = []
    matcher = difflib.SequenceMatcher(a=lines_a, b=lines_b, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows += [escape(line) for line in lines_a[a1:a2]]
        elif op == "replace" and a2 - a1 == b2 - b1:
            rows += [word_diff(old, new) for old, new in zip(lines_a[a1:a2], lines_b[b1:b2], strict=True)]
        else:
            rows += [format_html("<del>{}</del>", line) for line in lines_a[a1:a2]]
            rows += [format_html("<ins>{}</ins>", line) for line in lines_b[b1:b2]]
    return mark_safe("<br>".join(rows))  # noqa: S308 - every row is escaped above
