"""Chinese translations in the admin: edited beside the English, reviewed by a senior curator.

The translated fields come as django-modeltranslation's columns, each language right after the English (no tabs:
its tabbed widget loads jQuery UI from a CDN, which the CSP and the archive's no-internet rule both refuse).
Marking a translation reviewed puts text before the public under the archive's name, like publishing, so it takes
the publish right (`curation.publish_entry`, senior curators). The review records the curator's name, the day and
a digest of the English and the Chinese: an edit to either afterwards shows the translation as not reviewed again.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationBaseModelAdmin
from reversion import create_revision, set_comment, set_user

from cases.core.chinese import CHINESE
from cases.curation import workflow

LANGUAGE_NAMES = {"zh-hans": _("simplified Chinese"), "zh-hant": _("traditional Chinese")}


def reviewer_name(user):
    return user.get_full_name() or user.get_username()


class TranslationReviewAdminMixin(TranslationAdmin):
    """The change form shows each translation's state; an action marks the selected entries' translations reviewed."""

    translation_fieldset = (_("Chinese translation"), {"fields": ("translation_states",)})
    review_actions = ("mark_zh_hans_reviewed", "mark_zh_hant_reviewed")

    def get_readonly_fields(self, request, obj=None):
        # modeltranslation's own reads `readonly_fields` and stops: the archive's mixins below it add theirs.
        fields = super(TranslationBaseModelAdmin, self).get_readonly_fields(request, obj)
        return (*self.replace_orig_field(fields), "translation_states")

    @admin.display(description=_("state of the translations"))
    def translation_states(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html_join(
            "\n", "<p>{}: {}</p>", ((LANGUAGE_NAMES[lang], obj.translation_state(lang).label) for lang in CHINESE)
        )

    def has_review_translation_permission(self, request):
        return workflow.can_publish(request.user)

    def _mark_reviewed(self, request, queryset, language):
        name = reviewer_name(request.user)
        marked, missing = 0, []
        for obj in queryset:
            if not obj.has_translation(language):
                missing.append(str(obj))
                continue
            obj.record_review(language, name)
            with transaction.atomic(), create_revision():
                set_user(request.user)
                set_comment(f"{LANGUAGE_NAMES[language]} translation marked reviewed by {name}.")
                obj.save(update_fields=["translation_review", "updated_at"])
                self.log_change(request, obj, f"{LANGUAGE_NAMES[language]} translation marked reviewed.")
            marked += 1
        if marked:
            self.message_user(
                request,
                _("%(count)s %(language)s translation(s) marked reviewed by %(name)s.")
                % {"count": marked, "language": LANGUAGE_NAMES[language], "name": name},
                level=messages.SUCCESS,
            )
        for title in missing:
            self.message_user(
                request,
                _("Not marked: %(entry)s has no %(language)s translation.")
                % {"entry": title, "language": LANGUAGE_NAMES[language]},
                level=messages.WARNING,
            )

    @admin.action(
        description=_("Mark the simplified Chinese translation reviewed"), permissions=["review_translation"]
    )
    def mark_zh_hans_reviewed(self, request, queryset):
        self._mark_reviewed(request, queryset, "zh-hans")

    @admin.action(
        description=_("Mark the traditional Chinese translation reviewed"), permissions=["review_translation"]
    )
    def mark_zh_hant_reviewed(self, request, queryset):
        self._mark_reviewed(request, queryset, "zh-hant")
