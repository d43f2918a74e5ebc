"""iCalendar (RFC 5545) for invitations and the private calendar feed.

One stable UID per conference; SEQUENCE goes up on every move or cancellation so calendar clients
replace the event instead of adding a second one; times carry TZID=Europe/Brussels with a VTIMEZONE.
Calendars never carry case content: the summary names only the neutral reference and the prison.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from config.public_url import absolute_reverse
from diary.models import PlannedContact

from .models import Conference, Participant

PRODID = "-//Disengagement//Casusoverleg//NL"
# The short words a calendar shows for a planned contact (the diary's kinds are longer, for forms).
CALENDAR_KINDS = {
    "visit": gettext_lazy("Bezoek"),
    "call": gettext_lazy("Telefoongesprek"),
    "video": gettext_lazy("Videogesprek"),
    "outside": gettext_lazy("Afspraak"),
}
TZID = "Europe/Brussels"


@lru_cache(maxsize=1)
def _vtimezone() -> Timezone:
    # Transitions from 2020 to 2040 keep the file small while covering every realistic meeting.
    return Timezone.from_tzid(TZID, first_date=dt.date(2020, 1, 1), last_date=dt.date(2040, 1, 1))


def _calendar(method: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add_component(_vtimezone())
    return cal


def summary(conference: Conference) -> str:
    return _("Casusoverleg %(ref)s — %(prison)s") % {"ref": conference.reference, "prison": conference.place}


def _event(conference: Conference, *, cancelled: bool, attendee: Participant | None = None) -> Event:
    tz = ZoneInfo(TZID)
    event = Event()
    event.add("uid", conference.ical_uid)
    event.add("sequence", conference.ical_sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", conference.starts_at.astimezone(tz))
    event.add("dtend", conference.ends_at.astimezone(tz))
    event.add("summary", summary(conference))
    where = ", ".join(part for part in (conference.location, conference.place) if part)
    event.add("location", where)
    if conference.video_link:
        event.add("url", conference.video_link)
    page = absolute_reverse("casusoverleg:detail", args=[conference.pk])
    event.add(
        "description",
        _("Details na aanmelding in de toepassing (referentie %(ref)s): %(url)s")
        % {"ref": conference.reference, "url": page},
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{conference.chair.email or settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(str(conference.chair))
    event.add("organizer", organizer)
    if attendee is not None and attendee.recipient_email:
        address = vCalAddress(f"mailto:{attendee.recipient_email}")
        address.params["cn"] = vText(attendee.display_name)
        address.params["role"] = vText("CHAIR" if attendee.role == Participant.Role.CHAIR else "REQ-PARTICIPANT")
        address.params["partstat"] = vText(
            {"accepted": "ACCEPTED", "declined": "DECLINED"}.get(attendee.response, "NEEDS-ACTION")
        )
        event.add("attendee", address, encode=0)
    return event


def invitation(conference: Conference, attendee: Participant, *, cancel: bool = False) -> bytes:
    """A METHOD:REQUEST (or METHOD:CANCEL) calendar with one event for one attendee."""
    cancelled = cancel or conference.is_cancelled
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    cal.add_component(_event(conference, cancelled=cancelled, attendee=attendee))
    return cal.to_ical()


def planned_contact_summary(contact: PlannedContact) -> str:
    """The kind and the prison, never the person: "Bezoek — gevangenis Hasselt"."""
    kind = str(CALENDAR_KINDS.get(contact.kind, contact.get_kind_display()))
    if contact.prison is None:
        return kind
    return _("%(kind)s — gevangenis %(prison)s") % {"kind": kind, "prison": contact.prison.name}


def _planned_contact_event(contact: PlannedContact) -> Event:
    """A planned contact in the consultant's own feed: when, what kind, which prison. No name, no place
    (a free text), no case content; the link needs a login and leads to the log form."""
    tz = ZoneInfo(TZID)
    event = Event()
    event.add("uid", f"planned-contact-{contact.pk}@{PRODID.split('//')[1].lower()}")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("last-modified", contact.updated_at.astimezone(dt.UTC))
    event.add("dtstart", contact.starts_at.astimezone(tz))
    event.add("dtend", contact.ends_at.astimezone(tz))
    event.add("summary", planned_contact_summary(contact))
    if contact.prison is not None:
        event.add("location", contact.prison.name)
    event.add(
        "description",
        _("Details na aanmelding in de toepassing: %(url)s")
        % {"url": absolute_reverse("diary:log", args=[contact.pk])},
    )
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def feed(conferences: Iterable[Conference], name: str, planned_contacts: Iterable[PlannedContact] = ()) -> bytes:
    """A subscription calendar (no METHOD) with the user's conferences and his planned contacts."""
    cal = _calendar(None)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    for conference in conferences:
        cal.add_component(_event(conference, cancelled=conference.is_cancelled))
    for contact in planned_contacts:
        cal.add_component(_planned_contact_event(contact))
    return cal.to_ical()
