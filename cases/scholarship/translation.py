"""The texts of the debate and the glossary that have Chinese versions (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from cases.scholarship.models import Concept, Position


@register(Position)
class PositionTranslation(TranslationOptions):
    fields = Position.translated_fields
    empty_values = None  # a box left empty is NULL, as in a row never translated


@register(Concept)
class ConceptTranslation(TranslationOptions):
    fields = Concept.translated_fields
    empty_values = None  # a box left empty is NULL, as in a row never translated
