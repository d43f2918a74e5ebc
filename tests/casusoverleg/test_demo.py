"""The demo conferences load through the services and a second run adds nothing."""

import random

import pytest

from casusoverleg import demo
from casusoverleg.models import Conference, Minutes

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(django_capture_on_commit_callbacks):
    from casework import demo as casework_demo

    casework_demo.seed(rng=random.Random(1), stdout=None)
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(rng=random.Random(2))
    count = Conference.objects.count()
    assert count > 0
    assert Minutes.objects.filter(status="approved").count() == count // 2
    demo.seed(rng=random.Random(2))
    assert Conference.objects.count() == count
