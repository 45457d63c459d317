"""Two small answers every site owes a browser: /favicon.ico, and the site's address for printed link targets."""

import re

from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from cases.core.addresses import base_url
from cases.core.cache import cache_params

_UNSAFE_IN_CSS_STRING = re.compile(r'[\\"\x00-\x1f\x7f]')


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to: send them to the icon among the static files."""
    return HttpResponseRedirect(static("img/favicon.ico"))


@require_safe
@cache_params()
@cache_control(max_age=86400)
def print_addresses(request):
    """A print-only stylesheet holding the site's address (cases/core/addresses.py: SITE_URL, else the address
    the request came to): printed pages write a link's target out in full (static/css/site.css), and a CSS
    `attr(href)` alone would print `/sources/pringle-2018/`, which leads nowhere on paper."""
    site = _UNSAFE_IN_CSS_STRING.sub("", base_url(request))
    body = f':root {{ --site-url: "{site}"; }}\n'
    return HttpResponse(body, content_type="text/css; charset=utf-8")
