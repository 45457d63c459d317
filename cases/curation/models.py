"""The log of the publication workflow: every change of an entry's status, who made it and when."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.core.models import Status


class StatusChangeQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class StatusChange(models.Model):
    """One move of a curated entry through the workflow (draft → in review → published → withdrawn).

    Written by a signal on every save that changes `status` (admin actions, the change form, the shell), so
    nothing slips past it; the admin passes the user and a note along with the save. `from_status` is empty
    when the entry was created. Fixture loads (raw saves) are not logged: they restore a state, not a decision.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.CharField(max_length=40, db_index=True, verbose_name=_("object id"))
    entry = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(
        max_length=200, help_text=_("What the entry was called at the time."), verbose_name=_("object repr")
    )
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=12, choices=Status.choices, verbose_name=_("to status"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("at"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))
    # Set on a move out of Published (a withdrawal): what the public last saw, so its old address can say what
    # was there (cases/curation/withdrawn.py). Read from the row as published, never from the edit that withdrew it.
    public_title = models.CharField(
        max_length=500, blank=True, help_text=_("What the public saw it called."), verbose_name=_("public title")
    )
    public_slug = models.SlugField(
        max_length=120, blank=True, help_text=_("The address it was published at."), verbose_name=_("public slug")
    )

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="statuschange_entry"),
            models.Index(fields=["content_type", "public_slug"], name="statuschange_public_slug"),
        ]
        permissions = [("publish_entry", "Can publish and withdraw entries")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(from_status=models.F("to_status")), name="statuschange_moves")
        ]

    def __str__(self):
        start = self.get_from_status_display() or "created"
        return f"{self.object_repr}: {start} → {self.get_to_status_display()}"


class PendingRevisionState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUPERSEDED = "superseded", _("Superseded")


class PendingRevisionQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))

    def pending(self):
        return self.filter(state=PendingRevisionState.PENDING)


class PendingRevision(models.Model):
    """A change to something the public sees, made by a curator without the publish right: it waits here,
    as the change form's POST data, until a senior curator approves it (see cases/curation/review.py).

    `via` says which admin view the data is replayed through: the change form, or reverting / recovering
    django-reversion's version `version_id`. `base_token` is the lock token of the entry as it stood when the
    change was proposed (cases/curation/locking.py): approving it after someone else changed the entry is refused.
    """

    VIA_CHOICES = [("change", "Change form"), ("revert", "Revert to a version"), ("recover", "Recover")]

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.CharField(max_length=40, db_index=True, verbose_name=_("object id"))
    entry = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(
        max_length=200,
        help_text=_("What the entry was called when the change was made."),
        verbose_name=_("object repr"),
    )
    via = models.CharField(max_length=8, choices=VIA_CHOICES, default="change", verbose_name=_("via"))
    version_id = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("version id"))
    data = models.JSONField(
        help_text=_("The change form's POST data, without the CSRF token."), verbose_name=_("data")
    )
    base_token = models.TextField(blank=True, verbose_name=_("base token"))
    summary = models.TextField(
        blank=True, help_text=_("The fields the change touches, when it was proposed."), verbose_name=_("summary")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("proposed at"))
    state = models.CharField(
        max_length=12,
        choices=PendingRevisionState.choices,
        default=PendingRevisionState.PENDING,
        db_index=True,
        verbose_name=_("state"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    note = models.CharField(max_length=300, blank=True, verbose_name=_("note"))

    objects = PendingRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("change waiting for approval")
        verbose_name_plural = _("changes waiting for approval")
        indexes = [models.Index(fields=["content_type", "object_id", "state"], name="pendingrevision_entry")]

    def __str__(self):
        who = self.proposed_by.get_username() if self.proposed_by_id else "someone"
        return f"{self.object_repr}: change by {who}"

    @property
    def is_pending(self):
        return self.state == PendingRevisionState.PENDING
