"""The static mirror (cases/keeping/mirror.py, `manage.py export_static`, the mirror.zip of a release): a folder in
which every link resolves inside it and nothing loads from outside, whose pages are the site's pages apart from
their links, which holds no draft, and which names the release it was made with.

The canonical archive, plus a small published world with an unpublished entry of every curated model linked to
it (tests/surfaces.py), is released once for the module, with its mirror; the tests read the unzipped mirror.
"""

import gzip
import hashlib
import json
import posixpath
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from cases.keeping import mirror, releases
from tests import surfaces

# Elements whose address the browser loads by itself (a resource), as opposed to one the reader follows.
RESOURCE_TAGS = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "input", "track"}
NOT_LOADED_LINKS = {"canonical", "alternate", "schema.dc", "author", "license"}


class Links(HTMLParser):
    """Every address in a page: (tag, attribute, rel, value)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower()
        for name in ("href", "src", "action", "poster", "data"):
            if attrs.get(name) is not None:
                self.found.append((tag, name, rel, attrs[name]))
        for item in (attrs.get("srcset") or "").split(","):
            if item.strip():
                self.found.append((tag, "srcset", rel, item.split()[0]))


def links(html):
    parser = Links()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_archive", verbosity=0)
        pub = surfaces.build_published()
        markers = {}
        for status in ("draft", "review", "withdrawn"):
            _world, made = surfaces.build_unpublished(status, pub)
            markers.update(made)
        release = releases.make_release(root=root / "releases", mirror=True)
        with zipfile.ZipFile(release.path / releases.MIRROR_ZIP) as archive:
            archive.extractall(root / "unzipped")
        folder = root / "unzipped" / Path(releases.MIRROR_ZIP).stem
        manifest = json.loads((folder / mirror.MANIFEST).read_text())
        live = {}
        client = Client(HTTP_HOST=manifest["host"])
        for url in manifest["pages"]:
            if (url.endswith("/") or "?" in url) and url not in manifest["own"]:
                response = client.get(url)
                if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                    live[url] = response.content.decode()
        yield {"release": release, "folder": folder, "manifest": manifest, "markers": markers, "live": live}
        transaction.set_rollback(True)


def html_files(folder):
    return sorted(folder.rglob("*.html"))


def test_addresses_map_to_files_a_static_host_and_a_disk_both_serve():
    assert mirror.local_path("/") == "index.html"
    assert mirror.local_path("/cases/") == "cases/index.html"
    assert mirror.local_path("/cases/export.csv") == "cases/export.csv"
    assert mirror.local_path("/cases/?issue=minimum-wage") == "cases/index.issue-minimum-wage.html"
    assert mirror.local_path("/cases/?page=2&issue=x") == "cases/index.issue-x.page-2.html"
    assert mirror.local_path("/cases/export.csv?issue=x") is None
    assert mirror.query_is_mirrored("issue=minimum-wage")
    assert mirror.query_is_mirrored("issue=minimum-wage&page=2")
    assert mirror.query_is_mirrored("more=organisation")
    assert not mirror.query_is_mirrored("issue=a&place=b")
    assert not mirror.query_is_mirrored("issue=a&issue=b")
    assert not mirror.query_is_mirrored("q=wage")
    assert not mirror.query_is_mirrored("more=organisation&issue=a")


def test_every_link_resolves_inside_the_folder_and_nothing_loads_from_outside(built):
    folder = built["folder"]
    broken, outside, pages = [], [], 0
    for path in html_files(folder):
        page = path.relative_to(folder).as_posix()
        pages += 1
        for tag, attribute, rel, value in links(path.read_text(encoding="utf-8")):
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                loaded = tag in RESOURCE_TAGS or (tag == "link" and not set(rel.split()) <= NOT_LOADED_LINKS)
                if loaded:
                    outside.append(f"{page}: <{tag} {attribute}={value}>")
                continue
            if parts.scheme or value.startswith("#") or not value:
                continue
            if value.startswith("/"):
                broken.append(f"{page}: {value} (root-relative: breaks on file://)")
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target.startswith("..") or not (folder / target).is_file():
                broken.append(f"{page}: {value}")
    for path in folder.rglob("*.css"):
        for value in re.findall(r"url\(['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
            if value.startswith(("data:", "#")):
                continue
            target = (path.parent / urlsplit(value).path).resolve()
            if urlsplit(value).scheme or not target.is_file() or folder.resolve() not in target.parents:
                broken.append(f"{path.relative_to(folder)}: url({value})")
    assert pages > 300
    assert not outside, outside[:20]
    assert not broken, broken[:20]


def test_the_lists_carry_a_page_for_each_single_filter(built):
    folder = built["folder"]
    listing = (folder / "cases" / "index.html").read_text(encoding="utf-8")
    assert 'href="index.issue-minimum-wage.html"' in listing
    assert '<form class="find-form' not in listing and 'name="year_from"' not in listing
    filtered = (folder / "cases" / "index.issue-minimum-wage.html").read_text(encoding="utf-8")
    assert "hka-minimum-wage-campaign/index.html" in filtered
    assert "hkc-cadmium-compensation-campaign/index.html" not in filtered


def _site_url_of_mirror_link(value, page, folder, by_file, site):
    """The site address a mirror link stands for, found through the mirror's manifest."""
    parts = urlsplit(value)
    if parts.scheme or value.startswith("#") or not value:
        return value.removeprefix(site) if site and value.startswith(site) else value
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if target.endswith(f"{mirror.NOTE_DIR}/index.html"):
        return "(not in the mirror)"
    url = by_file.get(target, f"(missing {target})")
    return url + (f"#{parts.fragment}" if parts.fragment else "")


def _site_url_of_live_link(value, manifest, url):
    parts = urlsplit(value)
    if value.startswith("?"):  # another page of the same list
        value = urlsplit(url).path + value
    if parts.scheme or parts.netloc or not value.startswith("/"):
        return value
    address = value.split("#", 1)[0]
    seen = set()
    while address in manifest["aliases"] and address not in seen:
        seen.add(address)
        address = manifest["aliases"][address]
    if address not in manifest["pages"]:
        return "(not in the mirror)"
    return address + (f"#{parts.fragment}" if parts.fragment else "")


_ADDRESS = re.compile(r'(\s(?:href|src|action|srcset)=")([^"]*)(")')
# A form that needs the server goes to the site (or the note), as an address with a query.
_OTHER_FORM = mirror._OTHER_FORM
_BANNER = re.compile(r'\n<aside class="mirror-banner".*?</aside>', re.S)
_FIND = re.compile(r'<form class="find-form.*?</form>|<div class="find-form.*?</fieldset>\s*</div>', re.S)
# A checked box is the filter the page shows; in the mirror it leads back to the whole list.
_OPTION = re.compile(
    r'type="checkbox" name="([\w-]+)" value="([^"]*)"(?! checked)|href="[^"]*?\.(\w+)-([^".]*)\.html"'
)


def _options(html):
    """(filter, value) of each option of a list's filter panel, the site's checkboxes or the mirror's links."""
    found = []
    for match in _FIND.finditer(html):
        for option in _OPTION.finditer(match.group(0)):
            name, value = (option.group(1), option.group(2)) if option.group(1) else (option.group(3), option.group(4))
            if name not in ("page", "more"):
                found.append((name, value))
    return found


def test_every_page_is_the_sites_page_apart_from_its_links(built):
    """Byte for byte, once each address is read as the site address it stands for, the banner is set aside, and
    each list's filter panel is compared by its options (checkboxes on the site, links in the mirror)."""
    folder, manifest = built["folder"], built["manifest"]
    by_file = {path: url for url, path in manifest["pages"].items()}
    site = manifest["site"]
    differ = []
    for url, live in built["live"].items():
        page = manifest["pages"][url]
        copied = (folder / page).read_text(encoding="utf-8")
        assert _BANNER.search(copied), page
        copied = _BANNER.sub("", copied, count=1)
        if _options(live) or _FIND.search(live):
            assert sorted(set(_options(live))) == sorted(set(_options(copied))), page
            live, copied = _FIND.sub("", live), _FIND.sub("", copied)
        live = _OTHER_FORM.sub(r"\1\2?\3", live)
        live = _ADDRESS.sub(
            lambda m, url=url: m.group(1) + _site_url_of_live_link(m.group(2), manifest, url) + m.group(3), live
        )
        copied = _ADDRESS.sub(
            lambda m, page=page: (
                m.group(1) + _site_url_of_mirror_link(m.group(2), page, folder, by_file, site) + m.group(3)
            ),
            copied,
        )
        if live != copied:
            differ.append(page)
    assert len(built["live"]) > 300
    assert not differ, differ[:10]


def test_no_unpublished_entry_is_in_the_mirror(built):
    folder, markers = built["folder"], built["markers"]
    leaks = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":  # Pagefind's index files are gzipped
            data = gzip.decompress(data)
        text = data.decode("utf-8", "replace").lower()
        for word, entry in markers.items():
            if word in text:
                leaks.append(f"{path.relative_to(folder)} shows {word}")
            if getattr(entry, "slug", None) and entry.slug in path.as_posix():
                leaks.append(f"{path.relative_to(folder)} is the page of an unpublished entry")
    assert not leaks, leaks[:20]


def test_the_mirrors_search_lists_current_pages_and_no_old_version(built):
    """Pagefind indexes the pages that say so (every page but a version's): one record per page, in its fragment."""
    indexed = []
    for fragment in (built["folder"] / "pagefind" / "fragment").glob("*.pf_fragment"):
        record = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        indexed.append(record["url"])
    versions = [page for page in built["manifest"]["pages"] if re.search(r"/v/\d+/$", page)]
    assert versions, "the mirror holds the version pages themselves"
    assert any("/cases/" in url for url in indexed) and any("/zh-hans/" in url for url in indexed)
    assert not [url for url in indexed if re.search(r"/v/\d+/", url)]


def test_every_page_names_the_release_it_was_made_with(built):
    release = built["release"]
    for path in html_files(built["folder"]):
        html = path.read_text(encoding="utf-8")
        banner = _BANNER.search(html)
        assert banner, path
        assert f"v{release.number}" in banner.group(0) and release.date[:10] in banner.group(0), path


def test_the_release_lists_its_mirror_with_size_and_checksum(built, client, settings):
    release = built["release"]
    item = release.file(releases.MIRROR_ZIP)
    data = (release.path / releases.MIRROR_ZIP).read_bytes()
    assert item["bytes"] == len(data) and item["sha256"] == hashlib.sha256(data).hexdigest()
    sums = (release.path / "SHA256SUMS").read_text()
    assert f"{item['sha256']}  {releases.MIRROR_ZIP}" in sums
    settings.RELEASES_DIR = str(release.path.parent)
    page = client.get("/data/").content.decode()
    assert releases.MIRROR_ZIP in page and item["sha256"] in page


def test_the_search_page_and_its_indexes_are_in_the_mirror(built):
    folder = built["folder"]
    search = (folder / mirror.SEARCH_DIR / "index.html").read_text(encoding="utf-8")
    assert 'src="../pagefind/pagefind-ui.js"' in search and "mirror-search.js" in search
    assert (folder / "pagefind" / "pagefind.js").is_file()
    index = (folder / mirror.SEARCH_DIR / "fallback-index.js").read_text(encoding="utf-8")
    entries = json.loads(index.removeprefix("window.mirrorSearchIndex=").rstrip(";\n"))
    assert any(entry["u"] == "cases/hka-minimum-wage-campaign/index.html" for entry in entries)
    home = (folder / "index.html").read_text(encoding="utf-8")
    assert 'action="search/index.html"' in home


def test_export_static_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(Exception, match="not empty"):
        call_command("export_static", str(tmp_path))
    assert (tmp_path / "keep.txt").read_text() == "mine"
