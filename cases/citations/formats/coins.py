"""COinS: an OpenURL in a span's title, which lets Zotero pick items off a list page."""

import html
from urllib.parse import urlencode

from django.utils.safestring import mark_safe

from cases.citations.formats.common import issued, name_inverted, page_range


def coins_title(item):
    """The value of a COinS span's title attribute (OpenURL 1.0 key/encoded values), not yet HTML-escaped."""
    csl_type = item.get("type", "")
    pairs = [("ctx_ver", "Z39.88-2004")]
    container = item.get("container-title", "")
    if csl_type in ("article-journal", "article-newspaper"):
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
            ("rft.genre", "article"),
            ("rft.atitle", item.get("title", "")),
            ("rft.jtitle", container),
            ("rft.volume", item.get("volume", "")),
            ("rft.issue", item.get("issue", "")),
        ]
    elif csl_type in ("book", "chapter", "report"):
        pairs.append(("rft_val_fmt", "info:ofi/fmt:kev:mtx:book"))
        if csl_type == "chapter":
            pairs += [("rft.genre", "bookitem"), ("rft.atitle", item.get("title", "")), ("rft.btitle", container)]
        else:
            pairs += [("rft.genre", "report" if csl_type == "report" else "book"), ("rft.btitle", item.get("title"))]
        pairs += [("rft.pub", item.get("publisher", "")), ("rft.place", item.get("publisher-place", ""))]
    else:
        pairs += [
            ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
            ("rft.type", csl_type),
            ("rft.title", item.get("title", "")),
            ("rft.source", container),
        ]
    first, last = page_range(item)
    pairs += [("rft.spage", first), ("rft.epage", last)]
    date = issued(item)
    if date:
        pairs.append(("rft.date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date))))
    is_dc = csl_type not in ("article-journal", "article-newspaper", "book", "chapter", "report")
    for name in item.get("author", []):
        if is_dc:
            pairs.append(("rft.creator", name_inverted(name)))
        elif "literal" in name:
            pairs.append(("rft.aucorp", name["literal"]))
        else:
            pairs += [("rft.au", name_inverted(name))]
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if item.get("URL"):
        pairs.append(("rft_id", item["URL"]))
    return urlencode([(k, v) for k, v in pairs if v])


def coins_span(item):
    return mark_safe(f'<span class="Z3988" title="{html.escape(coins_title(item), quote=True)}"></span>')
