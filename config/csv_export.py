"""The one CSV dialect of the application and the responses that carry it.

Every CSV we hand out opens as columns in a Belgian Excel: `;` as separator (the comma is the decimal sign in
nl_BE and fr_BE), UTF-8 with a byte-order mark, CRLF line ends, quotes only where a value needs them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

BOM = "\ufeff"
CONTENT_TYPE = "text/csv; charset=utf-8"
DELIMITER = ";"

Row = Sequence[Any]


def csv_writer(out: Any):
    """A csv.writer in the application's dialect, writing to `out`."""
    return csv.writer(out, delimiter=DELIMITER)


def csv_text(rows: Iterable[Row]) -> str:
    """`rows` as one CSV text, byte-order mark first."""
    out = io.StringIO()
    csv_writer(out).writerows(rows)
    return BOM + out.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterable[Row], header: Row | None) -> Iterator[str]:
    writer = csv_writer(_Echo())
    yield BOM
    if header is not None:
        yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, rows: Iterable[Row], *, header: Row | None = None) -> StreamingHttpResponse:
    """A download of `header` and `rows`, streamed row by row (a long log never sits in memory whole)."""
    return _attachment(StreamingHttpResponse(_lines(rows, header), content_type=CONTENT_TYPE), filename)


def csv_download(filename: str, text: str) -> HttpResponse:
    """A download of a CSV text already made (by `csv_text`, or stored as such)."""
    return _attachment(HttpResponse(text.encode("utf-8"), content_type=CONTENT_TYPE), filename)
