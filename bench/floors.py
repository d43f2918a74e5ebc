"""SQL floors: the best hand-written SQL that fetches the data each page or endpoint shows.

Each floor is a list of statements run in order on one connection, parameters from the scenario
(`%(org)s`, `%(detainee)s`, …). The floor is the time of the database work alone: what a page could
not go below if Python, templates and middleware cost nothing. Writes run in a transaction rolled back.
"""

from __future__ import annotations

import time

from django.db import connection, transaction

PAGE = 25
API_PAGE = 50

CASELOAD = [
    "SELECT COUNT(*) FROM casework_detainee WHERE organisation_id = %(org)s",
    """SELECT d.id, d.first_name, d.last_name, d.date_of_birth, d.legal_status, d.in_scope, p.name, u.first_name,
              u.last_name, (SELECT MAX(s.started_at) FROM casework_session s WHERE s.detainee_id = d.id),
              (SELECT l.category FROM casework_listing l WHERE l.detainee_id = d.id AND l.delisted_on IS NULL
                 ORDER BY l.listed_on DESC LIMIT 1)
         FROM casework_detainee d LEFT JOIN casework_prison p ON p.id = d.current_prison_id
         LEFT JOIN accounts_user u ON u.id = d.lead_consultant_id
        WHERE d.organisation_id = %(org)s ORDER BY d.last_name, d.first_name, d.id LIMIT 25""",
]

# The same 25 rows found through the trigram index on the compact name, best match first.
CASELOAD_SEARCH = [
    """SELECT COUNT(*) FROM casework_detainee
        WHERE organisation_id = %(org)s AND (%(search)s <%% search_compact OR %(search)s <%% search_name)""",
    """SELECT d.id, d.first_name, d.last_name, d.date_of_birth, d.legal_status, d.in_scope, p.name, u.first_name,
              u.last_name, (SELECT MAX(s.started_at) FROM casework_session s WHERE s.detainee_id = d.id),
              (SELECT l.category FROM casework_listing l WHERE l.detainee_id = d.id AND l.delisted_on IS NULL
                 ORDER BY l.listed_on DESC LIMIT 1)
         FROM casework_detainee d LEFT JOIN casework_prison p ON p.id = d.current_prison_id
         LEFT JOIN accounts_user u ON u.id = d.lead_consultant_id
        WHERE d.organisation_id = %(org)s AND (%(search)s <%% d.search_compact OR %(search)s <%% d.search_name)
        ORDER BY word_similarity(%(search)s, d.search_compact) DESC, d.last_name, d.first_name, d.id LIMIT 25""",
]

DETAINEE_FILE = [
    """SELECT d.*, p.name, o.name, u.first_name, u.last_name FROM casework_detainee d
         LEFT JOIN casework_prison p ON p.id = d.current_prison_id JOIN accounts_organisation o ON o.id = d.organisation_id
         LEFT JOIN accounts_user u ON u.id = d.lead_consultant_id WHERE d.id = %(detainee)s""",
    "SELECT * FROM casework_listing WHERE detainee_id = %(detainee)s ORDER BY listed_on DESC",
    "SELECT * FROM casework_consent WHERE detainee_id = %(detainee)s AND withdrawn_on IS NULL AND superseded_at IS NULL",
    "SELECT status, lead_consultant_id FROM trajectories_trajectory WHERE detainee_id = %(detainee)s ORDER BY referred_on DESC",
    """SELECT s.id, s.started_at, s.duration_minutes, s.modality, s.attendance, s.engagement, s.summary, u.first_name,
              u.last_name FROM casework_session s JOIN accounts_user u ON u.id = s.author_id
        WHERE s.detainee_id = %(detainee)s ORDER BY s.started_at DESC LIMIT 20""",
    """SELECT sd.session_id, ld.name FROM casework_session_domains sd JOIN casework_lifedomain ld ON ld.id = sd.lifedomain_id
        WHERE sd.session_id IN (SELECT id FROM casework_session WHERE detainee_id = %(detainee)s
                                ORDER BY started_at DESC LIMIT 20)""",
]

SESSION_SAVE = [
    """INSERT INTO casework_session (created_at, updated_at, detainee_id, author_id, started_at, duration_minutes,
              modality, attendance, engagement, summary, confidential_notes)
       VALUES (now(), now(), %(detainee)s, %(consultant)s, %(now)s, 60, 'in_person_prison', 'attended', 4,
               'Gesprek over de voortgang.', '') RETURNING id""",
    """INSERT INTO casework_session_domains (session_id, lifedomain_id)
       SELECT MAX(id), %(domain)s FROM casework_session WHERE detainee_id = %(detainee)s""",
]

TRAJECTORY = [
    """SELECT t.*, d.first_name, d.last_name, u.first_name FROM trajectories_trajectory t
         JOIN casework_detainee d ON d.id = t.detainee_id LEFT JOIN accounts_user u ON u.id = t.lead_consultant_id
        WHERE t.id = %(trajectory)s""",
    "SELECT * FROM trajectories_trajectorystatuschange WHERE trajectory_id = %(trajectory)s ORDER BY changed_at",
    "SELECT * FROM trajectories_domainexploration WHERE trajectory_id = %(trajectory)s",
    """SELECT g.*, r.reviewed_on, r.progress FROM trajectories_goal g LEFT JOIN trajectories_goalreview r ON r.goal_id = g.id
        WHERE g.trajectory_id = %(trajectory)s ORDER BY g.domain_id, r.reviewed_on""",
    "SELECT * FROM trajectories_action WHERE trajectory_id = %(trajectory)s AND status = 'open' ORDER BY due_on",
    """SELECT s.id, s.started_at, s.attendance, s.summary FROM casework_session s
        WHERE s.detainee_id = (SELECT detainee_id FROM trajectories_trajectory WHERE id = %(trajectory)s)
          AND s.started_at >= (SELECT referred_on FROM trajectories_trajectory WHERE id = %(trajectory)s)
        ORDER BY s.started_at DESC LIMIT 20""",
    "SELECT * FROM trajectories_assessment WHERE trajectory_id = %(trajectory)s",
]

CONFERENCE = [
    """SELECT c.*, d.first_name, d.last_name, p.name, u.first_name, u.last_name FROM casusoverleg_conference c
         JOIN casework_detainee d ON d.id = c.detainee_id JOIN casework_prison p ON p.id = c.prison_id
         JOIN accounts_user u ON u.id = c.chair_id WHERE c.id = %(conference)s""",
    """SELECT pa.*, u.first_name, u.last_name, o.name FROM casusoverleg_participant pa
         LEFT JOIN accounts_user u ON u.id = pa.user_id LEFT JOIN accounts_organisation o ON o.id = pa.organisation_id
        WHERE pa.conference_id = %(conference)s""",
    'SELECT * FROM casusoverleg_agendaitem WHERE conference_id = %(conference)s ORDER BY "order"',
    "SELECT * FROM casusoverleg_minutes WHERE conference_id = %(conference)s ORDER BY number",
    """SELECT * FROM casusoverleg_decision WHERE minutes_id IN
         (SELECT id FROM casusoverleg_minutes WHERE conference_id = %(conference)s)""",
]

MANAGER_DASHBOARD = [
    """SELECT u.id, COUNT(t.id) FILTER (WHERE t.status = 'referred'), COUNT(t.id) FILTER (WHERE t.status = 'intake'),
              COUNT(t.id) FILTER (WHERE t.status = 'active'), COUNT(t.id) FILTER (WHERE t.status = 'aftercare')
         FROM accounts_user u LEFT JOIN trajectories_trajectory t ON t.lead_consultant_id = u.id
        WHERE u.organisation_id = %(org)s AND u.role = 'consultant' GROUP BY u.id""",
    """SELECT COUNT(*) FILTER (WHERE t.status = 'referred'), SUM(%(today)s::date - t.referred_on) FILTER (WHERE t.status = 'referred'),
              COUNT(*) FILTER (WHERE t.status = 'active'), COUNT(*) FILTER (WHERE t.status IN ('referred','intake','active','aftercare')),
              COUNT(*) FILTER (WHERE t.status IN ('referred','intake','active','aftercare') AND EXISTS (
                 SELECT 1 FROM casework_consent c WHERE c.detainee_id = t.detainee_id AND c.withdrawn_on IS NULL
                    AND c.superseded_at IS NULL)),
              COUNT(*) FILTER (WHERE t.referred_on >= %(today)s::date - 365 AND t.status NOT IN ('referred','intake')),
              COUNT(*) FILTER (WHERE t.referred_on >= %(today)s::date - 365 AND t.status NOT IN ('referred','intake')
                 AND EXISTS (SELECT 1 FROM trajectories_trajectorystatuschange sc WHERE sc.trajectory_id = t.id AND sc.to_status = 'active')
                 AND EXISTS (SELECT 1 FROM trajectories_goal g WHERE g.trajectory_id = t.id AND g.agreed_with_detainee))
         FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id WHERE d.organisation_id = %(org)s""",
    """SELECT date_trunc('month', s.started_at AT TIME ZONE 'Europe/Brussels'), s.attendance, COUNT(*)
         FROM casework_session s JOIN casework_detainee d ON d.id = s.detainee_id
        WHERE d.organisation_id = %(org)s AND s.started_at >= date_trunc('month', %(now)s::timestamptz) - interval '11 months'
        GROUP BY 1, 2""",
    """SELECT COUNT(*), MIN(a.due_on) FROM trajectories_action a JOIN casework_detainee d ON d.id = a.detainee_id
        WHERE d.organisation_id = %(org)s AND a.status = 'open' AND a.due_on < %(today)s""",
    """SELECT g.domain_id, COUNT(DISTINCT g.trajectory_id) FROM trajectories_goal g
         JOIN trajectories_trajectory t ON t.id = g.trajectory_id JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s AND t.status = 'active' GROUP BY g.domain_id""",
    """SELECT COUNT(*) FILTER (WHERE c.starts_at >= %(now)s AND c.starts_at < %(now)s::timestamptz + interval '30 days'
                                AND c.status <> 'cancelled'),
              COUNT(*) FILTER (WHERE c.status IN ('held', 'minutes_draft') AND c.starts_at < %(now)s)
         FROM casusoverleg_conference c JOIN casework_detainee d ON d.id = c.detainee_id WHERE d.organisation_id = %(org)s""",
]

DIRECTOR_DASHBOARD = [
    """SELECT p.id, p.name, COUNT(d.id) FROM casework_prison p JOIN casework_prison_directors pd ON pd.prison_id = p.id
         LEFT JOIN casework_detainee d ON d.current_prison_id = p.id AND d.in_scope AND d.released_on IS NULL
        WHERE pd.user_id = %(director)s GROUP BY p.id, p.name""",
    """SELECT d.id, d.first_name, d.last_name, p.name, u.first_name, u.last_name,
              (SELECT t.status FROM trajectories_trajectory t WHERE t.detainee_id = d.id
                  AND t.status IN ('referred','intake','active','aftercare') LIMIT 1),
              (SELECT MAX(c.starts_at) FROM casusoverleg_conference c WHERE c.detainee_id = d.id
                  AND c.status <> 'cancelled' AND c.starts_at < %(now)s),
              (SELECT MIN(c.starts_at) FROM casusoverleg_conference c WHERE c.detainee_id = d.id
                  AND c.status <> 'cancelled' AND c.starts_at >= %(now)s)
         FROM casework_detainee d JOIN casework_prison p ON p.id = d.current_prison_id
         JOIN casework_prison_directors pd ON pd.prison_id = p.id LEFT JOIN accounts_user u ON u.id = d.lead_consultant_id
        WHERE pd.user_id = %(director)s AND d.in_scope AND d.released_on IS NULL
        ORDER BY d.last_name, d.first_name, d.id LIMIT 50""",
    """SELECT d.id, d.first_name, d.last_name, d.leave_eligible_on,
              (SELECT MAX(c.starts_at) FROM casusoverleg_conference c WHERE c.detainee_id = d.id AND c.kind = 'pre_leave'
                  AND c.status <> 'cancelled')
         FROM casework_detainee d JOIN casework_prison_directors pd ON pd.prison_id = d.current_prison_id
        WHERE pd.user_id = %(director)s AND d.in_scope AND d.released_on IS NULL
          AND d.leave_eligible_on BETWEEN %(today)s AND %(today)s::date + 274 ORDER BY d.leave_eligible_on LIMIT 25""",
]

YEARLY = [
    """SELECT EXTRACT(YEAR FROM t.referred_on), COUNT(*), COUNT(*) FILTER (WHERE t.status = 'declined'),
              COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM trajectories_trajectorystatuschange sc WHERE sc.trajectory_id = t.id
                                              AND sc.to_status = 'active')
                                 AND EXISTS (SELECT 1 FROM trajectories_goal g WHERE g.trajectory_id = t.id AND g.agreed_with_detainee))
         FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s AND t.referred_on >= make_date(%(year)s - 4, 1, 1)
          AND t.referred_on < make_date(%(year)s + 1, 1, 1) GROUP BY 1""",
    """SELECT EXTRACT(YEAR FROM sc.changed_at), COUNT(DISTINCT sc.trajectory_id) FROM trajectories_trajectorystatuschange sc
         JOIN trajectories_trajectory t ON t.id = sc.trajectory_id JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s AND sc.to_status = 'aftercare'
          AND sc.changed_at >= make_date(%(year)s - 4, 1, 1) AND sc.changed_at < make_date(%(year)s + 1, 1, 1) GROUP BY 1""",
    """SELECT EXTRACT(YEAR FROM t.closed_on), COUNT(*) FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s AND t.closure_reason = 'aftercare_ended'
          AND t.closed_on >= make_date(%(year)s - 4, 1, 1) AND t.closed_on < make_date(%(year)s + 1, 1, 1) GROUP BY 1""",
    """SELECT (SELECT pr.name FROM casework_placement pl JOIN casework_prison pr ON pr.id = pl.prison_id
                WHERE pl.detainee_id = t.detainee_id AND pl.from_date <= t.referred_on
                  AND (pl.to_date IS NULL OR pl.to_date >= t.referred_on) ORDER BY pl.from_date DESC LIMIT 1) AS prison,
              COUNT(*), COUNT(*) FILTER (WHERE t.status = 'declined')
         FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s AND EXTRACT(YEAR FROM t.referred_on) = %(year)s GROUP BY 1""",
    """SELECT (SELECT l.category FROM casework_listing l WHERE l.detainee_id = t.detainee_id AND l.listed_on <= t.referred_on
                  AND (l.delisted_on IS NULL OR l.delisted_on > t.referred_on) ORDER BY l.listed_on DESC LIMIT 1) AS category,
              COUNT(*), COUNT(*) FILTER (WHERE t.status = 'declined')
         FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s AND EXTRACT(YEAR FROM t.referred_on) = %(year)s GROUP BY 1""",
]

API_DETAINEES = [
    "SELECT COUNT(*) FROM casework_detainee WHERE organisation_id = %(org)s",
    """SELECT d.id, d.first_name, d.last_name, d.date_of_birth, d.legal_status, d.current_prison_id, d.lead_consultant_id,
              d.incarcerated_on, d.leave_eligible_on, d.in_scope FROM casework_detainee d
        WHERE d.organisation_id = %(org)s ORDER BY d.last_name, d.first_name, d.id LIMIT 50""",
]

API_SESSIONS = [
    """SELECT COUNT(*) FROM casework_session s JOIN casework_detainee d ON d.id = s.detainee_id
        WHERE d.organisation_id = %(org)s""",
    """SELECT s.id, s.detainee_id, s.author_id, s.started_at, s.duration_minutes, s.modality, s.attendance, s.engagement,
              s.summary FROM casework_session s JOIN casework_detainee d ON d.id = s.detainee_id
        WHERE d.organisation_id = %(org)s ORDER BY s.started_at DESC, s.id DESC LIMIT 50""",
    """SELECT sd.session_id, sd.lifedomain_id FROM casework_session_domains sd WHERE sd.session_id IN (
         SELECT s.id FROM casework_session s JOIN casework_detainee d ON d.id = s.detainee_id
          WHERE d.organisation_id = %(org)s ORDER BY s.started_at DESC, s.id DESC LIMIT 50)""",
]

API_TRAJECTORIES = [
    """SELECT COUNT(*) FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s""",
    """SELECT t.id, t.detainee_id, t.status, t.referred_on, t.referred_by, t.lead_consultant_id, t.closed_on
         FROM trajectories_trajectory t JOIN casework_detainee d ON d.id = t.detainee_id
        WHERE d.organisation_id = %(org)s ORDER BY t.referred_on DESC, t.id DESC LIMIT 50""",
]

API_CONFERENCES = [
    """SELECT COUNT(*) FROM casusoverleg_conference c JOIN casework_prison_directors pd ON pd.prison_id = c.prison_id
        WHERE pd.user_id = %(director)s""",
    """SELECT c.id, c.detainee_id, c.prison_id, c.chair_id, c.kind, c.starts_at, c.ends_at, c.status
         FROM casusoverleg_conference c JOIN casework_prison_directors pd ON pd.prison_id = c.prison_id
        WHERE pd.user_id = %(director)s ORDER BY c.starts_at, c.id LIMIT 50""",
]

FLOORS = {
    "caseload list": CASELOAD,
    "caseload search": CASELOAD_SEARCH,
    "detainee file": DETAINEE_FILE,
    "session save": SESSION_SAVE,
    "trajectory page": TRAJECTORY,
    "conference page": CONFERENCE,
    "manager dashboard": MANAGER_DASHBOARD,
    "director dashboard": DIRECTOR_DASHBOARD,
    "yearly report": YEARLY,
    "api detainees": API_DETAINEES,
    "api sessions": API_SESSIONS,
    "api trajectories": API_TRAJECTORIES,
    "api conferences": API_CONFERENCES,
}


def run(statements: list[str], context: dict) -> float:
    """Milliseconds to run `statements` and fetch every row; writes are rolled back."""
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, context)
                if cursor.description:
                    cursor.fetchall()
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed
