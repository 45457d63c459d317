from django.apps import AppConfig


class TeachingConfig(AppConfig):
    name = "cases.teaching"
    label = "teaching"
    verbose_name = "Teaching: reading lists and discussion questions"
