"""Every absolute link the application sends out starts with PUBLIC_BASE_URL: the reminder mail, the
conference invitation (body and .ics) and its cancellation, the minutes copy (mail and PDF), the
calendar feed page and allauth's password-reset mail. Nothing links to example.com or to the Host header
of whoever happened to cause the mail."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from casusoverleg import services as conference_services
from casusoverleg.models import Participant
from casusoverleg.services import minutes as services_minutes
from notifications import services
from tests.casusoverleg.conftest import BRUSSELS
from tests.casusoverleg.factories import schedule
from tests.casusoverleg.test_minutes import _draft, _fill
from tests.factories import ConsentFactory

from . import kinds

pytestmark = pytest.mark.django_db

BASE = "https://disengage.example.org"
URL = re.compile(r"https?://[^\s\"'<>)]+")


@pytest.fixture(autouse=True)
def public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE


def links(text: str) -> list[str]:
    return URL.findall(text)


def assert_all_public(found: list[str], *, expect_some: bool = True):
    if expect_some:
        assert found, "this mail kind carries a link"
    for link in found:
        assert link.startswith(BASE + "/"), link
    assert not any("example.com" in link or "testserver" in link for link in found)


def test_the_reminder_mail_links_to_the_public_address(detainee, consultant):
    kinds.install()
    try:
        detainee.leave_eligible_on = dt.date(2026, 12, 10)
        detainee.save(update_fields=["leave_eligible_on"])
        with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=BRUSSELS), tick=False):
            services.reminders_sweep()
    finally:
        kinds.uninstall()
    (message,) = mail.outbox
    assert_all_public(links(message.body))
    assert BASE + reverse("notifications:list") in message.body


def test_invitation_cancellation_and_minutes_link_to_the_public_address(
    director, consultant, detainee, partner_with_consent, django_capture_on_commit_callbacks
):
    ConsentFactory(
        detainee=detainee,
        organisation=partner_with_consent.organisation,
        explained_by=consultant,
        scopes=["identity", "minutes"],
    )
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False) as now:
        with django_capture_on_commit_callbacks(execute=True):
            conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
            conference_services.participant_add(
                conference=conference,
                user=director,
                role=Participant.Role.PARTNER,
                participant_user=partner_with_consent,
            )
        page = BASE + reverse("casusoverleg:detail", args=[conference.pk])
        assert mail.outbox
        for invitation in mail.outbox:
            assert_all_public(links(invitation.body))
            assert page in invitation.body
            calendar = Calendar.from_ical(invitation.attachments[0][1])
            description = str(calendar.walk("VEVENT")[0]["DESCRIPTION"])
            assert_all_public(links(description))
            assert page in description

        now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
        minutes = _fill(_draft(conference), director)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            approved = services_minutes.minutes_approve(minutes=minutes, user=director)
        # The minutes are announced, never attached: each notice links to the conference on the public address.
        notices = list(mail.outbox)
        assert notices and not any(m.attachments for m in notices)
        for notice in notices:
            assert_all_public(links(notice.body))
            assert page in notice.body
        # The copy downloaded there names the same address.
        from casusoverleg.pdf import render_minutes_pdf

        pdf = render_minutes_pdf(approved, recipient=str(partner_with_consent))
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        # pdftotext may break a long address over lines: compare without whitespace.
        assert page in re.sub(r"\s+", "", text)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conference_services.conference_cancel(conference=conference, user=director, reason="Transfer")
    assert mail.outbox
    for cancellation in mail.outbox:
        assert_all_public(links(cancellation.body), expect_some=False)
        description = str(Calendar.from_ical(cancellation.attachments[0][1]).walk("VEVENT")[0]["DESCRIPTION"])
        assert_all_public(links(description))


def test_the_calendar_feed_address_is_public_whatever_the_host_header(client, consultant):
    client.force_login(consultant)
    client.post(reverse("casusoverleg:feed_settings"), {"action": "rotate"}, HTTP_HOST="127.0.0.1")
    html = client.get(reverse("casusoverleg:feed_settings"), HTTP_HOST="127.0.0.1").content.decode()
    feed_links = [link for link in links(html) if ".ics" in link]
    assert feed_links
    assert_all_public(feed_links)


def test_the_password_reset_mail_links_to_the_public_address(client, consultant):
    response = client.post(reverse("account_reset_password"), {"email": consultant.email}, HTTP_HOST="127.0.0.1")
    assert response.status_code in (200, 302)
    (message,) = mail.outbox
    assert_all_public([link for link in links(message.body) if "/accounts/" in link])
