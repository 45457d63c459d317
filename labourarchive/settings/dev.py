"""Local development: debug on, permissive hosts."""

from .base import *  # noqa: F403
from .base import env

# Debug pages by default; `make run` sets DEBUG=0 to serve as production does (designed error pages).
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
