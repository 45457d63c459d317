"""The case texts that have Chinese versions (django-modeltranslation: columns beside the English)."""

from modeltranslation.translator import TranslationOptions, register

from cases.interventions.models import Event, Intervention


@register(Intervention)
class InterventionTranslation(TranslationOptions):
    fields = Intervention.translated_fields
    empty_values = None  # a box left empty is NULL, as in a row never translated


@register(Event)
class EventTranslation(TranslationOptions):
    fields = Intervention.translated_parts["events"]
    empty_values = None  # a box left empty is NULL, as in a row never translated
