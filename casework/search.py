"""Finding a person: the one detainee search behind the caseload page, the API's `?search=`, the DPO's
subject-access lookup and the conference planner. See docs/adr/0022-search-that-finds-people.md.

A query is split into terms. A date (dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd) matches the date of birth; a
term that is a valid national number matches it exactly; every other term matches, on the folded
name (`search_name`: lower case, no accents) or its compact form without spaces and punctuation
(`search_compact`, so "vandenbroeck" finds "Van den Broeck"):
- a word that starts with the term (every length);
- for terms of three letters or more, the term anywhere in the compact name, or a name word within
  trigram distance of it (pg_trgm word similarity: typos such as "vandenbroek", "meyer"/"meijer");
- the external reference by prefix.
All terms must match. Results are ranked: whole word, then word prefix, then inside the name, then
fuzzy, by trigram similarity; one- and two-letter terms only match word beginnings, whole words first.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When

from .importer import parse_date
from .text import fold

_DATE = re.compile(r"^(\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2})$")
_NATIONAL_NUMBER = re.compile(r"^\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}$")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
SHORT_TERM = 2


def compact(text: str) -> str:
    """The folded text without spaces and punctuation: "Van den Broeck" and "D'Hondt" → vandenbroeck, dhondt."""
    return _NON_ALNUM.sub("", fold(text))


def _word_start(term: str) -> str:
    # A word starts at the beginning or after a space, hyphen or apostrophe ("d'hondt", "el-amrani").
    return r"(^|[ '\-])" + re.escape(term)


def _split(text: str) -> tuple[list, list[str], list[str]]:
    """(dates, national numbers, name terms) of a query."""
    dates, numbers, terms = [], [], []
    for raw in text.split():
        if _DATE.match(raw) and (date := parse_date(raw)) is not None:
            dates.append(date)
        elif _NATIONAL_NUMBER.match(raw) and len(digits := re.sub(r"\D", "", raw)) == 11:
            numbers.append(digits)
        else:
            term = fold(raw).strip(" .,;")
            if term:
                terms.append(term)
    return dates, numbers, terms


def national_number_filter(numbers: list[str]) -> Q:
    """Exact match on the national number (one Q per number, all must match)."""
    from .models import Detainee

    query = Q()
    for number in numbers:
        query &= Detainee.national_number_q(number)
    return query


def search_detainees(queryset: QuerySet, text: str, *, national_number: bool = True) -> QuerySet:
    """`queryset` narrowed to the detainees matching `text`, annotated with `search_rank` (higher is better).

    `national_number=False` for readers who may not see national numbers (directors, partners): a
    national number in the query then matches nobody, so the search cannot confirm one.
    The caller orders: `order_by(*rank_order(...))`.
    """
    dates, numbers, terms = _split(text or "")
    if not (dates or numbers or terms):
        return queryset.annotate(search_rank=Value(1.0, output_field=FloatField()))
    for date in dates:
        queryset = queryset.filter(date_of_birth=date)
    if numbers:
        if not national_number:
            return queryset.none().annotate(search_rank=Value(1.0, output_field=FloatField()))
        queryset = queryset.filter(national_number_filter(numbers))
    rank_parts = []
    for term in terms:
        term_compact = compact(term)
        word = _word_start(term)
        whole_word = word + r"($|[ '\-])"
        matches = Q(search_name__regex=word) | Q(external_ref__istartswith=term)
        if term_compact and term_compact != term:
            matches |= Q(search_compact__startswith=term_compact)
        if len(term_compact) > SHORT_TERM:
            matches |= Q(search_compact__contains=term_compact)
            # pg_trgm's word similarity (≥ 0.6): to a word of the name, for a typo in one word ("bakali"),
            # and to a stretch of the compact name, for a typo across a particle ("vandenbroek").
            matches |= Q(search_name__trigram_word_similar=term) | Q(search_compact__trigram_word_similar=term_compact)
        queryset = queryset.filter(matches)
        rank = Case(
            When(search_name__regex=whole_word, then=Value(4.0)),
            When(Q(search_name__regex=word) | Q(external_ref__istartswith=term), then=Value(3.0)),
            When(search_compact__contains=term_compact or term, then=Value(2.0)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        rank_parts.append(rank + TrigramWordSimilarity(Value(term_compact or term), "search_compact"))
    if not rank_parts:
        return queryset.annotate(search_rank=Value(1.0, output_field=FloatField()))
    total = rank_parts[0]
    for part in rank_parts[1:]:
        total = total + part
    return queryset.annotate(search_rank=total)


def potential_duplicates(
    queryset: QuerySet,
    *,
    first_name: str,
    last_name: str,
    date_of_birth=None,
    national_number: str = "",
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list:
    """Files in `queryset` that may be the same person: the same national number, or the same date of
    birth and a similar name (trigram similarity of the compact full names ≥ 0.3, or the same surname)."""
    from .models import Detainee

    match = Q(pk__in=[])
    if national_number:
        match |= Detainee.national_number_q(national_number)
    name = compact(f"{first_name} {last_name}")
    if date_of_birth and name:
        match |= Q(date_of_birth=date_of_birth) & (
            Q(search_compact__trigram_similar=name)
            | Q(search_compact__endswith=compact(last_name))
            | Q(search_compact__startswith=compact(last_name))
        )
    if match == Q(pk__in=[]):
        return []
    qs = queryset.filter(match)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.select_related("current_prison").order_by("last_name", "first_name", "pk")[:limit])


def rank_order(*fields: str) -> list:
    """Best match first, then the list's usual order."""
    return [F("search_rank").desc(), *fields]
