"""What an organisation contributes to the search index (see cases/search/)."""

from cases.core.chinese import chinese_names
from cases.core.gate import is_public
from cases.core.text import clean
from cases.organisations.models import Organisation


def organisation_entry(org):
    if not is_public(org):
        return None
    return {
        "title": clean(org.name),
        "summary": clean(org.short_name, *chinese_names(org), org.summary),
        "body": clean(org.get_kind_display(), org.get_base_display()),
        "url": org.get_absolute_url(),
        "context": clean(org.get_kind_display(), "(pseudonym)" if org.is_pseudonym else ""),
        "names": [org.name_zh_hans, org.name_zh_hant],
    }


def organisations_to_index():
    return Organisation.objects.all()
