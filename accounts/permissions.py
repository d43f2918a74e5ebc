"""The functional administrator's permissions on the admin site (/beheer/), in one place (docs/design.md §4:
"reference data, users: admin only"; docs/security.md §1).

The admin site asks two kinds of question, both answered here by django-rules:
- per app, `has_module_perms(app_label)`: the rules permission named after the app label. Only the apps
  below show up in the administrator's admin index; every other app (auth groups, tokens, MFA, axes,
  celery beat, the change history) stays a 403.
- per model, `<app_label>.<action>_<model>` (view, add, change, delete). Only the reference data and the
  accounts below; no case model is named, so a trajectory, detainee or conference is a 403 in the admin.

Deletion is granted only where removing a row harms nothing: a prison, life domain or instrument section
that nothing uses, a cadence rule or reminder setting (the default applies again). Whatever still uses the
row stops the deletion (accounts/admin_base.py); an organisation, intervention module or instrument is
switched off instead (their `is_active`), an account is deactivated (accounts.services.user_deactivate).

Superusers keep Django's answer (every permission). Case content has no admin permission for anyone but
superusers (trajectories/admin.py shows trajectories to superusers for support).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from .models import User

# --- Roles ----------------------------------------------------------------------------------------

is_admin_role = rules.predicate(lambda user: user.is_authenticated and user.is_admin_role, name="is_admin_role")


@rules.predicate
def account_is_not_superuser(user: User, account: User | None = None) -> bool:
    """Without an account (the list, the add form) yes; a superuser's account is changed by superusers only."""
    return account is None or not account.is_superuser


# --- What the administrator manages ---------------------------------------------------------------

VIEW_ADD_CHANGE = ("view", "add", "change")
VIEW_ADD_CHANGE_DELETE = (*VIEW_ADD_CHANGE, "delete")

# app label → model name → the admin actions the functional administrator may take.
ADMIN_ROLE_MODELS: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "user": VIEW_ADD_CHANGE,  # deactivated, never deleted (their name stays on the files they worked on)
        "organisation": VIEW_ADD_CHANGE,  # switched off with is_active
    },
    "casework": {
        "prison": VIEW_ADD_CHANGE_DELETE,  # directors included; a prison with placements cannot be deleted
        "lifedomain": VIEW_ADD_CHANGE_DELETE,
        "interventionmodule": VIEW_ADD_CHANGE,  # switched off with is_active
    },
    "diary": {
        "visitingslot": VIEW_ADD_CHANGE_DELETE,  # suggestions only: nothing depends on a slot
    },
    "trajectories": {
        "assessmenttemplate": VIEW_ADD_CHANGE,  # switched off with is_active; used ones are read-only
        # Sections and their items (edited inline) of an instrument nobody has used yet.
        "assessmentsection": VIEW_ADD_CHANGE_DELETE,
        "assessmentitem": VIEW_ADD_CHANGE_DELETE,
    },
    "casusoverleg": {
        "cadencerule": VIEW_ADD_CHANGE_DELETE,  # a prison's rhythm; without one the default applies
        "standingmember": VIEW_ADD_CHANGE_DELETE,  # a prison's standing conference team (ADR 0033)
    },
    "notifications": {
        "remindersetting": VIEW_ADD_CHANGE_DELETE,  # without one the kind's default offsets apply
    },
}

# Object rules on top of the administrator's role, per permission.
OBJECT_RULES = {
    "accounts.change_user": account_is_not_superuser,
}


def admin_role_permissions() -> dict[str, rules.Predicate]:
    """Every rules permission of the functional administrator: the module permissions, then one per model
    and action."""
    permissions = {}
    for app_label, models in ADMIN_ROLE_MODELS.items():
        permissions[app_label] = is_admin_role
        for model_name, actions in models.items():
            for action in actions:
                name = f"{app_label}.{action}_{model_name}"
                permissions[name] = is_admin_role & OBJECT_RULES[name] if name in OBJECT_RULES else is_admin_role
    return permissions


for _name, _predicate in admin_role_permissions().items():
    rules.add_perm(_name, _predicate)
