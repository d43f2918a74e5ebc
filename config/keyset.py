"""Keyset ("cursor") pages over big lists, newest first, without counting them (ADR 0036).

A page is the next `size` rows after a position `(moment, id)` in the order `moment DESC, id DESC`: one query
that walks an index on the same two columns, whatever the page's depth. The id breaks ties, so rows with the same
moment are neither repeated nor skipped across pages. The position travels as an opaque token (`?cursor=`);
a token that does not decode is the first page, never an error.

`bounded_count` tells "how many" up to a ceiling (`COUNT(*)` over at most `limit + 1` rows), for pages and
API answers that still show a number: never a count of the whole table.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

CURSOR_PARAM = "cursor"
COUNT_LIMIT = 1000
# The largest id a bigint column holds: a token naming a larger one is not ours.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Position:
    at: dt.datetime
    # An integer id, or a text key (the change history's event slug, never all digits).
    pk: int | str
    # True: the page before this position (newer rows), False: the page after it (older rows).
    backwards: bool = False


def encode_cursor(position: Position) -> str:
    raw = f"{'p' if position.backwards else 'n'}|{position.at.isoformat()}|{position.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str | None) -> Position | None:
    """The position in a token, or None (first page) for a missing or unreadable one."""
    if not token or len(token) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        direction, at, pk = raw.split("|", 2)
        moment = dt.datetime.fromisoformat(at)
        moment.astimezone(dt.UTC)  # a moment at the edge of the calendar overflows here, not in the database
        if direction not in ("n", "p") or moment.tzinfo is None or not pk:
            return None
        key = int(pk) if pk.isdigit() else pk
        if isinstance(key, int) and key > MAX_ID:
            return None
        return Position(moment, key, backwards=direction == "p")
    except (ValueError, OverflowError, UnicodeDecodeError, binascii.Error):
        return None


@dataclass
class KeysetPage:
    """One page: its rows, and the tokens of the pages before (newer) and after (older) it."""

    object_list: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    first: bool = True
    base_query: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def _query(self, cursor: str | None) -> str:
        query = {key: value for key, value in self.base_query.items() if key not in (CURSOR_PARAM, "page")}
        if cursor:
            query[CURSOR_PARAM] = cursor
        return "?" + urlencode(query) if query else "?"

    @property
    def next_query(self) -> str:
        return self._query(self.next_cursor)

    @property
    def previous_query(self) -> str:
        # The page before the second page is the first page: its link carries no token.
        return self._query(None if self.previous_cursor == FIRST_PAGE else self.previous_cursor)


# The token of "the newest rows": the previous page of the second page.
FIRST_PAGE = "first"


def keyset_page(
    queryset: QuerySet, *, time_field: str, cursor: str | None, size: int, query: dict | None = None
) -> KeysetPage:
    """The page at `cursor` of `queryset` in the order `time_field DESC, id DESC`: one query, `size + 1` rows."""
    position = _of_this_list(decode_cursor(cursor), queryset)
    key = Tuple(F(time_field), F("pk"))
    newest_first = queryset.order_by(f"-{time_field}", "-pk")
    base = dict(query or {})
    if position is None:
        rows = list(newest_first[: size + 1])
        page = KeysetPage(rows[:size], first=True, base_query=base)
        if len(rows) > size:
            page.next_cursor = _cursor_of(rows[size - 1], time_field)
        return page
    if not position.backwards:
        rows = list(newest_first.filter(TupleLessThan(key, (position.at, position.pk)))[: size + 1])
        page = KeysetPage(rows[:size], first=False, base_query=base)
        if len(rows) > size:
            page.next_cursor = _cursor_of(rows[size - 1], time_field)
        # Rows newer than the position exist (the reader came from them); the first row's position finds them.
        page.previous_cursor = _cursor_of(rows[0], time_field, backwards=True) if rows else FIRST_PAGE
        return page
    rows = list(
        queryset.order_by(time_field, "pk").filter(TupleGreaterThan(key, (position.at, position.pk)))[: size + 1]
    )
    more_newer = len(rows) > size
    rows = rows[:size][::-1]
    page = KeysetPage(rows, first=not more_newer, base_query=base)
    if rows:
        page.next_cursor = _cursor_of(rows[-1], time_field)
    if more_newer:
        page.previous_cursor = _cursor_of(rows[0], time_field, backwards=True)
    return page


def _of_this_list(position: Position | None, queryset: QuerySet) -> Position | None:
    """A token's position if its key is of this list's kind: a text key on a list of integer ids (or a moment a
    column cannot hold) is not one of our tokens, so it is the first page, like any token that does not decode."""
    if position is None:
        return None
    try:
        queryset.model._meta.pk.get_prep_value(position.pk)
    except (TypeError, ValueError, OverflowError):
        return None
    return position


def _cursor_of(row, time_field: str, *, backwards: bool = False) -> str:
    value = row[time_field] if isinstance(row, dict) else getattr(row, time_field)
    pk = row["pk"] if isinstance(row, dict) else row.pk
    return encode_cursor(Position(value, pk, backwards=backwards))


def bounded_count(queryset: QuerySet, limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """How many rows, counting at most `limit + 1`: `(count, exact)`; `exact` is False past the ceiling."""
    counted = queryset.order_by()[: limit + 1].count()
    return min(counted, limit), counted <= limit
