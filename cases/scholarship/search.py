"""What a scholarly position and a concept contribute to the search index (see cases/search/)."""

from cases.core.chinese import chinese_names, english, translations
from cases.core.gate import is_public
from cases.core.text import clean
from cases.scholarship.models import Concept, Position


def position_entry(position):
    if not is_public(position):
        return None
    return {
        "title": clean(english(position, "title")),
        "summary": clean(position.scholar, english(position, "claim")),
        "body": clean(*translations(position, "title", "claim"), position.key_quotation, position.outlook_note),
        "url": position.get_absolute_url(),
        "context": clean(position.scholar, "·", position.get_outlook_display()),
    }


def positions_to_index():
    return Position.objects.all()


def concept_entry(concept):
    if not is_public(concept):
        return None
    return {
        "title": clean(concept.term),
        "summary": clean(
            concept.aliases.replace(";", " "),
            *chinese_names(concept),
            english(concept, "definition"),
        ),
        "body": clean(*translations(concept, "definition")),
        "url": concept.get_absolute_url(),
        "context": "Concept",
        "names": [concept.name_zh_hans, concept.name_zh_hant],
    }


def concepts_to_index():
    return Concept.objects.all()
