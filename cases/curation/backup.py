"""What a backup holds, how it is written, and how it is restored.

A backup is a `dumpdata` file of the archive's content and its history: content types, permissions and groups
(whatever their names, custom ones and renamed roles too), the accounts, sources, places, organisations, cases,
positions, concepts, discussion questions, reading lists, the workflow log, the revision history and the admin's
log. Foreign keys to rows that have a natural key (slugs, usernames, group names, permission codenames) are
written as natural keys; ids are kept too, so the history still points at the right entries. The file holds
password hashes, e-mail addresses and live share links: it is created readable by its owner only (0600).

Not in it: sessions (sign-ins expire anyway) and the search index (rebuilt on restore).

`restore()` loads a backup row by row, matching each one to what the database already holds:
- A row with a natural key that is already there is that row (its id in this database is used for every
  reference to it). Content is updated from the backup; accounts, groups, permissions and content types already
  there are kept as they are, so a restore never changes who may do what, nor anyone's password.
- A row without a natural key (a reading list, a version, a log entry) is the same row as one here that shares
  one of its unique values with the same owner, or that holds the very same values (owner and references
  included: a restore run twice adds nothing); otherwise it is added, with its own id if that is free and a new
  one if not. A unique value held by another owner's row (a share token) is not taken.
- Every reference follows: foreign keys, many-to-many links, generic references (content type and object id)
  and the ids inside stored versions. So nothing changes hands: a reading list belongs to the account of the
  same username, and a case's history to the case of the same slug.
- In a database that already holds content, a row referring to an entry the backup no longer has (a deleted
  one: its history, a reading list item kept for it) whose id now belongs to another row is left out, and counted.
"""

import json
import os
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connections, models

# What comes before and after the content apps (those of the registered kinds), in loading order.
BEFORE_CONTENT = ("contenttypes", "auth.permission", "auth.group", "auth.user")
AFTER_CONTENT = ("teaching", "curation", "reversion", "admin.logentry")


def backup_labels():
    """App labels and models in loading order; those of apps not installed are skipped."""
    from cases.curation.roles import content_apps

    content = content_apps()
    ordered = [config.label for config in apps.get_app_configs() if config.label in content]
    labels = []
    for label in (*BEFORE_CONTENT, *ordered, *AFTER_CONTENT):
        app_label = label.split(".")[0]
        if apps.is_installed(f"cases.{app_label}") or any(c.label == app_label for c in apps.get_app_configs()):
            labels.append(label)
    return labels


def existing_content():
    """{model label: count} of what the database already holds (accounts and content)."""
    from cases.core.models import Curated

    counts = {}
    for model in [get_user_model(), *[m for m in apps.get_models() if issubclass(m, Curated)]]:
        count = model._default_manager.count()
        if count:
            counts[model._meta.label] = count
    return counts


def create_private(path):
    """Create (or empty) the file at `path` readable and writable by its owner only, whatever the umask."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
    finally:
        os.close(descriptor)
    return path


def _open_backup(path):
    """(stream, serialisation format) of a backup file, compressed or not, as loaddata reads fixtures."""
    from django.core.management.commands.loaddata import Command as LoadData

    reader = LoadData()
    reader.serialization_formats = serializers.get_public_serializer_formats()
    _name, fmt, compression = reader.parse_name(os.path.basename(path))
    opener, mode = reader.compression_formats[compression]
    return opener(path, mode), fmt or "json"


def restore(path, using="default"):
    """Load the backup at `path` (see the module's docstring). Returns {"left out": Counter of model labels}."""
    stream, fmt = _open_backup(path)
    loader = _Restore(using, fresh=not existing_content())
    connection = connections[using]
    with stream, connection.constraint_checks_disabled():
        objects = serializers.deserialize(fmt, stream, using=using, handle_forward_references=True)
        for deserialized in objects:
            loader.place(deserialized)
        for deserialized in loader.deferred:
            deserialized.save_deferred_fields(using=using)
    connection.check_constraints(table_names=[model._meta.db_table for model in loader.touched])
    statements = connection.ops.sequence_reset_sql(no_style(), list(loader.touched))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    return {"left out": loader.left_out}


class _Restore:
    def __init__(self, using, fresh):
        self.using, self.fresh = using, fresh
        self.ids = {}  # (model label, id in the backup) -> id in this database
        self.left_out = Counter()
        self.touched = set()
        self.deferred = []
        # Rows of these that the database already holds are never changed by a restore.
        self.kept_as_they_are = {get_user_model(), apps.get_model("auth.Group"), apps.get_model("auth.Permission")}
        self.kept_as_they_are.add(ContentType)

    def place(self, deserialized):
        obj = deserialized.object
        model = type(obj)
        backup_id = obj.pk
        self._follow_foreign_keys(obj, deserialized)
        if not self._follow_generic_references(obj):
            self.left_out[model._meta.label] += 1
            return
        self._follow_stored_versions(obj)
        existing = self._match(obj)
        if existing is not None:
            self.ids[self._key(model, backup_id)] = existing.pk
            if model in self.kept_as_they_are:
                return
            obj.pk = existing.pk
        elif self._taken(model, obj.pk):
            obj.pk = None  # added with a new id: another row holds this one
        deserialized.save(using=self.using)
        self.ids[self._key(model, backup_id)] = obj.pk
        self.touched.add(model)
        if deserialized.deferred_fields:
            self.deferred.append(deserialized)

    @staticmethod
    def _key(model, pk):
        return (model._meta.concrete_model._meta.label_lower, str(pk))

    def _new_id(self, model, pk):
        return self.ids.get(self._key(model, pk), pk)

    def _taken(self, model, pk):
        return pk is not None and model._base_manager.using(self.using).filter(pk=pk).exists()

    def _follow_foreign_keys(self, obj, deserialized):
        """Ids of rows without a natural key are the backup's: give them this database's. (A natural key was
        already looked up in this database by the deserializer.)"""
        for field in obj._meta.concrete_fields:
            if field.is_relation and not hasattr(field.related_model, "natural_key"):
                value = getattr(obj, field.attname)
                if value is not None:
                    setattr(obj, field.attname, self._new_id(field.related_model, value))
        for name, values in (deserialized.m2m_data or {}).items():
            related = obj._meta.get_field(name).related_model
            if not hasattr(related, "natural_key"):
                deserialized.m2m_data[name] = [self._new_id(related, value) for value in values]

    @staticmethod
    def _generic_references(model):
        """(content type field, object id field) pairs: generic foreign keys, and the admin log's same pair."""
        pairs = [(f.ct_field, f.fk_field) for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]
        names = {f.name for f in model._meta.concrete_fields}
        admin_style = {"content_type", "object_id"} <= names
        if not pairs and admin_style and model._meta.get_field("content_type").related_model is ContentType:
            pairs.append(("content_type", "object_id"))
        return [(model._meta.get_field(ct).attname, model._meta.get_field(fk).attname) for ct, fk in pairs]

    def _follow_generic_references(self, obj):
        """Point generic references at this database's rows. False when one names a row the backup does not hold
        (a deleted entry) whose id another row has here: the reference would name the wrong row."""
        for ct_attname, id_attname in self._generic_references(type(obj)):
            content_type_id, object_id = getattr(obj, ct_attname), getattr(obj, id_attname)
            if content_type_id is None or object_id in (None, ""):
                continue
            target = ContentType.objects.db_manager(self.using).get_for_id(content_type_id).model_class()
            if target is None:
                continue
            key = self._key(target, object_id)
            if key in self.ids:
                new = self.ids[key]
                setattr(obj, id_attname, type(object_id)(new) if isinstance(object_id, str) else new)
            elif not self.fresh and self._taken(target, object_id):
                return False
        return True

    def _follow_stored_versions(self, obj):
        """A stored version (django-reversion) holds the ids of its row and of the rows it refers to."""
        if not {"serialized_data", "format"} <= {f.name for f in obj._meta.concrete_fields} or obj.format != "json":
            return
        data = json.loads(obj.serialized_data)
        changed = False
        for item in data:
            try:
                model = apps.get_model(item["model"])
            except LookupError:
                continue
            new_pk = self._new_id(model, item.get("pk"))
            changed |= str(new_pk) != str(item.get("pk"))
            item["pk"] = new_pk
            for name, value in item.get("fields", {}).items():
                try:
                    field = model._meta.get_field(name)
                except ObjectDoesNotExist:
                    continue
                if not field.is_relation or value is None:
                    continue
                if field.many_to_many:
                    new = [self._new_id(field.related_model, v) if not isinstance(v, list) else v for v in value]
                elif not isinstance(value, list):
                    new = self._new_id(field.related_model, value)
                else:
                    continue
                changed |= new != value
                item["fields"][name] = new
        if changed:
            obj.serialized_data = json.dumps(data)

    def _match(self, obj):
        """The row of this database that `obj` is, or None."""
        model = type(obj)
        manager = model._default_manager.db_manager(self.using)
        if hasattr(obj, "natural_key") and hasattr(manager, "get_by_natural_key"):
            try:
                return manager.get_by_natural_key(*obj.natural_key())
            except (ObjectDoesNotExist, AttributeError):  # not here, or a part whose entry is not placed yet
                return None
        if self.fresh:
            return None  # nothing here but what migrations make, and all of that has natural keys
        rows = model._base_manager.using(self.using)
        for fields in _unique_sets(model):
            values = {field.attname: getattr(obj, field.attname) for field in fields}
            if any(value is None for value in values.values()):
                continue
            holder = rows.filter(**values).first()
            if holder is None:
                continue
            if _owners(holder) == _owners(obj):
                return holder
            if len(fields) == 1 and fields[0].null:
                setattr(obj, fields[0].attname, None)  # another owner's unique value (a share token): not taken
                continue
            raise CommandError(
                f"{model._meta.verbose_name} #{obj.pk} of the backup has the same "
                f"{', '.join(f.name for f in fields)} as a row of another owner here: not restored over it."
            )
        # A row holding the very same values (owner and references included) is this one, restored before.
        return rows.filter(**_values(obj)).order_by("pk").first()


def _values(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key}


def _unique_sets(model):
    """Each set of fields whose values are unique together (single unique fields too), the primary key aside."""
    sets = [[field] for field in model._meta.concrete_fields if field.unique and not field.primary_key]
    for together in model._meta.unique_together:
        sets.append([model._meta.get_field(name) for name in together])
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            sets.append([model._meta.get_field(name) for name in constraint.fields])
    return sets


def _owners(obj):
    """The accounts a row belongs to: its foreign keys to the user model."""
    user_model = get_user_model()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.is_relation and f.related_model is user_model
    }
