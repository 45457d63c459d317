"""Every log line written while a request is served carries its request id, Django's own 500 traceback too, so
the id a reader quotes from an error page (X-Request-ID) finds what went wrong."""

import copy
import io
import json
import logging
import logging.config

import pytest
from django.test import Client
from django.utils.log import configure_logging

from cases.core.logging import RequestIdFilter, current_request_id
from labourarchive.settings import base


@pytest.fixture
def production_logging(settings):
    """The logging of every real environment (handler, filter, JSON formatter), its lines kept; the test settings'
    logging again after."""
    config = copy.deepcopy(base.LOGGING)
    stream = config["handlers"]["console"]["stream"] = io.StringIO()
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def test_djangos_500_traceback_carries_the_request_id_sent_back(settings, production_logging):
    settings.ROOT_URLCONF = "tests.error_urls"
    response = Client(raise_request_exception=False).get("/test-errors/500/")
    assert response.status_code == 500
    lines = production_logging()
    (error,) = [line for line in lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert "secret-detail-for-500" in error["exception"]
    assert error["request_id"] == response["X-Request-ID"]
    (request_line,) = [line for line in lines if line["logger"] == "labourarchive.request"]
    assert request_line["request_id"] == response["X-Request-ID"]


def test_the_id_a_proxy_sent_is_the_one_logged(settings, production_logging):
    settings.ROOT_URLCONF = "tests.error_urls"
    response = Client(raise_request_exception=False).get("/test-errors/500/", HTTP_X_REQUEST_ID="nginx-0123456789")
    assert response["X-Request-ID"] == "nginx-0123456789"
    (error,) = [line for line in production_logging() if line["logger"] == "django.request"]
    assert error["request_id"] == "nginx-0123456789"


def test_records_outside_a_request_and_records_with_their_own_id_are_left_alone():
    outside = logging.makeLogRecord({"msg": "startup"})
    assert RequestIdFilter().filter(outside) and not hasattr(outside, "request_id")
    token = current_request_id.set("abcdef0123456789")
    try:
        own = logging.makeLogRecord({"msg": "x", "request_id": "mine-0123456789"})
        inside = logging.makeLogRecord({"msg": "y"})
        RequestIdFilter().filter(own)
        RequestIdFilter().filter(inside)
    finally:
        current_request_id.reset(token)
    assert (own.request_id, inside.request_id) == ("mine-0123456789", "abcdef0123456789")
