"""Log every change of a curated entry's status, whoever makes it and however it is made."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save, pre_save

from cases.core.gate import is_published_state
from cases.core.models import Curated


def curated_models():
    return [m for m in apps.get_models() if issubclass(m, Curated)]


_UNKNOWN = object()


def remember_status(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if hasattr(instance, "_workflow_from"):  # the admin knows the status before a revert
        previous = instance.__dict__.pop("_workflow_from")
    else:
        previous = None
        if instance.pk is not None:
            # The status read with the row (Curated.from_db); the row is read again only when it is unknown.
            previous = instance.__dict__.get("_loaded_status", _UNKNOWN)
            if previous is _UNKNOWN or instance._state.adding:
                previous = sender._base_manager.filter(pk=instance.pk).values_list("status", flat=True).first()
    instance._status_before_save = previous
    instance._public_name = None
    if is_published_state(previous) and not is_published_state(instance.status):
        # Leaving the public site: the name and address the public knew are those of the row as it stands, not
        # of this save, which may change the title as it withdraws the entry.
        stored = sender._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            instance._public_name = (str(stored)[:500], stored.slug)


def log_status(sender, instance, created, raw=False, **kwargs):
    from cases.curation.models import StatusChange

    if raw:
        return
    # The row now holds this status: a later save of the same instance starts from it.
    instance._loaded_status = instance.status
    before = getattr(instance, "_status_before_save", None) or ""
    if before == instance.status:
        return
    user, note = getattr(instance, "workflow_actor", (None, ""))
    if user is not None and not user.is_authenticated:
        user = None
    public_title, public_slug = getattr(instance, "_public_name", None) or ("", "")
    StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        from_status=before,
        to_status=instance.status,
        user=user,
        note=note[:300],
        public_title=public_title,
        public_slug=public_slug,
    )
    instance._status_before_save = instance.status
    instance.workflow_actor = (None, "")


def connect():
    for model in curated_models():
        pre_save.connect(remember_status, sender=model, dispatch_uid=f"curation-remember-{model._meta.label}")
        post_save.connect(log_status, sender=model, dispatch_uid=f"curation-log-{model._meta.label}")
