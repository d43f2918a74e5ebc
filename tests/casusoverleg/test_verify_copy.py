"""Checking a copy of approved minutes: every issued copy (downloaded; mailed, for older minutes) is recorded with its file's
SHA-256; the "verify a copy" page says authentic or not to everyone, and which minutes, version and recipient
to the DPO and the conference's chair only. Bad input gets a form error in the reader's language."""

import datetime as dt
import hashlib
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from casework.models import AccessLog, Disclosure
from casusoverleg import services
from casusoverleg.models import MinutesDownload, Participant
from casusoverleg.services import minutes as services_minutes
from casusoverleg.verification import Verdict, copy_verify_file, copy_verify_value, embedded_fingerprint

from .conftest import BRUSSELS
from .test_minutes import _draft, _fill

pytestmark = pytest.mark.django_db
URL = reverse("casusoverleg:verify_copy")


@pytest.fixture
def approved(now, conference, director, minutes_consent, partner_with_consent, django_capture_on_commit_callbacks):
    services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
    )
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return services_minutes.minutes_approve(minutes=_fill(_draft(conference), director), user=director)


def _downloaded(client, user, minutes) -> bytes:
    client.force_login(user)
    return client.get(reverse("casusoverleg:minutes_pdf", args=[minutes.conference_id])).content


def _check(client, user, **data):
    client.force_login(user)
    files = {"document": SimpleUploadedFile("copy.pdf", data.pop("pdf"), "application/pdf")} if "pdf" in data else {}
    return client.post(URL, {**data, **files})


def _verdict(response) -> str:
    body = response.content.decode()
    start = body.index('aria-labelledby="verdict-title"')
    return body[start : body.index("</section>", start)]


def _altered(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Author": "someone else"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_downloaded_copy_is_authentic_and_carries_its_fingerprint(client, approved, partner_with_consent):
    pdf = _downloaded(client, partner_with_consent, approved)
    assert embedded_fingerprint(pdf) == approved.fingerprint
    check = copy_verify_file(pdf)
    assert check.verdict == Verdict.ISSUED and check.verdict.authentic
    assert check.minutes == approved and check.channel == "download" and check.recipient == str(partner_with_consent)


def test_a_copy_mailed_before_the_minutes_stopped_travelling_is_still_verifiable(approved, partner_with_consent):
    from casusoverleg.models import MinutesCopy

    copy = MinutesCopy.objects.get(minutes=approved, participant__user=partner_with_consent)
    copy.file_sha256 = "ab" * 32
    copy.save(update_fields=["file_sha256"])
    check = copy_verify_value("ab" * 32)
    assert (check.verdict, check.channel, check.recipient) == (Verdict.ISSUED, "mail", str(partner_with_consent))


def test_every_download_is_recorded_and_verifiable(client, now, approved, consultant, partner_with_consent):
    now.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS))  # a later print than the mailed copies
    client.force_login(consultant)
    internal = client.get(reverse("casusoverleg:minutes_pdf", args=[approved.conference_id])).content
    client.force_login(partner_with_consent)
    shared = client.get(reverse("casusoverleg:minutes_pdf", args=[approved.conference_id])).content
    downloads = {d.user: d for d in MinutesDownload.objects.filter(minutes=approved)}
    assert downloads[consultant].file_sha256 == hashlib.sha256(internal).hexdigest()
    assert downloads[consultant].disclosure is None  # the file's own organisation: no disclosure
    disclosure = downloads[partner_with_consent].disclosure
    assert disclosure.file_sha256 == hashlib.sha256(shared).hexdigest() and disclosure.object_kind == "minutes"
    assert Disclosure.objects.filter(pk=disclosure.pk, recipient_name=str(partner_with_consent)).exists()
    for pdf, who in ((internal, consultant), (shared, partner_with_consent)):
        check = copy_verify_file(pdf)
        assert (check.verdict, check.channel, check.recipient) == (Verdict.ISSUED, "download", str(who))


def test_a_changed_file_and_a_stranger_file_are_not_authentic(client, approved, partner_with_consent):
    changed = _altered(_downloaded(client, partner_with_consent, approved))
    check = copy_verify_file(changed)
    assert check.verdict == Verdict.ALTERED and not check.verdict.authentic and check.minutes == approved
    assert copy_verify_file(b"%PDF-1.4\nnot really a pdf\n%%EOF\n").verdict == Verdict.UNKNOWN


def test_a_pasted_value_is_a_file_hash_or_the_content_fingerprint(client, approved, partner_with_consent):
    file_hash = hashlib.sha256(_downloaded(client, partner_with_consent, approved)).hexdigest()
    assert copy_verify_value(file_hash).verdict == Verdict.ISSUED
    assert copy_verify_value(approved.fingerprint).verdict == Verdict.CONTENT
    assert copy_verify_value("0" * 64).verdict == Verdict.UNKNOWN


def test_the_dpo_and_the_chair_see_to_whom_others_only_the_verdict(
    client, approved, director, dpo, consultant, partner_with_consent
):
    pdf = _downloaded(client, partner_with_consent, approved)
    reference = approved.conference.reference
    for user in (dpo, director):
        response = _check(client, user, pdf=pdf)
        body = _verdict(response)
        assert response.status_code == 200 and "Echt exemplaar" in body
        assert reference in body and str(partner_with_consent) in body
    assert AccessLog.objects.filter(user=dpo, object_kind="minutes", object_id=str(approved.pk)).exists()
    # The chair may open the conference from there; the DPO, who may not, gets the reference without a link.
    link = f'href="{reverse("casusoverleg:detail", args=[approved.conference_id])}"'
    assert link in _verdict(_check(client, director, pdf=pdf)) and link not in _verdict(_check(client, dpo, pdf=pdf))
    for user in (consultant, partner_with_consent):
        body = _verdict(_check(client, user, pdf=pdf))
        assert "Echt exemplaar" in body and reference not in body and str(partner_with_consent) not in body
    # A pasted hash with spaces and capitals is the same value.
    spaced = " ".join(hashlib.sha256(pdf).hexdigest().upper()[i : i + 8] for i in range(0, 64, 8))
    assert "Echt exemplaar" in _check(client, consultant, sha256=spaced).content.decode()


def test_bad_input_gets_a_form_error_in_the_readers_language(client, approved, consultant):
    consultant.language = "en"
    consultant.save(update_fields=["language"])
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 32
    response = _check(client, consultant, pdf=png)
    assert response.status_code == 400 and "This is not a PDF file." in response.content.decode()
    response = _check(client, consultant, sha256="abc123")
    assert response.status_code == 400 and "64 characters" in response.content.decode()
    response = _check(client, consultant)
    assert response.status_code == 400 and "Choose a PDF file or paste a fingerprint." in response.content.decode()
    response = _check(client, consultant, pdf=_altered_bytes_of_nothing())
    assert response.status_code == 200 and "Not an authentic copy" in response.content.decode()


def _altered_bytes_of_nothing() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
