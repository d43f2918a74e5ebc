"""The conference page, assembled in one place: what one reader sees of one conference (the view renders it)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from django.utils import timezone

from accounts.models import User

from . import selectors
from .models import Conference, Minutes, MinutesCopy, Participant
from .selectors import Clash, ConferenceContent, DateFlag, MinutesDetail
from .services.priority import DECIDING_STATUSES


@dataclass
class ConferencePage:
    """The conference, its participants, agenda and minutes versions for one reader, and what he may do there.

    `content` is `selectors.conference_for_page` (participants with their basis, agenda, versions, basis warnings)."""

    conference: Conference
    content: ConferenceContent
    current: Minutes | None
    clashes: list[Clash]
    flag: DateFlag | None
    can_change: bool
    can_edit_minutes: bool
    sees_draft_minutes: bool
    can_approve: bool
    can_correct: bool
    can_set_priority: bool
    approved_versions: list[Minutes]
    my_participation: Participant | None
    started: bool
    copies: list[MinutesCopy] = field(default_factory=list)
    minutes: MinutesDetail | None = None

    def context(self) -> dict[str, object]:
        context = dict(self.content)
        context.update({f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("content", "minutes")})
        if self.minutes is not None:
            context["minutes"] = self.minutes
        return context


def conference_page(conference: Conference, user: User) -> ConferencePage:
    # A partner gets the approved versions only: a draft is not the minutes yet (ADR 0005).
    content = selectors.conference_for_page(conference, user)
    can_change = user.has_perm("casusoverleg.change_conference", conference)
    # Double bookings and date flags matter while the conference can still be moved.
    changeable = can_change and conference.status not in (
        Conference.Status.CANCELLED,
        Conference.Status.MINUTES_APPROVED,
    )
    clashes = selectors.clashes_for([conference]).get(conference.pk, []) if changeable else []
    flags: list[DateFlag] = []
    if can_change and conference.status == Conference.Status.PLANNED:
        # The detainee was fetched in this request with both cadences (casusoverleg/access.py).
        _proposals, flags = selectors.conference_proposals_recompute(detainee=conference.detainee, refresh=False)
        flags = [f for f in flags if f.conference_id == conference.pk]
    versions = content["versions"]
    current = versions[-1] if versions else None
    can_edit_minutes = (
        current is not None
        and not current.is_approved
        and not conference.is_cancelled
        and user.has_perm("casusoverleg.edit_minutes", conference)
    )
    page = ConferencePage(
        conference=conference,
        content=content,
        current=current,
        clashes=clashes,
        flag=flags[0] if flags else None,
        can_change=changeable,
        can_edit_minutes=can_edit_minutes,
        sees_draft_minutes=user.has_perm("casusoverleg.view_draft_minutes", conference),
        # Approval is offered once the meeting took place: the service refuses it before the start.
        can_approve=(
            current is not None
            and not current.is_approved
            and conference.starts_at <= timezone.now()
            and user.has_perm("casusoverleg.approve_minutes", conference)
        ),
        can_correct=current is not None
        and current.is_approved
        and user.has_perm("casusoverleg.approve_minutes", conference),
        # The conference decides a waiting referral's priority once it took place (docs/adr/0044).
        can_set_priority=(
            conference.status in DECIDING_STATUSES and user.has_perm("casusoverleg.set_referral_priority", conference)
        ),
        approved_versions=[v for v in versions if v.is_approved],
        my_participation=next((p for p in content["participants"] if p.user_id == user.pk), None),
        started=conference.starts_at <= timezone.now(),
    )
    copies = (
        list(current.copies.select_related("participant", "participant__user"))
        if current and current.is_approved
        else []
    )
    if not page.sees_draft_minutes:
        # Outside the conference's own staff and direction, the distribution list would tell one partner
        # which other organisations hold (or lack) consent: a reader sees only their own copy.
        copies = [copy for copy in copies if copy.participant.user_id == user.pk]
    page.copies = copies
    if current is not None and not can_edit_minutes:
        # An editor gets the minutes from the editor (htmx, casusoverleg:minutes_editor); others read them here.
        page.minutes = selectors.minutes_detail(current)
        for item in content["agenda"]:
            item.note = page.minutes["notes"].get(item.pk, "")
    return page
