"""The archive in three languages: English at the root, simplified and traditional Chinese under their prefixes.

The address alone decides the language (cases/core/i18n.py), so every English address is what it was and each page
is cached once per language; every page links to itself in the other languages; the catalogues are complete; a
Chinese page has no English interface text left, and costs the same queries as the English one.
"""

import html
import io
import re
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from tests import surfaces
from tests import test_pages as pages
from tests import test_visual_pages as visual_pages
from tests.factories import EvidenceFactory, InterventionFactory
from tests.find_support import FILTERED_URLS
from tests.find_support import build as build_filtered
from tests.test_public_surfaces import _leaks, archive  # noqa: F401 (the walk's archive fixture)

LOCALE = Path(settings.BASE_DIR) / "locale"
CHINESE = ["zh-hans", "zh-hant"]
CATALOGUES = sorted(LOCALE.glob("zh_*/LC_MESSAGES/*.po"))
HAN = re.compile(r"[\u4e00-\u9fff]")


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response, response.content.decode()


def in_language(code, url):
    """`url` (an unprefixed path) in the language `code`."""
    return url if code == settings.LANGUAGE_CODE else f"/{code}{url}"


# --- Catalogues ---------------------------------------------------------------------------------------------------


def test_both_chinese_catalogues_exist():
    assert {path.parent.parent.name for path in CATALOGUES} == {"zh_Hans", "zh_Hant"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries() if not entry.obsolete]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path.name}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path.name} (review them, then remove the flag): {fuzzy[:10]}"
    # Every translation is Chinese, except those that are names or codes in any language (API, CSV...).
    for entry in catalogue.translated_entries():
        text = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
        if HAN.search(entry.msgid) is None and re.search(r"[a-z]{3}", re.sub(r"<[^>]+>|%\(\w+\)s|\{\w+\}", "", text)):
            assert HAN.search(text), f"{entry.msgid!r} is not translated into Chinese: {text!r}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_each_catalogue_compiles_and_its_committed_mo_is_current(path, tmp_path):
    # msgfmt --check: the placeholders of each translation match the English (a missing %(name)s is a 500).
    compiled = tmp_path / "out.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(path)], check=True, capture_output=True)
    committed = path.with_suffix(".mo")
    assert committed.exists(), f"{committed.name} missing: run `make messages`"

    def entries(catalogue):
        return {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in catalogue}

    assert entries(polib.mofile(str(committed))) == entries(polib.mofile(str(compiled))), (
        f"{committed} is older than its .po: run `make messages`"
    )


def test_traditional_is_made_from_simplified_and_keeps_a_translators_edits(tmp_path):
    simplified = tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"
    simplified.parent.mkdir(parents=True)

    def write_simplified(entries):
        catalogue = polib.POFile()
        catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for msgid, msgstr in entries.items():
            catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
        catalogue.save(str(simplified))

    def traditional():
        path = tmp_path / "zh_Hant" / "LC_MESSAGES" / "django.po"
        return {entry.msgid: entry for entry in polib.pofile(str(path))}

    write_simplified({"Search": "搜索档案库", "Cases": "案例", "Timeline": "时间线", "Quoted": "“引文”"})
    call_command("sync_traditional", locale_dir=str(tmp_path), stdout=io.StringIO())
    first = traditional()
    assert first["Search"].msgstr == "搜索檔案庫"
    assert first["Timeline"].msgstr == "時間線"
    assert first["Quoted"].msgstr == "「引文」"  # Hong Kong's quotation marks

    # A translator rewords one entry; then the simplified catalogue changes under two entries.
    path = tmp_path / "zh_Hant" / "LC_MESSAGES" / "django.po"
    edited = polib.pofile(str(path))
    next(entry for entry in edited if entry.msgid == "Cases").msgstr = "個案"
    edited.save(str(path))
    write_simplified({"Search": "搜索本档案库", "Cases": "案例研究", "Timeline": "时间线", "Map": "地图"})
    call_command("sync_traditional", locale_dir=str(tmp_path), stdout=io.StringIO())
    second = traditional()
    assert second["Search"].msgstr == "搜索本檔案庫"  # never edited: converted again
    assert second["Cases"].msgstr == "個案"  # the translator's wording survives...
    assert "fuzzy" in second["Cases"].flags  # ...flagged for review, since the simplified text moved
    assert second["Timeline"].msgstr == "時間線" and "fuzzy" not in second["Timeline"].flags
    assert second["Map"].msgstr == "地圖"  # a new entry is filled
    assert "Quoted" not in second  # an entry gone from the simplified catalogue goes


# --- Addresses ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_english_addresses_are_unchanged_and_chinese_ones_are_prefixed():
    assert reverse("intervention_list") == "/cases/"
    assert reverse("home") == "/"
    for code in CHINESE:
        with translation.override(code):
            assert reverse("intervention_list") == f"/{code}/cases/"
            assert reverse("intervention_detail", args=["x"]) == f"/{code}/cases/x/"
            # What machines read keeps one address in every language.
            assert reverse("intervention_export", args=["csv"]) == "/cases/export.csv"
            assert reverse("api-case-list") == "/api/cases/"
            assert reverse("sitemap") == "/sitemap.xml"
            assert reverse("feed") == "/feed.atom"
            assert reverse("oai") == "/oai/"
            assert reverse("health") == "/health/"
            assert reverse("admin:index") == "/admin/"
            assert reverse("data_file", args=["v1", "cases.csv"]) == "/data/v1/cases.csv"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/cases/", "/sitemap.xml", "/feed.atom", "/robots.txt", "/cases/export.csv", "/oai/", "/health/"]
)
def test_machine_endpoints_have_no_chinese_twin(client, path):
    assert client.get(f"/zh-hans{path}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "zh-TW", "fr", ""])
def test_an_unprefixed_page_is_english_whatever_the_browser_asks(client, accept):
    response, page = get(client, "/about/", **{"Accept-Language": accept})
    assert '<html lang="en-GB">' in page
    assert "<h1>About the archive</h1>" in page
    assert response["Content-Language"] == "en-gb"
    # Nothing varies on the browser's language, so one cached copy serves everyone.
    assert "accept-language" not in response.get("Vary", "").lower()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "lang", "heading"), [("zh-hans", "zh-Hans", "关于档案库"), ("zh-hant", "zh-Hant", "關於檔案庫")]
)
def test_a_prefixed_page_is_in_its_language(client, code, lang, heading):
    response, page = get(client, f"/{code}/about/", **{"Accept-Language": "en"})
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{heading}</h1>" in page
    assert response["Content-Language"] == code
    assert 'href="/zh-hans/cases/"' in page if code == "zh-hans" else 'href="/zh-hant/cases/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "dc", "og"), [("zh-hans", "zh-Hans", "zh_CN"), ("zh-hant", "zh-Hant", "zh_HK")])
def test_a_chinese_page_describes_itself_as_chinese_for_reference_managers(client, code, dc, og):
    case = InterventionFactory(slug="described")
    _, page = get(client, f"/{code}/cases/described/")
    # Its own address is canonical (a canonical pointing at the English page would hide it from search engines).
    assert f'<link rel="canonical" href="http://testserver/{code}/cases/described/">' in page
    assert f'<meta name="DC.language" content="{dc}">' in page
    assert f'<meta property="og:locale" content="{og}">' in page
    assert '<meta property="og:site_name" content="劳工NGO案例档案库">' in page or code == "zh-hant"
    assert case.title in page
    _, english = get(client, "/cases/described/")
    assert '<meta name="DC.language" content="en">' in english and 'content="en_GB"' in english


@pytest.mark.django_db
def test_the_admin_follows_the_browser(admin_client):
    page = admin_client.get("/admin/", headers={"Accept-Language": "zh-hans"})
    assert page["Content-Language"] == "zh-hans"
    assert "accept-language" in page["Vary"].lower()


# --- The language switcher and the alternates ---------------------------------------------------------------------


def switcher(page):
    nav = re.search(r'<nav class="site-languages"[^>]*>(.*?)</nav>', page, re.S)
    assert nav, "no language switcher"
    link = r'<a href="([^"]*)" lang="([^"]*)" hreflang="([^"]*)"( aria-current="true")?>([^<]*)</a>'
    return re.findall(link, nav[1])


@pytest.mark.django_db
@pytest.mark.parametrize("current", ["en-gb", *CHINESE])
def test_the_switcher_keeps_the_page_and_its_filters(client, current):
    InterventionFactory(slug="a-case")
    query = "?stage=campaign&organisation=hka&year_from=2010"
    _, page = get(client, in_language(current, "/cases/") + query)
    links = switcher(page)
    assert [(href, lang, hreflang, name) for href, lang, hreflang, _current, name in links] == [
        ("/cases/" + query.replace("&", "&amp;"), "en-GB", "en-GB", "English"),
        ("/zh-hans/cases/" + query.replace("&", "&amp;"), "zh-Hans", "zh-Hans", "简体中文"),
        ("/zh-hant/cases/" + query.replace("&", "&amp;"), "zh-Hant", "zh-Hant", "繁體中文"),
    ]
    assert [bool(is_current) for *_rest, is_current, _name in links] == [
        code == current for code in ("en-gb", *CHINESE)
    ]
    # What the page does not read is not carried over (a tracker's tag, a junk value), nor echoed in the links.
    page = client.get(in_language(current, "/cases/") + "?stage=campaign&utm_source=feed&kind=" + "x" * 500)
    assert page.status_code == 400  # the filter is refused, and the page says so: in its own words, not by echo
    page = page.content.decode()
    assert [href for href, *_rest in switcher(page)] == [
        "/cases/?stage=campaign",
        "/zh-hans/cases/?stage=campaign",
        "/zh-hant/cases/?stage=campaign",
    ]
    assert "utm_source" not in page and "x" * 500 not in page
    # And on a detail page, with the switcher's links followed: each answers, in its own language.
    _, page = get(client, in_language(current, "/cases/a-case/"))
    for href, lang, *_rest in switcher(page):
        assert href.endswith("/cases/a-case/")
        assert f'<html lang="{lang}">' in get(client, href)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("current", ["en-gb", *CHINESE])
def test_every_page_names_its_alternates_with_hreflang(client, current):
    _, page = get(client, in_language(current, "/debate/") + "?sort=scholar")
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)
    assert alternates == [
        ("en-GB", "http://testserver/debate/?sort=scholar"),
        ("zh-Hans", "http://testserver/zh-hans/debate/?sort=scholar"),
        ("zh-Hant", "http://testserver/zh-hant/debate/?sort=scholar"),
        ("x-default", "http://testserver/debate/?sort=scholar"),
    ]


@pytest.mark.django_db
def test_a_missing_page_links_to_each_languages_home(client):
    response = client.get("/zh-hans/cases/no-such-case/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="zh-Hans">' in page and "找不到页面" in page
    assert [href for href, *_rest in switcher(page)] == ["/", "/zh-hans/", "/zh-hant/"]


# --- The page cache -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(PAGE_CACHE_ENABLED=True)
def test_a_page_is_cached_once_per_language_and_never_served_in_another(client):
    cache.clear()
    case = InterventionFactory(slug="cached-case")
    english = case.get_absolute_url()
    first = {}
    for code in ["en-gb", *CHINESE, "en-gb", *CHINESE]:
        url = in_language(code, english)
        response = client.get(url, headers={"Accept-Language": "zh-hans" if code == "en-gb" else "en"})
        assert response["X-Cache"] == ("HIT" if code in first else "MISS")
        assert response["Content-Language"] == code
        first.setdefault(code, response.content)
        assert response.content == first[code]
    assert len(set(first.values())) == 3
    assert '<html lang="en-GB">' in first["en-gb"].decode()
    assert '<html lang="zh-Hant">' in first["zh-hant"].decode()


# --- No English interface left ------------------------------------------------------------------------------------


def interface_phrases():
    """The English the catalogues translate, as phrases of three words or more that no page of Chinese may hold."""
    phrases = set()
    catalogue = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    for entry in catalogue:
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            for chunk in re.split(r"<[^>]+>|%\(\w+\)s|\{\w+\}|[“”():;.]", html.unescape(msgid)):
                chunk = " ".join(chunk.split())
                if len(chunk.split()) >= 3 and len(chunk) >= 14:
                    phrases.add(chunk)
    return phrases


def visible_text(page):
    """The text a reader sees or hears: the page's text, and the attributes that are read out or shown."""
    attributes = re.findall(r'(?:aria-label|title|placeholder|alt|content)="([^"]*)"', page)
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(" ".join([text, *attributes])).split())


def pages_to_read(built):
    case, source = built["case"], built["source"]
    EvidenceFactory(intervention=case, quotation="A quotation about hukou.")
    return [
        "/",
        "/about/",
        "/cases/",
        "/cases/?stage=campaign&year_from=1990",
        case.get_absolute_url(),
        "/organisations/",
        built["organisation"].get_absolute_url(),
        "/debate/",
        built["position"].get_absolute_url(),
        "/sources/",
        source.get_absolute_url(),
        "/concepts/",
        built["concept"].get_absolute_url(),
        "/places/",
        built["place"].get_absolute_url(),
        "/timeline/",
        "/map/",
        "/network/",
        visual_pages.compare_url(case.slug, case.parent.slug),
        "/compare/",
        "/search/",
        "/search/?q=hukou",
        "/search/?q=zzyzzx",
        "/api/",
        "/data/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("code", CHINESE)
def test_no_english_interface_text_is_left_on_a_chinese_page(client, code):
    built = pages.build_archive(1)
    phrases = interface_phrases()
    assert len(phrases) > 150  # the check has teeth: it knows the interface's sentences
    for url in pages_to_read(built):
        _, page = get(client, in_language(code, url))
        text = visible_text(page)
        left = sorted(phrase for phrase in phrases if phrase in text)
        assert not left, f"{code}{url} still says: {left[:5]}"
        # The site's own furniture, word by word: the navigation, skip link, search box and footer links.
        header = re.search(r'<nav class="site-nav".*?</form>', page, re.S)[0]
        assert not re.search(r">[^<]*[A-Za-z]{2,}[^<]*<", header.replace("\n", "")), f"{code}{url}: {header}"
        assert re.search(r"<h1[^>]*>.*?</h1>", page, re.S)
        assert HAN.search(re.search(r'<a class="skip-link"[^>]*>([^<]*)</a>', page)[1])


@pytest.mark.django_db
@pytest.mark.parametrize("code", CHINESE)
def test_error_pages_are_in_the_language_of_their_address(client, code):
    response = client.get(f"/{code}/no-such-page/")
    assert response.status_code == 404
    text = visible_text(response.content.decode())
    assert not sorted(phrase for phrase in interface_phrases() if phrase in text)


# --- No draft on a Chinese page ----------------------------------------------------------------------------------


def test_no_unpublished_entry_on_any_chinese_surface(client, archive):  # noqa: F811
    """The same walk with the Chinese addresses (/zh-hans/…): the pages are the same views, but a template or a
    string marked for translation could still name what the English page leaves out. Machine endpoints have no
    Chinese address, and the walk above covers them."""
    with translation.override("zh-hans"):
        routes = [route for route in surfaces.all_routes() if route.route.startswith("zh-hans/")]
        leaks, requested = _leaks(client, archive, routes)
    assert requested > 200
    assert not leaks, "\n".join(leaks)


# --- The same queries in every language ---------------------------------------------------------------------------


def queries(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.django_db
def test_each_pinned_page_costs_the_same_queries_in_every_language(client):
    built = pages.build_archive(2)
    urls = {name: pages.page_url(name, built) for name in pages.QUERIES}
    urls |= {name: visual_pages.new_page_url(name, built) for name in visual_pages.QUERIES}
    urls["page_cite"] = built["case"].get_absolute_url() + "cite.bib"
    urls["search"] = "/search/?q=hukou"
    assert set(pages.QUERIES) <= set(urls)
    for name, url in urls.items():
        english = queries(client, url)
        if name in pages.QUERIES:
            assert english == pages.QUERIES[name], name
        for code in CHINESE:
            assert queries(client, in_language(code, url)) == english, f"{name} in {code}"


@pytest.mark.django_db
def test_each_filtered_list_costs_the_same_queries_in_every_language(client):
    build_filtered(2)
    for name, url in FILTERED_URLS.items():
        english = queries(client, url)
        for code in CHINESE:
            assert queries(client, in_language(code, url)) == english, f"{name} in {code}"
