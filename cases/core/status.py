"""The publication states of a curated entry (the workflow that moves between them is cases/curation/workflow.py)."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"
