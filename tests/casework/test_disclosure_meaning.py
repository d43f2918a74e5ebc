"""The disclosure log reads in each reader's language: a fixed text with parameters is stored as its code
and its parameters (ADR 0035), and records written before are given their meaning by migration 0014."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from casework.models import Basis, Disclosure, Purpose
from casework.services import disclosure_record

pytestmark = pytest.mark.django_db
HANDOVER = "Overdrachtspakket (%(scopes)s)"
DOWNLOAD = "Verslag casusoverleg %(ref)s, versie %(v)s (gedownload)"


def _old(detainee, what: str) -> Disclosure:
    return Disclosure.objects.create(
        detainee=detainee,
        recipient_name="Justitiehuis",
        purpose=Purpose.HANDOVER,
        basis=Basis.LEGAL_OBLIGATION,
        what=what,
    )


def test_a_new_record_keeps_the_code_and_reads_in_the_readers_language(detainee, consultant):
    from django.utils.translation import gettext_lazy

    record = disclosure_record(
        detainee=detainee,
        user=consultant,
        recipient_name="X",
        purpose=Purpose.CONFERENCE,
        basis=Basis.LEGAL_OBLIGATION,
        what=gettext_lazy(DOWNLOAD),
        what_params={"ref": "CO-2026-7", "v": "2"},
    )
    assert (record.what, record.what_params) == (DOWNLOAD, {"ref": "CO-2026-7", "v": "2"})
    with translation.override("en"):
        english = record.display_what
    with translation.override("fr-be"):
        french = record.display_what
    assert "CO-2026-7" in english and "CO-2026-7" in french and english != french
    assert "gedownload" not in english and "gedownload" not in french


def test_the_migration_gives_old_records_their_meaning(detainee):
    french = _old(detainee, "Paquet de transmission (identity, trajectory_goals)")
    dutch = _old(detainee, "Verslag casusoverleg CO-2026-7, versie 2 (gedownload)")
    typed = _old(detainee, "Iets dat iemand zelf schreef")
    migration = importlib.import_module("casework.migrations.0014_disclosure_what_as_meaning")
    migration.to_meaning(django_apps, None)
    for row in (french, dutch, typed):
        row.refresh_from_db()
    assert french.what == HANDOVER
    assert french.what_params == {"scopes": [{"t": "Identiteit"}, ", ", {"t": "Traject en doelen"}]}
    assert (dutch.what, dutch.what_params) == (DOWNLOAD, {"ref": "CO-2026-7", "v": "2"})
    assert (typed.what, typed.what_params) == ("Iets dat iemand zelf schreef", {})
    with translation.override("en"):
        assert "trajectory_goals" not in french.display_what and "Trajectory and goals" in french.display_what
    with translation.override("nl-be"):
        assert french.display_what == "Overdrachtspakket (Identiteit, Traject en doelen)"
    migration.to_words(django_apps, None)
    french.refresh_from_db()
    assert (french.what, french.what_params) == ("Overdrachtspakket (Identiteit, Traject en doelen)", {})
