from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "cases.teaching"
    label = "teaching"
    verbose_name = "Teaching: reading lists and discussion questions"

    def ready(self):
        from cases.core.registry import PartKind, register
        from cases.teaching import checks  # noqa: F401  (registers the check that each listable kind has a column)

        # A discussion question is published on its own and shown only with its published case.
        register(PartKind(model="teaching.DiscussionQuestion", through=("intervention",)))
