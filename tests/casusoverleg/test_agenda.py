"""The agenda generated from the case (docs/design.md §3 Case conference): open actions carried over, goal progress
and sessions since the previous conference, the dates that matter, consent status, assessment changes."""

import datetime as dt

from casework.services import detainee_update
from casusoverleg import selectors_agenda
from casusoverleg.models import AgendaItem
from tests.factories import SessionFactory
from tests.trajectories.factories import ActionFactory, GoalFactory, GoalReviewFactory, TrajectoryFactory

from .conftest import BRUSSELS
from .factories import schedule


def _by_source(conference):
    return {source: (title, body) for source, title, body in selectors_agenda.generated_agenda(conference)}


def test_the_agenda_is_built_from_the_case_since_the_previous_conference(now, director, detainee, consultant):
    earlier = schedule(director, detainee, starts_at=dt.datetime(2026, 1, 12, 10, 0, tzinfo=BRUSSELS))
    ActionFactory(detainee=detainee, description="Attest van de opleiding opvragen", due_on=dt.date(2026, 3, 20))
    ActionFactory(
        detainee=detainee,
        description="Afgewerkte actie",
        status="done",
        completed_at=dt.datetime(2026, 2, 1, 10, tzinfo=BRUSSELS),
    )
    trajectory = TrajectoryFactory(detainee=detainee, status="active")
    goal = GoalFactory(trajectory=trajectory, description="Opleiding lassen afronden")
    GoalReviewFactory(goal=goal, reviewed_on=dt.date(2025, 12, 1), progress=1)  # before the previous conference
    GoalReviewFactory(goal=goal, reviewed_on=dt.date(2026, 2, 10), progress=3)
    SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2026, 2, 3, 10, tzinfo=BRUSSELS))
    SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2026, 1, 5, 10, tzinfo=BRUSSELS))
    detainee_update(
        detainee=detainee, user=consultant, leave_eligible_on=dt.date(2026, 2, 1), sentence_ends_on=dt.date(2028, 6, 30)
    )
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))

    agenda = _by_source(conference)

    actions = agenda[AgendaItem.Source.ACTIONS][1]
    assert "Attest van de opleiding opvragen" in actions and "20/03/2026" in actions
    assert "Afgewerkte actie" not in actions
    goals = agenda[AgendaItem.Source.GOALS][1]
    assert "Opleiding lassen afronden" in goals and "voortgang 3/4" in goals
    assert "1 evaluatie(s) sinds het vorige overleg van 12/01/2026" in goals
    sessions = agenda[AgendaItem.Source.SESSIONS][1]
    assert sessions.startswith("1 contactmoment(en) sinds het vorige overleg van 12/01/2026")
    dates = agenda[AgendaItem.Source.DATES][1]
    assert "Toelaatbaarheid penitentiair verlof: 01/02/2026 (reeds bereikt)" in dates
    assert "Strafeinde: 30/06/2028" in dates and "30/06/2028 (reeds bereikt)" not in dates
    consent = agenda[AgendaItem.Source.CONSENT][1]
    assert "Grondslag van dit overleg: toestemming" in consent and "VDAB" in consent
    assert earlier.pk != conference.pk


def test_session_summaries_never_reach_the_agenda(now, director, detainee, consultant):
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Zeer persoonlijke samenvatting",
        started_at=dt.datetime(2026, 2, 3, 10, tzinfo=BRUSSELS),
    )
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    bodies = " ".join(body for _, _, body in selectors_agenda.generated_agenda(conference))
    assert "Zeer persoonlijke samenvatting" not in bodies
