import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "labourarchive.settings.dev")

application = get_asgi_application()

# Search reads Chinese with dictionaries that take about a second to load (cases/search/chinese.py): they are
# loaded here, once, before gunicorn forks its workers (preload_app), not by each worker's first Chinese search.
from cases.search.chinese import warm_up  # noqa: E402

warm_up()
