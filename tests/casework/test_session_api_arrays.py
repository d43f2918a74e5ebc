"""The sessions API reads each many-to-many relation as an array annotation (`SessionQuerySet.for_api`) instead of
four prefetches: the answer is the same as the prefetched objects give, in the same order, and a page costs the
same number of queries whatever it holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import Organisation
from casework.models import InterventionModule, LifeDomain, Session
from casework.serializers import SessionSerializer
from tests.factories import NetworkPersonFactory, OrganisationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _rich_session(detainee, author, n):
    session = SessionFactory(detainee=detainee, author=author)
    session.domains.set(LifeDomain.objects.order_by("-code")[: 1 + n % 3])
    session.modules.set(InterventionModule.objects.filter(is_active=True).order_by("-code")[: n % 3])
    session.participants.set([NetworkPersonFactory(detainee=detainee, name=f"Persoon {9 - i}") for i in range(n % 3)])
    session.partner_organisations.set(
        [OrganisationFactory(kind=Organisation.Kind.EMPLOYMENT, name=f"Partner {9 - i}") for i in range(n % 2 + 1)]
    )
    return session


def test_the_arrays_say_what_the_prefetched_objects_say(detainee, consultant):
    for n in range(6):
        _rich_session(detainee, consultant, n)
    context = {"confidential_detainee_ids": {detainee.pk}, "health_detainee_ids": {detainee.pk}}
    ordered = Session.objects.filter(detainee=detainee).order_by("pk")
    arrays = SessionSerializer(ordered.for_api(), many=True, context=context).data
    prefetched = SessionSerializer(ordered.for_timeline(), many=True, context=context).data
    assert arrays == prefetched
    assert any(len(row["domains"]) > 1 and len(row["participants"]) > 1 for row in arrays)


def test_a_page_of_sessions_costs_the_same_queries_with_one_or_many_rows(detainee, consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    _rich_session(detainee, consultant, 2)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/api/v1/sessions/?detainee={detainee.pk}").status_code == 200
    for n in range(12):
        _rich_session(detainee, consultant, n)
    with CaptureQueriesContext(connection) as many:
        answer = client.get(f"/api/v1/sessions/?detainee={detainee.pk}")
    assert answer.status_code == 200 and len(answer.json()["results"]) == 13
    assert len(many) == len(one)
    assert not any("casework_session_domains" in q["sql"] and "IN (" in q["sql"] for q in many.captured_queries)
