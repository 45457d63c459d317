"""Search that reads Chinese: words inside a run of characters, either script, pinyin, and places among the results.

Runs on SQLite (FTS5) and PostgreSQL (tsvector) alike: the same index copies serve both.
"""

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from cases.core.models import Place
from cases.interventions.models import Intervention
from cases.organisations.models import Organisation
from cases.scholarship.models import Concept
from cases.search import chinese, index
from cases.search.documents import MARK_END, MARK_START
from cases.search.engine import search
from cases.search.models import SearchEntry
from cases.search.query import parse
from tests.factories import InterventionFactory, OrganisationFactory, PlaceFactory, RoleFactory

URL = reverse("search")


def found(response):
    """{kind: [url]} of what a search page shows."""
    return {group.kind: [hit.url for hit in group.hits] for group in response.context["results"].groups}


def ask(client, q, **params):
    cache.clear()
    return client.get(URL, {"q": q, **params})


# The parts of the index that need no database.


def test_a_run_of_characters_is_indexed_as_its_words_in_simplified_characters():
    copy = chinese.indexed_text("ACFTU 中華全國總工會")
    assert copy.startswith("ACFTU ")
    assert copy.split(chinese.SEPARATOR)[1:4] == ["中华", "全国", "总工会"]
    assert chinese.indexed_text("Minimum wage in Guangzhou") is None  # English is indexed as it is


def test_a_query_word_is_cut_and_folded_as_the_index_is():
    assert chinese.query_words("集体谈判") == ["集体", "谈判"]
    assert chinese.query_words("廣州") == ["广州"]
    assert chinese.query_words("hka在广州") == ["hka", "在", "广州"]
    assert chinese.query_words("wage") == ["wage"]


def test_hidden_words_hold_pinyin_of_names_and_the_words_inside_long_ones():
    hidden = chinese.hidden_words(["Guangzhou", "广州"], ["最低工资"]).split()
    assert {"guangzhou", "guang", "zhou", "工资", "最低"} <= set(hidden)
    assert chinese.hidden_words(["Guangzhou"], ["Minimum wage"]) == ""


def test_a_highlight_is_shown_as_the_text_was_written():
    original = "廣東省總工會 in Guangzhou"
    copy = chinese.indexed_text(original)
    marked = copy.replace("总工会", f"{MARK_START}总工会{MARK_END}")
    assert chinese.shown(marked, original) == f"廣東省{MARK_START}總工會{MARK_END} in Guangzhou"
    # A snippet: stretches of the copy joined by an ellipsis.
    original = "要求最低工資標準化。" * 3 + "香港勞工組織"
    copy = chinese.indexed_text(original)
    snippet = "…" + copy[copy.rindex("。") + 1 :].replace("劳工", f"{MARK_START}劳工{MARK_END}")
    assert chinese.shown(snippet, original).endswith(f"香港{MARK_START}勞工{MARK_END}組織")
    assert chinese.SEPARATOR not in chinese.shown(snippet, original)


def test_the_archive_word_list_cuts_the_union_names_into_their_parts():
    words = dict(chinese.read_dictionary())
    assert words["中华全国总工会"] == 0 and words["广东省总工会"] == 0
    assert chinese.query_words("中华全国总工会") == ["中华", "全国", "总工会"]


# The seeded archive, loaded once for the class.


def _with_chinese(obj, text, *fields):
    """Give an entry Chinese where the archive has none yet (the first of `fields` it has), and save it."""
    for name in fields:
        if hasattr(obj, name):
            if not getattr(obj, name):
                setattr(obj, name, text)
                obj.save()
            return


@pytest.fixture(scope="class")
def chinese_archive(canonical_archive, django_db_blocker):
    """The seeded archive with Chinese for the entries these tests search for, where its fixtures have none.

    The GDFTU's name is given in traditional characters on purpose: simplified queries must find it.
    The index is rebuilt once, as `load_archive` does after loading.
    """
    with django_db_blocker.unblock():
        gdftu = Organisation.objects.get(slug="gdftu")
        _with_chinese(gdftu, "廣東省總工會", "name_zh_hant", "chinese_name")
        concept = Concept.objects.get(slug="collective-bargaining")
        _with_chinese(concept, "集体谈判", "term_zh_hans", "chinese_term")
        case = Intervention.objects.get(slug="hkb-collective-bargaining-project")
        if not any(chinese.has_chinese(str(value)) for value in vars(case).values()):
            case.summary += " HKB在广东推动集体谈判。"  # the archive's translation, in the test's data only
            case.save()
        index.rebuild()
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("chinese_archive")
class TestTheSeededArchive:
    def urls(self, client, q, kind):
        return found(ask(client, q)).get(kind, [])

    def test_collective_bargaining_in_chinese_finds_the_case_and_the_concept(self, client):
        case = Intervention.objects.get(slug="hkb-collective-bargaining-project").get_absolute_url()
        concept = Concept.objects.get(slug="collective-bargaining").get_absolute_url()
        for q in ["集体谈判", "集體談判"]:
            response = ask(client, q)
            assert case in found(response).get("case", []), q
            assert concept in found(response).get("concept", []), q
            assert f"{MARK_START}" not in response.content.decode()  # the markers became <mark>
            assert "<mark>" in response.content.decode()

    def test_guangzhou_in_either_script_finds_the_minimum_wage_case_and_the_place(self, client):
        case = Intervention.objects.get(slug="hka-minimum-wage-campaign").get_absolute_url()
        place = Place.objects.get(slug="guangzhou").get_absolute_url()
        for q in ["广州", "廣州", "guangzhou", "Guangzhou"]:
            response = ask(client, q)
            assert case in found(response).get("case", []), q
            assert place in found(response).get("place", []), q

    def test_the_union_names_are_found_by_their_parts_in_either_script(self, client):
        acftu = Organisation.objects.get(slug="acftu").get_absolute_url()
        gdftu = Organisation.objects.get(slug="gdftu").get_absolute_url()
        for q in ["总工会", "總工會", "zonggonghui"]:
            assert {acftu, gdftu} <= set(self.urls(client, q, "organisation")), q
        assert acftu in self.urls(client, "中华全国总工会", "organisation")
        # The traditional name is shown as it was written, the match marked in it.
        body = ask(client, "广东省总工会").content.decode()
        assert gdftu in found(ask(client, "广东省总工会"))["organisation"]
        assert "<mark>" in body and "總工會" in body and chinese.SEPARATOR not in body

    def test_english_and_chinese_in_one_query(self, client):
        case = Intervention.objects.get(slug="hka-minimum-wage-campaign").get_absolute_url()
        assert case in self.urls(client, "minimum wage 广州", "case")
        assert case not in self.urls(client, "minimum wage 集体谈判", "case")

    def test_places_are_listed_like_the_other_kinds(self, client):
        response = ask(client, "Shenzhen")
        assert Place.objects.get(slug="shenzhen").get_absolute_url() in found(response)["place"]
        page = ask(client, "深圳", kind="place")
        assert page.status_code == 200
        assert [group.kind for group in page.context["results"].groups] == ["place"]
        assert "Places" in page.content.decode()

    @pytest.mark.parametrize("q", ["，。！", "「」", "、"])
    def test_chinese_punctuation_alone_gets_the_empty_state(self, client, q):
        response = ask(client, q)
        assert response.status_code == 200
        assert response.context["nothing_to_search"]

    def test_a_chinese_word_nothing_holds_says_nothing_matches(self, client):
        response = ask(client, "麒麟")
        assert response.status_code == 200
        assert response.context["results"].total == 0
        assert response.context["results"].corrected is None  # Chinese is not "corrected" to an English word
        assert "Nothing matches" in response.content.decode()


# What is indexed as it changes: written when a transaction commits, as a site does.


@pytest.mark.django_db(transaction=True)
def test_a_place_is_found_while_published_and_by_its_new_chinese_name():
    place = PlaceFactory(name="Dongguan", name_zh_hans="东莞", status="draft")
    assert search(parse("东莞")).total == 0
    place.status = "published"
    place.save()
    assert [hit.url for group in search(parse("東莞")).groups for hit in group.hits] == [place.get_absolute_url()]
    assert search(parse("dongguan")).counts == {"place": 1}
    place.name_zh_hans = "东莞市"
    place.save()
    # 东莞 is still found: it is a word inside 东莞市.
    assert search(parse("东莞")).counts == {"place": 1}
    assert search(parse("东莞市")).counts == {"place": 1}


@pytest.mark.django_db(transaction=True)
def test_a_case_is_found_by_the_chinese_names_of_its_places_and_organisations():
    case = InterventionFactory(title="A strike at a shoe factory")
    place = PlaceFactory(name="Dongguan", name_zh_hans="东莞", status="published")
    with transaction.atomic():
        case.places.add(place)
    org = OrganisationFactory(name="Dongguan Workers", name_zh_hans="东莞工人中心")
    RoleFactory(intervention=case, organisation=org)
    assert search(parse("东莞")).counts == {"case": 1, "place": 1, "organisation": 1}
    assert case.get_absolute_url() in [hit.url for g in search(parse("工人中心")).groups for hit in g.hits]


@pytest.mark.django_db(transaction=True)
def test_words_typed_together_are_a_phrase_and_nothing_found_offers_them_apart(client):
    case = InterventionFactory(title="A wage campaign", summary="广州的最低工资标准。")
    assert case.get_absolute_url() in found(ask(client, "广州 最低工资"))["case"]
    # Typed without a space, the two words are looked for side by side: this text has 的 between them.
    response = ask(client, "廣州最低工資")
    assert response.context["results"].total == 0
    assert response.context["looser"][0] == "廣州 最低工資"
    page = response.content.decode()
    assert f'href="{URL}?q=%E5%BB%A3%E5%B7%9E%20%E6%9C%80%E4%BD%8E%E5%B7%A5%E8%B3%87"' in page
    assert case.get_absolute_url() in found(ask(client, "廣州 最低工資"))["case"]


@pytest.mark.django_db(transaction=True)
def test_english_entries_store_no_copy():
    InterventionFactory(title="Minimum wage campaign", summary="In Guangzhou.")
    entry = SearchEntry.objects.get(kind="case")
    assert (entry.title_words, entry.summary_words, entry.body_words, entry.hidden_words) == (None, None, None, "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("q", ["广州", "廣州 minimum"])
def test_a_chinese_search_costs_the_queries_an_english_one_does(client, django_assert_num_queries, q):
    for n in range(3):
        InterventionFactory(title=f"Minimum wage case {n}", summary="广州的最低工资。")
    chinese.warm_up()
    cache.clear()
    # One query ranks and counts every match, one fetches the highlighted rows shown.
    with django_assert_num_queries(2):
        response = client.get(URL, {"q": q})
    assert response.context["results"].counts == {"case": 3}
