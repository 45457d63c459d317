from django.apps import AppConfig


class ScholarshipConfig(AppConfig):
    name = "cases.scholarship"
    label = "scholarship"
