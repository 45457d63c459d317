"""A static mirror of the published archive: every public page rendered through the site's own request handler
into a folder that works from any static host and from a local disk (file://).

The mirror is found, not listed: it starts from each language's home page and every registered kind's published
entries, and follows the links the pages themselves make, keeping those that lead to a public page. A page's bytes
are the site's own; only what must change for a folder without a server changes:

- root-relative links (href, src, action, srcset, CSS url()) become relative paths to files, with `index.html`
  spelled out (file:// shows no index of a folder);
- a list's filter form becomes links: each option opens the list filtered by that option alone
  (`cases/index.issue-minimum-wage.html`), as the site's single-filter address `/cases/?issue=minimum-wage` does;
  combined filters, years and sorting need the site, and the form says so;
- the site search form goes to the mirror's search page, built on a Pagefind index (cases/keeping/templates:
  keeping/mirror_search.html) with a file:// fallback index loaded by a plain script;
- a banner (`<aside class="mirror-banner">`) says which release or build the copy was made from.

A link the mirror cannot serve (a search query, a combination of filters, the API, sign-in, a download with
filters) goes to the site (SITE_URL) when one is set, else to the mirror's page that explains what needs a server.
"""

import json
import mimetypes
import posixpath
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape, unescape
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import get_language_from_path

from cases.citations.sitemaps import sitemaps
from cases.core.cache import code_release

from . import releases

# Views whose pages need the server, or are not public: never copied (links to them go to the site or the note).
EXCLUDED_VIEWS = (
    "cases.api.",
    "cases.teaching.",
    "cases.curation.",
    "cases.search.",
    "cases.core.health.",
    "cases.keeping.views.oai_endpoint",
    "cases.keeping.views.data_file",
    "cases.keeping.views.data_latest_file",
    "cases.citations.views.robots_txt",
    "django.contrib.admin.",
    "django.contrib.auth.",
    "django.contrib.sitemaps.",
    "django.views.i18n.",
    "drf_spectacular.",
    "rest_framework.",
)
# Query parameters that never make a page of their own in the mirror (free text, ranges, orders, formats).
FREE_PARAMS = {"q", "sort", "format", "year_from", "year_to", "cases"}
PAGE = "page"
MORE = "more"
SEARCH_DIR = "search"
NOTE_DIR = "offline"
MANIFEST = "mirror.json"

_ATTR = re.compile(r"""(?P<before>\s(?:href|src|action|poster|data-src)=")(?P<url>[^"]*)(?P<after>")""")
_SRCSET = re.compile(r"""(\ssrcset=")([^"]*)(")""")
_CSS_URL = re.compile(r"""url\((?P<q>['"]?)(?P<url>[^'")]+)(?P=q)\)""")
_FIND_FORM = re.compile(
    r'<form class="find-form(?P<cls>[^"]*)" method="get" action="(?P<action>[^"]*)"(?P<rest>[^>]*)>'
)
_CHECKBOX = re.compile(
    r'<input type="checkbox" name="(?P<name>[\w-]+)" value="(?P<value>[^"]*)"(?P<checked> checked)?>\s*'
    r'(?P<label><span class="facet__label">.*?</span>)',
    re.S,
)
_SERVER_ONLY = re.compile(
    r'\s*(<fieldset class="facet facet--years">.*?</fieldset>|<div class="facet facet--sort">.*?</div>|'
    r'<div class="find-form__actions">.*?</div>)',
    re.S,
)
_SITE_SEARCH = re.compile(r'(<form class="site-search" method="get" action=")([^"]*)(")')
_OTHER_FORM = re.compile(r'(<form class="(?!site-search"|find-form)[^"]*" method="get" action=")([^"?]*)(")')
_MAIN = re.compile(r'(<main id="main"[^>]*>)(.*)(</main>)', re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_BODY = re.compile(r'(<body[^>]*>\s*(?:<a class="skip-link"[^>]*>.*?</a>)?)', re.S)
_HTML_LANG = re.compile(r'<html lang="([^"]+)"')
_NAV = re.compile(r"<nav\b.*?</nav>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass
class Stamp:
    """What a mirror was made from: a data release (number and date), or a build of the live archive."""

    built: str
    code: str
    release_number: int | None = None
    release_date: str = ""
    latest_number: int | None = None
    latest_date: str = ""

    @classmethod
    def now(cls, release_number=None, release_date=""):
        latest = releases.releases()
        return cls(
            built=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            code=code_release(),
            release_number=release_number,
            release_date=release_date,
            latest_number=latest[0].number if latest and release_number is None else None,
            latest_date=latest[0].date if latest and release_number is None else "",
        )


@dataclass
class Result:
    root: Path
    pages: int
    files: int
    bytes: int
    seconds: float
    search_seconds: float
    urls: dict = field(default_factory=dict)


_VERSION_PAGE = re.compile(r"/v/[0-9]+/$")


def local_path(url):
    """The file a site URL (path and query) is written to, relative to the mirror's root; None if none can be.

    `/cases/` -> `cases/index.html`; `/cases/?issue=x&page=2` -> `cases/index.issue-x.page-2.html`;
    `/feed.atom` -> `feed.atom`. A query only on folder pages (lists), its values as safe file-name characters.
    """
    parts = urlsplit(url)
    path = parts.path
    if not path.startswith("/") or ".." in path.split("/"):
        return None
    name = path.lstrip("/")
    if not parts.query:
        return name + "index.html" if name.endswith("/") or not name else name
    if name and not name.endswith("/"):
        return None
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
    words = ".".join(f"{key}-{quote(value, safe='')}" for key, value in pairs)
    return f"{name}index.{words.replace('%', '_')}.html"


def query_is_mirrored(query):
    """A page of its own for one filter (with its pages), a page of a list, or all options of one facet."""
    pairs = parse_qsl(query, keep_blank_values=True)
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys) or any(not value for _, value in pairs):
        return False
    if FREE_PARAMS & set(keys):
        return False
    rest = set(keys) - {PAGE}
    if MORE in rest:
        return rest == {MORE} and PAGE not in keys
    return len(rest) <= 1


def _public_view(path):
    try:
        match = resolve(path)
    except Resolver404:
        return False
    view = getattr(match, "_func_path", "")
    return not any(view == prefix or view.startswith(prefix) for prefix in EXCLUDED_VIEWS)


def _relative(from_file, to_file):
    base = posixpath.dirname(from_file)
    return posixpath.relpath(to_file, base or ".")


def _language_of(path):
    return get_language_from_path(path) or settings.LANGUAGE_CODE


def _language_prefixes():
    """{language code: its home path} for every language the site serves ({default: "/"} without i18n)."""
    used, _ = is_language_prefix_patterns_used(settings.ROOT_URLCONF)
    if not used:
        return {settings.LANGUAGE_CODE: reverse("home")}
    homes = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            homes[code] = reverse("home")
    return homes


def _text(html):
    return _SPACE.sub(" ", unescape(_TAGS.sub(" ", html))).strip()


class Builder:
    """Renders the mirror into `root` (which must not exist, or be empty)."""

    def __init__(self, root, stamp, *, site_url=None, log=None):
        self.root = Path(root)
        self.stamp = stamp
        self.site = (settings.SITE_URL if site_url is None else site_url).rstrip("/")
        self.log = log or (lambda message: None)
        parts = urlsplit(self.site) if self.site else None
        host = parts.netloc if parts else self._allowed_host()
        self.secure = bool(parts and parts.scheme == "https") or getattr(settings, "SECURE_SSL_REDIRECT", False)
        self.client = Client(HTTP_HOST=host)
        self.urls = {}  # site URL -> local path, for every file written
        self.aliases = {}  # site URL -> site URL it redirects to
        self.refused = set()  # site URLs that are not in the mirror
        self.queue = []
        self.homes = _language_prefixes()
        self.pages = 0
        self.own = set()  # the mirror's own pages (search, the note on what needs a server): not the site's

    @staticmethod
    def _allowed_host():
        for host in settings.ALLOWED_HOSTS:
            if host not in ("*",) and not host.startswith("."):
                return host
        return "localhost"

    # --- Finding the pages ----------------------------------------------------------------------------------------

    def seeds(self):
        """Each language's home page and what sitemap.xml lists (the lists and every published entry); the rest
        is found by following links."""
        urls = list(self.homes.values())
        for code in self.homes:
            with translation.override(code):
                for section in sitemaps().values():
                    urls += [section.location(item) for item in section.items()]
        return urls

    def wanted(self, url):
        """Whether `url` (a root-relative site address) is a page or file the mirror holds."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return False
        if parts.query and not (parts.path.endswith("/") and query_is_mirrored(parts.query)):
            return False
        if self.static_file(parts.path) is not None:
            return True
        return local_path(url) is not None and _public_view(parts.path)

    def enqueue(self, url):
        url = url.split("#", 1)[0]
        if url in self.urls or url in self.aliases or url in self.refused or url in self._queued:
            return
        if not self.wanted(url):
            self.refused.add(url)
            return
        self._queued.add(url)
        self.queue.append(url)

    def static_file(self, url):
        """(content type, bytes) of a static file, from the collected files or the finders; None if none."""
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if not url.startswith(prefix) or "?" in url:
            return None
        name = url.removeprefix(prefix)
        # The source files first (what the pages were rendered with); the collected ones for hashed names.
        found = finders.find(name)
        if not found:
            try:
                found = staticfiles_storage.path(name) if staticfiles_storage.exists(name) else None
            except NotImplementedError:  # a storage without local paths
                found = None
        if not found:
            return None
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return kind, Path(found).read_bytes()

    def fetch(self, url):
        language = _language_of(urlsplit(url).path)
        return self.client.get(url, secure=self.secure, HTTP_ACCEPT_LANGUAGE=language)

    def crawl(self):
        self._queued = set()
        self.kinds = {}
        self.faceted = set()  # the pages with a filter panel: their filters make pages of their own
        for url in self.seeds():
            self.enqueue(url)
        while self.queue:
            url = self.queue.pop()
            base = urlsplit(url).path
            if "?" in url and base not in self.faceted:
                # A page of its own only for a list's filters: its bare page must be known first, and have them.
                if base in self.urls or base in self.refused or base in self.aliases:
                    self.refused.add(url)
                    continue
                self.queue.insert(0, url)
                self.enqueue(base)
                continue
            static = self.static_file(url)
            if static is not None:
                self.keep(url, *static)
                if static[0] == "text/css":
                    for found in self.links_in_css(static[1].decode("utf-8"), url):
                        self.enqueue(found)
                continue
            response = self.fetch(url)
            if response.status_code in (301, 302, 307, 308):
                target = urlsplit(response["Location"])
                target_url = target.path + (f"?{target.query}" if target.query else "")
                if (
                    target.netloc
                    and target.netloc != self.client.defaults.get("HTTP_HOST")
                    or not self.wanted(target_url)
                ):
                    self.refused.add(url)
                    continue
                self.aliases[url] = target_url
                self.enqueue(target_url)
                continue
            if response.status_code != 200:
                self.refused.add(url)
                continue
            body = b"".join(response.streaming_content) if response.streaming else response.content
            kind = response.get("Content-Type", "").split(";")[0].strip()
            self.keep(url, kind, body)
            if kind == "text/html":
                self.pages += 1
                text = body.decode("utf-8")
                if _FIND_FORM.search(text) and "?" not in url:
                    self.faceted.add(url)
                for found in self.links_in_html(text, url):
                    self.enqueue(found)
            elif kind == "text/css":
                for found in self.links_in_css(body.decode("utf-8"), url):
                    self.enqueue(found)
            if len(self.urls) % 500 == 0:
                self.log(f"{len(self.urls)} files, {len(self.queue)} waiting")

    def keep(self, url, kind, body):
        """Written as the site sent it; rewritten once every page is known (write_pages), so memory stays flat."""
        self.urls[url] = local_path(url)
        self.kinds[url] = kind
        self.write(self.urls[url], body)

    def links_in_html(self, text, url):
        found = [unescape(m.group("url")) for m in _ATTR.finditer(text)]
        for srcset in _SRCSET.finditer(text):
            found += [item.strip().split(" ")[0] for item in unescape(srcset.group(2)).split(",") if item.strip()]
        # A list's filter options: each alone is a page of the mirror.
        for form in _FIND_FORM.finditer(text):
            action = unescape(form.group("action"))
            end = text.find("</form>", form.end())
            for box in _CHECKBOX.finditer(text, form.end(), end):
                found.append(f"{action}?{urlencode({box.group('name'): unescape(box.group('value'))})}")
        return [self._absolute(link, url) for link in found if self._absolute(link, url)]

    def links_in_css(self, text, url):
        links = [m.group("url") for m in _CSS_URL.finditer(text)]
        return [self._absolute(link, url) for link in links if self._absolute(link, url)]

    @staticmethod
    def _absolute(link, base):
        """A root-relative address for an internal link, or None (external, fragment, data: URL)."""
        link = link.strip()
        if not link or link.startswith(("#", "//", "data:", "mailto:", "javascript:")):
            return None
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            return None
        if link.startswith("?"):  # another page of the same list (pagination keeps the path implicit)
            return urlsplit(base).path + link
        if not link.startswith("/"):
            link = posixpath.normpath(posixpath.join(posixpath.dirname(urlsplit(base).path), link)) + (
                "/" if link.endswith("/") else ""
            )
        return link

    # --- Writing ----------------------------------------------------------------------------------------------

    def target_of(self, url):
        """The local path a site link leads to in the mirror, or None."""
        seen = set()
        while url in self.aliases and url not in seen:
            seen.add(url)
            url = self.aliases[url]
        return self.urls.get(url)

    def rewrite_link(self, link, page_file, language, base="/"):
        absolute = self._absolute(unescape(link), base)
        if absolute is None or not link.startswith(("/", "?")):
            return link
        path, _, fragment = absolute.partition("#")
        target = self.target_of(path)
        if target is None:
            if self.site:
                return escape(self.site + unescape(link))
            target = self.note_file(language)
        return escape(_relative(page_file, target) + (f"#{fragment}" if fragment else ""))

    def rewrite_html(self, text, url, page_file):
        language = _language_of(urlsplit(url).path)
        text = self.rewrite_forms(text, url, page_file, language)
        text = _ATTR.sub(
            lambda m: (
                m.group("before") + self.rewrite_link(m.group("url"), page_file, language, url) + m.group("after")
            ),
            text,
        )
        text = _SRCSET.sub(
            lambda m: (
                m.group(1)
                + ", ".join(
                    " ".join([self.rewrite_link(item.strip().split(" ")[0], page_file, language), *item.split()[1:]])
                    for item in m.group(2).split(",")
                    if item.strip()
                )
                + m.group(3)
            ),
            text,
        )
        return self.add_banner(text, language)

    def rewrite_forms(self, text, url, page_file, language):
        def find_form(match):
            action = unescape(match.group("action"))
            end = text.find("</form>", match.end())
            inner = text[match.end() : end]

            def option(box):
                checked = bool(box.group("checked"))
                query = urlencode({box.group("name"): unescape(box.group("value"))})
                link = action if checked else f"{action}?{query}"
                current = ' aria-current="page"' if checked else ""
                return f'<a class="facet__link" href="{escape(link)}"{current}>{box.group("label")}</a>'

            inner = _CHECKBOX.sub(option, inner)
            inner = _SERVER_ONLY.sub("", inner)
            with translation.override(language):
                note = render_to_string("keeping/mirror_find_note.html", {"site": self.site})
            opening = (f'<div class="find-form{match.group("cls")}" role="group"{match.group("rest")}>{note}').replace(
                ' role="search"', ""
            )
            return opening + inner + "</div>"

        parts = []
        position = 0
        for match in _FIND_FORM.finditer(text):
            end = text.find("</form>", match.end())
            parts.append(text[position : match.start()])
            parts.append(find_form(match))
            position = end + len("</form>")
        parts.append(text[position:])
        text = "".join(parts)
        search = f"/{self.language_dir(language)}{SEARCH_DIR}/"
        text = _SITE_SEARCH.sub(lambda m: m.group(1) + search + m.group(3), text)
        # Any other form (picking cases to compare, focusing the network) needs the server: it goes to the site, or
        # to the note on what needs one, never back to the same page unchanged.
        return _OTHER_FORM.sub(lambda m: m.group(1) + m.group(2) + "?" + m.group(3), text)

    def add_banner(self, text, language):
        with translation.override(language):
            banner = render_to_string("keeping/mirror_banner.html", {"stamp": self.stamp})
        return _BODY.sub(lambda m: m.group(1) + "\n" + banner.strip(), text, count=1)

    def rewrite_css(self, text, page_file):
        def replace(match):
            link = match.group("url")
            if not link.startswith("/") or link.startswith("//"):
                return match.group(0)
            target = self.target_of(link.split("#")[0])
            if target is None:
                return match.group(0)
            q = match.group("q")
            return f"url({q}{_relative(page_file, target)}{q})"

        return _CSS_URL.sub(replace, text)

    def language_dir(self, language):
        home = self.homes.get(language) or self.homes.get(settings.LANGUAGE_CODE) or "/"
        return home.lstrip("/")

    def search_file(self, language):
        return f"{self.language_dir(language)}{SEARCH_DIR}/index.html"

    def note_file(self, language):
        return f"{self.language_dir(language)}{NOTE_DIR}/index.html"

    def write(self, relative, data):
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def write_pages(self):
        for url, kind in self.kinds.items():
            page_file = self.urls[url]
            body = (self.root / page_file).read_bytes()
            if kind == "text/html":
                body = self.rewrite_html(body.decode("utf-8"), url, page_file).encode("utf-8")
            elif kind == "text/css":
                body = self.rewrite_css(body.decode("utf-8"), page_file).encode("utf-8")
            self.write(page_file, body)

    def copy_static(self):
        """The project's own static files that no page names (what scripts load), beside those the pages name."""
        prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        for folder in settings.STATICFILES_DIRS:
            for path in Path(folder).rglob("*"):
                if path.is_file():
                    relative = path.relative_to(folder).as_posix()
                    target = prefix.lstrip("/") + relative
                    if not (self.root / target).exists():
                        found = finders.find(relative)
                        self.write(target, Path(found).read_bytes())

    def shell(self, language, title, main, head="", scripts=""):
        """A page of the mirror's own in the site's frame: the site's search page with its main part replaced."""
        with translation.override(language):
            url = reverse("search")
        html = self.fetch(url).content.decode("utf-8")
        html = _TITLE.sub(lambda m: f"<title>{escape(title)} · {m.group(1).split(' · ')[-1]}</title>", html, count=1)
        html = _MAIN.sub(lambda m: m.group(1) + main + m.group(3), html, count=1)
        html = html.replace("</head>", head + "</head>", 1).replace("</body>", scripts + "</body>", 1)
        return html

    def write_own_pages(self):
        """The search page and the note on what needs a server, in each language; all known before any is written,
        so their links to one another resolve."""
        own = []
        for language in self.homes:
            base = self.language_dir(language)
            for folder, page_file in ((SEARCH_DIR, self.search_file(language)), (NOTE_DIR, self.note_file(language))):
                self.urls[f"/{base}{folder}/"] = page_file
                own.append((language, folder, f"/{base}{folder}/", page_file))
                self.own.add(f"/{base}{folder}/")
        for name in ("pagefind-ui.css", "pagefind-ui.js"):
            self.urls[f"/pagefind/{name}"] = f"pagefind/{name}"
        script = f"/{settings.STATIC_URL.strip('/')}/js/mirror-search.js"
        self.keep(script, *self.static_file(script))
        for language, folder, url, page_file in own:
            root = _relative(page_file, "index.html").removesuffix("index.html") or "./"
            with translation.override(language):
                if folder == SEARCH_DIR:
                    main = render_to_string("keeping/mirror_search.html", {"root": root, "site": self.site})
                    html = self.shell(
                        language,
                        translation.gettext("Search this copy"),
                        main,
                        head='<link rel="stylesheet" href="/pagefind/pagefind-ui.css">',
                        scripts=f'<script src="/pagefind/pagefind-ui.js"></script><script src="{script}"></script>',
                    )
                else:
                    home = self.homes[language]
                    main = render_to_string("keeping/mirror_offline.html", {"site": self.site, "home": home})
                    html = self.shell(language, translation.gettext("Not in this copy"), main)
            self.write(page_file, self.rewrite_html(html, url, page_file).encode("utf-8"))
            self.pages += 1

    def write_fallback_index(self):
        """For file://, where browsers refuse the fetch() Pagefind loads its index with: titles, addresses and the
        beginning of each page's text, as a plain script (scripts load from file://, fetches do not)."""
        entries = {}
        for url, kind in self.kinds.items():
            page_file = self.urls[url]
            if kind != "text/html" or not page_file.endswith("/index.html") and page_file != "index.html":
                continue
            if _VERSION_PAGE.search(urlsplit(url).path):
                continue  # an entry's citable versions repeat it: a search finds the entry
            html = (self.root / page_file).read_text(encoding="utf-8")
            title = _TITLE.search(html)
            main = _MAIN.search(_NAV.sub(" ", html))
            language = (_HTML_LANG.search(html) or [None, settings.LANGUAGE_CODE])[1]
            entries.setdefault(self.language_dir(_language_of(urlsplit(url).path)), []).append(
                {
                    "t": _text(title.group(1)).rsplit(" · ", 1)[0] if title else page_file,
                    "u": page_file,
                    "x": _text(main.group(2))[:600] if main else "",
                    "l": language,
                }
            )
        for base, items in entries.items():
            payload = json.dumps(items, ensure_ascii=False, separators=(",", ":"))
            self.write(f"{base}{SEARCH_DIR}/fallback-index.js", f"window.mirrorSearchIndex={payload};\n".encode())

    def index_search(self):
        """Pagefind's index of the pages (not the single-filter copies of the lists, which repeat them)."""
        command = [sys.executable, "-m", "pagefind", "--site", str(self.root), "--glob", "**/index.html"]
        command += ["--output-subdir", "pagefind", "--keep-index-url", "--root-selector", "main", "--silent"]
        command += ["--exclude-selectors", ".find-panel", "--exclude-selectors", ".mirror-search"]
        subprocess.run(command, check=True, capture_output=True)

    def build(self):
        started = time.monotonic()
        self.root.mkdir(parents=True, exist_ok=True)
        if any(self.root.iterdir()):
            raise FileExistsError(f"{self.root} is not empty: a mirror is written into a new folder.")
        self.crawl()
        crawled = time.monotonic()
        self.log(f"{self.pages} pages found in {crawled - started:.1f} s")
        self.write_own_pages()
        self.write_pages()
        self.copy_static()
        self.write_fallback_index()
        search_started = time.monotonic()
        self.index_search()
        search_seconds = time.monotonic() - search_started
        manifest = {
            "built": self.stamp.built,
            "code": self.stamp.code,
            "release": self.stamp.release_number,
            "release_date": self.stamp.release_date,
            "site": self.site,
            "host": self.client.defaults.get("HTTP_HOST"),
            "aliases": dict(sorted(self.aliases.items())),
            "own": sorted(self.own),
            "pages": {url: path for url, path in sorted(self.urls.items())},
        }
        self.write(MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode())
        files = [path for path in self.root.rglob("*") if path.is_file()]
        return Result(
            root=self.root,
            pages=self.pages,
            files=len(files),
            bytes=sum(path.stat().st_size for path in files),
            seconds=time.monotonic() - started,
            search_seconds=search_seconds,
            urls=dict(self.urls),
        )


def build(root, stamp=None, *, site_url=None, log=None):
    return Builder(root, stamp or Stamp.now(), site_url=site_url, log=log).build()


def zip_folder(folder, target):
    """The mirror as one zip (inside it, one folder named after the zip), files in a fixed order."""
    folder = Path(folder)
    top = Path(target).stem
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{path.relative_to(folder).as_posix()}")
    return Path(target)


def remove(folder):
    shutil.rmtree(folder, ignore_errors=True)
