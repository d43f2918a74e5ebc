"""The diary's part in retention and the subject-access export: the place text and the history go, the
figures stay; the export lists every planned contact."""

import pytest

from casework.privacy.registry import participants
from casework.privacy.services import subject_access_build
from diary.models import PlannedContact
from diary.privacy import anonymise_planned_contacts

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_planned_contacts(contact, detainee):
    data = subject_access_build(detainee)["sections"]["diary"]["planned_contacts"]
    assert [(row["id"], row["place"], row["duration_minutes"]) for row in data] == [(contact.pk, "Bezoekzaal 2", 45)]


def test_anonymisation_empties_the_place_and_the_history_and_keeps_the_figures(contact, detainee, consultant):
    assert "diary" in {participant.name for participant in participants()}
    assert contact.events.exists()
    changes = anonymise_planned_contacts(detainee, consultant)
    assert changes == {"history_PlannedContactEvent": 1, "planned_contacts": 1}
    kept = PlannedContact.objects.get()
    assert (kept.place, kept.duration_minutes, kept.kind, kept.starts_at) == ("", 45, "visit", contact.starts_at)
    # What the history keeps is the anonymised row only (the emptying itself is a change, recorded as such).
    assert [event.place for event in contact.events.all()] == [""]
