"""The API's pager for big lists: keyset pages by default, page numbers on request, a bounded count (ADR 0036).

`GET /api/v1/sessions/` answers the newest 50 and a `next` link carrying an opaque `cursor`; following it costs
the same one query at any depth. A client that pages by number (`?page=3`) still can: the rows come by OFFSET,
which is fine for the first pages a person clicks through. In both modes `count` is counted up to
`COUNT_LIMIT` rows only, and `count_exact` says whether it is the whole number: no request counts a million rows.
"""

from __future__ import annotations

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .keyset import COUNT_LIMIT, CURSOR_PARAM, FIRST_PAGE, bounded_count, keyset_page

# Deeper than this by number is what cursors are for (and an OFFSET past a bigint is an error, not a page).
MAX_PAGE = 10_000


class KeysetPagination(BasePagination):
    page_size = 50
    time_field = "created_at"
    page_query_param = "page"
    cursor_query_param = CURSOR_PARAM

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.time_field = getattr(view, "keyset_time_field", self.time_field)
        self.count, self.count_exact = bounded_count(queryset)
        raw_page = request.query_params.get(self.page_query_param)
        if raw_page is not None:
            return self._by_number(queryset, raw_page)
        self.number = None
        self.page = keyset_page(
            queryset,
            time_field=self.time_field,
            size=self.page_size,
            cursor=request.query_params.get(self.cursor_query_param),
        )
        return list(self.page.object_list)

    def _by_number(self, queryset, raw_page):
        try:
            number = int(raw_page)
            if not 1 <= number <= MAX_PAGE:
                raise InvalidPage
        except (TypeError, ValueError, InvalidPage):
            raise NotFound(detail="Invalid page.") from None
        start = (number - 1) * self.page_size
        rows = list(queryset.order_by(f"-{self.time_field}", "-pk")[start : start + self.page_size + 1])
        if not rows and number > 1:
            raise NotFound(detail="Invalid page.")
        self.number = number
        self.has_more = len(rows) > self.page_size
        return rows[: self.page_size]

    def _links(self):
        url = self.request.build_absolute_uri()
        if self.number is not None:
            next_url = replace_query_param(url, self.page_query_param, self.number + 1) if self.has_more else None
            if self.number <= 1:
                previous_url = None
            elif self.number == 2:
                previous_url = remove_query_param(url, self.page_query_param)
            else:
                previous_url = replace_query_param(url, self.page_query_param, self.number - 1)
            return next_url, previous_url
        next_url = previous_url = None
        if self.page.next_cursor:
            next_url = replace_query_param(url, self.cursor_query_param, self.page.next_cursor)
        if self.page.previous_cursor == FIRST_PAGE:
            previous_url = remove_query_param(url, self.cursor_query_param)
        elif self.page.previous_cursor:
            previous_url = replace_query_param(url, self.cursor_query_param, self.page.previous_cursor)
        return next_url, previous_url

    def get_paginated_response(self, data):
        next_url, previous_url = self._links()
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_exact", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"The number of rows, counted up to {COUNT_LIMIT}.",
                },
                "count_exact": {
                    "type": "boolean",
                    "description": f"False when there are more than {COUNT_LIMIT} rows.",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://api.example.org/accounts/?cursor=bnwyMDI2LTAxLTAx",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "http://api.example.org/accounts/?cursor=cHwyMDI2LTAxLTAx",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The position of the page (from `next` or `previous`); the newest rows without it.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number instead of a cursor (1-based); deep pages are slower than cursors.",
                "schema": {"type": "integer"},
            },
        ]
