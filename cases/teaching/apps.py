from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachingConfig(AppConfig):
    name = "cases.teaching"
    label = "teaching"
    verbose_name = _("Teaching: reading lists and discussion questions")

    def ready(self):
        from cases.core.registry import PartKind, provide, register
        from cases.teaching import (
            checks,  # noqa: F401  (registers the check that listable kinds have integer keys)
            sessions,  # noqa: F401  (starts a session's clocks on every sign-in)
        )

        # A discussion question is published on its own and shown only with its published case.
        register(PartKind(model="teaching.DiscussionQuestion", through=("intervention",)))
        # For the pages of the apps below: a case's questions, and an instructor's lists to add an entry to.
        provide("discussion_questions", "cases.teaching.selectors.questions_for_case")
        provide("reading_lists_to_add_to", "cases.teaching.selectors.lists_to_add_to")
