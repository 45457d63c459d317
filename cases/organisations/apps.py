from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "cases.organisations"
    label = "organisations"
