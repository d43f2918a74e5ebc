"""A consent shares the scopes it lists for the purposes it lists, and only for those (ADR 0033).

Every surface a partner reaches names the purpose it serves: the conference's page, minutes (PDF and the
message that they are there), calendar feed and API serve `conference` with scope `minutes`; the file's pages
serve the partner's own work with the detainee (conference, referral, handover — never research). One
consent per test, purpose × scope, and each surface checked against the same rule.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from casework.models import CASEWORK_PURPOSES, Disclosure, Purpose, Scope
from casework.permissions import consent_grants
from casework.services import disclosure_record
from casusoverleg import services as conference_services
from casusoverleg.models import MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes
from tests.factories import ConsentFactory, DetaineeFactory, SessionFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
SUMMARY = "Gedeelde samenvatting PQR"
PURPOSES = [Purpose.CONFERENCE, Purpose.REFERRAL, Purpose.HANDOVER, Purpose.RESEARCH]
SCOPES = [Scope.IDENTITY, Scope.SESSION_SUMMARIES, Scope.MINUTES]


def _opens_file(purpose, scope):
    return purpose in CASEWORK_PURPOSES


def _reads_summaries(purpose, scope):
    return purpose in CASEWORK_PURPOSES and scope == Scope.SESSION_SUMMARIES


def _opens_conference(purpose, scope):
    return purpose == Purpose.CONFERENCE and scope == Scope.MINUTES


def _surface_file_page(ctx):
    return ctx.client.get(reverse("casework:detainee_detail", args=[ctx.person.pk])).status_code == 200


def _surface_sessions(ctx):
    response = ctx.client.get(reverse("casework:file_sessions", args=[ctx.person.pk]))
    return response.status_code == 200 and SUMMARY in response.content.decode()


def _surface_conference_page(ctx):
    status = ctx.client.get(reverse("casusoverleg:detail", args=[ctx.conference.pk])).status_code
    assert status in (200, 403)  # invited without access: told so, never a 404 (ADR 0033)
    return status == 200


def _surface_conferences_api(ctx):
    results = ctx.client.get("/api/v1/conferences/").json()["results"]
    return [c["id"] for c in results] == [ctx.conference.pk]


def _surface_calendar_feed(ctx):
    feed = conference_services.calendar_feed_rotate(user=ctx.partner)
    body = ctx.client.get(reverse("casusoverleg:feed", args=[feed.token])).content.decode()
    return ctx.conference.reference in body


def _surface_minutes_message(ctx):
    ctx.approve()
    copy = MinutesCopy.objects.get(participant__user=ctx.partner)
    told = any(ctx.partner.email in m.to and "Verslag" in m.subject for m in mail.outbox)
    assert told == (copy.outcome == MinutesCopy.Outcome.SENT)
    return told


def _surface_minutes_pdf(ctx):
    ctx.approve()
    response = ctx.client.get(reverse("casusoverleg:minutes_pdf", args=[ctx.conference.pk]))
    disclosures = list(Disclosure.objects.filter(object_kind="minutes", disclosed_by=ctx.partner))
    if response.status_code != 200:
        assert response.status_code == 404 and not disclosures
        return False
    # The logged purpose is the real one, on a consent given for it.
    assert [(d.purpose, Purpose.CONFERENCE in d.consent.purposes) for d in disclosures] == [(Purpose.CONFERENCE, True)]
    return True


def _surface_predicate(ctx):
    return consent_grants(ctx.partner, ctx.person.pk, purpose=Purpose.CONFERENCE, scope=Scope.MINUTES)


SURFACES = {
    "file_page": (_surface_file_page, _opens_file),
    "session_summaries": (_surface_sessions, _reads_summaries),
    "conference_page": (_surface_conference_page, _opens_conference),
    "conferences_api": (_surface_conferences_api, _opens_conference),
    "calendar_feed": (_surface_calendar_feed, _opens_conference),
    "minutes_message": (_surface_minutes_message, _opens_conference),
    "minutes_pdf": (_surface_minutes_pdf, _opens_conference),
    "predicate_conference_minutes": (_surface_predicate, _opens_conference),
}


class Context:
    def __init__(self, client, partner, person, conference, director, now, capture):
        self.client, self.partner, self.person, self.conference = client, partner, person, conference
        self.director, self.now, self.capture = director, now, capture

    def approve(self):
        self.now.move_to(self.conference.ends_at + dt.timedelta(hours=1))
        minutes = self.conference.minutes_versions.get()
        item = self.conference.agenda_items.first()
        minutes = services_minutes.minutes_save(
            minutes=minutes,
            user=self.director,
            revision=minutes.revision,
            notes={item.pk: "Besproken."},
            decisions=[{"text": "Verder", "consensus": True}],
        )
        mail.outbox.clear()
        with self.capture(execute=True):
            services_minutes.minutes_approve(minutes=minutes, user=self.director)
        self.client.force_login(self.partner)  # a week later: a new session


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("purpose", PURPOSES)
def test_a_consent_opens_a_surface_only_for_its_purpose_and_scope(
    purpose,
    scope,
    surface,
    client,
    consultant,
    caw,
    hasselt,
    director,
    partner_with_consent,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False) as now:
        person = DetaineeFactory(
            first_name="Rachid",
            last_name="Purposetest",
            organisation=caw,
            current_prison=hasselt,
            lead_consultant=consultant,
        )
        SessionFactory(detainee=person, author=consultant, summary=SUMMARY)
        scopes = [Scope.IDENTITY] if scope == Scope.IDENTITY else [Scope.IDENTITY, scope]
        ConsentFactory(
            detainee=person,
            organisation=partner_with_consent.organisation,
            explained_by=consultant,
            purposes=[purpose],
            scopes=scopes,
        )
        conference = conference_services.conference_schedule(
            user=director,
            detainee=person,
            prison=hasselt,
            location="Zaal 2",
            starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
            ends_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=BRUSSELS),
        )
        conference_services.participant_add(
            conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
        )
        client.force_login(partner_with_consent)
        check, rule = SURFACES[surface]
        ctx = Context(
            client, partner_with_consent, person, conference, director, now, django_capture_on_commit_callbacks
        )
        assert check(ctx) == rule(purpose, scope)


def test_a_disclosure_on_consent_names_a_purpose_the_consent_lists(detainee, consultant, partner_with_consent):
    from django.core.exceptions import ValidationError

    research = ConsentFactory(
        detainee=detainee,
        organisation=partner_with_consent.organisation,
        explained_by=consultant,
        purposes=[Purpose.RESEARCH],
        scopes=[Scope.MINUTES],
    )
    with pytest.raises(ValidationError) as error:
        disclosure_record(
            detainee=detainee,
            user=consultant,
            recipient_name="VDAB",
            purpose=Purpose.CONFERENCE,
            basis="consent",
            consent=research,
            what="Verslag",
        )
    assert "purpose" in error.value.message_dict
    assert not Disclosure.objects.filter(detainee=detainee).exists()
