"""Consent on the conference surfaces (docs/design.md §4): minutes PDF copies (sent and downloaded), art.
458ter, calendar feeds, notifications, reminders and e-mails. Grant, use, withdraw: access ends at once.
"""

import datetime as dt
import hashlib

from django.core import mail
from django.urls import reverse

from accounts.models import Organisation
from casework.models import Disclosure
from casework.services import consent_withdraw
from casusoverleg import services as conference_services
from casusoverleg.models import CalendarFeed, MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes
from notifications.models import Notification, Reminder
from notifications.services import reminders_sweep
from tests.security.consent_surface_fixtures import (
    BRUSSELS,
    NAME,
    _approve,
    aftercare,  # noqa: F401
    conference,  # noqa: F401
    grant,
    now,  # noqa: F401
    partner,  # noqa: F401
    person,  # noqa: F401
)

# --- Conferences: minutes copies, downloads, art. 458ter --------------------------------------------------------------


def test_no_copy_is_announced_after_withdrawal(
    now,  # noqa: F811
    conference,  # noqa: F811
    director,
    person,  # noqa: F811
    partner,  # noqa: F811
    consultant,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    consent = grant(person, partner, consultant, ["minutes"])
    with django_capture_on_commit_callbacks(execute=True):
        first = _approve(conference, director, now)
    copy = MinutesCopy.objects.get(minutes=first, participant__user=partner)
    assert copy.outcome == MinutesCopy.Outcome.SENT  # told to read them; the download is the disclosure
    assert any(m.to == [partner.email] and not m.attachments for m in mail.outbox)

    consent_withdraw(consent=consent, user=consultant)
    mail.outbox.clear()
    correction = services_minutes.minutes_correct(minutes=first, user=director, reason="Typfout")
    with django_capture_on_commit_callbacks(execute=True):
        second = services_minutes.minutes_approve(minutes=correction, user=director)
    copy = MinutesCopy.objects.get(minutes=second, participant__user=partner)
    assert copy.outcome == MinutesCopy.Outcome.WITHHELD and not copy.file_sha256 and copy.disclosure is None
    assert not any(partner.email in m.to for m in mail.outbox)


def test_a_partners_download_is_a_disclosure_and_ends_with_the_consent(
    client,
    now,  # noqa: F811
    conference,  # noqa: F811
    director,
    person,  # noqa: F811
    partner,  # noqa: F811
    consultant,  # noqa: F811
):
    consent = grant(person, partner, consultant, ["minutes"])
    approved = _approve(conference, director, now)
    client.force_login(partner)
    response = client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk]))
    assert response.status_code == 200
    disclosure = Disclosure.objects.get(object_kind="minutes", disclosed_by=partner)
    assert disclosure.consent == consent and disclosure.basis == "consent"
    assert disclosure.file_sha256 == hashlib.sha256(response.content).hexdigest()
    assert disclosure.recipient_organisation == partner.organisation and disclosure.object_id == str(approved.pk)
    assert client.get(f"/api/v1/conferences/{conference.pk}/minutes.pdf").status_code == 200
    assert Disclosure.objects.filter(object_kind="minutes", disclosed_by=partner).count() == 2

    consent_withdraw(consent=consent, user=consultant)
    # Still invited, no longer entitled: the page says so (ADR 0033) and names nobody; everything else is a 404.
    response = client.get(reverse("casusoverleg:detail", args=[conference.pk]))
    assert response.status_code == 403 and conference.detainee.last_name not in response.content.decode()
    for url in (
        reverse("casusoverleg:minutes_pdf", args=[conference.pk]),
        f"/api/v1/conferences/{conference.pk}/minutes.pdf",
        f"/api/v1/conferences/{conference.pk}/",
        f"/api/v1/conferences/{conference.pk}/minutes/",
        f"/api/v1/conferences/{conference.pk}/participants/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/conferences/").json()["results"] == []
    assert Disclosure.objects.filter(object_kind="minutes", disclosed_by=partner).count() == 2


def test_internal_downloads_are_no_disclosure(client, now, conference, director, consultant):  # noqa: F811
    _approve(conference, director, now)
    for user in (director, consultant):
        client.force_login(user)
        assert client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk])).status_code == 200
    assert not Disclosure.objects.filter(object_kind="minutes", disclosed_by__in=[director, consultant]).exists()


def test_art458ter_gives_the_minutes_of_that_conference_only(client, now, director, person, partner, consultant):  # noqa: F811
    covered = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/77",
        starts_at=dt.datetime(2026, 3, 4, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 4, 11, 0, tzinfo=BRUSSELS),
    )
    other = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        starts_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 5, 11, 0, tzinfo=BRUSSELS),
    )
    not_invited = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/78",
        starts_at=dt.datetime(2026, 3, 6, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 6, 11, 0, tzinfo=BRUSSELS),
    )
    for conference in (covered, other):  # noqa: F402
        conference_services.participant_add(
            conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
        )
    now.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=BRUSSELS))
    conference_services.attendance_record(
        conference=covered, user=director, attended={p.pk: True for p in covered.participants.all()}
    )
    _approve(covered, director, now)
    client.force_login(partner)
    assert client.get(reverse("casusoverleg:detail", args=[covered.pk])).status_code == 200
    response = client.get(reverse("casusoverleg:minutes_pdf", args=[covered.pk]))
    assert response.status_code == 200
    disclosure = Disclosure.objects.get(object_kind="minutes", disclosed_by=partner)
    assert disclosure.basis == "art458ter" and disclosure.legal_reference == "PK Limburg 2026/77"
    # Nothing else: not the other conferences of the same person, not his file, not the search.
    # Invited to `other` (on consent, which his organisation lacks): told so, without a name (ADR 0033).
    response = client.get(reverse("casusoverleg:detail", args=[other.pk]))
    assert response.status_code == 403 and NAME not in response.content.decode()
    for url in (
        reverse("casusoverleg:detail", args=[not_invited.pk]),
        reverse("casusoverleg:minutes_pdf", args=[other.pk]),
        f"/api/v1/conferences/{other.pk}/",
        reverse("casework:detainee_detail", args=[person.pk]),
        f"/api/v1/detainees/{person.pk}/",
        reverse("trajectories:file_tab", args=[person.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert [c["id"] for c in client.get("/api/v1/conferences/").json()["results"]] == [covered.pk]
    assert NAME not in client.get(reverse("casework:caseload"), {"q": "haddou"}).content.decode()


# --- Calendar feeds ------------------------------------------------------------------------------------------------------


def test_a_partners_feed_follows_the_consent_and_carries_no_case_content(
    client,
    conference,  # noqa: F811
    director,
    person,  # noqa: F811
    partner,  # noqa: F811
    consultant,  # noqa: F811
):
    conference_services.agenda_item_add(
        conference=conference, user=director, title="Woonst na vrijlating", body="Samir wil bij zijn zus wonen."
    )
    consent = grant(person, partner, consultant, ["identity", "minutes"])
    feed = conference_services.calendar_feed_rotate(user=partner)
    url = reverse("casusoverleg:feed", args=[feed.token])
    body = client.get(url).content.decode()
    assert conference.ical_uid in body and conference.reference in body
    for content in (NAME, "Samir", "Woonst", "zus wonen", "Gedeelde samenvatting", person.external_ref):
        assert content not in body, content
    client.force_login(partner)
    events = client.get(reverse("casusoverleg:events"), {"start": "2026-03-01", "end": "2026-04-01"}).json()
    assert [e["id"] for e in events] == [conference.pk]

    consent_withdraw(consent=consent, user=consultant)
    client.logout()
    body = client.get(url).content.decode()
    assert conference.ical_uid not in body and conference.reference not in body
    client.force_login(partner)
    assert client.get(reverse("casusoverleg:events"), {"start": "2026-03-01", "end": "2026-04-01"}).json() == []
    assert CalendarFeed.objects.filter(user=partner).exists()  # the feed itself keeps working, just emptier


def test_a_consent_without_minutes_gives_no_feed_entry(client, conference, person, partner, consultant):  # noqa: F811
    grant(person, partner, consultant, ["identity", "session_summaries"])
    feed = conference_services.calendar_feed_rotate(user=partner)
    assert conference.ical_uid not in client.get(reverse("casusoverleg:feed", args=[feed.token])).content.decode()


# --- Notifications and e-mails -------------------------------------------------------------------------------------------


def test_a_partners_notifications_stop_linking_after_withdrawal(client, now, conference, person, partner, consultant):  # noqa: F811
    consent = grant(person, partner, consultant, ["minutes"])
    reminders_sweep()
    notification = Notification.objects.get(recipient=partner, kind="conference_invitation")
    link = reverse("casusoverleg:detail", args=[conference.pk])
    assert notification.link == link
    client.force_login(partner)
    opener = reverse("notifications:open", args=[notification.pk])
    assert opener in client.get(reverse("notifications:list")).content.decode()
    assert client.get("/api/v1/notifications/").json()["results"][0]["link"] == link

    consent_withdraw(consent=consent, user=consultant)
    html = client.get(reverse("notifications:list")).content.decode()
    assert opener not in html and f"/casusoverleg/{conference.pk}/" not in html and NAME not in html
    assert "niet meer voor jou beschikbaar" in html
    row = client.get("/api/v1/notifications/").json()["results"][0]
    assert row["link"] == "" and row["available"] is False
    assert client.get(f"/api/v1/notifications/{notification.pk}/").json()["link"] == ""
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("notifications:list")


def test_pending_reminders_of_a_partner_are_withdrawn_with_the_consent(now, conference, person, partner, consultant):  # noqa: F811
    consent = grant(person, partner, consultant, ["minutes"])
    now.move_to(dt.datetime(2026, 3, 1, 12, 0, tzinfo=BRUSSELS))  # before the invitation day: nothing due yet
    consent_withdraw(consent=consent, user=consultant)
    now.move_to(dt.datetime(2026, 3, 8, 12, 0, tzinfo=BRUSSELS))  # the day before the conference
    reminders_sweep()
    assert not Notification.objects.filter(recipient=partner).exists()
    partner_reminders = Reminder.objects.filter(recipient=partner)
    assert partner_reminders.exists() and set(partner_reminders.values_list("status", flat=True)) == {"withdrawn"}
    # The staff on the same conference still get theirs.
    assert Notification.objects.filter(recipient=consultant, kind="conference_upcoming").exists()


def test_art458ter_partners_keep_their_reminders(now, director, person, partner):  # noqa: F811
    conference = conference_services.conference_schedule(  # noqa: F811
        user=director,
        detainee=person,
        prison=person.current_prison,
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/77",
        starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=BRUSSELS),
    )
    conference_services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
    )
    reminders_sweep()
    assert Notification.objects.filter(recipient=partner, kind="conference_invitation").exists()


def test_emails_never_carry_case_content(
    now,  # noqa: F811
    conference,  # noqa: F811
    director,
    person,  # noqa: F811
    partner,  # noqa: F811
    consultant,
    aftercare,  # noqa: F811
    django_capture_on_commit_callbacks,  # noqa: F811
):
    grant(person, partner, consultant, ["identity", "minutes"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        extra = conference_services.participant_add(
            conference=conference,
            user=director,
            role=Participant.Role.OTHER,
            name="Externe expert",
            organisation=Organisation.objects.get(name="VDAB"),
            email="expert@example.org",
        )
    reminders_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        _approve(conference, director, now)
    assert extra.pk and mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for content in (
            NAME,
            "Samir",
            "Gedeelde samenvatting",
            "Geheime notitie",
            "Opleiding lassen",
            "Verlof voorbereiden",
            person.external_ref,
        ):
            assert content not in text, (content, message.subject)
        for _name, attachment, mimetype in message.attachments:
            if mimetype.startswith("text/calendar"):
                calendar = attachment.decode() if isinstance(attachment, bytes) else attachment
                assert NAME not in calendar and "Samir" not in calendar
