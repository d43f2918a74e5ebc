"""Who may open the reports (docs/design.md §4 and §8), as django-rules permissions.

Dashboards and yearly figures are pages of a role, not records: another role gets a 403.
What each figure counts is narrowed by the `visible_to(user)` querysets underneath.
"""

import rules

from casework.permissions import is_director, is_dpo, is_manager

rules.add_perm("reporting.view_manager_dashboard", is_manager)
rules.add_perm("reporting.view_director_dashboard", is_director)
# The figures parliament asks for are compiled by the manager of the organisation.
rules.add_perm("reporting.view_yearly", is_manager)
# The research extract (docs/adr/0015): the manager asks, the dpo approves and releases; both follow it.
rules.add_perm("reporting.view_research_extracts", is_manager | is_dpo)
rules.add_perm("reporting.request_research_extract", is_manager)
rules.add_perm("reporting.decide_research_extract", is_dpo)
