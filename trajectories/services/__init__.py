"""Every write to a trajectory. Plain functions: validate, save, record who and why, return.

`trajectory_transition` is the only way a status changes (UI, API and admin). Each function runs in a
transaction and in a pghistory context, so the change history says who changed what and why.

One module per part: `lifecycle` (referral, status, team, explorations), `goals` (goals, reviews, actions),
`assessments`, `referrals` (to partners), `release` (release and aftercare), `handover` (the package's PDF) and
`court` (the sentence enforcement court's conditions and the reports to the justice house).
The first three are imported here, as `trajectories.services.<function>`.
"""

from __future__ import annotations

from .assessments import (  # noqa: F401
    ASSESSMENT_TEXT_FIELDS,
    assessment_finalise,
    assessment_start,
    assessment_update,
)
from .goals import (  # noqa: F401
    GOAL_FIELDS,
    action_create,
    action_set_status,
    goal_create,
    goal_review_add,
    goal_update,
)
from .lifecycle import (  # noqa: F401
    REASON_MAX,
    exploration_record,
    trajectory_assign,
    trajectory_refer,
    trajectory_transition,
    trajectory_update,
    unsettled_required_domains,
)
