"""History and access-log entries are codes read in the reader's language: every reason a service records
and every kind of read has its words, so no page shows `access_review` or `trajectory_tab`; the file's
history tab names people and dates one way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from casework.models import ACCESS_OBJECT_KINDS, AccessLog, access_object_label
from casework.selectors import REASON_LABELS, reason_label

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "casework", "diary", "trajectories", "casusoverleg", "reporting", "notifications")


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path, path.read_text()


def test_every_reason_a_service_records_has_words():
    found = set()
    for _path, text in _sources():
        found |= set(re.findall(r'\b(?:recorded|history)\(\s*\w+,\s*(?:reason or )?"([a-z_]+)', text))
        found |= set(re.findall(r'pghistory\.context\([^)]*reason="([a-z_]+)"', text))
        found |= set(re.findall(r'reason="([a-z_]+)"', text)) & {"api", "demo"}
    assert len(found) > 40
    assert sorted(found - set(REASON_LABELS)) == []


def test_every_kind_of_read_has_words():
    found = set()
    for _path, text in _sources():
        found |= set(re.findall(r'object_kind\s*=\s*"([a-z_]+)"', text))
        found |= set(re.findall(r'_log\(request, \w+, "([a-z_]+)"', text))
    assert {"access_review", "trajectory_tab", "yearly_report"} <= found
    # research_extract and subject_access also name disclosures; every one is a kind of read too.
    assert sorted(found - set(ACCESS_OBJECT_KINDS)) == []


@pytest.mark.parametrize(("language", "words"), [("fr-be", "Onglet d'un trajet"), ("en", "Tab of a trajectory")])
def test_a_code_is_words_in_the_readers_language(language, words):
    with translation.override(language):
        assert reason_label("trajectory_transition:active") != "trajectory_transition:active"
        assert reason_label("admin_change_prison") not in ("admin_change_prison", "gewijzigd in het beheer")
        assert reason_label("Typed by a person") == "Typed by a person"
        assert access_object_label("trajectory_tab", "", detainee_id=3) == words
        assert access_object_label("yearly_report", "2026.pdf").endswith("2026 (PDF)")


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_access_review_shows_words_not_codes(client, dpo, consultant, detainee, language):
    AccessLog.objects.create(user=consultant, detainee=detainee, object_kind="trajectory_tab", path="/x")
    AccessLog.objects.create(user=consultant, object_kind="refusal_review", path="/x")
    dpo.language = language
    dpo.save(update_fields=["language"])
    client.force_login(dpo)
    page = client.get(reverse("privacy:access_review")).content.decode()
    for code in ("trajectory_tab", "refusal_review", "access_review"):
        assert f">{code}<" not in page and f"{code} #" not in page
    csv = b"".join(client.get(reverse("privacy:access_review"), {"format": "csv"}).streaming_content).decode()
    assert ("Onglet d'un trajet" if language == "fr-be" else "Tab of a trajectory") in csv


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_history_tab_reads_in_the_readers_language(client, consultant, detainee, language):
    from casework.services import detainee_update

    detainee_update(detainee=detainee, user=consultant, reason="in_scope_import", in_scope=not detainee.in_scope)
    consultant.language = language
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    page = client.get(reverse("casework:file_history", args=[detainee.pk])).content.decode()
    assert "in_scope_import" not in page and "in-scopelijst ingelezen" not in page
    assert ("liste in-scope importée" if language == "fr-be" else "in-scope list imported") in page
    assert consultant.get_full_name() in page
