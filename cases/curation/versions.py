"""Revision history: every curated entry is versioned together with the rows that belong to it.

django-reversion stores a serialised copy of an entry and of its child rows (events, evidence, roles, stances...)
each time a curator saves it, so any earlier version can be compared and restored, and a deleted entry recovered
with its children.
"""

import difflib

import reversion
from django.apps import apps
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

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
    """Register the archive's models with django-reversion (idempotent: the admin and the app both call it)."""
    for model, follow in versioned_models():
        if not reversion.is_registered(model):
            reversion.register(model, follow=follow)


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
            changes.append((name, before, after, line_diff(before, after)))
    return changes


def line_diff(before, after):
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
