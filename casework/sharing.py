"""What a partner's organisation holds on one file, and why (ADR 0034): the panel on the file page for a partner.

It lists the active consents of his organisation (scopes, purposes, since when, explained by whom, until
withdrawn), every item he may open (from the providers the apps register in `casework/views/registry.py`), and for
every scope his organisation does not hold, one sentence that it is not shared with his organisation: never the
content, never a count, so the panel says the same whether there is anything behind it or not.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Consent, Detainee, Purpose, Scope
from .views.registry import SharedItem, register_shared_items, shared_item_providers


def partner_sharing(user, detainee: Detainee) -> dict:
    """The panel's content: one query for the consents, then at most one per registered provider."""
    consents = list(
        Consent.objects.active()
        .filter(detainee=detainee, organisation_id=user.organisation_id)
        .select_related("explained_by", "organisation")
        .order_by("-given_on", "-pk")
    )
    scopes = {scope for consent in consents for scope in consent.scopes}
    purposes = {purpose for consent in consents for purpose in consent.purposes}
    scope_labels, purpose_labels = dict(Scope.choices), dict(Purpose.choices)
    for consent in consents:
        consent.scope_labels = [scope_labels.get(code, code) for code in consent.scopes]
        consent.purpose_labels = [purpose_labels.get(code, code) for code in consent.purposes]
    items: list[SharedItem] = []
    for provider in shared_item_providers():
        items.extend(provider(user, detainee, frozenset(scopes), frozenset(purposes)))
    not_shared = [
        _("%(scope)s: niet gedeeld met jouw organisatie.") % {"scope": label}
        for code, label in Scope.choices
        if code not in scopes
    ]
    organisation = consents[0].organisation if consents else user.organisation
    return {"organisation": organisation, "consents": consents, "items": items, "not_shared": not_shared}


def _casework_items(user, detainee, scopes, purposes):
    items = [
        SharedItem(
            Scope.IDENTITY, _("Identiteit, plaatsingen"), reverse("casework:file_placements", args=[detainee.pk])
        )
    ]
    if Scope.SESSION_SUMMARIES in scopes:
        items.append(
            SharedItem(
                Scope.SESSION_SUMMARIES,
                _("Samenvattingen van gesprekken"),
                reverse("casework:file_sessions", args=[detainee.pk]),
            )
        )
    return items


register_shared_items("10_casework", _casework_items)
