"""The texts of the debate and the glossary that have Chinese versions (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from cases.scholarship.models import Concept, Position


@register(Position)
class PositionTranslation(TranslationOptions):
    fields = Position.translated_fields


@register(Concept)
class ConceptTranslation(TranslationOptions):
    fields = Concept.translated_fields
