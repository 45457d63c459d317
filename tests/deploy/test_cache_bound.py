"""The shared cache stays within its bound: a Redis configured as deploy/redis.conf says keeps the page cache within
`maxmemory`, evicting the least recently used pages, and the site keeps caching.

Starts a Redis of its own on loopback with deploy/redis.conf, its `maxmemory` lowered to 2 MB so that a few
hundred pages fill it. Needs redis-server (installed by .ci/run).
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.urls import reverse

from tests.deploy.servers import free_port

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
MAXMEMORY = 2 * 1024 * 1024


@pytest.fixture
def bounded_redis(tmp_path):
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed"
    port = free_port()
    process = subprocess.Popen(
        [server, str(ROOT / "deploy" / "redis.conf"), "--port", str(port), "--bind", "127.0.0.1"]
        + ["--save", "", "--appendonly", "no", "--dir", str(tmp_path), "--maxmemory", str(MAXMEMORY)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_documented_redis_keeps_the_page_cache_within_its_memory(db, client, settings, bounded_redis):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": bounded_redis}
    }
    settings.PAGE_CACHE_ENABLED = True
    server = redis.Redis.from_url(bounded_redis)
    assert server.config_get("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru"

    for n in range(300):
        assert client.get(reverse("search") + f"?q=word{n}")["X-Cache"] == "MISS"

    memory, stats = server.info("memory"), server.info("stats")
    assert stats["evicted_keys"] > 0, "the pages never filled the cache: make them more or larger"
    assert memory["used_memory"] <= MAXMEMORY
    # Still a working cache: the newest pages are there, and a page stored now is served next time.
    assert client.get(reverse("search") + "?q=word299")["X-Cache"] == "HIT"
    assert client.get(reverse("search") + "?q=fresh")["X-Cache"] == "MISS"
    assert client.get(reverse("search") + "?q=fresh")["X-Cache"] == "HIT"
