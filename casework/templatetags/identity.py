"""The one place a template decides whether a detainee's identity (name, date of birth) may be shown.

Every page that mentions a detainee renders it through `{% detainee_name detainee %}` (or asks
`{% sees_identity detainee as shown %}` before a date of birth): case staff of the file, the director of
his prison and a partner whose organisation holds an active consent with scope identity see the name
(rule `casework.view_detainee`); anyone else reaching the page through another scope (a partner with
trajectory goals only, an invited participant) reads the file number. Rules ask the per-request memo
(accounts/memo.py), so a list of many rows costs no query per row for the consent.
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def identity_visible(user, detainee) -> bool:
    """True when `user` may see the identity part of `detainee`'s file."""
    return bool(user is not None and user.is_authenticated and user.has_perm("casework.view_detainee", detainee))


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) if request is not None else context.get("user")


@register.simple_tag(takes_context=True)
def sees_identity(context, detainee) -> bool:
    return detainee is not None and identity_visible(_user(context), detainee)


@register.simple_tag(takes_context=True)
def detainee_name(context, detainee, style: str = "full") -> str:
    """The detainee's name ("full": first and last; "list": LAST First, as lists sort), or the file number
    for a reader without the identity scope."""
    if detainee is None:
        return ""
    if identity_visible(_user(context), detainee):
        return str(detainee) if style == "list" else detainee.full_name
    return _("Dossier #%(id)s") % {"id": detainee.pk}
