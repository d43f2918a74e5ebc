"""Expected statuses of the permission matrix: The diary, notifications and reporting."""

from . import row

#        an  co  cl  ou  ma  di  od  pw  po  ad  dp
ROWS: dict[str, dict[str, dict[str, set[int]]]] = {
    "notifications:list": row(
        "302 200 200 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "notifications:bell": row(
        "302 200 200 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "notifications:mail_settings": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302 302 302 302"
    ),
    "notifications:read_all": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 302 302 302 302 302 302 302 302"
    ),
    "notifications:read": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "notifications:open": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "reporting:manager_dashboard": row(
        "302 403 403 403 200 403 403 403 403 403 403", "302 403 403 403 200 403 403 403 403 403 403"
    ),
    "reporting:figure_list": row(
        "302 403 403 403 200 403 403 403 403 403 403", "302 403 403 403 200 403 403 403 403 403 403"
    ),
    "reporting:director_dashboard": row(
        "302 403 403 403 403 200 200 403 403 403 403", "302 403 403 403 403 200 200 403 403 403 403"
    ),
    "reporting:yearly": row(
        "302 403 403 403 200 403 403 403 403 403 403", "302 403 403 403 200 403 403 403 403 403 403"
    ),
    "reporting:yearly_export": row(
        "302 403 403 403 200 403 403 403 403 403 403", "302 403 403 403 200 403 403 403 403 403 403"
    ),
    # The research extract: the manager asks, the dpo decides; an empty form is refused with a message.
    "reporting:research_extracts": row(
        "302 403 403 403 200 403 403 403 403 403 200", "302 403 403 403 400 403 403 403 403 403 400"
    ),
    "reporting:research_extract_file": row(
        "302 403 403 403 404 403 403 403 403 403 404", "302 403 403 403 404 403 403 403 403 403 404"
    ),
    # The diary: a consultant's own planned contacts (on his own caseload); the manager's planned-vs-held.
    "diary:week": row("302 200 200 200 403 403 403 403 403 403 403", "302 200 200 200 403 403 403 403 403 403 403"),
    "diary:create": row("302 200 200 200 403 403 403 403 403 403 403", "302 400 400 400 403 403 403 403 403 403 403"),
    "diary:overview": row("302 403 403 403 200 403 403 403 403 403 403", "302 403 403 403 200 403 403 403 403 403 403"),
    "diary:update": row("302 200 404 404 404 404 404 404 404 404 404", "302 400 404 404 404 404 404 404 404 404 404"),
    "diary:log": row("302 200 404 404 404 404 404 404 404 404 404", "302 400 404 404 404 404 404 404 404 404 404"),
    "diary:cancel": row("405 405 405 405 405 405 405 405 405 405 405", "302 302 404 404 404 404 404 404 404 404 404"),
}
