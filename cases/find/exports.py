"""CSV and JSON downloads of every list, with the list's filters.

Both are streamed: rows are read from the database in chunks (`.iterator()`, with the list's prefetches per
chunk) and written out as they come, so a large result never sits in memory. CSV cells that a spreadsheet
would read as a formula are prefixed with an apostrophe.

The columns are the listed fields of the kind's declaration (cases/find/representation.py), so a download
names and values its fields as the API does.
"""

import csv
import json
from itertools import islice

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext

CHUNK_SIZE = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell: lists joined with "; ", booleans as yes/no, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        # Only the start of a cell can start a formula: escape the joined cell, not each item.
        value = "; ".join("" if item is None else str(item) for item in value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def _csv_lines(columns, rows, request):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so spreadsheet programs read UTF-8 (Chinese names) correctly
    yield writer.writerow([column.name for column in columns])
    for row in rows:
        yield writer.writerow([csv_cell(column.cell_value(column.value(row, request))) for column in columns])


def _json_chunks(columns, rows, request, filters):
    yield '{"filters": ' + json.dumps(filters, ensure_ascii=False) + ', "results": ['
    separator = "\n"
    for row in rows:
        item = {column.name: column.value(row, request) for column in columns}
        yield separator + json.dumps(item, ensure_ascii=False, cls=DjangoJSONEncoder)
        separator = ",\n"
    yield "\n]}\n"


def _next_batch(chunks, size=200):
    return "".join(islice(chunks, size))


async def _pulled(chunks):
    # In the request's own thread (thread-sensitive): the rows come from its database connection and cursor.
    pull = sync_to_async(_next_batch, thread_sensitive=True)
    while batch := await pull(chunks):
        yield batch


def streamed(request, chunks):
    """Chunks as the server streams them: under ASGI, Django would read a plain iterator to its end before
    sending anything, so there they are pulled a batch at a time."""
    return _pulled(iter(chunks)) if isinstance(request, ASGIRequest) else chunks


def export(request, filterset_class, queryset, *, fmt, filename, columns, rows=None):
    """The filtered list as a streamed download; invalid filters answer 400 with what to correct.

    `columns` are the declared fields (`Representation.columns`). `rows(queryset, chunk_size)` may replace the
    plain chunked iterator, e.g. to attach related names per chunk.
    """
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        lines = [f"{name}: {message}" for name, messages in filterset.errors.items() for message in messages]
        return HttpResponse(
            gettext("The filters could not be applied:") + "\n" + "\n".join(lines) + "\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = rows(filterset.qs, CHUNK_SIZE) if rows else filterset.qs.iterator(chunk_size=CHUNK_SIZE)
    if fmt == "csv":
        response = StreamingHttpResponse(
            streamed(request, _csv_lines(columns, rows, request)), content_type="text/csv; charset=utf-8"
        )
    else:
        filters = {
            name: value if isinstance(value, list) else str(value)
            for name, value in filterset.form.cleaned_data.items()
            if value not in (None, "", [])
        }
        response = StreamingHttpResponse(
            streamed(request, _json_chunks(columns, rows, request, filters)),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
