"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html): the six verbs, their arguments and
errors, stateless resumption tokens, and the XML of the responses.

- Identifiers are `oai:<repository>:<kind>/<slug>` (the kind's key from the registry, the entry's slug); the
  repository is OAI_REPOSITORY_IDENTIFIER, or the host the archive is served at.
- Sets: one per registered kind (its key). Metadata format: `oai_dc` (simple Dublin Core, cases/keeping/records.py).
- Datestamps are the entries' `updated_at` to the second (cases/keeping/datestamps.py keeps it moving with the
  record). `from` and `until` are inclusive, as a day or as a second in UTC.
- A withdrawn entry that was published is a deleted record (`deletedRecord` persistent): header only.
- A resumption token is a signed cursor (the request's arguments, the kind and primary key it stopped at, how many
  records were sent before): nothing is kept on the server, and a token never expires. A tampered token, or one
  given to another verb, is a badResumptionToken.
"""

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from lxml import etree

from cases.core import registry

from . import records, selectors

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC)}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "cases.keeping.oai.resumption"

# The arguments each verb takes: required, optional, exclusive (a resumptionToken stands alone).
VERBS = {
    "Identify": ((), (), None),
    "ListMetadataFormats": ((), ("identifier",), None),
    "ListSets": ((), (), "resumptionToken"),
    "GetRecord": (("identifier", "metadataPrefix"), (), None),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set"), "resumptionToken"),
}
# Characters XML 1.0 cannot carry: an argument holding one is refused before it is echoed or looked up.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OAIError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Harvest:
    """What a list request asks for, and where a resumption token says it stopped."""

    verb: str
    prefix: str = "oai_dc"
    set_spec: str | None = None
    since: str | None = None  # `from`, as given
    until: str | None = None
    kind: str | None = None  # the kind the last page stopped in, and the primary key it stopped at
    after: int = 0
    cursor: int = 0

    def token(self):
        state = [self.verb, self.prefix, self.set_spec, self.since, self.until, self.kind, self.after, self.cursor]
        return signing.dumps(state, salt=TOKEN_SALT, compress=True)

    @classmethod
    def from_token(cls, verb, token):
        try:
            state = signing.loads(token, salt=TOKEN_SALT)
            harvest = cls(*state)
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise OAIError("badResumptionToken", "The resumption token is not one this repository gave.") from error
        if harvest.verb != verb:
            raise OAIError("badResumptionToken", f"The resumption token was given for {harvest.verb}, not {verb}.")
        return harvest


def now():
    return datetime.now(UTC)


def stamp(moment):
    """A datestamp at the repository's granularity: UTC, to the second."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value, name):
    """(datetime, granularity) of a `from`/`until` argument; badArgument for anything else."""
    try:
        if _DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), "day"
        if _SECOND.match(value):
            return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), "second"
    except ValueError:
        pass
    raise OAIError("badArgument", f"{name} must be a date (YYYY-MM-DD) or a time in UTC (YYYY-MM-DDThh:mm:ssZ).")


def date_range(since, until):
    """[since, before) for the query, from the inclusive `from` and `until` of a request."""
    start = end = None
    grains = set()
    if since:
        start, grain = parse_date(since, "from")
        grains.add(grain)
    if until:
        until_value, grain = parse_date(until, "until")
        grains.add(grain)
        end = until_value + (timedelta(days=1) if grain == "day" else timedelta(seconds=1))
    if len(grains) > 1:
        raise OAIError("badArgument", "from and until must have the same granularity.")
    if start is not None and end is not None and start >= end:
        raise OAIError("badArgument", "from must not be later than until.")
    return start, end


def repository_identifier(base):
    configured = getattr(settings, "OAI_REPOSITORY_IDENTIFIER", "")
    if configured:
        return configured
    host = re.sub(r"^[a-z]+://", "", base).split("/")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host or "localhost"


def identifier(repository, kind, slug):
    return f"oai:{repository}:{kind.key}/{slug}"


def parse_identifier(repository, value):
    """(kind, slug) an identifier names, or idDoesNotExist."""
    prefix = f"oai:{repository}:"
    if value.startswith(prefix) and "/" in value[len(prefix) :]:
        key, slug = value[len(prefix) :].split("/", 1)
        try:
            return registry.kind_by_key(key), slug
        except LookupError:
            pass
    raise OAIError("idDoesNotExist", "This repository has no record with that identifier.")


def check_arguments(arguments):
    """The verb and its arguments ({name: value}) from the request's {name: [values]}, or an OAIError."""
    verbs = arguments.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OAIError("badVerb", "The verb is missing, repeated or not one of OAI-PMH's six.")
    verb = verbs[0]
    required, optional, exclusive = VERBS[verb]
    allowed = {"verb", *required, *optional, *([exclusive] if exclusive else [])}
    unknown = sorted(set(arguments) - allowed)
    if unknown:
        raise OAIError("badArgument", f"{verb} does not take {', '.join(unknown)}.")
    repeated = sorted(name for name, values in arguments.items() if len(values) > 1)
    if repeated:
        raise OAIError("badArgument", f"Arguments given more than once: {', '.join(repeated)}.")
    values = {name: values[0] for name, values in arguments.items() if name != "verb"}
    if any(_NOT_XML.search(value) for value in values.values()):
        raise OAIError("badArgument", "An argument holds a character XML cannot carry.")
    if exclusive and exclusive in values:
        if len(values) > 1:
            raise OAIError("badArgument", f"{exclusive} is an exclusive argument: give it alone.")
        return verb, values
    missing = [name for name in required if not values.get(name)]
    if missing:
        raise OAIError("badArgument", f"{verb} needs {', '.join(missing)}.")
    return verb, values


# --- XML ----------------------------------------------------------------------------------------------------------


def _element(parent, tag, text=None, **attributes):
    node = etree.SubElement(parent, f"{{{OAI}}}{tag}", {k: v for k, v in attributes.items() if v is not None})
    if text is not None:
        node.text = text
    return node


def envelope(base_url, verb=None, arguments=None):
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {SCHEMA}")
    _element(root, "responseDate", stamp(now()))
    request = _element(root, "request", base_url)
    if verb is not None:
        request.set("verb", verb)
        for name, value in (arguments or {}).items():
            request.set(name, value)
    return root


def serialise(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def error_response(base_url, error, verb=None, arguments=None):
    # After badVerb or badArgument the request element carries the base URL only (the protocol, 3.6).
    echo = error.code not in ("badVerb", "badArgument")
    root = envelope(base_url, verb if echo else None, arguments if echo else None)
    _element(root, "error", error.message, code=error.code)
    return serialise(root)


def header(parent, repository, kind, slug, updated_at, live):
    node = _element(parent, "header", status=None if live else "deleted")
    _element(node, "identifier", identifier(repository, kind, slug))
    _element(node, "datestamp", stamp(updated_at))
    _element(node, "setSpec", kind.key)
    return node


def dublin_core(parent, kind, entry, absolute):
    metadata = _element(parent, "metadata")
    dc = etree.SubElement(metadata, f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    dc.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {OAI_DC_SCHEMA}")
    for name, value in records.elements(kind, entry, absolute):
        etree.SubElement(dc, f"{{{DC}}}{name}").text = _NOT_XML.sub("", value)
    return metadata


# --- Verbs ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Repository:
    """What a response needs to know of where it is served."""

    base_url: str  # the OAI endpoint's absolute address
    site: str  # the site's address, for absolute links in records
    page_size: int

    @property
    def identifier(self):
        return repository_identifier(self.site)

    def absolute(self, path):
        return self.site + path


def identify(repo, root):
    node = _element(root, "Identify")
    _element(node, "repositoryName", records.PUBLISHER)
    _element(node, "baseURL", repo.base_url)
    _element(node, "protocolVersion", "2.0")
    _element(node, "adminEmail", settings.OAI_ADMIN_EMAIL)
    earliest = selectors.earliest_datestamp()
    _element(node, "earliestDatestamp", stamp(earliest) if earliest else "2000-01-01T00:00:00Z")
    _element(node, "deletedRecord", "persistent")
    _element(node, "granularity", GRANULARITY)


def list_metadata_formats(repo, root, arguments):
    if "identifier" in arguments:
        get_header(repo, arguments["identifier"])
    node = _element(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        entry = _element(node, "metadataFormat")
        _element(entry, "metadataPrefix", prefix)
        _element(entry, "schema", schema)
        _element(entry, "metadataNamespace", namespace)


def list_sets(repo, root, arguments):
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "ListSets fits on one page: this repository gives no token for it.")
    node = _element(root, "ListSets")
    for kind in registry.kinds():
        entry = _element(node, "set")
        _element(entry, "setSpec", kind.key)
        _element(entry, "setName", str(kind.plural))


def check_prefix(prefix):
    if prefix not in FORMATS:
        raise OAIError("cannotDisseminateFormat", f"Records are available as {', '.join(FORMATS)} only.")


def get_header(repo, value):
    kind, slug = parse_identifier(repo.identifier, value)
    found = selectors.header_by_slug(kind, slug)
    if found is None:
        raise OAIError("idDoesNotExist", "This repository has no record with that identifier.")
    return kind, found


def get_record(repo, root, arguments):
    check_prefix(arguments["metadataPrefix"])
    kind, (pk, slug, updated_at, live) = get_header(repo, arguments["identifier"])
    node = _element(_element(root, "GetRecord"), "record")
    header(node, repo.identifier, kind, slug, updated_at, live)
    if live:
        entry = selectors.entries(kind, [pk]).get(pk)
        dublin_core(node, kind, entry, repo.absolute)


def list_records(repo, root, arguments, verb):
    if "resumptionToken" in arguments:
        harvest = Harvest.from_token(verb, arguments["resumptionToken"])
    else:
        harvest = Harvest(
            verb, arguments["metadataPrefix"], arguments.get("set"), arguments.get("from"), arguments.get("until")
        )
    check_prefix(harvest.prefix)
    since, before = date_range(harvest.since, harvest.until)
    kinds = selectors.record_kinds(harvest.set_spec)
    keys = [kind.key for kind in kinds]
    if harvest.kind is not None and harvest.kind not in keys:
        raise OAIError("badResumptionToken", "The resumption token names a set this repository no longer has.")
    total = sum(selectors.count(kind, since, before) for kind in kinds)
    if harvest.kind is not None:
        kinds = kinds[keys.index(harvest.kind) :]

    # Up to a page of headers, kind after kind; one more row than needed says whether a next page exists.
    page, more, last = [], False, None
    for kind in kinds:
        after = harvest.after if kind.key == harvest.kind else 0
        room = repo.page_size - len(page)
        rows = selectors.headers(kind, since, before, after=after, limit=room + 1)
        if room == 0:
            more = bool(rows)
            if more:
                last = (kind.key, 0)
            break
        if len(rows) > room:
            page += [(kind, row) for row in rows[:room]]
            more, last = True, (kind.key, rows[room - 1][0])
            break
        page += [(kind, row) for row in rows]
        if page:
            last = (kind.key, page[-1][1][0])
    if not page:
        raise OAIError("noRecordsMatch", "No record matches these arguments.")

    node = _element(root, verb)
    full = {}
    if verb == "ListRecords":
        for kind in {kind.key: kind for kind, _row in page}.values():
            full[kind.key] = selectors.entries(kind, [row[0] for k, row in page if k is kind and row[3]])
    for kind, (pk, slug, updated_at, live) in page:
        if verb == "ListIdentifiers":
            header(node, repo.identifier, kind, slug, updated_at, live)
            continue
        record = _element(node, "record")
        header(record, repo.identifier, kind, slug, updated_at, live)
        entry = full[kind.key].get(pk) if live else None
        if entry is not None:
            dublin_core(record, kind, entry, repo.absolute)
        elif live:  # became unpublished between the two reads: report what the public sees now
            record.find(f"{{{OAI}}}header").set("status", "deleted")
    if more or harvest.cursor:
        token = ""
        if more:
            token = replace(harvest, kind=last[0], after=last[1], cursor=harvest.cursor + len(page)).token()
        _element(node, "resumptionToken", token, completeListSize=str(total), cursor=str(harvest.cursor))


def respond(repo, arguments):
    """The response body (bytes) to a request with `arguments` ({name: [values]})."""
    verb = None
    try:
        verb, values = check_arguments(arguments)
        root = envelope(repo.base_url, verb, values)
        if verb == "Identify":
            identify(repo, root)
        elif verb == "ListMetadataFormats":
            list_metadata_formats(repo, root, values)
        elif verb == "ListSets":
            list_sets(repo, root, values)
        elif verb == "GetRecord":
            get_record(repo, root, values)
        else:
            list_records(repo, root, values, verb)
        return serialise(root)
    except OAIError as error:
        echoed = {name: values[0] for name, values in arguments.items() if name != "verb"} if verb else None
        return error_response(repo.base_url, error, verb, echoed)
