"""Shared by the OAI-PMH tests: schema validation of responses, and sickle harvesting through the test client."""

from pathlib import Path
from urllib.parse import urlsplit

import sickle.app
from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas" / "oai"
NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
_SCHEMA = []


def schema():
    """OAI-PMH 2.0 with oai_dc, read once (tests/schemas/oai/: no network needed)."""
    if not _SCHEMA:
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(SCHEMAS / "responses.xsd"))))
    return _SCHEMA[0]


def valid_tree(response):
    """The response's XML, after checking it is OAI-PMH 2.0 as the schema says (AssertionError otherwise)."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/xml")
    tree = etree.fromstring(response.content)
    checker = schema()
    assert checker.validate(tree), checker.error_log
    return tree


def error_code(tree):
    found = tree.find("oai:error", NS)
    return found.get("code") if found is not None else None


class _Response:
    """What sickle reads of a requests.Response, from a Django test response."""

    def __init__(self, response):
        self.status_code = response.status_code
        self.content = response.content
        self.text = response.content.decode("utf-8")
        self.headers = dict(response.items())

    def raise_for_status(self):
        assert self.status_code < 400, self.status_code


class ClientTransport:
    """Stands in for the `requests` module inside sickle: the harvest goes through Django's test client (no
    server, no thread), while sickle itself parses the responses and follows the resumption tokens."""

    def __init__(self, client):
        self.client = client
        self.requests = []

    def get(self, url, params=None, **kwargs):
        self.requests.append(params)
        return _Response(self.client.get(urlsplit(url).path, params))

    def post(self, url, data=None, **kwargs):
        self.requests.append(data)
        return _Response(self.client.post(urlsplit(url).path, data))


def harvester(monkeypatch, client, **options):
    transport = ClientTransport(client)
    monkeypatch.setattr(sickle.app, "requests", transport)
    return sickle.Sickle("http://testserver/oai/", **options), transport
