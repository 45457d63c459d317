"""The archive in Chinese: standard names beside the English, the archive's translations and their review.

The Chinese pages are requested under /zh-hans/ when the site's URLs carry a language prefix, and otherwise with
the language activated around the request (the page then renders exactly as it would under the prefix)."""

import csv
import html
import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from cases.core.models import Place
from cases.interventions.models import Event, Intervention, Issue, Tactic
from cases.interventions.search import case_entry
from cases.organisations.models import Organisation
from cases.organisations.search import organisation_entry
from cases.scholarship.models import Concept, Position
from cases.search.index import built_in_english
from tests import factories as f
from tests.accounts_helpers import sign_in_verified
from tests.test_curation_workflow import member_of
from tests.test_find_representation import streamed

MINIMUM_WAGE = "hka-minimum-wage-campaign"
# The note in English, or as the simplified catalogue translates it.
NOT_TRANSLATED = ("Shown in English: no Chinese translation yet.", "以英文显示：尚无中文翻译。")


def says_not_translated(text):
    return any(note in text for note in NOT_TRANSLATED)


def address_in(language, path):
    """The page's address in `language`: under its prefix where the site's URLs carry one."""
    try:
        resolve(f"/{language}{path}")
    except Resolver404:
        return path
    return f"/{language}{path}"


def get_in(client, language, path, **params):
    """The page as a reader of `language` gets it."""
    with translation.override(language):
        return client.get(address_in(language, path), params)


def page_in(client, language, path):
    """The page's text as a reader of `language` gets it, with HTML character references resolved."""
    return html.unescape(get_in(client, language, path).content.decode())


def jsonld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1])


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The canonical archive with its Chinese layer, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", verbosity=0)
        yield
        transaction.set_rollback(True)


# --- Names -----------------------------------------------------------------------------------------------------


def test_pseudonyms_and_unnamed_groups_get_no_chinese_name(archive):
    hidden = Organisation.objects.filter(is_pseudonym=True) | Organisation.objects.filter(is_unnamed=True)
    assert {"hka", "hkb", "hkc", "gma"} <= set(hidden.values_list("slug", flat=True))
    named = [o.slug for o in hidden if o.name_zh_hans or o.name_zh_hant or o.name_pinyin]
    assert named == [], "the archive never invents a name for a pseudonym or an unnamed group"


def test_standard_names_in_both_scripts_and_pinyin(archive):
    guangzhou = Place.objects.get(slug="guangzhou")
    assert (guangzhou.name_zh_hans, guangzhou.name_zh_hant, guangzhou.name_pinyin) == ("广州", "廣州", "Guǎngzhōu")
    assert Organisation.objects.get(slug="acftu").name_zh_hans == "中华全国总工会"
    assert Organisation.objects.get(slug="acftu").name_zh_hant == "中華全國總工會"
    assert Organisation.objects.get(slug="gdftu").name_zh_hans == "广东省总工会"
    assert Issue.objects.get(slug="collective-bargaining").name_zh_hans == "集体谈判"
    assert Issue.objects.get(slug="minimum-wage").name_zh_hans == "最低工资"
    assert Tactic.objects.get(slug="strike-support").name_zh_hans == "罢工支援"
    assert Concept.objects.get(slug="hukou").name_zh_hans == "户口"


def test_every_seeded_text_has_a_simplified_translation_and_a_converted_traditional(archive):
    for model, fields in (
        (Intervention, ("title", "summary")),
        (Event, ("title",)),
        (Position, ("title", "claim")),
        (Concept, ("definition",)),
    ):
        for row in model.objects.all():
            for field in fields:
                assert getattr(row, f"{field}_zh_hans"), f"{model.__name__} {row.pk} has no {field} in Chinese"
                assert getattr(row, f"{field}_zh_hant"), f"{model.__name__} {row.pk} has no traditional {field}"
    assert Intervention.objects.count() == 14 and Event.objects.count() == 28
    case = Intervention.objects.get(slug=MINIMUM_WAGE)
    assert case.title_zh_hant == "HKA 推動廣州統一最低工資標準的運動"
    assert case.translation_state("zh-hans").state == "unreviewed"
    assert case.translation_state("zh-hant").state == "converted"


def test_names_show_beside_the_english(client, archive):
    case_page = client.get(reverse("intervention_detail", args=[MINIMUM_WAGE])).content.decode()
    assert "Guangzhou</a>" in case_page and '<span lang="zh-Hans">广州</span>' in case_page
    assert '<span lang="zh-Hant">廣州</span>' in case_page and 'lang="zh-Latn-pinyin">Guǎngzhōu<' in case_page
    assert '<span lang="zh-Hans">最低工资</span>' in case_page  # the issue, at a glance

    acftu = client.get(reverse("organisation_detail", args=["acftu"])).content.decode()
    assert "All-China Federation of Trade Unions" in acftu and '<span lang="zh-Hans">中华全国总工会</span>' in acftu
    hka = client.get(reverse("organisation_detail", args=["hka"])).content.decode()
    assert "the archive does not invent names" in hka and '<span lang="zh-Hans">' not in hka

    place = client.get(reverse("place_detail", args=["guangzhou"])).content.decode()
    assert '<span lang="zh-Hans">广州</span>' in place


def test_the_map_labels_places_in_the_pages_script(client, archive):
    """A marker has room for one name: the Chinese one on a Chinese page, in that page's script."""
    english = client.get("/map/").content.decode()
    simplified = client.get("/zh-hans/map/").content.decode()
    traditional = client.get("/zh-hant/map/").content.decode()
    assert ">Guangzhou (" in english and ">广州 (" not in english
    assert ">广州 (" in simplified and ">Guangzhou (" not in simplified
    assert ">廣州 (" in traditional


def test_a_chinese_list_names_its_filters_options_and_chips_in_the_pages_script(client, archive):
    """A facet's option and the chip of a chosen filter have room for one name, like a marker; a name the archive
    has no Chinese for stays English."""
    query = "?organisation=acftu&issue=minimum-wage&place=guangzhou"
    chips = re.compile(r'<span class="chip__facet">[^<]*</span> ([^<]*?) <')
    assert chips.findall(client.get(f"/cases/{query}").content.decode()) == [
        "All-China Federation of Trade Unions",
        "Guangzhou",
        "Minimum wage",
    ]
    assert chips.findall(client.get(f"/zh-hans/cases/{query}").content.decode()) == [
        "中华全国总工会",
        "广州",
        "最低工资",
    ]
    assert chips.findall(client.get(f"/zh-hant/cases/{query}").content.decode()) == [
        "中華全國總工會",
        "廣州",
        "最低工資",
    ]
    options = client.get("/zh-hans/cases/").content.decode()
    assert re.search(r'name="issue" value="collective-bargaining"[^>]*>\s*<span[^>]*>集体谈判<', options)
    unnamed = Issue.objects.filter(name_zh_hans="", interventions__status="published").first()
    # Kept in English, and marked so for a screen reader reading the page as Chinese.
    assert unnamed and f'<span class="facet__label" lang="en-GB">{html.escape(unnamed.name)}<' in options
    assert 'class="facet__label" lang=' not in client.get("/cases/").content.decode()
    # The cards below name their places, issues and leading organisations the same way, in the page's list style.
    card = client.get("/zh-hans/cases/?issue=minimum-wage").content.decode().split('class="case-card', 1)[1]
    assert re.search(r">广东</a>、<a [^>]*>广州</a>", card) and "最低工资" in card and ">Guangzhou<" not in card
    english = client.get("/cases/?issue=minimum-wage").content.decode().split('class="case-card', 1)[1]
    assert re.search(r">Guangdong</a>, <a [^>]*>Guangzhou</a>", english) and "Minimum wage" in english


def test_names_and_translations_in_the_api_and_the_downloads(client, archive):
    org = client.get("/api/organisations/acftu/").json()
    assert (org["name_zh_hans"], org["name_zh_hant"], org["name_pinyin"]) == (
        "中华全国总工会",
        "中華全國總工會",
        "Zhōnghuá Quánguó Zǒnggōnghuì",
    )
    assert client.get("/api/organisations/hka/").json()["name_zh_hans"] is None

    rows = csv.DictReader(io.StringIO(streamed(client.get("/organisations/export.csv")).removeprefix("\ufeff")))
    by_slug = {row["slug"]: row for row in rows}
    assert by_slug["gdftu"]["name_zh_hans"] == "广东省总工会" and by_slug["hkb"]["name_zh_hans"] == ""

    exported = json.loads(streamed(client.get("/cases/export.json")))["results"]
    case = next(row for row in exported if row["slug"] == MINIMUM_WAGE)
    assert case["title"].startswith("HKA's campaign") and case["title_zh_hans"].startswith("HKA 推动广州")
    assert case["summary_zh_hant"] and case["summary_zh_hans"] != case["summary_zh_hant"]

    detail = client.get(f"/api/cases/{MINIMUM_WAGE}/").json()
    assert detail["translation"]["zh_hans"] == {"state": "unreviewed", "reviewed_by": None, "reviewed_on": None}
    assert detail["translation"]["zh_hant"]["state"] == "converted"
    assert detail["events"][0]["title_zh_hans"] == "运动启动"


def test_a_download_is_the_same_from_a_chinese_page(client, archive):
    english = json.loads(streamed(client.get("/cases/export.json")))["results"]
    chinese = json.loads(streamed(get_in(client, "zh-hans", "/cases/export.json")))["results"]
    assert chinese == english  # `title` stays English; the Chinese have their own fields


def test_json_ld_names_in_chinese_with_their_language(client, archive):
    data = jsonld(client.get(reverse("place_detail", args=["guangzhou"])).content.decode())
    assert {"@value": "广州", "@language": "zh-Hans"} in data["alternateName"]
    assert {"@value": "Guǎngzhōu", "@language": "zh-Latn-pinyin"} in data["alternateName"]
    case = jsonld(client.get(reverse("intervention_detail", args=[MINIMUM_WAGE])).content.decode())
    assert case["name"].startswith("HKA's campaign")
    assert {"@value": "HKA 推动广州统一最低工资标准的运动", "@language": "zh-Hans"} in case["alternateName"]


def test_search_documents_carry_the_chinese(archive):
    case = Intervention.objects.prefetch_related("roles__organisation", "places", "issues", "tactics").get(
        slug=MINIMUM_WAGE
    )
    document = case_entry(case)
    assert document["title"].startswith("HKA's campaign")
    assert "推动广州统一最低工资" in document["body"] and "廣州" in document["body"]
    assert "最低工资" in document["body"]
    # The index does not depend on who saved the entry: a curator's admin may be in Chinese.
    with translation.override("zh-hans"):
        in_chinese_admin = built_in_english(case_entry, case)
    assert in_chinese_admin == built_in_english(case_entry, case)
    assert in_chinese_admin["url"] == f"/cases/{MINIMUM_WAGE}/"
    assert "中华全国总工会" in organisation_entry(Organisation.objects.get(slug="acftu"))["summary"]


# --- Chinese pages ---------------------------------------------------------------------------------------------


def test_a_chinese_case_page_shows_the_translation_and_its_state(client, archive):
    page = page_in(client, "zh-hans", reverse("intervention_detail", args=[MINIMUM_WAGE]))
    assert "<h1>HKA 推动广州统一最低工资标准的运动</h1>" in page
    assert "The archive's translation, not yet reviewed." in page or "本档案" in page
    assert "运动启动" in page  # the timeline
    traditional = page_in(client, "zh-hant", reverse("intervention_detail", args=[MINIMUM_WAGE]))
    assert "<h1>HKA 推動廣州統一最低工資標準的運動</h1>" in traditional
    assert "converted from the simplified Chinese by computer" in traditional or "轉換" in traditional
    english = html.unescape(client.get(reverse("intervention_detail", args=[MINIMUM_WAGE])).content.decode())
    assert "<h1>HKA's campaign to standardise the minimum wage across Guangzhou</h1>" in english
    assert "not yet reviewed" not in english


def test_a_missing_translation_shows_the_english_and_says_so(client, archive):
    Intervention.objects.filter(slug=MINIMUM_WAGE).update(summary_zh_hans="")
    case = Intervention.objects.get(slug=MINIMUM_WAGE)
    page = page_in(client, "zh-hans", reverse("intervention_detail", args=[MINIMUM_WAGE]))
    assert "<h1>HKA 推动广州统一最低工资标准的运动</h1>" in page
    lede = re.search(r'<p class="lede" lang="en-GB">(.*?)</p>', page, re.S)[1]
    assert case.summary_en_gb in lede and says_not_translated(lede)

    Concept.objects.filter(slug="hukou").update(definition_zh_hans="")
    concept = page_in(client, "zh-hans", reverse("concept_detail", args=["hukou"]))
    assert "residential registration system" in concept and says_not_translated(concept)


# --- Review ----------------------------------------------------------------------------------------------------


@pytest.fixture
def translated_case():
    case = f.InterventionFactory(status="published", title="A wage campaign", summary="Workers won a raise.")
    Intervention.objects.filter(pk=case.pk).update(
        title_zh_hans="工资运动", title_zh_hant="工資運動", summary_zh_hans="工人争取到加薪。"
    )
    return Intervention.objects.get(pk=case.pk)


def _mark(client, action, case):
    return client.post(
        reverse("admin:interventions_intervention_changelist"),
        {"action": action, "_selected_action": [case.pk]},
        follow=True,
    )


def test_a_senior_curator_marks_a_translation_reviewed_and_the_page_names_them(client, translated_case):
    senior = member_of("Curators", "Senior curators", username="senior")
    senior.first_name, senior.last_name = "Mei", "Chan"
    senior.save()
    sign_in_verified(client, senior)
    _mark(client, "mark_zh_hans_reviewed", translated_case)

    case = Intervention.objects.get(pk=translated_case.pk)
    state = case.translation_state("zh-hans")
    assert (state.state, state.reviewer) == ("reviewed", "Mei Chan")
    assert case.translation_state("zh-hant").state == "unreviewed"  # each language is reviewed on its own

    client.logout()
    page = page_in(client, "zh-hans", case.get_absolute_url())
    assert f"reviewed by Mei Chan on {state.reviewed_on}" in page or "Mei Chan" in page


def test_changing_the_english_after_review_asks_for_review_again(client, translated_case):
    translated_case.record_review("zh-hans", "Mei Chan")
    translated_case.save()
    assert translated_case.translation_state("zh-hans").state == "reviewed"

    translated_case.title_en_gb = "A wage campaign in Guangzhou"
    translated_case.save()
    case = Intervention.objects.get(pk=translated_case.pk)
    assert case.translation_state("zh-hans").state == "stale"
    page = page_in(client, "zh-hans", case.get_absolute_url())
    assert "reviewed by Mei Chan" not in page

    # An event's title belongs to the case's translation too.
    case.record_review("zh-hans", "Mei Chan")
    case.save()
    event = f.EventFactory(intervention=case)
    assert Intervention.objects.get(pk=case.pk).translation_state("zh-hans").state == "stale"
    event.delete()
    assert Intervention.objects.get(pk=case.pk).translation_state("zh-hans").state == "reviewed"


def test_a_curator_cannot_mark_a_translation_reviewed(client, translated_case):
    curator = member_of("Curators", username="curator")
    sign_in_verified(client, curator)
    changelist = client.get(reverse("admin:interventions_intervention_changelist")).content.decode()
    assert "mark_zh_hans_reviewed" not in changelist
    _mark(client, "mark_zh_hans_reviewed", translated_case)
    assert Intervention.objects.get(pk=translated_case.pk).translation_state("zh-hans").state == "unreviewed"


def test_curators_edit_the_translation_beside_the_english(admin_client, translated_case):
    page = admin_client.get(reverse("admin:interventions_intervention_change", args=[translated_case.pk]))
    text = html.unescape(page.content.decode())
    for name in ("title_en_gb", "title_zh_hans", "title_zh_hant", "summary_zh_hans"):
        assert f'name="{name}"' in text
    assert 'name="title"' not in text  # no field whose language depends on the curator's browser
    assert text.index('name="title_en_gb"') < text.index('name="title_zh_hans"') < text.index('name="slug"')
    assert "The archive's translation, not yet reviewed." in text
    assert "jquery-ui" not in text.lower() and "googleapis" not in text


@pytest.mark.parametrize(
    "path",
    [
        f"/cases/{MINIMUM_WAGE}/",
        "/cases/",
        "/organisations/acftu/",
        "/places/guangzhou/",
        "/concepts/hukou/",
        "/concepts/",
        "/positions/lee-shen-anti-solidarity-machine/",
        "/debate/",
        "/timeline/",
    ],
)
def test_a_chinese_page_runs_the_queries_of_the_english_one(client, archive, path):
    counts = {}
    for language in ("en-gb", "zh-hans", "zh-hant"):
        address = address_in(language, path)
        with translation.override(language), CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        counts[language] = len(queries)
    assert counts["zh-hans"] == counts["en-gb"] == counts["zh-hant"], counts
